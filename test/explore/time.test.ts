/** Exploration with time (issue 12, item 5): forTurns and acts in transit are part of the state key. */
import { describe, expect, test } from 'vitest';
import { wilson } from '../../src/analysis/stats.ts';
import { playBatch } from '../../src/batch/play-batch.ts';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import { createRandom, deriveRunSeed, type Random } from '../../src/engine/rng.ts';
import { Runner } from '../../src/engine/run.ts';
import { explore } from '../../src/explore/explore.ts';
import { ExploreStepper } from '../../src/explore/step.ts';
import type { EventInstance, Model } from '../../src/model/types.ts';
import { loadValid } from '../helpers.ts';

const FILES = ['test/fixtures/valid/time-for-turns.yaml', 'test/fixtures/valid/time-delay.yaml', 'test/fixtures/valid/time-after.yaml', 'test/fixtures/valid/time-chance.yaml'];

/** A run through the explorer's step, each outcome chosen by the engine's next draw. */
function playWithDraws(model: Model, random: Random): EventInstance[] {
  const stepper = new ExploreStepper(model);
  let key = stepper.initialKey();
  const acts: EventInstance[] = [];
  for (let turn = 1; turn <= model.turns; turn++) {
    const choosers = stepper.prepare(stepper.decode(key), turn);
    const picks = choosers.map((c) => {
      const u = random();
      return c.options.findIndex((o) => o.lo <= u && u < o.hi);
    });
    acts.push(...stepper.play(choosers, picks, acts.length));
    key = stepper.encode();
  }
  return acts;
}

// Causes across turns are not in the key (they are run history no condition reads): compared without them.
const told = (e: EventInstance) => `${e.id} ${e.turn} ${e.from} ${e.type} sent ${e.sent}`;

describe('explore with time', () => {
  test.each(FILES)("fed the engine's draws, the explorer's step plays the engine's acts, restoring every turn from its key: %s", (file) => {
    const { model } = loadValid(file);
    const runner = new Runner(model, new CompiledKernel(model), { specialise: 0 });
    let acts = 0;
    for (let i = 0; i < 60; i++) {
      const seed = deriveRunSeed('time-explore', i);
      const record = runner.run(seed);
      expect(playWithDraws(model, createRandom(seed)).map(told), seed).toEqual(record.events.map(told));
      acts += record.events.length;
    }
    expect(acts).toBeGreaterThan(0);
  });

  test('the exact P(peak ≥ rung) lies within the 99.9% Wilson interval of a 20,000-run batch (delays and forTurns)', async () => {
    const { model } = loadValid('test/fixtures/valid/time-chance.yaml');
    const exact = explore(model);
    expect(exact.complete).toBe(true);
    const runs = 20_000;
    const { aggregate } = await playBatch(model, { runs, seed: 'time-mc' });
    const width = model.rungs.length + 1;
    for (const x of exact.rungs) {
      const r = model.rungs.findIndex((y) => y.id === x.rung);
      let count = 0;
      for (let k = r; k < model.rungs.length; k++) count += aggregate.peaks[k + 1] as number;
      const w = wilson(count, runs, 3.2905267314919255);
      expect(x.probability, `≥ ${x.rung}: ${count}/${runs}`).toBeGreaterThanOrEqual(w.low - 1e-12);
      expect(x.probability, `≥ ${x.rung}: ${count}/${runs}`).toBeLessThanOrEqual(w.high + 1e-12);
    }
    // Something is left to chance: the strike rung is neither certain nor impossible.
    const strike = exact.rungs.find((x) => x.scope === 'overall' && x.rung === 'L3')?.probability ?? 0;
    expect(strike).toBeGreaterThan(0.1);
    expect(strike).toBeLessThan(0.9);
  });

  test('an act in transit keeps two worlds apart: dropping the tail of the key would merge them', () => {
    const { model } = loadValid('test/fixtures/valid/time-chance.yaml');
    const r = explore(model, { turns: 2 });
    // After turn 1 (A strikes or not, B notes or not): four worlds, distinct only by what is in transit.
    expect(r.statesByTurn[1]).toBe(4);
  });
});
