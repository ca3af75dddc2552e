/**
 * `npm run bench`: checks the engine's answers, then times it, and writes bench/results.json.
 *
 * Answers first: the compiled kernel must give the XState reference's traces, the hand-written reducer
 * the engine's peaks, and a batch the same aggregate on 1 and on all workers — or nothing is timed.
 * `npm run bench -- --quick` skips the 1,000,000-run memory measurement.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { renderJson } from '../src/report/json.ts';
import { playBatch } from '../src/analysis/play-batch.ts';
import { deriveMeta, summarizeBatch } from '../src/analysis/summary.ts';
import { CompiledKernel } from '../src/engine/compiled-kernel.ts';
import type { Kernel } from '../src/engine/kernel.ts';
import { ReferenceKernel } from '../src/engine/reference-kernel.ts';
import { deriveRunSeed } from '../src/engine/rng.ts';
import { Runner } from '../src/engine/run.ts';
import { buildModel } from '../src/model/build-model.ts';
import type { Model } from '../src/model/types.ts';
import { loadScenarioFile } from '../src/scenario/load.ts';
import { handRun } from './hand-reducer.ts';

const quick = process.argv.includes('--quick');
const cores = availableParallelism();

function load(file: string): Model {
  const r = loadScenarioFile(file);
  if (!r.ok) throw new Error(`${file} does not load`);
  return buildModel(r.scenario);
}

function check(ok: boolean, what: string): void {
  if (!ok) {
    console.error(`bench: answer check failed: ${what} — nothing timed`);
    process.exit(1);
  }
  console.log(`  ✓ ${what}`);
}

/** Runs `runs` runs on one thread; returns runs/s and µs per delivered act. */
function time(model: Model, kernel: Kernel, runs: number): { runsPerSecond: number; microsPerEvent: number; events: number } {
  const runner = new Runner(model, kernel);
  for (let i = 0; i < Math.min(200, runs); i++) runner.run(deriveRunSeed('warm-up', i), { transient: true });
  let events = 0;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) events += runner.run(deriveRunSeed('bench', i), { transient: true }).events.length;
  const seconds = (performance.now() - t0) / 1000;
  return { runsPerSecond: runs / seconds, microsPerEvent: (seconds * 1e6) / events, events: events / runs };
}

async function timeBatch(model: Model, runs: number, workers: number): Promise<{ seconds: number; runsPerSecond: number; summary: string }> {
  const t0 = performance.now();
  const played = await playBatch(model, { runs, seed: 'bench', engine: 'compiled', workers });
  const seconds = (performance.now() - t0) / 1000;
  const meta = deriveMeta(model, { hash: '', files: [], seed: 'bench', runs, engine: 'compiled' });
  return { seconds, runsPerSecond: runs / seconds, summary: renderJson(summarizeBatch(model, played.aggregate, meta)) };
}

function traceOf(model: Model, kernel: Kernel, seed: string): string {
  const r = new Runner(model, kernel).run(seed, { trace: true });
  return JSON.stringify([r.events, r.stateChanges, [...r.ruleCounts]]);
}

/** Peak RSS and wall time of a batch in a fresh process (so earlier allocations do not count). */
function rssOf(file: string, runs: number, workers: number): { runs: number; seconds: number; peakRssMB: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/rss-child.ts', file, String(runs), String(workers)], { encoding: 'utf8' });
  return JSON.parse(out) as { runs: number; seconds: number; peakRssMB: number };
}

const FLAGSHIP = 'scenarios/russia-dprk-2024.yaml';
const SYNTHETIC = 'bench/scenarios/synthetic-12x20.yaml';
const HAND = 'bench/scenarios/hand.yaml';
const flagship = load(FLAGSHIP);
const synthetic = load(SYNTHETIC);
const hand = load(HAND);

console.log(`Brink bench · node ${process.version} · ${cores} cores (${cpus()[0]?.model ?? 'unknown CPU'})`);
console.log('Checking answers');
for (const [name, model, n] of [['flagship', flagship, 200], ['synthetic', synthetic, 30], ['hand', hand, 200]] as const) {
  const same = Array.from({ length: n }, (_, i) => String(i)).every((seed) => traceOf(model, new CompiledKernel(model), seed) === traceOf(model, new ReferenceKernel(model), seed));
  check(same, `${name}: compiled kernel = XState reference on ${n} seeds`);
}
{
  const runner = new Runner(hand, new CompiledKernel(hand));
  const out = { overall: 0, theatre: 0, dyads: new Int8Array(16) };
  let same = true;
  for (let i = 0; i < 20_000 && same; i++) {
    const seed = deriveRunSeed('hand', i);
    const r = runner.run(seed, { transient: true });
    handRun(seed, out);
    same = r.overallPeak === out.overall && r.theatrePeaks[0] === out.theatre && r.dyadPeaks.join() === out.dyads.join();
  }
  check(same, 'hand-written reducer = engine peaks on 20,000 seeds');
}
const one = await timeBatch(flagship, 20_000, 1);
const all = await timeBatch(flagship, 20_000, cores);
check(one.summary === all.summary, `flagship: 20,000-run aggregate identical on 1 and ${cores} workers`);

