import { describe, expect, test } from 'vitest';
import { estimateBySplitting } from '../../src/batch/splitting.ts';
import { explore } from '../../src/explore/explore.ts';
import { loadValid } from '../helpers.ts';

const RARE = loadValid('test/fixtures/valid/check-rare.yaml').model;
const L4 = RARE.rungs.findIndex((r) => r.id === 'L4');

describe('multilevel splitting', () => {
  test('the fixture\'s exact value, by explore and by hand: P(Bin(12, 0.0065) ≥ 4) ≈ 8.5e-7', () => {
    const exact = explore(RARE, { target: { kind: 'rung', rung: L4, theatre: -1 } }).target?.probability;
    let byHand = 0;
    let c = 1;
    for (let k = 0; k <= 12; k++) {
      if (k >= 4) byHand += c * 0.0065 ** k * (1 - 0.0065) ** (12 - k);
      c = (c * (12 - k)) / (k + 1);
    }
    expect(exact).toBeCloseTo(byHand, 18);
    expect(byHand).toBeGreaterThan(8e-7);
    expect(byHand).toBeLessThan(9e-7);
  });

  test('its 95% interval covers the exact value of a 8.5e-7 event, for three seeds, with a few thousand runs a replication', () => {
    const exact = explore(RARE, { target: { kind: 'rung', rung: L4, theatre: -1 } }).target?.probability as number;
    for (const seed of ['1', '2', '3']) {
      const r = estimateBySplitting(RARE, { theatre: -1, rung: L4, by: 12 }, { seed, effort: 1000, replications: 10 });
      expect(r.low, `seed ${seed}`).toBeLessThanOrEqual(exact);
      expect(r.high, `seed ${seed}`).toBeGreaterThanOrEqual(exact);
      expect(r.levels).toEqual([1, 2, 3, 4]);
      expect(r.runs).toBe(1000 + 10 * 4 * 1000); // the pilot that picked the levels, then 4 stages a replication
      expect(r.high - r.low).toBeLessThan(exact); // far narrower than what 40,000 plain runs could say (they would see no hit at all)
    }
  });

  test('the same seed gives the same estimate; replications 0–4 and 5–9 make replications 0–9', () => {
    const target = { theatre: -1, rung: L4, by: 12 };
    const all = estimateBySplitting(RARE, target, { seed: 's', effort: 300, replications: 10 });
    expect(estimateBySplitting(RARE, target, { seed: 's', effort: 300, replications: 10 })).toEqual(all);
    const first = estimateBySplitting(RARE, target, { seed: 's', effort: 300, replications: 5 });
    const second = estimateBySplitting(RARE, target, { seed: 's', effort: 300, replications: 5, from: 5 });
    expect([...first.replications, ...second.replications]).toEqual(all.replications);
  });

  test('a level never crossed gives 0 and stops early', () => {
    const r = estimateBySplitting(RARE, { theatre: -1, rung: L4, by: 3 }, { seed: '1', effort: 50, replications: 2 });
    expect(r.estimate).toBe(0);
    expect(r.replications.every((x) => x.stages.length < 4)).toBe(true);
  });
});
