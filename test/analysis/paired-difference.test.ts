import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { pairedDifference } from '../../src/analysis/paired-difference.ts';

describe('pairedDifference: Wald interval for paired proportions', () => {
  test('no discordant pair: exactly 0 with [0, 0], whatever the concordant cells', () => {
    for (const [both, neither] of [[0, 0], [500, 0], [0, 500], [123, 377]] as const) {
      expect(pairedDifference({ both, baseOnly: 0, variantOnly: 0, neither })).toEqual({ estimate: 0, low: 0, high: 0 });
    }
  });

  test('a worked example: n = 100, 5 only-base, 15 only-variant', () => {
    // d = 10/100; se = sqrt(5 + 15 - 100/100) / 100 = sqrt(19)/100
    const d = pairedDifference({ both: 30, baseOnly: 5, variantOnly: 15, neither: 50 });
    expect(d.estimate).toBeCloseTo(0.1, 12);
    expect(d.high - d.estimate).toBeCloseTo((1.959963984540054 * Math.sqrt(19)) / 100, 12);
    expect(d.estimate - d.low).toBeCloseTo(d.high - d.estimate, 12);
  });

  test.prop([fc.nat(200), fc.nat(200), fc.nat(200), fc.nat(200)])('swapping base and variant negates it; bounds stay in [-1, 1] around the estimate', (a, b, c, d) => {
    const x = pairedDifference({ both: a, baseOnly: b, variantOnly: c, neither: d });
    const y = pairedDifference({ both: a, baseOnly: c, variantOnly: b, neither: d });
    expect(y.estimate).toBeCloseTo(-x.estimate, 12);
    expect(x.low).toBeLessThanOrEqual(x.estimate);
    expect(x.high).toBeGreaterThanOrEqual(x.estimate);
    expect(x.low).toBeGreaterThanOrEqual(-1);
    expect(x.high).toBeLessThanOrEqual(1);
  });
});
