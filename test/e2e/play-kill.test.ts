/**
 * Issue 14's kill test: SIGKILL `brink play` at 50 random moments of a scripted game, resuming each
 * time: no acknowledged command is lost, the log is always readable, and the finished game is the
 * uninterrupted one. The moments come from seeded generators, so a failure replays; four kill sequences
 * run side by side.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { createRandom } from '../../src/engine/rng.ts';
import { readGameLog } from '../../src/store/game-log-file.ts';
import { ROOT } from '../helpers.ts';

const FLAGSHIP = resolve(ROOT, 'scenarios/russia-dprk-2024.yaml');
const KILLS = 50;
/** Kill sequences played side by side. */
const LANES = 4;

interface Outcome {
  readonly stdout: string;
  readonly code: number | null;
  readonly killed: boolean;
}

/**
 * Starts `brink play` with `finish` on stdin and kills it `killAfterMs` after its first line (the game
 * opened: everything after is playing), unless it ends first.
 */
function playFor(args: readonly string[], killAfterMs: number): Promise<Outcome> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve(ROOT, 'bin/brink.js'), 'play', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      timer ??= setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, killAfterMs);
    });
    child.stderr.resume();
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ stdout, code, killed });
    });
    child.stdin.end('finish\n');
  });
}

/** Every command the process said `ok` to, as `kind turn actor` keys. */
function acknowledged(stdout: string): string[] {
  const out: string[] = [];
  for (const m of stdout.matchAll(/^ok decide (\S+) \S+ \(turn (\d+)\)/gm)) out.push(`decide ${m[2]} ${m[1]}`);
  for (const m of stdout.matchAll(/^ok play (\d+)$/gm)) out.push(`play ${m[1]}`);
  return out;
}

test(`SIGKILL at ${KILLS} random moments of a scripted game: nothing acknowledged is lost, and the game ends as if never interrupted`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'brink-kill-'));
  const moves = join(dir, 'moves.txt');
  const lines: string[] = [];
  for (let t = 1; t <= 24; t++) lines.push(`${t} ROK ${t % 3 === 0 ? 'none' : 'policy'}`, `${t} CHN ${t % 4 === 0 ? 'policy' : 'none'}`, `${t} USA none`);
  writeFileSync(moves, lines.join('\n'));
  const base = ['--moves', moves];
  const start = (file: string) => [FLAGSHIP, '--human', 'ROK,CHN,USA', '--seed', '21', '--game', file, ...base];

  const reference = join(dir, 'reference.game');
  const whole = await playFor(start(reference), 600_000);
  expect(whole.code).toBe(0);
  const expected = readGameLog(reference);
  if (!expected.ok) throw new Error(expected.problem.message);
  const strip = (entries: readonly object[]) => entries.map((e) => JSON.stringify(e));

  // What happened, kill by kill, for a reader of a slow or failed run.
  const progress = resolve(ROOT, 'test/artifacts/play-kill.log');
  mkdirSync(resolve(ROOT, 'test/artifacts'), { recursive: true });
  writeFileSync(progress, '');

  /**
   * One lane: games killed `quota` times in all, each resumed until it ends, then compared with the
   * uninterrupted game. Lanes run side by side (most of a kill's time is a process starting), each with
   * its own seeded moments and its own files.
   */
  const lane = async (index: number, quota: number): Promise<number> => {
    const random = createRandom(`kill-test:${index}`);
    let kills = 0;
    let games = 0;
    while (kills < quota) {
      const file = join(dir, `lane-${index}-game-${games++}.game`);
      for (;;) {
        const resuming = existsSync(file);
        const delay = Math.floor(random() * 1500);
        const run = await playFor(resuming ? ['--resume', file, ...base] : start(file), delay);
        if (run.killed) kills++;
        appendFileSync(progress, `${new Date().toISOString()} lane ${index} game ${games - 1} ${run.killed ? `kill ${kills} at ${delay} ms after the first line` : `finished (exit ${run.code})`}\n`);
        if (!existsSync(file)) throw new Error(`the game log ${file} is missing after its first line was printed`);
        const log = readGameLog(file);
        if (!log.ok) throw new Error(`lane ${index}, after kill ${kills} (${delay} ms): ${log.problem.message}`);
        const have = new Set(
          log.value.entries.flatMap((e) => (e.kind === 'decide' ? [`decide ${e.turn} ${e.actor}`] : e.kind === 'play' ? [`play ${e.turn}`] : [])),
        );
        for (const ack of acknowledged(run.stdout)) expect(have.has(ack), `lane ${index}: acknowledged "${ack}" lost after kill ${kills} at ${delay} ms`).toBe(true);
        if (!run.killed) {
          expect(run.code).toBe(0);
          expect(strip(log.value.entries)).toEqual(strip(expected.value.entries));
          break;
        }
        if (kills >= quota) {
          // Finish the last game uninterrupted and compare it too.
          const last = await playFor(['--resume', file, ...base], 600_000);
          expect(last.code).toBe(0);
          const final = readGameLog(file);
          expect(final.ok && strip(final.value.entries)).toEqual(strip(expected.value.entries));
          break;
        }
      }
    }
    return kills;
  };
  const quotas = Array.from({ length: LANES }, (_, i) => Math.floor(KILLS / LANES) + (i < KILLS % LANES ? 1 : 0));
  const kills = (await Promise.all(quotas.map((q, i) => lane(i, q)))).reduce((a, b) => a + b, 0);
  expect(kills).toBe(KILLS);
}, 1_500_000);
