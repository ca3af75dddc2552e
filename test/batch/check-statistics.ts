import { parseQuery } from '../../src/analysis/query.ts';
import { resolveQuery } from '../../src/analysis/resolve-query.ts';
import { type CheckOptions, type CheckResult, checkSync } from '../../src/batch/check.ts';
import { loadValid } from '../helpers.ts';

/** The statistical tests' fixture: events whose exact probabilities explore gives, from 0.3 to about 1.6e-7. */
export const LADDER = [{ name: 'base', model: loadValid('test/fixtures/valid/check-ladder.yaml').model }];

/** Exact values, worked out by hand (binomial tails) and checked against explore in the tests. */
export const EXACT = {
  'act PING by 1': 0.3,
  'act UP3 by 12': 0.11086997774500007, // P(Bin(12, 0.1) ≥ 3)
  'act UP3 by 6': 0.015850000000000003, // P(Bin(6, 0.1) ≥ 3)
  'act RARE3 by 6': 1.5928115136000001e-7, // P(Bin(6, 0.002) ≥ 3)
} as const;

/** Plays one check per seed `stat0`, `stat1`, … (always by sampling) and returns the results. */
export function checks(text: string, count: number, options: Omit<CheckOptions, 'seed'> = {}): CheckResult[] {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  const resolved = resolveQuery(parsed.query, LADDER);
  if (!resolved.ok) throw new Error(resolved.problem.message);
  return Array.from({ length: count }, (_, i) => checkSync(LADDER, parsed.query, resolved.probs, { method: 'sample', ...options, seed: `stat${i}` }));
}
