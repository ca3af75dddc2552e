import { produce } from 'immer';
import { describe, expect, test } from 'vitest';
import { aggregateBatch } from '../../src/batch/batch.ts';
import { compare } from '../../src/batch/compare.ts';
import { deriveMeta, summarizeBatch } from '../../src/analysis/summary.ts';
import { ReferenceKernel } from '../../src/engine/reference-kernel.ts';
import { buildModel } from '../../src/model/build-model.ts';
import type { Model } from '../../src/model/types.ts';
import { loadValid } from '../helpers.ts';

const file = 'test/fixtures/valid/duel.yaml';
const loaded = loadValid(file);
const withSpark = (p: number) =>
  buildModel(
    produce(loaded.scenario, (d) => {
      const shocks = d.shocks as NonNullable<typeof d.shocks>;
      shocks.spark = { ...(shocks.spark as NonNullable<(typeof shocks)['spark']>), probability: p };
    }),
  );

function exceedance(model: Model, runs: number, seed: string, scope: number, rung: string) {
  const agg = aggregateBatch(model, new ReferenceKernel(model), { runs, seed });
  const s = summarizeBatch(model, agg, deriveMeta(model, { hash: '', files: [], seed, runs, engine: 'reference' }));
  const e = s.peaks[scope]?.exceedance.find((x) => x.rung === rung);
  if (e === undefined) return undefined;
  const { rung: _, ...proportion } = e;
  return proportion;
}

describe('compare: paired runs on common random numbers', () => {
  test('a variant identical to the base reports exactly zero difference', async () => {
    // A separately loaded and built copy: nothing is shared with the base but the text.
    const copy = loadValid(file);
    const c = await compare({ model: loaded.model, hash: loaded.hash, files: loaded.files }, [{ model: copy.model, hash: copy.hash, label: 'copy' }], {
      runs: 400,
      seed: 'same',
    });
    const v = c.variants[0];
    expect(v?.scopes.map((s) => s.scope)).toEqual(['overall', 'north']);
    for (const sc of v?.scopes ?? []) {
      expect(sc.rungs.map((r) => r.rung)).toEqual(['L0', 'L1', 'L2', 'L3', 'L4']);
      for (const r of sc.rungs) {
        expect(r.difference).toEqual({ estimate: 0, low: 0, high: 0 });
        expect([r.baseOnly, r.variantOnly]).toEqual([0, 0]);
        expect(r.variant).toEqual(r.base);
      }
    }
    expect(v?.scopes[0]?.rungs[4]?.base.count).toBeGreaterThan(0);
    expect([v?.appeared, v?.appearedDistinct, v?.vanished, v?.vanishedDistinct]).toEqual([[], 0, [], 0]);
    expect([v?.rules, v?.rulesChanged]).toEqual([[], 0]);
    expect(v?.unpaired).toEqual({ theatres: [], rungs: [] });
  });

  test("each side's proportions are exactly its own batch on the same seeds; a likelier spark raises P(≥ L4)", async () => {
    const variant = withSpark(0.05);
    const c = await compare({ model: loaded.model }, [{ model: variant, label: 'p=0.05' }], { runs: 300, seed: 's' });
    const l4 = c.variants[0]?.scopes[0]?.rungs.find((r) => r.rung === 'L4');
    expect(l4?.base).toEqual(exceedance(loaded.model, 300, 's', 0, 'L4'));
    expect(l4?.variant).toEqual(exceedance(variant, 300, 's', 0, 'L4'));
    expect(l4?.difference.estimate).toBeCloseTo((l4?.variant.p ?? 0) - (l4?.base.p ?? 0), 12);
    expect(l4?.difference.low).toBeGreaterThan(0);
    // Common random numbers: a likelier spark only ever adds clashes here, so no run loses one.
    expect(l4?.baseOnly).toBe(0);
    expect(c.variants[0]?.rules[0]?.id).toMatch(/spark|CLASH|talk|TALKS/);
  });

  test('variants with other rules: rules and pathways are matched by id; what the variant lacks counts as never firing', async () => {
    const noShock = buildModel(
      produce(loaded.scenario, (d) => {
        delete d.shocks;
      }),
    );
    const c = await compare({ model: loaded.model }, [{ model: noShock }], { runs: 300, seed: 'x' });
    const v = c.variants[0];
    const spark = v?.rules.find((r) => r.id === 'shock:spark');
    expect(spark).toMatchObject({ in: 'base', variant: 0, variantOnly: 0 });
    expect(spark?.difference.estimate).toBeCloseTo(-(spark?.base ?? 0), 12);
    expect(v?.scopes[0]?.rungs.find((r) => r.rung === 'L4')?.variant.count).toBe(0);
    expect(v?.vanished.every((p) => p.steps.some((s) => s.endsWith('CLASH')))).toBe(true);
    expect(v?.vanishedDistinct).toBeGreaterThan(0);
  });

  test('the comparison is identical on 1, 2 and 3 workers', async () => {
    const flagship = loadValid('scenarios/russia-dprk-2024.yaml');
    const variants = ['no-spark', 'consultation-opens'].map((v) => ({ ...loadValid(`scenarios/variants/${v}.yaml`), label: v }));
    const run = (workers: number) => compare(flagship, variants, { runs: 1500, seed: 'w', workers });
    const one = JSON.stringify(await run(1));
    expect(JSON.stringify(await run(2))).toBe(one);
    expect(JSON.stringify(await run(3))).toBe(one);
  });

  test('several variants share the base runs; shouldStop keeps the pairs done so far', async () => {
    let polls = 0;
    const c = await compare({ model: loaded.model }, [{ model: withSpark(0) }, { model: withSpark(0.1) }], {
      runs: 1000,
      seed: 'k',
      shouldStop: () => ++polls > 120,
    });
    expect(c.stopped).toBe(true);
    expect(c.meta.runs).toBe(120);
    const [low, high] = c.variants.map((v) => v.scopes[0]?.rungs.find((r) => r.rung === 'L4')?.difference.estimate ?? Number.NaN);
    expect(low).toBeLessThan(0);
    expect(high).toBeGreaterThan(0);
  });
});
