// Issue 12, item 1: outcomes are named conditions over a run, counted wherever a rung exceedance is.
import { produce } from 'immer';
import { describe, expect, test } from 'vitest';
import { BatchAggregate } from '../../src/analysis/aggregate.ts';
import { deriveInfluence } from '../../src/analysis/influence.ts';
import { deriveMeta, summarizeBatch } from '../../src/analysis/summary.ts';
import { TraceView } from '../../src/analysis/trace-view.ts';
import { aggregateBatch } from '../../src/batch/batch.ts';
import { compare } from '../../src/batch/compare.ts';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import { ReferenceKernel } from '../../src/engine/reference-kernel.ts';
import { deriveRunSeed } from '../../src/engine/rng.ts';
import { reachedOutcome, Runner } from '../../src/engine/run.ts';
import { explore } from '../../src/explore/explore.ts';
import { buildModel } from '../../src/model/build-model.ts';
import { evaluate } from '../../src/model/evaluate.ts';
import { outcome } from '../../src/testing/properties.ts';
import { loadValid } from '../helpers.ts';

const loaded = loadValid('test/fixtures/valid/duel-outcomes.yaml');
const model = loaded.model;
const K = (id: string) => model.outcomes.findIndex((o) => o.id === id);

describe('the runner checks each outcome at the end of every turn', () => {
  test('first turn held and held-at-the-end agree with the trace, turn by turn, on the reference kernel', () => {
    const runner = new Runner(model, new ReferenceKernel(model));
    const settled = model.outcomes[K('settled')]?.condition;
    let reachedSome = 0;
    for (let i = 0; i < 60; i++) {
      const r = runner.run(deriveRunSeed('pin', i), { trace: true });
      // earlyClash: the turn of the first CLASH; reached when that is on or before turn 6.
      const clash = r.events.find((e) => model.events[e.type]?.id === 'CLASH');
      expect(r.outcomeTurns[K('earlyClash')]).toBe(clash?.turn ?? 0);
      expect(reachedOutcome(model, r, K('earlyClash'))).toBe(clash !== undefined && clash.turn <= 6);
      // settled: read from the trace at each turn's end.
      const view = new TraceView(model, r);
      let first = 0;
      let end = false;
      for (let t = 1; t <= model.turns; t++) {
        view.advanceTo(t);
        const holds = evaluate(settled as NonNullable<typeof settled>, view, undefined);
        if (holds && first === 0) first = t;
        if (t === model.turns) end = holds;
      }
      expect(r.outcomeTurns[K('settled')]).toBe(first);
      expect(r.outcomeEnd[K('settled')]).toBe(end ? 1 : 0);
      expect(reachedOutcome(model, r, K('settled'))).toBe(end);
      if (end) reachedSome++;
    }
    expect(reachedSome).toBeGreaterThan(0);
  });

  test('an outcome without "by" counts only the end: held earlier and lost is not reached', () => {
    const runner = new Runner(model, new CompiledKernel(model));
    let lost = 0;
    for (let i = 0; i < 400 && lost === 0; i++) {
      const r = runner.run(deriveRunSeed('lost', i));
      if ((r.outcomeTurns[K('settled')] as number) > 0 && r.outcomeEnd[K('settled')] === 0) {
        lost++;
        expect(reachedOutcome(model, r, K('settled'))).toBe(false);
      }
    }
    expect(lost).toBe(1);
  });
});

