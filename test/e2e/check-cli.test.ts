import { describe, expect, test } from 'vitest';
import { brink } from '../helpers.ts';

const LADDER = 'test/fixtures/valid/check-ladder.yaml';

describe('brink check, as a user runs it', () => {
  test('exit 0 when the claim holds, 1 when it does not, 3 when undecided within --max-runs', async () => {
    const [holds, fails, undecided] = await Promise.all([
      brink(['check', LADDER, 'P(act UP3 by 12) < 0.2', '--method', 'sample']),
      brink(['check', LADDER, 'P(act UP3 by 12) > 0.2', '--method', 'sample']),
      brink(['check', LADDER, 'P(act UP3 by 12) < 0.11', '--method', 'sample', '--max-runs', '200', '--delta', '0.001']),
    ]);
    expect(holds.code).toBe(0);
    expect(holds.stdout).toContain('Answer: HOLDS — decided by Wald\'s SPRT after');
    expect(holds.stdout).toContain('If the true probability were ≥ 0.22, this test would say "holds" with probability at most 5%');
    expect(holds.stdout).toMatch(/run \d+: P\(act UP3 by 12\): it happened · replay: brink run test\/fixtures\/valid\/check-ladder.yaml --seed \d+/);
    expect(holds.stdout).toContain('Check seed 1');
    expect(fails.code).toBe(1);
    expect(fails.stdout).toContain('Answer: DOES NOT HOLD');
    expect(undecided.code).toBe(3);
    expect(undecided.stdout).toContain('Answer: UNDECIDED — no decision by Wald\'s SPRT after 200 runs');
  }, 60_000);

  test('an exact answer by explore when it fits, and says so', async () => {
    const r = await brink(['check', LADDER, 'P(act RARE3 by 6) = ?']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Answer: EXACT — exactly, by exhaustive explore');
    expect(r.stdout).toContain('P(act RARE3 by 6) = 1.59e-7 (exact)');
  });

  test('bad queries exit 2 with the column, and nothing runs', async () => {
    const cases: Array<[string, string]> = [
      ['P(peak >= L13 by 6) < 0.1', 'error: query column 11: unknown rung "L13"'],
      ['P(peak >= L4 by 13) < 0.1', "error: query column 17: turn 13 is past check-ladder's horizon: expected a turn from 1 to 12"],
      ['P(act UP3) <> 0.1', 'error: query column 13: expected a probability (such as 0.05 or 5%) or P(…) after the comparison; found ">"'],
    ];
    const results = await Promise.all(cases.map(([q]) => brink(['check', LADDER, q])));
    results.forEach((r, i) => {
      const [q, message] = cases[i] as [string, string];
      expect(r.code, q).toBe(2);
      expect(r.stdout, q).toBe('');
      expect(r.stderr, q).toContain(message);
      expect(r.stderr, q).toContain(`  ${q}\n`);
    });
    const usage = await brink(['check', LADDER, 'P(act UP3) < 0.05', '--delta', '0.06']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('must lie inside (0, 1)');
  }, 60_000);

  test('JSON output; the same seed gives the same answer on 1 and 2 workers', async () => {
    const args = ['check', LADDER, 'P(act UP3 by 12) = ? ±10%', '--method', 'sample', '--seed', 'abc', '--format', 'json'];
    const [one, two] = await Promise.all([brink(args), brink([...args, '--workers', '2'])]);
    expect(one.code).toBe(0);
    const a = JSON.parse(one.stdout);
    const b = JSON.parse(two.stdout);
    expect(a.result).toEqual(b.result);
    expect(a.result.answer).toMatchObject({ method: 'inverse-binomial', verdict: 'estimated', design: { hits: 386 } });
    expect(a.meta).toMatchObject({ seed: 'abc', canonical: 'P(act UP3 by 12) = ? ±10%' });
    expect(a.guarantee).toContain('inverse binomial sampling');
  }, 60_000);
});