console.log('Timing');
const results: Record<string, unknown> = { node: process.version, cores, cpu: cpus()[0]?.model ?? 'unknown' };
for (const [name, model, refRuns, compiledRuns, batchRuns] of [
  ['flagship', flagship, 300, 20_000, 200_000],
  ['synthetic', synthetic, 40, 2_000, 20_000],
] as const) {
  const reference = time(model, new ReferenceKernel(model), refRuns);
  const compiled = time(model, new CompiledKernel(model), compiledRuns);
  const pool1 = await timeBatch(model, batchRuns, 1);
  const poolAll = await timeBatch(model, batchRuns, cores);
  const entry = {
    actors: model.actors.length,
    states: model.actors.reduce((n, a) => n + a.states.length - 1, 0),
    turns: model.turns,
    eventsPerRun: compiled.events,
    reference: { runsPerSecond: reference.runsPerSecond, microsPerEvent: reference.microsPerEvent },
    compiledOneThread: { runsPerSecond: compiled.runsPerSecond, microsPerEvent: compiled.microsPerEvent },
    speedupOverReference: compiled.runsPerSecond / reference.runsPerSecond,
    batch: { runs: batchRuns, oneThreadRunsPerSecond: pool1.runsPerSecond, allWorkersRunsPerSecond: poolAll.runsPerSecond, workers: cores, scaling: poolAll.runsPerSecond / pool1.runsPerSecond },
  };
  results[name] = entry;
  console.log(`  ${name} (${entry.actors} actors, ${entry.states} states, ${entry.turns} turns, ${entry.eventsPerRun.toFixed(1)} acts/run)`);
  console.log(`    reference (XState)     ${reference.runsPerSecond.toFixed(0).padStart(9)} runs/s  ${reference.microsPerEvent.toFixed(2)} µs/act`);
  console.log(`    compiled, 1 thread     ${compiled.runsPerSecond.toFixed(0).padStart(9)} runs/s  ${compiled.microsPerEvent.toFixed(2)} µs/act  (${entry.speedupOverReference.toFixed(1)}× the reference)`);
  console.log(`    batch, this thread     ${pool1.runsPerSecond.toFixed(0).padStart(9)} runs/s  (${batchRuns} runs, aggregated)`);
  console.log(`    batch, ${cores} workers      ${poolAll.runsPerSecond.toFixed(0).padStart(9)} runs/s  (${entry.batch.scaling.toFixed(2)}× one thread)`);
}
{
  const engine = time(hand, new CompiledKernel(hand), 200_000);
  const out = { overall: 0, theatre: 0, dyads: new Int8Array(16) };
  for (let i = 0; i < 2000; i++) handRun(deriveRunSeed('warm-up', i), out);
  const t0 = performance.now();
  const n = 200_000;
  for (let i = 0; i < n; i++) handRun(deriveRunSeed('bench', i), out);
  const handRate = n / ((performance.now() - t0) / 1000);
  results['hand'] = { engineRunsPerSecond: engine.runsPerSecond, handRunsPerSecond: handRate, engineOverHand: handRate / engine.runsPerSecond };
  console.log(`  hand-written reducer (bench/scenarios/hand.yaml)`);
  console.log(`    hand reducer           ${handRate.toFixed(0).padStart(9)} runs/s`);
  console.log(`    compiled engine        ${engine.runsPerSecond.toFixed(0).padStart(9)} runs/s  (${(handRate / engine.runsPerSecond).toFixed(2)}× slower than by hand)`);
}
console.log('Memory (fresh process each, all workers)');
const memory: Record<string, unknown> = {};
for (const runs of quick ? [100_000] : [100_000, 1_000_000]) {
  const m = rssOf(FLAGSHIP, runs, cores);
  memory[`flagship${runs}`] = m;
  console.log(`  flagship ${runs.toLocaleString('en')} runs: ${m.seconds.toFixed(1)} s, peak RSS ${m.peakRssMB.toFixed(0)} MB`);
}
results['memory'] = memory;
writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
console.log('Wrote bench/results.json');
