/** Issue 18, item 9: a long exploration reports progress inside a turn and can be stopped with what it proved. */
import { describe, expect, test } from 'vitest';
import { explore } from '../../src/explore/explore.ts';
import { loadValid } from '../helpers.ts';

describe('explore inside a long turn', () => {
  test('onProgress is called between the states of a turn, and shouldStop stops with the turn named', () => {
    const { model } = loadValid('scenarios/russia-dprk-2024.yaml');
    const seen: number[] = [];
    const r = explore(model, {
      maxStates: 10_000_000,
      maxOutcomes: Number.MAX_SAFE_INTEGER,
      onProgress: (_turn, _states, transitions) => seen.push(transitions),
      shouldStop: () => seen.length >= 4,
    });
    expect(seen).toHaveLength(4);
    expect(r.complete).toBe(false);
    expect(r.exhausted).toMatchObject({ budget: 'stopped' });
    expect(r.transitions).toBe(seen.at(-1));
  });
});