describe('outcomes in the batch aggregate, summary, influence and exploration', () => {
  const runs = 3000;
  const agg = aggregateBatch(model, new CompiledKernel(model), { runs, seed: 'o' });

  test('the aggregate counts reached runs, merges order-free, and the summary reports them', () => {
    const a = aggregateBatch(model, new CompiledKernel(model), { runs: 1000, seed: 'o' });
    const b = aggregateBatch(model, new CompiledKernel(model), { runs: 2000, seed: 'o', from: 1000 });
    const merged = new BatchAggregate(model);
    merged.merge(b.toData());
    merged.merge(a.toData());
    expect([...merged.outcomeRuns]).toEqual([...agg.outcomeRuns]);
    expect([...merged.outcomeTurns]).toEqual([...agg.outcomeTurns]);
    expect([...merged.ruleOutcomes]).toEqual([...agg.ruleOutcomes]);
    expect(merged.outcomeFirst).toEqual(agg.outcomeFirst);
    const s = summarizeBatch(model, agg, deriveMeta(model, { hash: '', files: [], seed: 'o', runs, engine: 'compiled' }));
    expect(s.outcomes?.map((o) => [o.id, o.by])).toEqual([
      ['settled', null],
      ['earlyClash', 6],
      ['tense', 12],
    ]);
    const early = s.outcomes?.[1];
    // "by turn 6" is the cumulative share at turn 6 of the first-held curve.
    expect(early?.reached.p).toBeCloseTo(early?.byTurn[5] as number, 12);
  });

  test('Monte Carlo agrees with the exact probabilities of brink explore', () => {
    for (const o of model.outcomes) {
      const exact = explore(model, { target: { kind: 'outcome', outcome: o } }).target?.probability as number;
      const p = (agg.outcomeRuns[o.index] as number) / runs;
      const se = Math.sqrt((exact * (1 - exact)) / runs);
      expect(Math.abs(p - exact), o.id).toBeLessThan(4 * se + 1e-9);
    }
  });

  test('explore: an outcome "happened CLASH by 6" has the probability of the act CLASH within 6 turns', () => {
    const o = model.outcomes[K('earlyClash')] as (typeof model.outcomes)[number];
    const byOutcome = explore(model, { target: { kind: 'outcome', outcome: o } }).target;
    const byAct = explore(model, { turns: 6, target: { kind: 'act', event: model.events.findIndex((e) => e.id === 'CLASH') } }).target;
    expect(byOutcome?.probability).toBeCloseTo(byAct?.probability as number, 12);
    expect(byOutcome?.firstTurn).toBe(byAct?.firstTurn);
  });

  test('influence by outcome ranks the rules by P(outcome | fired) / P(outcome | not fired)', () => {
    const inf = deriveInfluence(model, agg, { outcome: 'earlyClash' });
    expect(inf.outcome?.id).toBe('earlyClash');
    expect(inf.reached.count).toBe(agg.outcomeRuns[K('earlyClash')]);
    // The spark is the only source of CLASH: no run reaches the outcome without it.
    const spark = inf.rules.find((r) => r.id === 'shock:spark');
    expect(spark?.notFired.count).toBe(0);
    expect(() => deriveInfluence(model, agg, { outcome: 'nope' })).toThrow(/unknown outcome "nope"/);
  });
});

describe('compare and brink/testing treat an outcome as a rung', () => {
  test('paired differences: the same scenario gives 0; a variant without the spark never clashes', async () => {
    const calm = buildModel(
      produce(loaded.scenario, (d) => {
        delete d.shocks;
      }),
    );
    const copy = loadValid('test/fixtures/valid/duel-outcomes.yaml').model;
    const c = await compare({ model }, [{ model: copy }, { model: calm }], { runs: 500, seed: 'cmp' });
    const same = c.variants[0]?.outcomes ?? [];
    expect(same.map((o) => o.difference)).toEqual(same.map(() => ({ estimate: 0, low: 0, high: 0 })));
    const early = c.variants[1]?.outcomes?.find((o) => o.id === 'earlyClash');
    expect(early?.variant.count).toBe(0);
    expect(early?.difference.estimate).toBeCloseTo(-(early?.base.p as number), 12);
    expect(early?.baseOnly).toBe(early?.base.count);
  });

  test("outcome('settled') holds exactly when the runner says the run reached it", () => {
    const bound = outcome('settled').bind(model);
    expect(bound.needsTrace).toBe(false);
    const runner = new Runner(model, new CompiledKernel(model));
    for (let i = 0; i < 50; i++) {
      const r = runner.run(deriveRunSeed('t', i));
      expect(bound.check(r).holds).toBe(reachedOutcome(model, r, K('settled')));
    }
    expect(() => outcome('nope').bind(model)).toThrow(/unknown outcome "nope" \(known: settled, earlyClash, tense\)/);
  });
});
