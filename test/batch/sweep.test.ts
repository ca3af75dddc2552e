import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { deriveMeta, summarizeBatch } from '../../src/analysis/summary.ts';
import { playBatch } from '../../src/batch/play-batch.ts';
import { playSweep, summarizeSweep } from '../../src/batch/sweep.ts';
import { type Axis, applyPoint, derivePoints, parseAxisArg, parseSweepFile, resolveAxis } from '../../src/batch/sweep-spec.ts';
import { buildModel } from '../../src/model/build-model.ts';
import { formatProblem } from '../../src/scenario/problem.ts';
import { loadValid } from '../helpers.ts';

const duel = loadValid('test/fixtures/valid/duel.yaml');

function axis(arg: string): Axis {
  const spec = parseAxisArg(arg);
  if (typeof spec === 'string') throw new Error(spec);
  const r = resolveAxis(duel.scenario, spec);
  if (typeof r === 'string') throw new Error(r);
  return r;
}

describe('sweep points', () => {
  test('a point is the plain batch of its variant on the same seeds: the hand-written variant file gives the same numbers', async () => {
    const axes = [axis('shock.spark=0.01,0.1')];
    const points = derivePoints(axes, undefined, 's');
    expect(points).toEqual([[0.01], [0.1]]);
    const inputs = points.map((values) => ({ values, model: buildModel(applyPoint(duel.scenario, axes, values)), hash: '' }));
    const { played } = await playSweep(inputs, { runs: 400, seed: 's' });
    const variant = loadValid('test/fixtures/sweeps/duel-spark-high.yaml');
    for (const [k, model] of [
      [0, duel.model],
      [1, variant.model],
    ] as const) {
      const plain = await playBatch(model, { runs: 400, seed: 's' });
      const meta = deriveMeta(model, { hash: '', files: [], seed: 's', runs: 400, engine: 'compiled' });
      expect(summarizeBatch(model, played[k]?.aggregate as never, meta)).toEqual(summarizeBatch(model, plain.aggregate, meta));
    }
    expect(JSON.stringify(applyPoint(duel.scenario, axes, [0.1]))).toBe(JSON.stringify(variant.scenario));
  });

  test('a point reports each outcome as the plain batch of its variant does', async () => {
    const withOutcomes = loadValid('test/fixtures/valid/duel-outcomes.yaml');
    const spec = parseAxisArg('shock.spark=0.01,0.2');
    const ax = typeof spec === 'string' ? spec : resolveAxis(withOutcomes.scenario, spec);
    if (typeof ax === 'string') throw new Error(ax);
    const inputs = derivePoints([ax], undefined, 'o').map((values) => ({ values, model: buildModel(applyPoint(withOutcomes.scenario, [ax], values)), hash: '' }));
    const { played } = await playSweep(inputs, { runs: 300, seed: 'o' });
    const result = summarizeSweep(withOutcomes, [ax], 2, played, { seed: 'o', runs: 300, engine: 'compiled', stopped: false });
    expect(result.outcomes.map((o) => o.id)).toEqual(['settled', 'earlyClash', 'tense']);
    for (const [k, point] of result.points.entries()) {
      const plain = await playBatch(inputs[k]?.model as never, { runs: 300, seed: 'o' });
      const summary = summarizeBatch(inputs[k]?.model as never, plain.aggregate, deriveMeta(inputs[k]?.model as never, { hash: '', files: [], seed: 'o', runs: 300, engine: 'compiled' }));
      expect(point.outcomes.map(({ outcome, ...p }) => ({ id: outcome, ...p }))).toEqual(summary.outcomes?.map((o) => ({ id: o.id, ...o.reached })));
    }
    expect(result.points[1]?.outcomes[1]?.p).toBeGreaterThan(result.points[0]?.outcomes[1]?.p as number);
  });

  test('a move axis sets the move wherever the actor declares it; a var axis sets the initial value; the base is not touched', () => {
    const axes = [axis('move.A.drill=0.4'), axis('var.tension=3'), axis('time.turns=7')];
    const s = applyPoint(duel.scenario, axes, [0.4, 3, 7]) as unknown as { actors: { A: { statechart: { states: { alert: { moves: { drill: { probability: number } } } } } } }; variables: { tension: { initial: number } }; time: { turns: number } };
    expect(s.actors.A.statechart.states.alert.moves.drill.probability).toBe(0.4);
    expect(s.variables.tension.initial).toBe(3);
    expect(s.time.turns).toBe(7);
    expect(JSON.stringify(duel.scenario)).toBe(JSON.stringify(loadValid('test/fixtures/valid/duel.yaml').scenario));
  });

  test('axes that name nothing, or probabilities out of range, are refused with what exists', () => {
    const why = (arg: string) => {
      const spec = parseAxisArg(arg);
      return typeof spec === 'string' ? spec : resolveAxis(duel.scenario, spec);
    };
    expect(why('shock.sprak=0.1')).toMatchInlineSnapshot(`"axis shock.sprak: no shock "sprak" (known: spark)"`);
    expect(why('move.A.fly=0.1')).toMatchInlineSnapshot(`"axis move.A.fly: actor A declares no move "fly""`);
    expect(why('shock.spark=0.5,1.5')).toMatchInlineSnapshot(`"axis shock.spark: a probability must be between 0 and 1; found 1.5"`);
    expect(why('metadata.title=1')).toMatch(/is not one$/);
    expect(why('spark')).toMatch(/^expected NAME=VALUES/);
    expect(why('var.tension=a,b')).toMatchInlineSnapshot(`"axis var.tension: expected numbers separated by commas; found "a,b""`);
  });

  test('ranges give evenly spaced values; Latin-hypercube samples put one point in each stratum of each range axis, the same for the same seed', () => {
    expect(derivePoints([axis('move.A.drill=0..0.6:4')], undefined, 's')).toEqual([[0], [0.2], [0.4], [0.6]]);
    const axes = [axis('move.A.drill=0..1'), axis('var.tension=0..10'), axis('shock.spark=0.01,0.1')];
    const pts = derivePoints(axes, { method: 'lhs', points: 8 }, 'seed');
    expect(pts).toHaveLength(16);
    expect(derivePoints(axes, { method: 'lhs', points: 8 }, 'seed')).toEqual(pts);
    expect(derivePoints(axes, { method: 'lhs', points: 8 }, 'other')).not.toEqual(pts);
    const first = pts.filter((p) => p[2] === 0.01);
    expect(first.map((p) => Math.floor((p[0] as number) * 8)).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(first.map((p) => Math.floor(((p[1] as number) / 10) * 8)).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const random = derivePoints(axes.slice(0, 2), { method: 'random', points: 5 }, 'seed');
    expect(random).toHaveLength(5);
    for (const p of random) expect(p[0]).toBeGreaterThanOrEqual(0);
  });

  test('a bad sweep file gets every problem with its line and column', () => {
    const r = parseSweepFile(readFileSync('test/fixtures/sweeps/bad.sweep.yaml', 'utf8'), 'bad.sweep.yaml');
    expect(r.ok ? [] : r.problems.map(formatProblem)).toMatchInlineSnapshot(`
      [
        "bad.sweep.yaml:1:7 runs: expected at least 1; found -5",
        "bad.sweep.yaml:3:16 axes.shock.spark.to: missing: expected a number",
        "bad.sweep.yaml:3:27 axes.shock.spark.too: unknown key "too" (did you mean "to"? known: to, from, steps)",
        "bad.sweep.yaml:4:23 axes.move.A.drill[1]: expected a number, or a string; found true",
        "bad.sweep.yaml:5:19 sample.method: expected "random" or "lhs"; found "sobol"",
      ]
    `);
    const ok = parseSweepFile(readFileSync('test/fixtures/sweeps/duel.sweep.yaml', 'utf8'), 'duel.sweep.yaml');
    expect(ok.ok && ok.spec).toEqual({
      axes: [
        { name: 'shock.spark', values: { kind: 'list', values: [0.01, 0.1] } },
        { name: 'move.A.drill', values: { kind: 'range', from: 0, to: 0.6, steps: 5 } },
      ],
      sample: { method: 'lhs', points: 3 },
      runs: 200,
      seed: 'sw',
    });
  });
});
