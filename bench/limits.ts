/**
 * `npm run bench:limits`: the largest scenario the format accepts (every count at its LIMITS value)
 * and what it costs — loading, one run, and a batch — so the limits in src/scenario/schema.ts are
 * chosen from measurement (issue 18). Writes bench/limits-results.json. Set LIMITS_RUNS to change the
 * batch size (default 10,000).
 */
import { writeFileSync } from 'node:fs';
import { aggregateBatch } from '../src/batch/batch.ts';
import { CompiledKernel } from '../src/engine/compiled-kernel.ts';
import { runOnce } from '../src/engine/run.ts';
import { buildModel } from '../src/model/build-model.ts';
import { parseScenarioText } from '../src/scenario/load.ts';
import { formatProblem } from '../src/scenario/problem.ts';
import { LIMITS } from '../src/scenario/schema.ts';

const STATES = Number(process.env['LIMITS_STATES'] ?? 20);

/** Every count at its limit: actors, event types, variables, shocks, injects, rungs and turns. */
function largest(): string {
  const actors = Array.from({ length: LIMITS.actors }, (_, i) => `A${i}`);
  const events = Array.from({ length: LIMITS.eventTypes }, (_, i) => `E${i}`);
  const rungs = Array.from({ length: LIMITS.rungs }, (_, i) => ({ id: `L${i}`, name: `rung ${i}` }));
  const doc = {
    version: 1,
    metadata: { id: 'largest', title: 'Every count at its limit' },
    time: { turns: LIMITS.turns },
    ladder: { rungs },
    variables: Object.fromEntries(Array.from({ length: LIMITS.variables }, (_, i) => [`v${i}`, { initial: 0, min: 0, max: 100 }])),
    events: Object.fromEntries(events.map((e, i) => [e, { rung: `L${i % LIMITS.rungs}`, description: `event ${i}` }])),
    actors: Object.fromEntries(
      actors.map((a, ai) => {
        const states = Object.fromEntries(
          Array.from({ length: STATES }, (_, s) => {
            const ev = events[(ai * STATES + s) % events.length] as string;
            const next = `s${(s + 1) % STATES}`;
            return [
              `s${s}`,
              {
                on: { [ev]: { target: next, effects: [{ add: { var: `v${(ai + s) % LIMITS.variables}`, value: 1 } }] } },
                moves: { go: { event: ev, to: [actors[(ai + 1) % actors.length]], probability: 0.05 } },
              },
            ];
          }),
        );
        return [a, { name: `actor ${ai}`, statechart: { initial: 's0', states } }];
      }),
    ),
    shocks: Object.fromEntries(
      Array.from({ length: LIMITS.shocks }, (_, i) => [`k${i}`, { event: events[i % events.length], from: actors[i % actors.length], probability: 0.0005 }]),
    ),
    script: Object.fromEntries(
      Array.from({ length: LIMITS.injects }, (_, i) => [`i${i}`, { turn: 1 + (i % LIMITS.turns), event: events[(i * 7) % events.length], from: actors[i % actors.length] }]),
    ),
  };
  return JSON.stringify(doc, null, 1);
}

const mb = (n: number) => Math.round(n / 1024 / 1024);
const text = largest();
let t = performance.now();
const loaded = parseScenarioText(text, 'largest.json');
const loadMs = performance.now() - t;
if (!loaded.ok) throw new Error(loaded.problems.slice(0, 5).map(formatProblem).join('\n'));
t = performance.now();
const model = buildModel(loaded.scenario);
const buildMs = performance.now() - t;
t = performance.now();
const record = runOnce(model, new CompiledKernel(model), '1');
const runMs = performance.now() - t;
const afterRun = process.memoryUsage().rss;
const runs = Number(process.env['LIMITS_RUNS'] ?? 10_000);
t = performance.now();
const agg = aggregateBatch(model, new CompiledKernel(model), { runs, seed: '1' });
const batchMs = performance.now() - t;
const result = {
  node: process.version,
  bytes: Buffer.byteLength(text),
  statesPerActor: STATES,
  loadMs: Math.round(loadMs),
  buildModelMs: Math.round(buildMs),
  oneRun: { ms: Math.round(runMs), events: record.events.length, rssMB: mb(afterRun) },
  batch: { runs, ms: Math.round(batchMs), msPerRun: Number((batchMs / runs).toFixed(2)), rssMB: mb(process.memoryUsage().rss), checkRuns: agg.runs },
};
console.log(JSON.stringify(result, null, 2));
writeFileSync(`bench/limits-results${runs === 10_000 ? '' : `-${runs}`}.json`, `${JSON.stringify(result, null, 2)}\n`);
