import { resolve } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { playBranchUnits, type BranchPlan } from '../../src/batch/branch.ts';
import { playBranches } from '../../src/batch/play-branches.ts';
import { aggregateBatch } from '../../src/batch/batch.ts';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import { createRandom, deriveRunSeed } from '../../src/engine/rng.ts';
import { Runner, type TurnOverride } from '../../src/engine/run.ts';
import { ROOT, loadValid } from '../helpers.ts';

const flagship = loadValid(resolve(ROOT, 'scenarios/russia-dprk-2024.yaml'));
const model = flagship.model;
const rok = model.actors.findIndex((a) => a.id === 'ROK');

describe('counterfactual branches', () => {
  test('a branch at turn 1 with the policy choosing is an ordinary batch of the same seeds (issue 14)', async () => {
    const plan: BranchPlan = { gameSeed: '5', runSeed: 'debrief', runs: 400, objectiveActors: [rok], jobs: [{ turn: 1, prefix: [], arms: [null, { shocks: [[0, true]] }] }] };
    const [tally] = await playBranches(model, plan, { workers: 1 });
    const batch = aggregateBatch(model, new CompiledKernel(model), { runs: 400, seed: 'debrief' });
    expect(tally?.runs).toBe(400);
    expect(tally?.arms[0]?.peaks).toEqual(Array.from(batch.peaks));
    // The other arm (a spark forced in turn 1) is paired on the same streams, and differs.
    expect(tally?.arms[1]?.peaks).not.toEqual(tally?.arms[0]?.peaks);
  });

  test.prop([fc.integer({ min: 2, max: 20 }), fc.integer({ min: 0, max: 10_000 })], { numRuns: 8 })(
    'playing on from a saved turn equals a whole run with the same changes and the same branch randomness',
    (turn, n) => {
      const prefix: Array<TurnOverride | undefined> = [];
      for (let t = 1; t < turn; t++) prefix[t] = t % 2 === 0 ? { moves: [[rok, -1]] } : undefined;
      const arm: TurnOverride = { moves: [[rok, -1]], shocks: [[0, true]] };
      const seed = deriveRunSeed('x', n);
      const whole = new Runner(model, new CompiledKernel(model), { specialise: 0 }).run('g', { overrides: [...prefix, arm], branch: { turn, random: createRandom(seed) } });
      const p = new Runner(model, new CompiledKernel(model), { specialise: false });
      p.begin('g');
      for (let t = 1; t < turn; t++) p.step(prefix[t]);
      const snap = p.save();
      if (snap === undefined) throw new Error('no snapshot');
      const runner = new Runner(model, new CompiledKernel(model), { specialise: 0 });
      runner.playFrom(snap, createRandom('other'), undefined); // a replication before must leave no trace
      const from = runner.playFrom(snap, createRandom(seed), arm);
      expect(from.events.map((e) => [e.turn, e.type, e.from, e.cause, e.origin])).toEqual(whole.events.map((e) => [e.turn, e.type, e.from, e.cause, e.origin]));
      expect(Array.from(from.theatrePeaks)).toEqual(Array.from(whole.theatrePeaks));
      expect(Array.from(from.ruleCounts)).toEqual(Array.from(whole.ruleCounts));
    },
  );

  test('tallies do not depend on how the units are split', () => {
    const plan: BranchPlan = { gameSeed: '5', runSeed: 'd', runs: 60, objectiveActors: [rok], jobs: [{ turn: 3, prefix: [], arms: [null, { moves: [[rok, -1]] }] }, { turn: 7, prefix: [], arms: [null] }] };
    const play = playBranchUnits(model, plan);
    const whole = play(0, 120);
    const parts = [...playBranchUnits(model, plan)(0, 50), ...playBranchUnits(model, plan)(50, 70)];
    const sum = (job: number, list: typeof whole) =>
      list.filter((t) => t.job === job).reduce((acc, t) => acc.map((x, i) => x + (t.arms[0]?.peaks[i] as number)), new Array<number>(whole[0]?.arms[0]?.peaks.length ?? 0).fill(0));
    expect(sum(0, parts)).toEqual(sum(0, whole));
    expect(sum(1, parts)).toEqual(sum(1, whole));
  });
});
