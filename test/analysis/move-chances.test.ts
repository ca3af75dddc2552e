/** Issue 16: a run's narrative says how likely each move the actors chose was, that turn. */
import { describe, expect, test } from 'vitest';
import { replayWithMoveChances } from '../../src/analysis/move-chances.ts';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import { deriveRunSeed } from '../../src/engine/rng.ts';
import { runOnce } from '../../src/engine/run.ts';
import { loadValid } from '../helpers.ts';

const { model } = loadValid('scenarios/russia-dprk-2024.yaml');

describe('move chances in narratives', () => {
  test('the replay is the run itself, and every move it made has a chance in (0, 1] and its declared base', () => {
    let moves = 0;
    let moved = 0;
    for (let i = 0; i < 25; i++) {
      const seed = deriveRunSeed('5', i);
      const { record, chances } = replayWithMoveChances(model, new CompiledKernel(model), seed);
      const plain = runOnce(model, new CompiledKernel(model), seed, { trace: true });
      expect(record.events).toEqual(plain.events);
      for (const e of record.events) {
        if (e.origin !== 'move') continue;
        moves++;
        const c = chances.get(e.id);
        expect(c, `act #${e.id} of seed ${seed}`).toBeDefined();
        expect(c?.probability).toBeGreaterThan(0);
        expect(c?.probability).toBeLessThanOrEqual(1);
        const declared = model.actors[e.from]?.moves.find((m) => m.rule === e.rule);
        expect(c?.base).toBe(declared?.probability);
        if (c !== undefined && c.probability !== c.base) moved++;
      }
      expect(chances.size).toBe(record.events.filter((e) => e.origin === 'move').length);
    }
    expect(moves).toBeGreaterThan(50);
    expect(moved).toBeGreaterThan(0); // modifiers do change chances in the flagship
  });
});
