import { describe, expect, test } from 'vitest';
import { parseQuery, type Query } from '../../src/analysis/query.ts';
import { type QuerySubject, resolveQuery } from '../../src/analysis/resolve-query.ts';
import { check, checkSync, type CheckOptions } from '../../src/batch/check.ts';
import { loadValid, modelOf } from '../helpers.ts';
import { readFileSync } from 'node:fs';

const LADDER = loadValid('test/fixtures/valid/check-ladder.yaml').model;
const FASTER = modelOf(readFileSync('test/fixtures/valid/check-ladder.yaml', 'utf8').replace('id: check-ladder,', 'id: faster,').replaceAll('probability: 0.1 }', 'probability: 0.12 }'));

function prepared(text: string, subjects: readonly QuerySubject[]): { query: Query; probs: ReturnType<typeof resolve> } {
  const p = parseQuery(text);
  if (!p.ok) throw new Error(p.problem.message);
  return { query: p.query, probs: resolve(p.query, subjects) };
}
function resolve(q: Query, subjects: readonly QuerySubject[]) {
  const r = resolveQuery(q, subjects);
  if (!r.ok) throw new Error(r.problem.message);
  return r.probs;
}

const base = [{ name: 'base', model: LADDER }];
const pair = [...base, { name: 'faster', model: FASTER }];

describe('brink check, as a library', () => {
  test('the same seed gives the same answer on 1 or 2 workers and with any block size', async () => {
    for (const [text, subjects] of [
      ['P(act UP3 by 12) < 0.12', base],
      ['P(act UP3 by 12) = ? ±0.02', base],
      ['P[faster](act UP3 by 12) > P[base](act UP3 by 12)', pair],
    ] as const) {
      const { query, probs } = prepared(text, subjects);
      const options: CheckOptions = { seed: 'w', method: 'sample' };
      const one = await check(subjects, query, probs, { ...options, block: 37 });
      const two = await check(subjects, query, probs, { ...options, workers: 2, block: 400 });
      const sync = checkSync(subjects, query, probs, { ...options, block: 1000 });
      expect(two.answer).toEqual(one.answer);
      expect(sync.answer).toEqual(one.answer);
      expect(one.answer.verdict).not.toBe('undecided');
    }
  }, 60_000);

  test('auto answers exactly when explore fits, and the exact answer agrees with the sample', async () => {
    const { query, probs } = prepared('P(act UP3 by 12) = ? ±0.01', base);
    const exact = await check(base, query, probs, { seed: '1' });
    expect(exact.answer.method).toBe('exact');
    const p = exact.answer.method === 'exact' ? (exact.answer.probabilities[0] as number) : Number.NaN;
    // P(Bin(12, 0.1) ≥ 3), worked out by hand.
    expect(p).toBeCloseTo(0.11086997774500007, 12);
    const sampled = await check(base, query, probs, { seed: '1', method: 'sample' });
    expect(sampled.answer.method).toBe('two-stage');
    const e = sampled.answer.method === 'two-stage' ? sampled.answer.estimate : null;
    expect(e?.interval.low).toBeLessThanOrEqual(p);
    expect(e?.interval.high).toBeGreaterThanOrEqual(p);
    expect(sampled.exactSkipped).toBeNull();
  });

  test('a budget too small for explore samples instead and says why', async () => {
    const { query, probs } = prepared('P(act UP3 by 12) < 0.3', base);
    const r = await check(base, query, probs, { seed: '1', exploreMaxOutcomes: 100 });
    expect(r.answer.method).toBe('sprt');
    expect(r.answer.verdict).toBe('holds');
    expect(r.exactSkipped).toMatch(/more than 100 joint outcomes/);
  });

  test('undecided within max runs; witnesses replay the event', async () => {
    const { query, probs } = prepared('P(act UP3 by 12) < 0.11', base);
    const r = await check(base, query, probs, { seed: '1', method: 'sample', maxRuns: 300, delta: 0.001 });
    expect(r.answer.verdict).toBe('undecided');
    const answer = r.answer;
    if (answer.method === 'exact' || answer.method === 'splitting') throw new Error('sampled');
    expect(answer.runs).toBe(300);
    expect(answer.witnesses.length).toBe(3);
    const { Runner } = await import('../../src/engine/run.ts');
    const { CompiledKernel } = await import('../../src/engine/compiled-kernel.ts');
    const runner = new Runner(LADDER, new CompiledKernel(LADDER));
    const up3 = LADDER.events.findIndex((e) => e.id === 'UP3');
    for (const w of answer.witnesses) expect(runner.run(w.seed).events.some((e) => e.type === up3)).toBe(true);
  });

  test('a paired check says which way, on common random numbers', async () => {
    const { query, probs } = prepared('P[faster](act UP3 by 12) < P[base](act UP3 by 12)', pair);
    const r = await check(pair, query, probs, { seed: '3', method: 'sample' });
    expect(r.answer.verdict).toBe('fails');
    const swapped = prepared('P[faster](act UP3 by 12) > P[base](act UP3 by 12)', pair);
    expect((await check(pair, swapped.query, swapped.probs, { seed: '3', method: 'sample' })).answer.verdict).toBe('holds');
    // Exactly, by explore: 0.1109 against P(Bin(12, 0.12) ≥ 3).
    const exact = await check(pair, swapped.query, swapped.probs, { seed: '3' });
    expect(exact.answer.method).toBe('exact');
    expect(exact.answer.verdict).toBe('holds');
  });
});

describe('outcomes in queries', () => {
  const outcomes = [{ name: 'base', model: loadValid('test/fixtures/valid/duel-outcomes.yaml').model }];
  test('an outcome by a turn, and one judged at the end of the run: exact by explore, and the sample agrees', async () => {
    for (const text of ['P(outcome earlyClash by 6) = ? ±0.02', 'P(outcome settled) = ? ±0.02', 'P(outcome tense) = ? ±0.02']) {
      const { query, probs } = prepared(text, outcomes);
      const exact = await check(outcomes, query, probs, { seed: '1' });
      if (exact.answer.method !== 'exact') throw new Error(`expected an exact answer for ${text}`);
      const p = exact.answer.probabilities[0] as number;
      const sampled = await check(outcomes, query, probs, { seed: '1', method: 'sample' });
      const e = sampled.answer.method === 'two-stage' ? sampled.answer.estimate : null;
      expect(e?.interval.low, text).toBeLessThanOrEqual(p);
      expect(e?.interval.high, text).toBeGreaterThanOrEqual(p);
    }
  }, 60_000);

  test('an outcome without "by" is judged at the end of the run: another turn is an error at its column', () => {
    const parsed = parseQuery('P(outcome settled by 6) = ?');
    if (!parsed.ok) throw new Error('parse');
    const r = resolveQuery(parsed.query, outcomes);
    expect(r.ok ? null : r.problem).toEqual({ column: 22, message: 'outcome settled is judged at the end of the run (it has no "by"): drop "by 6" or ask by turn 12' });
  });
});
