/**
 * The terminal game driven as a person would: tmux types the keys and reads the screen. A two-team
 * flagship game is played to the end, hot-seat (the screen is cleared between teams). Captures of the
 * screens are kept under test/artifacts/ to look at.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { readGameLog } from '../../src/store/game-log-file.ts';
import { ROOT } from '../helpers.ts';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux && process.env.CI === 'true') throw new Error('tmux is required in CI for the terminal-game test: apt-get install -y tmux');
const SESSION = `brink-play-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', SESSION);

async function waitFor(pattern: RegExp, what: string, timeoutMs = 120_000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const s = screen();
    if (pattern.test(s)) return s;
    if (Date.now() - start > timeoutMs) throw new Error(`waited ${timeoutMs} ms for ${what}; the screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

test.skipIf(!hasTmux)('a two-team flagship game played at the keyboard to the end (tmux; install with apt-get install -y tmux)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'brink-tmux-'));
  const game = join(dir, 'class.game');
  const artifacts = resolve(ROOT, 'test/artifacts');
  mkdirSync(artifacts, { recursive: true });
  const command = `NO_COLOR=1 ${process.execPath} ${resolve(ROOT, 'bin/brink.js')} play ${resolve(ROOT, 'scenarios/russia-dprk-2024.yaml')} --human ROK,CHN --seed 3 --game ${game} --show-odds; echo BRINK-EXIT-$?; sleep 600`;
  tmux('new-session', '-d', '-s', SESSION, '-x', '130', '-y', '60', command);
  try {
    const captures: Record<string, string> = {};
    for (let turn = 1; turn <= 24; turn++) {
      captures[`news-${turn}`] = await waitFor(new RegExp(`Turn ${turn} · .* press Enter to begin`), `turn ${turn}'s opening screen`);
      tmux('send-keys', '-t', SESSION, 'Enter');
      for (const team of ['CHN', 'ROK']) {
        const pass = await waitFor(new RegExp(`pass the keyboard to team ${team}`), `the hand-over to ${team}`);
        // Hot-seat: the hand-over screen shows nothing of another team's choice.
        expect(pass).not.toMatch(/decides \[/);
        tmux('send-keys', '-t', SESSION, 'Enter');
        const own = await waitFor(new RegExp(`${team} decides \\[`), `${team}'s screen`);
        captures[`${team}-${turn}`] = own;
        expect(own).toContain('Moves you can make now');
        expect(own).toMatch(/0\. no move {2}\[policy \d/);
        // ROK takes its first move on even turns; otherwise no move; CHN lets the policy decide on turn 5.
        const key = team === 'CHN' && turn === 5 ? 'p' : team === 'ROK' && turn % 2 === 0 && /\n {2}1\. /.test(own) ? '1' : '0';
        tmux('send-keys', '-t', SESSION, key, 'Enter');
        await waitFor(/recorded\. Press Enter/, `${team}'s confirmation`);
        tmux('send-keys', '-t', SESSION, 'Enter');
      }
      captures[`facilitator-${turn}`] = await waitFor(new RegExp(`facilitator \\(Enter plays turn ${turn}`), 'the facilitator prompt');
      if (turn === 3) {
        tmux('send-keys', '-t', SESSION, 'inject INCIDENT DPRK to=ROK against=ROK', 'Enter');
        await waitFor(/ok: inject INCIDENT from DPRK/, 'the inject acknowledged');
      }
      tmux('send-keys', '-t', SESSION, 'Enter');
    }
    const end = await waitFor(/BRINK-EXIT-\d+/, 'the end of the game');
    captures.end = end;
    for (const [name, text] of Object.entries(captures)) writeFileSync(join(artifacts, `play-tmux-${name}.txt`), text);
    expect(end).toContain('Game over after 24 turns.');
    expect(end).toContain('BRINK-EXIT-0');
    expect(captures['news-4']).toContain('injected by the facilitator');
    const log = readGameLog(game);
    if (!log.ok) throw new Error(log.problem.message);
    expect(log.value.entries.filter((e) => e.kind === 'play')).toHaveLength(24);
    expect(log.value.entries.filter((e) => e.kind === 'decide')).toHaveLength(48);
  } finally {
    spawnSync('tmux', ['kill-session', '-t', SESSION]);
  }
}, 900_000);
