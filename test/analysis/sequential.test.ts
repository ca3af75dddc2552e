import { describe, expect, test } from 'vitest';
import { binomialCdf, clopperPearson, fixedSampleRuns, hitsForRelative, InverseBinomialEstimate, runsForHalfWidth, Sprt, TwoStageEstimate } from '../../src/analysis/sequential.ts';
import { betaQuantile, betaRegularized, gammaQuantile, gammaRegularized, logGamma, normalQuantile } from '../../src/analysis/special.ts';

describe('special functions, against known values', () => {
  test('log-gamma, incomplete beta and gamma, normal quantile', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(betaRegularized(0.3, 2, 5)).toBeCloseTo(0.579825, 12);
    expect(betaRegularized(0.5, 10, 10)).toBeCloseTo(0.5, 12);
    expect(gammaRegularized(3, 2)).toBeCloseTo(0.3233235838169366, 12);
    expect(gammaRegularized(1, 5)).toBeCloseTo(1 - Math.exp(-5), 12);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 10);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(betaRegularized(betaQuantile(0.025, 3, 400), 3, 400)).toBeCloseTo(0.025, 10);
    expect(gammaRegularized(20, gammaQuantile(0.9, 20))).toBeCloseTo(0.9, 10);
  });

  test('binomial CDF equals the sum of the probabilities', () => {
    const n = 30;
    const p = 0.17;
    let sum = 0;
    let c = 1;
    for (let k = 0; k <= n; k++) {
      sum += c * p ** k * (1 - p) ** (n - k);
      expect(binomialCdf(k, n, p)).toBeCloseTo(sum, 12);
      c = (c * (n - k)) / (k + 1);
    }
  });

  test('Clopper–Pearson: published values', () => {
    const ci = clopperPearson(5, 100, 0.95);
    expect(ci.low).toBeCloseTo(0.01643, 4);
    expect(ci.high).toBeCloseTo(0.11283, 4);
    expect(clopperPearson(0, 100, 0.95).high).toBeCloseTo(1 - 0.025 ** (1 / 100), 10);
  });
});

describe('the sequential procedures', () => {
  test('the SPRT stops when the likelihood ratio leaves Wald\'s bounds', () => {
    const s = new Sprt({ threshold: 0.5, below: true, delta: 0.1, alpha: 0.05, beta: 0.05 });
    // Each miss adds log(0.4/0.6); log(0.05/0.95) is crossed after ceil(2.944/0.405) = 8 misses.
    for (let i = 0; i < 7; i++) expect(s.add(false)).toBeUndefined();
    expect(s.add(false)).toBe('holds');
    const f = new Sprt({ threshold: 0.5, below: true, delta: 0.1, alpha: 0.05, beta: 0.05 });
    for (let i = 0; i < 7; i++) f.add(true);
    expect(f.add(true)).toBe('fails');
    expect(() => new Sprt({ threshold: 0.05, below: true, delta: 0.06, alpha: 0.05, beta: 0.05 })).toThrow(/inside \(0, 1\)/);
  });

  test('the fixed-sample size meets both error rates exactly, and one run fewer does not', () => {
    const settings = { threshold: 0.05, below: true, delta: 0.01, alpha: 0.01, beta: 0.01 };
    const n = fixedSampleRuns(settings);
    const meets = (m: number) => {
      for (let c = 0; c <= m; c++) if (binomialCdf(c, m, 0.06) <= 0.01 && 1 - binomialCdf(c, m, 0.04) <= 0.01) return true;
      return false;
    };
    expect(meets(n)).toBe(true);
    expect(meets(n - 1)).toBe(false);
    expect(n).toBe(2601); // the normal approximation says about 2,540
  });

  test('two-stage: the second stage is sized from the pilot; the interval has the asked half-width', () => {
    const t = new TwoStageEstimate(0.02, 0.95);
    expect(t.pilot).toBe(Math.ceil(runsForHalfWidth(0.5, 0.02, 0.95) / 10));
    let i = 0;
    while (t.add(i++ % 10 === 0) === undefined);
    const done = t.done;
    if (done === undefined) throw new Error('not done');
    expect(done.runs).toBe(t.second);
    expect((done.interval.high - done.interval.low) / 2).toBeLessThanOrEqual(0.02);
  });

  test('inverse binomial: k hits for ±10% at 95%, and the relative half-width holds for a small p', () => {
    expect(hitsForRelative(0.1, 0.95)).toBe(386);
    const est = new InverseBinomialEstimate(0.1, 0.95);
    let i = 0;
    while (est.add(i++ % 1000 === 999) === undefined);
    const done = est.done;
    if (done === undefined) throw new Error('not done');
    expect(done.hits).toBe(386);
    expect(done.estimate).toBeCloseTo(385 / (386_000 - 1), 12);
    expect((done.interval.high - done.interval.low) / 2).toBeLessThanOrEqual(0.1 * done.estimate);
  });
});
