import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { counterDraw, drawKeyOf, drawStreamOf } from '../../src/engine/rng.ts';

/** Pearson's chi-square statistic of counts against a uniform expectation. */
function chiSquare(counts: number[]): number {
  const n = counts.reduce((s, c) => s + c, 0);
  const e = n / counts.length;
  return counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
}

describe('counter-based draws', () => {
  test('depend only on their arguments, and lie in [0, 1)', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(1000), fc.string(), fc.nat(50), (seed, turn, name, occ) => {
        const a = counterDraw(drawStreamOf(seed), turn, drawKeyOf(name), occ);
        const b = counterDraw(drawStreamOf(seed), turn, drawKeyOf(name), occ);
        expect(a).toBe(b);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThan(1);
      }),
    );
  });

  test('are uniform along each argument (chi-square, 100 buckets, p > 0.001)', () => {
    // 99 degrees of freedom: the 0.999 quantile of chi-square is 148.2.
    const buckets = () => new Array<number>(100).fill(0);
    const bySeed = buckets();
    const byTurn = buckets();
    const byKey = buckets();
    const byOcc = buckets();
    const stream = drawStreamOf('1');
    const key = drawKeyOf('USA/quarantine');
    for (let i = 0; i < 20_000; i++) {
      bySeed[Math.floor(counterDraw(drawStreamOf(String(i)), 3, key, 0) * 100)]! += 1;
      byTurn[Math.floor(counterDraw(stream, i, key, 0) * 100)]! += 1;
      byKey[Math.floor(counterDraw(stream, 3, i, 0) * 100)]! += 1;
      byOcc[Math.floor(counterDraw(stream, 3, key, i) * 100)]! += 1;
    }
    for (const [name, counts] of Object.entries({ bySeed, byTurn, byKey, byOcc })) expect(chiSquare(counts), name).toBeLessThan(148.2);
  });

  test('neighbouring keys are uncorrelated (a pair of draws falls in each quadrant a quarter of the time)', () => {
    const stream = drawStreamOf('42');
    const quadrants = [0, 0, 0, 0];
    for (let i = 0; i < 20_000; i++) {
      const x = counterDraw(stream, 1, i, 0) < 0.5 ? 0 : 1;
      const y = counterDraw(stream, 1, i + 1, 0) < 0.5 ? 0 : 2;
      quadrants[x + y]! += 1;
    }
    // 3 degrees of freedom: the 0.999 quantile is 16.27.
    expect(chiSquare(quadrants)).toBeLessThan(16.27);
  });
});
