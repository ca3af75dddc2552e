import { describe, expect, test } from 'vitest';
import { checkExactly } from '../../src/batch/check.ts';
import { parseQuery } from '../../src/analysis/query.ts';
import { resolveQuery } from '../../src/analysis/resolve-query.ts';
import { checks, EXACT, LADDER } from './check-statistics.ts';

/** The share of the estimates whose interval contains the exact value. */
function coverage(text: string, exact: number, count: number): number {
  let covered = 0;
  for (const r of checks(text, count)) {
    const a = r.answer;
    if (a.method === 'exact' || a.method === 'splitting' || a.estimate === null) throw new Error(`expected a sampled estimate for ${text}`);
    if (a.estimate.interval.low <= exact && exact <= a.estimate.interval.high) covered++;
  }
  return covered / count;
}

describe('estimates against exact answers: intervals cover at the advertised rate', () => {
  test('the exact values are what explore says', () => {
    for (const [event, value] of Object.entries(EXACT)) {
      const parsed = parseQuery(`P(${event}) = ?`);
      if (!parsed.ok) throw new Error(parsed.problem.message);
      const resolved = resolveQuery(parsed.query, LADDER);
      if (!resolved.ok) throw new Error(resolved.problem.message);
      const exact = checkExactly(LADDER, parsed.query, resolved.probs, 100_000);
      if (typeof exact === 'string') throw new Error(exact);
      expect(exact.probabilities[0], event).toBeCloseTo(value, 14);
    }
  });

  // 200 estimates at 95%: a count of covering intervals outside 180–198 would be a 1-in-1000 event
  // for a procedure that covers at exactly 95% (and the designs cover at least 95%).
  test('two-stage, ±0.05 absolute, p = 0.3: 200 intervals cover between 90% and 99% of the time', () => {
    const c = coverage('P(act PING by 1) = ? ±0.05', EXACT['act PING by 1'], 200);
    expect(c).toBeGreaterThanOrEqual(0.9);
    expect(c).toBeLessThanOrEqual(0.99);
  });

  test('inverse binomial, ±20% relative, p = 0.111: 200 intervals cover between 90% and 99% of the time', () => {
    const c = coverage('P(act UP3 by 12) = ? ±20%', EXACT['act UP3 by 12'], 200);
    expect(c).toBeGreaterThanOrEqual(0.9);
    expect(c).toBeLessThanOrEqual(0.99);
  });

  test('an absolute estimate of a 1.6e-7 event covers it, and its interval is as narrow as asked', () => {
    for (const r of checks('P(act RARE3 by 6) = ? ±0.002', 5)) {
      const a = r.answer;
      if (a.method === 'exact' || a.method === 'splitting' || a.estimate === null) throw new Error('expected a sampled estimate');
      expect(a.estimate.interval.low).toBeLessThanOrEqual(EXACT['act RARE3 by 6']);
      expect(a.estimate.interval.high).toBeGreaterThanOrEqual(EXACT['act RARE3 by 6']);
      expect((a.estimate.interval.high - a.estimate.interval.low) / 2).toBeLessThanOrEqual(0.002);
    }
  });
});
