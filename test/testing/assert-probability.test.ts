import { describe, expect, test } from 'vitest';
import { assertProbability, checkProbability, createVariant, ProbabilityError } from 'brink/testing';
import { loadValid } from '../helpers.ts';

const LADDER = loadValid('test/fixtures/valid/check-ladder.yaml').scenario;
const FLAGSHIP = loadValid('scenarios/russia-dprk-2024.yaml').scenario;

describe('assertProbability', () => {
  test('passes when the claim holds; the same call gives the same answer (it never flakes)', () => {
    expect(() => assertProbability(LADDER, 'P(act UP3 by 12) < 0.2', { method: 'sample' })).not.toThrow();
    const a = checkProbability(LADDER, 'P(act UP3 by 12) < 0.2', { method: 'sample' });
    const b = checkProbability(LADDER, 'P(act UP3 by 12) < 0.2', { method: 'sample' });
    expect(a.result).toEqual(b.result);
    expect(a.holds).toBe(true);
  });

  test('a failing claim throws with the estimate, its interval, the runs used and replayable witnesses', () => {
    let thrown: unknown;
    try {
      assertProbability(LADDER, 'P(act UP3 by 12) < 0.05', { method: 'sample', file: 'test/fixtures/valid/check-ladder.yaml' });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ProbabilityError);
    const message = (thrown as Error).message;
    expect(message).toContain('Probability claim does not hold: P(act UP3 by 12) < 0.05');
    expect(message).toMatch(/Answer: DOES NOT HOLD — decided by Wald's SPRT after \d+ runs/);
    expect(message).toMatch(/P\(act UP3 by 12\): \d+ of \d+ runs \([\d.]+; 95% Clopper–Pearson \[[\d.]+, [\d.]+\]/);
    expect(message).toMatch(/replay: brink run test\/fixtures\/valid\/check-ladder.yaml --seed \d+/);
  });

  test('exactly by explore when it fits (no runs), and undecided fails the assertion', () => {
    const exact = checkProbability(LADDER, 'P(act RARE3 by 6) < 0.000001');
    expect(exact.holds).toBe(true);
    expect(exact.result.answer.method).toBe('exact');
    expect(() => assertProbability(LADDER, 'P(act UP3 by 12) < 0.11', { method: 'sample', maxRuns: 100, delta: 0.001 })).toThrow(/undecided within the runs allowed/);
    expect(() => assertProbability(LADDER, 'P(act UP3 by 12) = ?')).toThrow(/needs a claim/);
    expect(() => assertProbability(LADDER, 'P(act UP9) < 0.1')).toThrow(/column 7: unknown event type "UP9"/);
  });

  test('a variant compared with its base, on common random numbers', () => {
    const variant = createVariant(LADDER, [{ kind: 'setProbability', actor: 'B', state: 'b0', move: 'up', value: 0.3 }]);
    assertProbability(LADDER, 'P[faster](act UP3 by 12) > P[base](act UP3 by 12)', { scenarios: { faster: variant }, method: 'sample' });
    expect(() => assertProbability(LADDER, 'P[faster](act UP3 by 12) < P[base](act UP3 by 12)', { scenarios: { faster: variant }, method: 'sample' })).toThrow(ProbabilityError);
  });

  test('the flagship: under its own rules, P(peak NEA >= L9 by 24) stays below 5%', () => {
    assertProbability(FLAGSHIP, 'P(peak NEA >= L9 by 24) < 0.05', { alpha: 0.01, beta: 0.01 });
  });
});
