import { loadScenarioFile } from '../src/scenario/load.ts';
import { buildModel } from '../src/model/build-model.ts';
import { ReferenceKernel } from '../src/engine/reference-kernel.ts';
import { Runner } from '../src/engine/run.ts';
const r = loadScenarioFile(process.argv[2]!);
if (!r.ok) { console.log(r.problems); process.exit(1); }
const m = buildModel(r.scenario);
const k = new ReferenceKernel(m);
const runner = new Runner(m, k);
const rec = runner.run('1', { trace: true });
for (const e of rec.events) console.log(e.turn, m.actors[e.from]!.id, m.events[e.type]!.id, e.to.map(t => m.actors[t]!.id).join(','), e.origin, e.cause, m.rules[e.rule]!.id);
console.log(rec.stateChanges);
console.log('peak', rec.overallPeak, rec.steps, rec.thresholdTurns);
const N = Number(process.argv[3] ?? 200);
const t0 = performance.now();
for (let i = 0; i < N; i++) runner.run(String(i));
console.log('ms/run', (performance.now() - t0) / N);
