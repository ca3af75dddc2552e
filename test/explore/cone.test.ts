import { fc, test as prop } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { scenarioArb } from 'brink/testing';
import { explore, type ExploreResult, type ExploreTarget } from '../../src/explore/explore.ts';
import { buildModel } from '../../src/model/build-model.ts';
import type { Model } from '../../src/model/types.ts';
import { loadValid } from '../helpers.ts';

/** Numbers to 10 significant digits: merging more states sums the same masses in another order. */
function rounded(x: unknown): unknown {
  if (typeof x === 'number') return Number.isInteger(x) ? x : Number(x.toPrecision(10));
  if (Array.isArray(x)) return x.map(rounded);
  if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, rounded(v)]));
  return x;
}

/** Everything explore answers, without the state counts and key size (which the reduction changes). */
function answers(r: ExploreResult) {
  const { states, statesByTurn, keyBytes, transitions, lostProbability, ...rest } = r;
  return rounded({ ...rest, lost: Math.abs(lostProbability) < 1e-9 });
}

function targets(model: Model): ExploreTarget[] {
  const out: ExploreTarget[] = [{ kind: 'rung', rung: model.rungs.length - 1, theatre: -1 }];
  if (model.events.length > 0) out.push({ kind: 'act', event: model.events.length - 1 });
  for (const invariant of model.invariants) out.push({ kind: 'invariant', invariant });
  return out;
}

describe('the reduced state key (cone of influence)', () => {
  prop.prop([scenarioArb({ maxActors: 3, maxEvents: 4, maxTurns: 3 })], { numRuns: 40 })(
    'gives the same probabilities, reachability and witness pathways as the full key, on random scenarios',
    (scenario) => {
      const model = buildModel(scenario);
      for (const target of [undefined, ...targets(model)]) {
        const options = { maxStates: 20_000, maxOutcomes: 200_000, ...(target === undefined ? {} : { target }) };
        let full: ExploreResult;
        try {
          full = explore(model, { ...options, fullKey: true });
        } catch (e) {
          // A cascade that does not end is the scenario's fault; the reduced key must find it too.
          expect(() => explore(model, options)).toThrow((e as Error).message);
          continue;
        }
        const reduced = explore(model, options);
        if (!full.complete) continue;
        expect(reduced.complete).toBe(true);
        expect(reduced.states).toBeLessThanOrEqual(full.states);
        expect(answers(reduced)).toEqual(answers(full));
      }
    },
  );

  test('the flagship: the dyad cells and variables no condition reads are merged away at turn 1, with the same answers', () => {
    const { model } = loadValid('scenarios/russia-dprk-2024.yaml');
    const reduced = explore(model, { turns: 1 });
    const full = explore(model, { turns: 1, fullKey: true });
    expect(full.statesByTurn[1]).toBe(111_600);
    expect(reduced.statesByTurn[1]).toBe(20_304);
    expect(reduced.keyBytes).toBeLessThan(full.keyBytes);
    expect(answers(reduced)).toEqual(answers(full));
  }, 60_000);
});
