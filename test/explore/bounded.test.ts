import { fc, test as prop } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { scenarioArb } from 'brink/testing';
import { explore, type ExploreResult, type ExploreTarget } from '../../src/explore/explore.ts';
import { buildModel } from '../../src/model/build-model.ts';
import { brink, loadValid } from '../helpers.ts';

const EPS = 1e-9;

function expectBracketsContain(bounded: ExploreResult, exact: ExploreResult): void {
  exact.rungs.forEach((x, i) => {
    const b = bounded.rungs[i];
    if (b === undefined) throw new Error('rung missing');
    x.byTurn.forEach((p, t) => {
      const [lo, hi] = b.bounds[t] as [number, number];
      expect(lo, `${x.scope} ${x.rung} turn ${t + 1}`).toBeLessThanOrEqual(p + EPS);
      expect(hi, `${x.scope} ${x.rung} turn ${t + 1}`).toBeGreaterThanOrEqual(p - EPS);
    });
    // A rung found by the bounded search is reachable, no earlier than the exact first turn.
    if (b.firstTurn !== null) expect(b.firstTurn).toBeGreaterThanOrEqual(x.firstTurn as number);
  });
  const et = exact.target;
  const bt = bounded.target;
  if (et !== null && bt !== null) {
    et.byTurn.forEach((p, t) => {
      const [lo, hi] = bt.bounds[t] as [number, number];
      expect(lo).toBeLessThanOrEqual(p + EPS);
      expect(hi).toBeGreaterThanOrEqual(p - EPS);
    });
    // Witness pathways stay exact: the probability a found pathway reports is its own.
    if (bt.likeliest !== null) expect(bt.likeliest.probability).toBeLessThanOrEqual((et.likeliest?.probability ?? 0) + EPS);
  }
}

describe('bounded explore: certified brackets', () => {
  prop.prop(
    [scenarioArb({ maxActors: 3, maxEvents: 4, maxTurns: 4 }), fc.constantFrom(0, 1e-3, 0.02, 0.1), fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined })],
    { numRuns: 40 },
  )('on scenarios small enough for exact explore, every bracket contains the exact value', (scenario, minMass, maxLayer) => {
    const model = buildModel(scenario);
    const target: ExploreTarget = { kind: 'rung', rung: model.rungs.length - 1, theatre: -1 };
    let exact: ExploreResult;
    try {
      exact = explore(model, { maxStates: 20_000, maxOutcomes: 200_000, target });
    } catch {
      return; // a cascade that does not end: not this property's business
    }
    if (!exact.complete) return;
    const bounded = explore(model, { maxStates: 20_000, target, ...(minMass > 0 ? { minMass } : {}), ...(maxLayer === undefined ? {} : { maxLayer }) });
    expectBracketsContain(bounded, exact);
    if (bounded.pruned === 0) {
      // Nothing pruned: the brackets are the exact values, and "unreachable" is a proof.
      bounded.rungs.forEach((b, i) => expect(b.firstTurn).toBe(exact.rungs[i]?.firstTurn));
      bounded.rungs.forEach((b) => b.bounds.forEach(([lo, hi]) => expect(hi - lo).toBeLessThan(1e-12)));
    } else expect(bounded.rungs.every((b) => b.probability === null)).toBe(true);
  });

  test('the duel: brackets narrow as the mass bound falls, and all contain the exact values', () => {
    const { model } = loadValid('test/fixtures/valid/duel.yaml');
    const target: ExploreTarget = { kind: 'rung', rung: model.rungs.findIndex((r) => r.id === 'L4'), theatre: -1 };
    const exact = explore(model, { target });
    let width = Number.POSITIVE_INFINITY;
    for (const minMass of [1e-2, 1e-3, 1e-5, 1e-8]) {
      const b = explore(model, { target, minMass });
      expectBracketsContain(b, exact);
      const [lo, hi] = b.target?.bounds.at(-1) as [number, number];
      expect(hi - lo).toBeLessThanOrEqual(width);
      width = hi - lo;
    }
    expect(width).toBeLessThan(1e-4);
  });

  test('--max-pruned stops and keeps the brackets found; the CLI prints them', async () => {
    const { model } = loadValid('test/fixtures/valid/duel.yaml');
    const r = explore(model, { minMass: 0.01, maxPruned: 0.005 });
    expect(r.exhausted?.budget).toBe('pruned');
    expect(r.exploredTurns).toBeGreaterThan(0);
    expect(r.pruned).toBeGreaterThan(0.005);
    const cli = await brink(['explore', 'test/fixtures/valid/duel.yaml', '--to', 'L4', '--min-mass', '0.01', '--max-pruned', '0.005']);
    expect(cli.code).toBe(0);
    expect(cli.stderr).toMatch(/explore: stopped after turn \d+: [\d.]+ of the mass pruned, more than --max-pruned 0.005/);
    expect(cli.stdout).toContain('Stopped after turn 1 of 12: the answers below are by turn 1.');
    expect(cli.stdout).toContain('Not found within 1 turn, but mass was pruned, so this is no proof: P by turn 1 is in [0, 0.01].');
    expect(cli.stdout).not.toContain('unreachable');
  }, 30_000);
});
