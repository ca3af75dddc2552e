/**
 * `npm run bench`: checks the engine's answers, then times it, and writes bench/results.json.
 *
 * Answers first: the compiled kernel must give the XState reference's traces, the hand-written reducer
 * the engine's peaks, and a batch the same aggregate on 1 and on all workers — or nothing is timed.
 * Each single-thread timing runs in a fresh process (bench/time-child.ts), batches and memory too.
 * `npm run bench -- --quick` skips the 1,000,000-run memory measurement.
 */
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { renderJson } from '../src/report/json.ts';
import { playBatch } from '../src/batch/play-batch.ts';
import { deriveMeta, summarizeBatch } from '../src/analysis/summary.ts';
import { CompiledKernel } from '../src/engine/compiled-kernel.ts';
import type { Kernel } from '../src/engine/kernel.ts';
import { ReferenceKernel } from '../src/engine/reference-kernel.ts';
import { deriveRunSeed } from '../src/engine/rng.ts';
import { Runner, type RunnerOptions } from '../src/engine/run.ts';
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

interface Timing {
  readonly runsPerSecond: number;
  readonly microsPerEvent: number;
  readonly events: number;
}

/** Runs `runs` runs on one thread, in a fresh process (bench/time-child.ts); runs/s and µs per delivered act. */
function time(file: string, mode: 'reference' | 'general' | 'compiled', runs: number): Timing {
  return JSON.parse(child('bench/time-child.ts', file, mode, String(runs))) as Timing;
}

function child(script: string, ...args: string[]): string {
  return execFileSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8' });
}

/** `time(file, 'compiled', runs)`, not waiting: for running several at once. */
function timeAsync(file: string, runs: number): Promise<Timing> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--import', 'tsx', 'bench/time-child.ts', file, 'compiled', String(runs)], { encoding: 'utf8' }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout) as Timing),
    ),
  );
}

/** A batch (aggregated) in a fresh process: runs/s. */
function batchRate(file: string, runs: number, workers: number): { runsPerSecond: number } {
  const m = rssOf(file, runs, workers);
  return { runsPerSecond: m.runs / m.seconds };
}

async function timeBatch(model: Model, runs: number, workers: number): Promise<{ seconds: number; runsPerSecond: number; summary: string }> {
  const t0 = performance.now();
  const played = await playBatch(model, { runs, seed: 'bench', engine: 'compiled', workers });
  const seconds = (performance.now() - t0) / 1000;
  const meta = deriveMeta(model, { hash: '', files: [], seed: 'bench', runs, engine: 'compiled' });
  return { seconds, runsPerSecond: runs / seconds, summary: renderJson(summarizeBatch(model, played.aggregate, meta)) };
}

function traceOf(model: Model, kernel: Kernel, seed: string, options: RunnerOptions = {}): string {
  const r = new Runner(model, kernel, options).run(seed, { trace: true });
  return JSON.stringify([r.events, r.stateChanges, [...r.ruleCounts]]);
}

