/** Plays one batch and prints its wall time and the process's peak RSS as JSON (for bench/run.ts). */
import { playBatch } from '../src/batch/play-batch.ts';
import { buildModel } from '../src/model/build-model.ts';
import { loadScenarioFile } from '../src/scenario/load.ts';

const [file, runs, workers] = process.argv.slice(2);
const loaded = loadScenarioFile(file as string);
if (!loaded.ok) throw new Error(`${file} does not load`);
const model = buildModel(loaded.scenario);
const t0 = performance.now();
const played = await playBatch(model, { runs: Number(runs), seed: 'bench', engine: 'compiled', workers: Number(workers) });
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ runs: played.runs, seconds, peakRssMB: process.resourceUsage().maxRSS / 1024 }));
