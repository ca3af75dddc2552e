/**
 * Times one engine on one scenario in a fresh process and prints the figures as JSON (for
 * bench/run.ts). A fresh process per measurement: V8 optimises the turn loop for what it has seen, so
 * timing several models or engines one after another in one process would measure their mix.
 *
 *   time-child.ts <scenario> reference|general|compiled <runs>
 *   time-child.ts bench/scenarios/hand.yaml hand <runs>      (engine and hand reducer, alternating rounds)
 */
import { CompiledKernel } from '../src/engine/compiled-kernel.ts';
import type { Kernel } from '../src/engine/kernel.ts';
import { ReferenceKernel } from '../src/engine/reference-kernel.ts';
import { deriveRunSeed } from '../src/engine/rng.ts';
import { Runner, type RunnerOptions } from '../src/engine/run.ts';
import { buildModel } from '../src/model/build-model.ts';
import { loadScenarioFile } from '../src/scenario/load.ts';
import { handRun } from './hand-reducer.ts';

const [file, mode, count] = process.argv.slice(2);
const loaded = loadScenarioFile(file as string);
if (!loaded.ok) throw new Error(`${file} does not load`);
const model = buildModel(loaded.scenario);
const runs = Number(count);
const seeds = Array.from({ length: runs }, (_, i) => deriveRunSeed('bench', i));

function runner(): Runner {
  const kernel: Kernel = mode === 'reference' ? new ReferenceKernel(model) : new CompiledKernel(model);
  const options: RunnerOptions = mode === 'general' ? { specialise: false } : { specialise: 0 };
  return new Runner(model, kernel, options);
}

if (mode === 'hand') {
  // Engine and reducer in alternating rounds on the same seeds, so that a drift in the host's speed
  // (±20% here) falls on both; the ratio reported is the median round's.
  const engine = runner();
  const out = { overall: 0, theatre: 0, dyads: new Int8Array(16) };
  for (let i = 0; i < Math.min(4000, runs); i++) {
    engine.run(seeds[i] as string, { transient: true });
    handRun(seeds[i] as string, out);
  }
  const rounds: Array<{ engine: number; hand: number; ratio: number }> = [];
  for (let round = 0; round < 7; round++) {
    let t0 = performance.now();
    for (let i = 0; i < runs; i++) engine.run(seeds[i] as string, { transient: true });
    const engineRate = runs / ((performance.now() - t0) / 1000);
    t0 = performance.now();
    for (let i = 0; i < runs; i++) handRun(seeds[i] as string, out);
    const handRate = runs / ((performance.now() - t0) / 1000);
    rounds.push({ engine: engineRate, hand: handRate, ratio: handRate / engineRate });
  }
  process.stdout.write(JSON.stringify(rounds));
} else {
  const r = runner();
  // Warm up on other seeds first (V8 optimises the generated code as it runs): a tenth of the runs, at least 200.
  for (let i = 0; i < Math.max(200, runs / 10); i++) r.run(deriveRunSeed('warm-up', i), { transient: true });
  let events = 0;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) events += r.run(seeds[i] as string, { transient: true }).events.length;
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ runsPerSecond: runs / seconds, microsPerEvent: (seconds * 1e6) / events, events: events / runs }));
}
