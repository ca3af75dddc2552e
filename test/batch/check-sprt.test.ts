import { describe, expect, test } from 'vitest';
import { checks, EXACT } from './check-statistics.ts';

/** The share of checks that said `verdict`. */
function rate(text: string, count: number, verdict: 'holds' | 'fails', options: { alpha: number; beta: number; delta: number }): number {
  const results = checks(text, count, options);
  for (const r of results) expect(r.answer.verdict).not.toBe('undecided');
  return results.filter((r) => r.answer.verdict === verdict).length / count;
}

/** α plus three binomial standard deviations of an observed rate over `count` checks. */
function slack(alpha: number, count: number): number {
  return alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / count);
}

describe("Wald's SPRT against exact answers: observed error rates within α and β at both edges of the indifference region", () => {
  const settings = { alpha: 0.1, beta: 0.1, delta: 0.05 };

  test('p = 0.3 at the upper edge of `< 0.25 ± 0.05`: says "holds" at most α of the time', () => {
    const wrong = rate('P(act PING by 1) < 0.25', 200, 'holds', settings);
    expect(wrong).toBeLessThanOrEqual(slack(0.1, 200));
    expect(wrong).toBeGreaterThan(0); // at the very edge, errors do happen: the test is not vacuous
  });

  test('p = 0.3 at the lower edge of `< 0.35 ± 0.05`: says "does not hold" at most β of the time', () => {
    const wrong = rate('P(act PING by 1) < 0.35', 200, 'fails', settings);
    expect(wrong).toBeLessThanOrEqual(slack(0.1, 200));
    expect(wrong).toBeGreaterThan(0);
  });

  test('p = 0.111 for `>` claims, at both edges', () => {
    const p = EXACT['act UP3 by 12'];
    const d = { alpha: 0.1, beta: 0.1, delta: 0.03 };
    expect(rate(`P(act UP3 by 12) > ${p + 0.03}`, 100, 'holds', d)).toBeLessThanOrEqual(slack(0.1, 100));
    expect(rate(`P(act UP3 by 12) > ${p - 0.03}`, 100, 'fails', d)).toBeLessThanOrEqual(slack(0.1, 100));
  });

  test('rare events: p = 0.0159 below 0.03 ± 0.01 and p = 1.6e-7 below 0.001, with fewer runs than a fixed-size test', () => {
    const mid = checks('P(act UP3 by 6) < 0.03', 50, { alpha: 0.05, beta: 0.05, delta: 0.01 });
    expect(mid.filter((r) => r.answer.verdict === 'fails').length / 50).toBeLessThanOrEqual(slack(0.05, 50));
    const rare = checks('P(act RARE3 by 6) < 0.001', 20, { alpha: 0.01, beta: 0.01, delta: 0.0005 });
    expect(rare.every((r) => r.answer.verdict === 'holds')).toBe(true);
    for (const r of rare) if (r.answer.method === 'sprt') expect(r.answer.runs).toBeLessThan(r.answer.sprt?.fixedSampleRuns ?? 0);
  });
});
