import { produce } from 'immer';
import { describe, expect, test } from 'vitest';
import { tallyInvariants } from '../../src/analysis/invariants.ts';
import { playBatch, type RunLine } from '../../src/batch/play-batch.ts';
import { deriveMeta, summarizeBatch } from '../../src/analysis/summary.ts';
import { EngineError } from '../../src/engine/run.ts';
import { buildModel } from '../../src/model/build-model.ts';
import type { Model } from '../../src/model/types.ts';
import { renderJson } from '../../src/report/json.ts';
import { loadValid } from '../helpers.ts';

async function summary(model: Model, runs: number, workers: number, engine: 'compiled' | 'reference' = 'compiled'): Promise<string> {
  const played = await playBatch(model, { runs, seed: 'w', engine, workers });
  expect(played.runs).toBe(runs);
  return renderJson(summarizeBatch(model, played.aggregate, deriveMeta(model, { hash: 'h', files: [], seed: 'w', runs, engine: 'compiled' })));
}

describe('invariants checked in the batch’s own pass', () => {
  // The flagship with a state invariant (so the runs are traced) and a false one; the duel with act ones.
  const flagship = loadValid('scenarios/russia-dprk-2024.yaml').scenario;
  const withInvariants = buildModel(
    produce(flagship, (d) => {
      d.invariants = {
        regionalWarIsTreatyActivated: {
          always: {
            any: [
              { not: { state: { actor: 'DPRK', in: 'conflict.regionalWar' } } },
              { happened: { event: 'MUTUAL_DEFENCE_INVOKED' } },
              { happened: { event: 'MILITARY_INTERVENTION' } },
            ],
          },
        },
        noNuclearTest: { never: 'NUCLEAR_TEST' },
      };
    }),
  );
  test.each([
    ['the flagship with a state invariant', withInvariants, 2000],
    ['the duel with act invariants', loadValid('test/fixtures/valid/duel-invariants.yaml').model, 5000],
  ] as const)('%s: the tally on 1 and 2 workers is the replay’s (tallyInvariants)', async (_name, model, runs) => {
    const replay = tallyInvariants(model, { runs, seed: 'w' }).toData();
    expect(replay.invariants.some((c) => c.violations > 0)).toBe(true);
    for (const workers of [1, 2]) {
      const played = await playBatch(model, { runs, seed: 'w', workers, invariants: true });
      expect(played.invariants?.toData(), `${workers} workers`).toEqual(replay);
    }
    expect((await playBatch(model, { runs: 10, seed: 'w' })).invariants).toBeUndefined();
  });
});

describe('parallel batches', () => {
  test('the aggregate is identical on 1, 2 and 3 workers, and on either engine', async () => {
    const { model } = loadValid('scenarios/russia-dprk-2024.yaml');
    const one = await summary(model, 3000, 1);
    expect(await summary(model, 3000, 2)).toBe(one);
    expect(await summary(model, 3000, 3)).toBe(one);
    expect(await summary(model, 150, 2, 'reference')).toBe(await summary(model, 150, 1, 'compiled'));
  });

  test('per-run lines arrive in run order from any number of workers', async () => {
    const { model } = loadValid('test/fixtures/valid/duel.yaml');
    const lines = async (workers: number) => {
      const out: RunLine[] = [];
      await playBatch(model, { runs: 2500, seed: 'x', workers, onRun: (l) => void out.push(l) });
      return out;
    };
    const serial = await lines(1);
    expect(serial.map((l) => l.index)).toEqual([...Array(2500).keys()]);
    expect(await lines(3)).toEqual(serial);
  });

  test('an engine error in a worker stops the batch and names the seed that replays it', async () => {
    const { model } = loadValid('test/fixtures/valid/cascade-cycle.yaml');
    const error = await playBatch(model, { runs: 500, seed: 'c', workers: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).message).toContain('it cycles through B PONG → A PING → B PONG');
    expect((error as EngineError).seed).toMatch(/^\d+$/);
  });

  test('stopping keeps the runs done so far: always a prefix 0 … k-1', async () => {
    const { model } = loadValid('test/fixtures/valid/duel.yaml');
    let polls = 0;
    const played = await playBatch(model, { runs: 50_000, seed: 's', workers: 2, shouldStop: () => ++polls > 3 });
    expect(played.stopped).toBe(true);
    expect(played.runs).toBeGreaterThan(0);
    expect(played.runs).toBeLessThan(50_000);
    const prefix = await playBatch(model, { runs: played.runs, seed: 's', workers: 1 });
    const render = (a: typeof played.aggregate) => renderJson(summarizeBatch(model, a, deriveMeta(model, { hash: 'h', files: [], seed: 's', runs: played.runs, engine: 'compiled' })));
    expect(render(played.aggregate)).toBe(render(prefix.aggregate));
  });
});
