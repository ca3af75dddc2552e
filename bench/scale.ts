/**
 * Issue 17's benchmark: a 50-point flagship sweep at 10,000 runs a point on two workers; merging 100
 * parts; 10,000,000 flagship runs as 10 shards played one after another, then merged — each step a
 * `brink` process as a user runs it, timed with its peak RSS (GNU time). Every answer is checked before
 * its time is reported. Writes bench/scale-results.json.
 *
 *   npx tsx bench/scale.ts [--shards-to-play K]   # K of the 10 shards of the 10 M batch (default 10)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeParts, type NamedPart } from '../src/batch/merge-parts.ts';
import { parsePart, renderPart, toBatchPart } from '../src/batch/part.ts';
import { playBatch } from '../src/batch/play-batch.ts';
import { buildModel } from '../src/model/build-model.ts';
import { loadScenarioFile } from '../src/scenario/load.ts';

const FLAGSHIP = 'scenarios/russia-dprk-2024.yaml';
const args = process.argv.slice(2);
const shardsToPlay = Number(args[args.indexOf('--shards-to-play') + 1] ?? 10) || 10;

interface Measured {
  readonly seconds: number;
  readonly peakRssMB: number;
  readonly stdout: string;
}

/** Runs `brink …` under GNU time: wall seconds and peak RSS (the process and its worker threads). */
function brink(cliArgs: readonly string[]): Measured {
  const timeFile = join(tmpdir(), `brink-bench-time-${process.pid}`);
  const stdout = execFileSync('/usr/bin/time', ['-f', '%e %M', '-o', timeFile, process.execPath, 'bin/brink.js', ...cliArgs], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const [seconds, kb] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
  rmSync(timeFile, { force: true });
  return { seconds: seconds as number, peakRssMB: Math.round((kb as number) / 1024), stdout };
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bench: wrong answer: ${what}`);
}

const dir = mkdtempSync(join(tmpdir(), 'brink-scale-'));
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { cores: availableParallelism(), cpu: cpus()[0]?.model ?? '?', node: process.version, loadAverageAtStart: loadavg().map((x) => Number(x.toFixed(1))) },
};
const log = (line: string) => process.stdout.write(`${line}\n`);

// 1. A 50-point sweep at 10,000 runs a point, on two workers.
{
  const m = brink(['sweep', FLAGSHIP, '--axis', 'shock.sparkDmz=0..0.09:10', '--axis', 'move.RUS.transferConventional=0..0.4:5', '--runs', '10000', '--workers', '2', '--format', 'json', '--quiet']);
  const sweep = JSON.parse(m.stdout) as { points: Array<{ exceedance: Array<{ total: number }> }> };
  check(sweep.points.length === 50 && sweep.points.every((p) => p.exceedance.every((e) => e.total === 10_000)), 'the sweep has 50 points of 10,000 runs');
  results.sweep = { points: 50, runsPerPoint: 10_000, workers: 2, seconds: m.seconds, runsPerSecond: Math.round(500_000 / m.seconds), peakRssMB: m.peakRssMB };
  log(`sweep: 50 points × 10,000 runs on 2 workers: ${m.seconds.toFixed(1)} s (${Math.round(500_000 / m.seconds)} runs/s), peak RSS ${m.peakRssMB} MB`);
}

// 2. Merging 100 parts (of a 100,000-run batch), checked against the batch played at once.
{
  const loaded = loadScenarioFile(FLAGSHIP);
  if (!loaded.ok) throw new Error('flagship does not load');
  const model = buildModel(loaded.scenario);
  const files: string[] = [];
  const texts: string[] = [];
  for (let i = 0; i < 100; i++) {
    const played = await playBatch(model, { runs: 1000, from: i * 1000, seed: 'bench', invariants: true });
    const text = renderPart(toBatchPart({ model, hash: loaded.hash, files: loaded.files }, { seed: 'bench', runs: 100_000, engine: 'compiled', from: i * 1000, played: played.runs }, played.aggregate.toData(), played.invariants?.toData()));
    const file = join(dir, `part-${String(i).padStart(3, '0')}.json`);
    writeFileSync(file, text);
    files.push(file);
    texts.push(text);
  }
  const partKB = Math.round(texts.reduce((n, t) => n + t.length, 0) / 100 / 1024);
  // In process: parse the 100 texts and merge them (what `brink merge` does before it summarises).
  const t0 = performance.now();
  const named: NamedPart[] = texts.map((t, i) => {
    const r = parsePart(t);
    if (!r.ok) throw new Error(r.message);
    return { name: String(i), part: r.part };
  });
  const merged = mergeParts(named);
  const inProcessMs = performance.now() - t0;
  check(merged.ok && merged.part.ranges.length === 1 && merged.part.ranges[0]?.[1] === 100_000, 'the 100 parts merge into runs 0–99,999');
  const m = brink(['merge', ...files, '--format', 'json']);
  const whole = brink(['run', FLAGSHIP, '--runs', '100000', '--seed', 'bench', '--workers', '2', '--format', 'json', '--quiet']);
  check(m.stdout === whole.stdout, 'brink merge of 100 parts gives the bytes of the 100,000-run batch');
  results.merge100 = { parts: 100, partKB, parseAndMergeMs: Math.round(inProcessMs), cliSeconds: m.seconds, cliPeakRssMB: m.peakRssMB };
  log(`merge: 100 parts (${partKB} KB each): parse + merge ${Math.round(inProcessMs)} ms in process; brink merge → report ${m.seconds.toFixed(1)} s, peak RSS ${m.peakRssMB} MB (same bytes as the batch played at once)`);
}

// 3. 10,000,000 runs as 10 shards, one after another, then merged.
{
  const total = 10_000_000;
  const shards: Array<{ shard: number; seconds: number; peakRssMB: number }> = [];
  const files: string[] = [];
  for (let i = 1; i <= shardsToPlay; i++) {
    const file = join(dir, `big-${i}.json`);
    const m = brink(['run', FLAGSHIP, '--runs', String(total), '--seed', 'big', '--shard', `${i}/10`, '--workers', '2', '--quiet', '--out', file]);
    const part = parsePart(readFileSync(file, 'utf8'));
    check(part.ok && part.part.ranges[0]?.[1] === ((i * total) / 10) && part.part.ranges[0]?.[0] === (((i - 1) * total) / 10), `shard ${i}/10 holds its million runs`);
    shards.push({ shard: i, seconds: m.seconds, peakRssMB: m.peakRssMB });
    files.push(file);
    log(`10 M batch: shard ${i}/10 (1,000,000 runs, 2 workers): ${m.seconds.toFixed(1)} s, peak RSS ${m.peakRssMB} MB`);
  }
  const complete = shardsToPlay === 10;
  const m = brink(['merge', ...files, '--format', complete ? 'text' : 'part']);
  if (complete) check(m.stdout.includes('10000000 runs'), 'the merged report states 10,000,000 runs');
  else check(JSON.parse(m.stdout).ranges[0][1] === (shardsToPlay * total) / 10, 'the merged part holds the shards played');
  const shardSeconds = shards.reduce((n, s) => n + s.seconds, 0);
  results.tenMillion = {
    shardsPlayed: shardsToPlay,
    shardsOf: 10,
    runsPlayed: (shardsToPlay * total) / 10,
    shards,
    shardSecondsTotal: shardSeconds,
    runsPerSecond: Math.round(((shardsToPlay * total) / 10) / shardSeconds),
    maxShardPeakRssMB: Math.max(...shards.map((s) => s.peakRssMB)),
    merge: { format: complete ? 'text report' : 'part (runs missing)', seconds: m.seconds, peakRssMB: m.peakRssMB },
  };
  log(
    `10 M batch: ${shardsToPlay} of 10 shards in ${shardSeconds.toFixed(0)} s (${Math.round(((shardsToPlay * total) / 10) / shardSeconds)} runs/s), peak RSS ≤ ${Math.max(...shards.map((s) => s.peakRssMB))} MB; merge ${m.seconds.toFixed(1)} s, peak RSS ${m.peakRssMB} MB`,
  );
}

results.loadAverageAtEnd = loadavg().map((x) => Number(x.toFixed(1)));
rmSync(dir, { recursive: true, force: true });
writeFileSync('bench/scale-results.json', `${JSON.stringify(results, null, 2)}\n`);
log('wrote bench/scale-results.json');
