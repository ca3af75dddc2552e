import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { ReferenceKernel } from '../../src/engine/reference-kernel.ts';
import { deriveRunSeed } from '../../src/engine/rng.ts';
import { runOnce } from '../../src/engine/run.ts';
import { loadValid } from '../helpers.ts';
import { assertBatchEqualsItsRuns, assertSameReportGivenSameSeed, batchJson } from '../laws.ts';

const duel = loadValid('test/fixtures/valid/duel.yaml').model;
const coins = loadValid('test/fixtures/valid/coins.yaml').model;
const seed = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !/\s/.test(s));

describe('determinism', () => {
  test.prop([seed], { numRuns: 100 })('same scenario and seed ⇒ byte-identical JSON report', (s) => {
    assertSameReportGivenSameSeed(duel, s);
  });

  test.prop([seed, fc.integer({ min: 2, max: 40 })], { numRuns: 10 })('same scenario and seed ⇒ byte-identical batch report', (s, runs) => {
    expect(batchJson(duel, s, runs)).toBe(batchJson(duel, s, runs));
  });

  test.prop([seed, seed], { numRuns: 200 })('different seeds ⇒ different runs', (a, b) => {
    fc.pre(a !== b);
    const acts = (s: string) => runOnce(coins, new ReferenceKernel(coins), s).events.map((e) => e.type).join('');
    expect(acts(a)).not.toBe(acts(b));
  });

  test('run seeds are derived by a documented function, distinct over a large batch', () => {
    expect(deriveRunSeed('1', 0)).toMatchInlineSnapshot(`"8390337449291484"`);
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(deriveRunSeed('1', i));
    expect(seen.size).toBe(200_000);
  });
});

describe('batches', () => {
  test.prop([seed, fc.integer({ min: 1, max: 30 }), fc.nat()], { numRuns: 25 })(
    "a batch's aggregate equals the aggregate of its runs one at a time, and of any split",
    (s, runs, split) => {
      assertBatchEqualsItsRuns(duel, s, runs, split);
    },
  );
});
