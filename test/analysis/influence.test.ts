import { describe, expect, test } from 'vitest';
import { aggregateBatch } from '../../src/batch/batch.ts';
import { chooseInfluenceRung, deriveInfluence } from '../../src/analysis/influence.ts';
import { ReferenceKernel } from '../../src/engine/reference-kernel.ts';
import { deriveRunSeed } from '../../src/engine/rng.ts';
import { runOnce } from '../../src/engine/run.ts';
import { loadValid } from '../helpers.ts';

const { model } = loadValid('test/fixtures/valid/duel.yaml');

describe('chooseInfluenceRung: the highest rung reached by at least 5% of runs', () => {
  test.each([
    [[100, 100, 98, 40], 100, 3],
    [[100, 100, 98, 4], 100, 2],
    [[100, 3, 1], 100, 0],
    [[4, 2, 1], 100, 2],
    [[0, 0, 0], 100, -1],
    [[0, 0], 0, -1],
  ])('P(peak ≥ rung) counts %j of %i runs → rung %i', (atLeast, runs, expected) => {
    expect(chooseInfluenceRung(atLeast, runs)).toBe(expected);
  });
});

describe('deriveInfluence on duel.yaml, 400 runs', () => {
  const runs = 400;
  const agg = aggregateBatch(model, new ReferenceKernel(model), { runs, seed: '7' });
  const inf = deriveInfluence(model, agg);

  test('picks L4 (reached by 5–50% of runs) and ranks by risk ratio, highest first', () => {
    expect(inf).toMatchObject({ rung: 'L4', chosen: 'auto', minRuns: 20 });
    expect(inf.reached.p).toBeGreaterThan(0.05);
    expect(inf.reached.p).toBeLessThan(0.5);
    const ratios = inf.rules.map((r) => r.riskRatio.estimate);
    expect(ratios).toEqual([...ratios].sort((a, b) => b - a));
  });

  test('the counts agree with the runs counted one by one (every CLASH here comes from the spark shock)', () => {
    const top = model.rungs.findIndex((r) => r.id === 'L4');
    const rules = new Map(model.rules.map((r) => [r.id, r.index]));
    const tally = new Map<string, { fired: number; firedTop: number; notTop: number }>();
    for (let i = 0; i < runs; i++) {
      const rec = runOnce(model, new ReferenceKernel(model), deriveRunSeed('7', i));
      for (const [id, r] of rules) {
        const t = tally.get(id) ?? { fired: 0, firedTop: 0, notTop: 0 };
        const fired = (rec.ruleCounts[r] as number) > 0;
        if (fired) t.fired++;
        if (fired && rec.overallPeak >= top) t.firedTop++;
        if (!fired && rec.overallPeak >= top) t.notTop++;
        tally.set(id, t);
      }
    }
    expect(inf.rules.length).toBeGreaterThan(3);
    for (const r of inf.rules) {
      const t = tally.get(r.id);
      expect([r.id, r.fired.total, r.fired.count, r.notFired.count]).toEqual([r.id, t?.fired, t?.firedTop, t?.notTop]);
    }
    const spark = inf.rules.find((r) => r.id === 'shock:spark');
    expect(spark?.fired.p).toBe(1);
    expect(spark?.notFired.p).toBe(0);
    expect(spark?.riskRatio.low).toBeGreaterThan(1);
  });

  test('minimum support: every listed rule fired, and did not fire, in at least minRuns runs; the opening inject (every run) is left out', () => {
    for (const r of inf.rules) {
      expect(r.fired.total).toBeGreaterThanOrEqual(inf.minRuns);
      expect(r.notFired.total).toBeGreaterThanOrEqual(inf.minRuns);
    }
    expect(inf.rules.some((r) => r.id === 'inject:opening')).toBe(false);
    expect(inf.unsupported).toBeGreaterThan(0);
    expect(deriveInfluence(model, agg, { minRuns: 1000 }).rules).toEqual([]);
  });

  test('a rung can be given', () => {
    const given = deriveInfluence(model, agg, { rung: 'L3' });
    expect(given).toMatchObject({ rung: 'L3', rungName: 'Show of force', chosen: 'given' });
    expect(() => deriveInfluence(model, agg, { rung: 'L9' })).toThrow(/unknown rung "L9" \(known: L0, L1, L2, L3, L4\)/);
  });
});
