import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { encodeEntry, readGameLog } from '../../src/store/game-log-file.ts';
import { ROOT, brink } from '../helpers.ts';

const FLAGSHIP = resolve(ROOT, 'scenarios/russia-dprk-2024.yaml');

/** Runs `brink` with `input` on a piped (non-terminal) stdin. */
export function brinkWithInput(args: readonly string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve(ROOT, 'bin/brink.js'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('brink play on a non-terminal stdin (the line protocol)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'brink-play-'));

  test('plays a two-team flagship game to the end, then replays it', async () => {
    const game = join(dir, 'two-teams.game');
    const script = ['decide ROK none', 'decide CHN policy', 'play', 'inject INCIDENT DPRK to=ROK against=ROK', 'force sparkDmz', 'play', 'back', 'withdraw 0', 'play', 'finish', ''].join('\n');
    const r = await brinkWithInput(['play', FLAGSHIP, '--human', 'ROK,CHN', '--seed', '9', '--game', game], script);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^game .* · russia-dprk-2024 · seed 9 · teams CHN,ROK · turn 1 of 24$/m);
    expect(r.stdout).toContain('ok decide ROK none (turn 1)');
    expect(r.stdout).toContain('ok back: turn 2 taken back');
    expect(r.stdout).toContain('── Turn 24 · May 2026');
    expect(r.stdout).toContain('Game over after 24 turns.');
    expect(r.stdout).toMatch(/ROK objectives:\n {2}\[[ ✓]\] /);
    const log = readGameLog(game);
    if (!log.ok) throw new Error(log.problem.message);
    expect(log.value.entries.filter((e) => e.kind === 'play')).toHaveLength(25); // 24 turns, turn 2 twice
    const told = await brink(['replay', game]);
    expect(told.code).toBe(0);
    expect(told.stdout).toContain('Turn 2 · Jul 2024 taken back by the facilitator');
    expect(told.stdout).toContain('injected by the facilitator');
  });

  test('a bad command is refused with a clear message, the game goes on unchanged, and the exit code is 1', async () => {
    const game = join(dir, 'bad.game');
    const r = await brinkWithInput(['play', FLAGSHIP, '--human', 'ROK', '--game', game], 'decide USA none\ndecide ROK nowhere\ninject NOPE RUS\nfly away\nplay\n');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error classroom/not_a_team: no team plays USA in this game (teams: ROK); the policy plays it');
    expect(r.stdout).toMatch(/error classroom\/unknown_move: ROK has no move "nowhere" \(moves possible now: .+\)/);
    expect(r.stdout).toContain('error classroom/unknown_event: no event type "NOPE" in the catalogue');
    expect(r.stdout).toContain('error classroom/bad_command: unknown command "fly"');
    expect(r.stdout).toContain('ok play 1');
    const log = readGameLog(game);
    expect(log.ok && log.value.entries.map((e) => e.kind)).toEqual(['start', 'play']);
  });

  test('--moves plays scripted decisions; --resume continues where the game stopped', async () => {
    const game = join(dir, 'moves.game');
    const moves = join(dir, 'moves.txt');
    writeFileSync(moves, Array.from({ length: 24 }, (_, i) => `${i + 1} ROK ${i % 3 === 0 ? 'none' : 'policy'}\n${i + 1} USA none`).join('\n'));
    const first = await brinkWithInput(['play', FLAGSHIP, '--human', 'ROK,USA', '--moves', moves, '--game', game], 'play\nplay\n');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Resume: brink play --resume');
    const second = await brinkWithInput(['play', '--resume', game, '--moves', moves], 'finish\n');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Game over after 24 turns.');
    const log = readGameLog(game);
    if (!log.ok) throw new Error(log.problem.message);
    const decides = log.value.entries.filter((e) => e.kind === 'decide');
    expect(decides).toHaveLength(48);
  });

  test('a corrupt or foreign log is refused with exit 1', async () => {
    const foreign = join(dir, 'foreign.game');
    writeFileSync(foreign, 'hello\n');
    const r = await brinkWithInput(['play', '--resume', foreign], '');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not a Brink game log');
    // The scenario inside the log changed (its entry re-checksummed): refused, its hash no longer holds.
    const own = join(dir, 'own.game');
    const made = await brinkWithInput(['play', FLAGSHIP, '--human', 'ROK', '--game', own], 'decide ROK none\nplay\ndecide ROK none\nplay\n');
    expect(made.code).toBe(0);
    const entries = readGameLog(own);
    if (!entries.ok) throw new Error(entries.problem.message);
    const [start, ...rest] = entries.value.entries;
    if (start?.kind !== 'start') throw new Error('no start');
    const changed = { ...start, scenario: { ...start.scenario, text: start.scenario.text.replace('probability: 0.2', 'probability: 0.25') } };
    const tampered = join(dir, 'tampered.game');
    writeFileSync(tampered, [changed, ...rest].map(encodeEntry).join(''));
    const t = await brinkWithInput(['play', '--resume', tampered], '');
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/the game's scenario text gives hash sha256:\w+, not the sha256:\w+ it was played with/);
    // A damaged entry in the middle of the log: refused, naming its line.
    const lines = readFileSync(own, 'utf8').split('\n');
    lines[3] = (lines[3] as string).replace('"decide"', '"decidf"');
    const damaged = join(dir, 'damaged.game');
    writeFileSync(damaged, lines.join('\n'));
    const d = await brinkWithInput(['play', '--resume', damaged], '');
    expect(d.code).toBe(1);
    expect(d.stderr).toContain('damaged.game:4: damaged entry');
  });

  test('usage errors exit 2', async () => {
    const r = await brink(['play', FLAGSHIP]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '--human <actors>'");
  });
});

