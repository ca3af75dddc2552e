/**
 * Exploration branches on chance reactions (issue 12, item 3): each one met while a turn plays fires
 * with its probability or does not, and the exact probabilities agree with the engine's sampling.
 */
import { describe, expect, test } from 'vitest';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import { Runner } from '../../src/engine/run.ts';
import { explore } from '../../src/explore/explore.ts';
import { loadValid } from '../helpers.ts';

const { model } = loadValid('test/fixtures/valid/chance.yaml');
const type = (id: string) => model.events.findIndex((e) => e.id === id);

describe('explore on chance reactions (test/fixtures/valid/chance.yaml)', () => {
  test('turn 1 by hand: ASTRAY with 30%, then ALERT with half of that', () => {
    const astray = explore(model, { turns: 1, target: { kind: 'act', event: type('ASTRAY') } }).target;
    expect(astray?.probability).toBeCloseTo(0.3, 12);
    const alert = explore(model, { turns: 1, target: { kind: 'act', event: type('ALERT') } }).target;
    expect(alert?.probability).toBeCloseTo(0.15, 12);
    // The most probable pathway to ALERT names the two chance reactions it took.
    const turn = alert?.likeliest?.narrative[0];
    expect(turn?.choices.filter((c) => c.kind === 'reaction').map((c) => [c.id, c.probability])).toEqual([
      ['transition:L:testing:TEST:0', 0.3],
      ['transition:O:calm:ASTRAY:0', 0.5],
    ]);
    expect(turn?.probability).toBeCloseTo(0.15, 12);
  });

  test('the exact probability of each target over 4 turns agrees with 20,000 sampled runs (99.99% binomial interval)', () => {
    const runner = new Runner(model, new CompiledKernel(model), { specialise: 0 });
    const n = 20_000;
    const targets = ['ASTRAY', 'ALERT', 'NOTED'].map(type);
    const hits = targets.map(() => 0);
    for (let i = 0; i < n; i++) {
      const r = runner.run(String(i), { transient: true });
      targets.forEach((t, k) => {
        if (r.events.some((e) => e.type === t)) hits[k] = (hits[k] as number) + 1;
      });
    }
    targets.forEach((t, k) => {
      const exact = explore(model, { target: { kind: 'act', event: t } }).target?.probability as number;
      expect(exact).toBeGreaterThan(0);
      const half = 3.89 * Math.sqrt((exact * (1 - exact)) / n) + 1e-9;
      expect(Math.abs((hits[k] as number) / n - exact), `${model.events[t]?.id}: exact ${exact}, sampled ${(hits[k] as number) / n}`).toBeLessThan(half);
    });
  });
});