/** Peak RSS and wall time of a batch in a fresh process (so earlier allocations do not count). */
function rssOf(file: string, runs: number, workers: number): { runs: number; seconds: number; peakRssMB: number } {
  return JSON.parse(child('bench/rss-child.ts', file, String(runs), String(workers))) as { runs: number; seconds: number; peakRssMB: number };
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
  const seeds = Array.from({ length: n }, (_, i) => String(i));
  const reference = seeds.map((seed) => traceOf(model, new ReferenceKernel(model), seed));
  check(
    seeds.every((seed, i) => traceOf(model, new CompiledKernel(model), seed, { specialise: 0 }) === reference[i]),
    `${name}: compiled engine (generated code) = XState reference on ${n} seeds`,
  );
  check(
    seeds.every((seed, i) => traceOf(model, new CompiledKernel(model), seed, { specialise: false }) === reference[i]),
    `${name}: compiled kernel's general algorithm = XState reference on ${n} seeds`,
  );
}
{
  const runner = new Runner(hand, new CompiledKernel(hand), { specialise: 0 });
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
console.log('  (each figure measured in a fresh process)');
for (const [name, file, model, refRuns, compiledRuns, batchRuns] of [
  ['flagship', FLAGSHIP, flagship, 300, 20_000, 200_000],
  ['synthetic', SYNTHETIC, synthetic, 40, 10_000, 100_000],
] as const) {
  const reference = time(file, 'reference', refRuns);
  const general = time(file, 'general', compiledRuns / 2);
  const compiled = time(file, 'compiled', compiledRuns);
  const pool1 = batchRate(file, batchRuns, 1);
  const poolAll = batchRate(file, batchRuns, cores);
  // The machine's own ceiling for this workload: `cores` independent single-thread processes at once.
  const ceiling = (await Promise.all(Array.from({ length: cores }, () => timeAsync(file, compiledRuns)))).reduce((sum, t) => sum + t.runsPerSecond, 0);
  const entry = {
    actors: model.actors.length,
    states: model.actors.reduce((n, a) => n + a.states.length - 1, 0),
    turns: model.turns,
    eventsPerRun: compiled.events,
    reference: { runsPerSecond: reference.runsPerSecond, microsPerEvent: reference.microsPerEvent },
    compiledGeneralOneThread: { runsPerSecond: general.runsPerSecond, microsPerEvent: general.microsPerEvent },
    compiledOneThread: { runsPerSecond: compiled.runsPerSecond, microsPerEvent: compiled.microsPerEvent },
    speedupOverReference: compiled.runsPerSecond / reference.runsPerSecond,
    batch: {
      runs: batchRuns,
      oneThreadRunsPerSecond: pool1.runsPerSecond,
      allWorkersRunsPerSecond: poolAll.runsPerSecond,
      workers: cores,
      scaling: poolAll.runsPerSecond / pool1.runsPerSecond,
      independentProcessesScaling: ceiling / compiled.runsPerSecond,
    },
  };
  results[name] = entry;
  console.log(`  ${name} (${entry.actors} actors, ${entry.states} states, ${entry.turns} turns, ${entry.eventsPerRun.toFixed(1)} acts/run)`);
  console.log(`    reference (XState)     ${reference.runsPerSecond.toFixed(0).padStart(9)} runs/s  ${reference.microsPerEvent.toFixed(2)} µs/act`);
  console.log(`    compiled, no codegen   ${general.runsPerSecond.toFixed(0).padStart(9)} runs/s  ${general.microsPerEvent.toFixed(2)} µs/act  (the kernel's general algorithm)`);
  console.log(`    compiled, 1 thread     ${compiled.runsPerSecond.toFixed(0).padStart(9)} runs/s  ${compiled.microsPerEvent.toFixed(2)} µs/act  (${entry.speedupOverReference.toFixed(1)}× the reference)`);
  console.log(`    batch, 1 thread        ${pool1.runsPerSecond.toFixed(0).padStart(9)} runs/s  (${batchRuns} runs, aggregated)`);
  console.log(`    batch, ${cores} workers      ${poolAll.runsPerSecond.toFixed(0).padStart(9)} runs/s  (${entry.batch.scaling.toFixed(2)}× one thread)`);
  console.log(`    ${cores} processes at once   ${ceiling.toFixed(0).padStart(9)} runs/s  (${entry.batch.independentProcessesScaling.toFixed(2)}× one: what the machine gives this workload)`);
}
{
  const rounds = JSON.parse(child('bench/time-child.ts', HAND, 'hand', '40000')) as Array<{ engine: number; hand: number; ratio: number }>;
  const sorted = [...rounds].sort((a, b) => a.ratio - b.ratio);
  const median = sorted[Math.floor(sorted.length / 2)] as { engine: number; hand: number; ratio: number };
  results['hand'] = {
    engineRunsPerSecond: median.engine,
    handRunsPerSecond: median.hand,
    engineOverHand: median.ratio,
    rounds: rounds.map((r) => Number(r.ratio.toFixed(3))),
  };
  console.log(`  hand-written reducer (bench/scenarios/hand.yaml): ${rounds.length} alternating rounds of 40,000 runs, fresh process`);
  console.log(`    hand reducer           ${median.hand.toFixed(0).padStart(9)} runs/s`);
  console.log(
    `    compiled engine        ${median.engine.toFixed(0).padStart(9)} runs/s  (${median.ratio.toFixed(2)}× slower than by hand: median round; rounds ${sorted[0]?.ratio.toFixed(2)}–${sorted[sorted.length - 1]?.ratio.toFixed(2)}×)`,
  );
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
