/**
 * Issue 16: the HTML report shades each state by how often the batch visited it. The aggregate counts
 * visits from the rules that fired (no trace needed); this holds the count to what traced runs show.
 */
import { describe, expect, test } from 'vitest';
import { BatchAggregate } from '../../src/analysis/aggregate.ts';
import { deriveStateVisitPlan } from '../../src/analysis/state-visits.ts';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import { deriveRunSeed } from '../../src/engine/rng.ts';
import { Runner } from '../../src/engine/run.ts';
import type { Model } from '../../src/model/types.ts';
import { loadValid, modelOf } from '../helpers.ts';
import { NESTED } from '../report/nested.fixture.ts';

/** The states a traced run shows active at some point: every ancestor of every leaf in a label. */
function tracedVisits(model: Model, plan: ReturnType<typeof deriveStateVisitPlan>, record: ReturnType<Runner['run']>): Set<number> {
  const seen = new Set<number>(plan.initial);
  for (const change of record.stateChanges ?? []) {
    const actor = model.actors[change.actor] as Model['actors'][number];
    for (const leaf of change.to.split(', ')) {
      const parts = leaf.split('.');
      for (let i = 0; i <= parts.length; i++) {
        const path = parts.slice(0, i).join('.');
        const st = actor.states.findIndex((s) => s.path === path);
        expect(st, `${actor.id} ${path}`).toBeGreaterThanOrEqual(0);
        seen.add((plan.offsets[change.actor] as number) + st);
      }
    }
  }
  return seen;
}

function predictedVisits(plan: ReturnType<typeof deriveStateVisitPlan>, ruleCounts: Uint32Array): Set<number> {
  const seen = new Set<number>(plan.initial);
  for (const [rule, states] of plan.entered) if ((ruleCounts[rule] as number) > 0) for (const s of states) seen.add(s);
  return seen;
}

describe('state visits counted from fired rules', () => {
  for (const [name, model] of [
    ['flagship', loadValid('scenarios/russia-dprk-2024.yaml').model],
    ['nested fixture', modelOf(NESTED)],
  ] as const) {
    test(`${name}: the states each run visited, from its rule counts, are those its trace shows`, () => {
      const plan = deriveStateVisitPlan(model);
      const runner = new Runner(model, new CompiledKernel(model));
      let changed = 0;
      for (let i = 0; i < 150; i++) {
        const record = runner.run(deriveRunSeed('7', i), { trace: true });
        changed += record.stateChanges?.length ?? 0;
        expect([...predictedVisits(plan, record.ruleCounts)].sort((a, b) => a - b), `run ${i}`).toEqual([...tracedVisits(model, plan, record)].sort((a, b) => a - b));
      }
      expect(changed).toBeGreaterThan(0);
    });
  }

  test('the aggregate counts every run on each root, and merges by adding', () => {
    const model = modelOf(NESTED);
    const runner = new Runner(model, new CompiledKernel(model));
    const whole = new BatchAggregate(model);
    const a = new BatchAggregate(model);
    const b = new BatchAggregate(model);
    for (let i = 0; i < 100; i++) {
      const record = runner.run(deriveRunSeed('3', i));
      whole.add(record, i);
      (i % 2 === 0 ? a : b).add(record, i);
    }
    a.merge(b.toData());
    expect([...a.stateRuns]).toEqual([...whole.stateRuns]);
    const plan = deriveStateVisitPlan(model);
    for (const off of plan.offsets) expect(whole.stateRuns[off]).toBe(100);
    expect([...whole.stateRuns].some((n) => n > 0 && n < 100)).toBe(true);
  });
});
