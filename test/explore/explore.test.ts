import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { type ExploreResult, explore } from '../../src/explore/explore.ts';
import type { ExploreTarget } from '../../src/explore/goal.ts';
import { ExploreError, ExploreStepper } from '../../src/explore/step.ts';
import { tallyInvariants } from '../../src/analysis/invariants.ts';
import { playBatch } from '../../src/batch/play-batch.ts';
import { wilson } from '../../src/analysis/stats.ts';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import { ReferenceKernel } from '../../src/engine/reference-kernel.ts';
import { createRandom, deriveRunSeed, type Random } from '../../src/engine/rng.ts';
import { EngineError, Runner } from '../../src/engine/run.ts';
import type { EventInstance, Model } from '../../src/model/types.ts';
import { loadValid, modelOf } from '../helpers.ts';

const load = (file: string): Model => loadValid(file).model;
const fixture = (name: string): Model => load(`test/fixtures/valid/${name}.yaml`);
/** The same scenario, played for fewer turns (the engine and explore both read `model.turns`). */
const shortened = (m: Model, turns: number): Model => ({ ...m, turns });

const rung = (r: ExploreResult, id: string, scope = 'overall') => {
  const x = r.rungs.find((y) => y.scope === scope && y.rung === id);
  if (x === undefined) throw new Error(`no rung ${scope} ${id}`);
  return x;
};
const rungTarget = (m: Model, id: string): ExploreTarget => ({ kind: 'rung', rung: m.rungs.findIndex((r) => r.id === id), theatre: -1 });
const invariantTarget = (m: Model, id: string): ExploreTarget => {
  const invariant = m.invariants.find((i) => i.id === id);
  if (invariant === undefined) throw new Error(`no invariant ${id}`);
  return { kind: 'invariant', invariant };
};
const actsOf = (p: { narrative: ReadonlyArray<{ acts: ReadonlyArray<{ actor: string; act: string }> }> } | null) =>
  p?.narrative.map((t) => t.acts.map((a) => `${a.actor} ${a.act}`).join(', '));

/** Plays a run through the explorer's step, choosing each outcome with the engine's next draw. */
function playWithDraws(model: Model, random: Random): EventInstance[] {
  const stepper = new ExploreStepper(model);
  let key = stepper.initialKey();
  const acts: EventInstance[] = [];
  for (let turn = 1; turn <= model.turns; turn++) {
    const choosers = stepper.prepare(stepper.decode(key), turn);
    const picks = choosers.map((c) => {
      const u = random();
      const k = c.options.findIndex((o) => o.lo <= u && u < o.hi);
      if (k < 0) throw new Error(`draw ${u} falls in no outcome of ${c.kind} ${c.index} on turn ${turn}`);
      return k;
    });
    acts.push(...stepper.play(choosers, picks, acts.length));
    key = stepper.encode();
  }
  return acts;
}

describe('explore is exact on scenarios small enough to work out by hand', () => {
  const rush = fixture('explore-rush');

  test('rush or push: P(peak ≥ rung) by each turn', () => {
    const r = explore(rush);
    expect(r.complete).toBe(true);
    expect(rung(r, 'L2').byTurn[0]).toBeCloseTo(0.05, 12);
    expect(rung(r, 'L2').byTurn[1]).toBeCloseTo(0.05 + 0.9 * 0.9 + 0.05 * 0.05, 12);
    // Turn 3 adds push·wait·strike, wait·push·strike and wait·wait·rush (the rush keeps X calm).
    expect(rung(r, 'L2').probability).toBeCloseTo(0.8625 + 0.9 * 0.1 * 0.9 + 0.05 * 0.9 * 0.9 + 0.05 ** 3, 12);
    expect(rung(r, 'L1').probability).toBeCloseTo(1 - 0.05 ** 3, 12);
    expect(r.lostProbability).toBeLessThan(1e-12);
    expect(r.acts.map((a) => [a.event, a.firstTurn])).toEqual([
      ['PUSH', 1],
      ['STRIKE', 1],
    ]);
  });

  test('the shortest pathway is the rare rush; the most probable is push, then strike', () => {
    const t = explore(rush, { target: rungTarget(rush, 'L2') }).target;
    expect(t?.firstTurn).toBe(1);
    expect(t?.shortest).toMatchObject({ turns: 1, acts: 1 });
    expect(t?.shortest?.probability).toBeCloseTo(0.05, 12);
    expect(actsOf(t?.shortest ?? null)).toEqual(['X STRIKE']);
    expect(t?.shortest?.narrative[0]?.choices).toEqual([{ kind: 'actor', id: 'X', outcome: 'rush', probability: 0.05 }]);
    expect(t?.likeliest).toMatchObject({ turns: 2, acts: 2 });
    expect(t?.likeliest?.probability).toBeCloseTo(0.81, 12);
    expect(actsOf(t?.likeliest ?? null)).toEqual(['X PUSH', 'X STRIKE']);
  });

  test('an act target, and invariants: a `precedes` broken by the rush, a state that must never be entered', () => {
    const act = explore(rush, { turns: 2, target: { kind: 'act', event: 1 } }).target;
    expect(act?.probability).toBeCloseTo(0.8625, 12);
    const precedes = explore(rush, { target: invariantTarget(rush, 'pushFirst') }).target;
    expect(precedes?.byTurn.map((p) => Number(p.toFixed(12)))).toEqual([0.05, 0.0525, 0.052625]);
    expect(actsOf(precedes?.likeliest ?? null)).toEqual(['X STRIKE']);
    const never = explore(rush, { turns: 2, target: invariantTarget(rush, 'neverPushed') }).target;
    expect(never?.probability).toBeCloseTo(0.9 + 0.05 * 0.9 + 0.05 * 0.9, 12);
  });

  test('moves summing above 1 are scaled as the engine scales them; a shock is live only while its condition holds', () => {
    const r = explore(fixture('explore-scale'));
    expect(rung(r, 'L2').probability).toBeCloseTo(0.75, 12);
    expect(rung(r, 'L3').probability).toBeCloseTo(0.05, 12);
    expect(rung(r, 'L3').firstTurn).toBe(2);
  });

  test('`happened` with atLeast and withinTurns: merged states keep what the conditions read', () => {
    const m = fixture('explore-history');
    const r = explore(m);
    expect(rung(r, 'L3').probability).toBeCloseTo(1 / 8, 12);
    expect(rung(r, 'L2').probability).toBeCloseTo(3 / 8, 12);
    expect(rung(r, 'L0').probability).toBeCloseTo(7 / 8, 12);
    // Pings by turn 2 fall in 4 classes (none, 1 now, 1 before, 2): 01 and 10 must not merge.
    expect(r.statesByTurn).toEqual([1, 2, 4, 7]);
    const always = explore(m, { target: invariantTarget(m, 'noAlarm') }).target;
    expect(always?.byTurn).toEqual([0, 0.25, 0.375]);
    expect(always?.shortest).toMatchObject({ turns: 2, acts: 3 });
  });

  test('an invariant broken at the start is reached on turn 0, by the empty pathway, with probability 1', () => {
    const text = readFileSync('test/fixtures/valid/explore-rush.yaml', 'utf8');
    const m = modelOf(`${text}  startsCalm:\n    never: { state: { actor: X, in: calm } }\n`);
    const t = explore(m, { turns: 1, target: invariantTarget(m, 'startsCalm') }).target;
    expect(t).toMatchObject({ firstTurn: 0, probability: 1, byTurn: [1], shortest: { turns: 0, acts: 0, probability: 1, narrative: [] } });
  });

  test('an unreachable target has no pathway and probability 0', () => {
    const m = fixture('explore-scale');
    const t = explore(m, { turns: 1, target: rungTarget(m, 'L3') }).target;
    expect(t).toMatchObject({ firstTurn: null, probability: 0, shortest: null, likeliest: null });
  });
});

describe("explore plays the engine's turn", () => {
  const files = [
    'test/fixtures/valid/duel.yaml',
    'test/fixtures/valid/coins.yaml',
    'test/fixtures/valid/explore-rush.yaml',
    'test/fixtures/valid/explore-scale.yaml',
    'test/fixtures/valid/explore-history.yaml',
    'test/fixtures/valid/explore-precondition.yaml',
    'bench/scenarios/hand.yaml',
    'scenarios/russia-dprk-2024.yaml',
  ];

  test.each(files)("fed alea(seed)'s draws, the explorer's step reproduces Runner's trace exactly: %s", (file) => {
    const model = load(file);
    const runner = new Runner(model, new CompiledKernel(model), { specialise: 0 });
    let acts = 0;
    for (let i = 0; i < 60; i++) {
      const seed = deriveRunSeed('explore-equivalence', i);
      const record = runner.run(seed);
      expect(playWithDraws(model, createRandom(seed)), `seed ${seed}`).toEqual(record.events);
      acts += record.events.length;
    }
    expect(acts).toBeGreaterThan(0);
  });

  test('…and the XState reference agrees on the duel', () => {
    const model = load('test/fixtures/valid/duel.yaml');
    const runner = new Runner(model, new ReferenceKernel(model));
    for (let i = 0; i < 20; i++) expect(playWithDraws(model, createRandom(`ref${i}`))).toEqual(runner.run(`ref${i}`).events);
  });

  test('a cascade that does not end fails as it does in the engine', () => {
    const model = load('test/fixtures/valid/cascade-cycle.yaml');
    const engine = (() => {
      try {
        runOnceCompiled(model, 'c');
      } catch (e) {
        return e as EngineError;
      }
      throw new Error('expected the engine to fail');
    })();
    expect(engine).toBeInstanceOf(EngineError);
    const thrown = (() => {
      try {
        explore(model);
      } catch (e) {
        return e as ExploreError;
      }
      throw new Error('expected explore to fail');
    })();
    expect(thrown).toBeInstanceOf(ExploreError);
    expect([thrown.code, thrown.turn, thrown.message]).toEqual([engine.code, engine.turn, engine.message]);
  });

  test("a pathway's draws make the engine play it", () => {
    for (const [file, id] of [
      ['test/fixtures/valid/duel.yaml', 'L4'],
      ['bench/scenarios/hand.yaml', 'L4'],
    ] as const) {
      const model = shortened(load(file), 4);
      const t = explore(model, { target: rungTarget(model, id) }).target;
      for (const p of [t?.shortest, t?.likeliest]) {
        if (p === null || p === undefined) throw new Error(`${file}: expected a pathway to ${id}`);
        const draws = p.narrative.flatMap((turn) => turn.draws);
        let i = 0;
        const record = new Runner(shortened(model, p.turns), new CompiledKernel(model)).run('pathway', { random: () => draws[i++] as number });
        const played = record.events.map((e) => `${e.turn} ${model.actors[e.from]?.id} ${model.events[e.type]?.id}`);
        const told = p.narrative.flatMap((turn) => turn.acts.map((a) => `${a.turn} ${a.actor} ${a.act}`));
        expect(played.slice(0, told.length)).toEqual(told);
        expect(played.length).toBeGreaterThanOrEqual(p.acts);
        expect(record.overallPeak).toBeGreaterThanOrEqual(model.rungs.findIndex((r) => r.id === id));
      }
    }
  });
});

function runOnceCompiled(model: Model, seed: string) {
  return new Runner(model, new CompiledKernel(model), { specialise: 0 }).run(seed);
}

describe('explore against Monte Carlo', () => {
  const Z99 = 2.5758293035489004;
  const cases: ReadonlyArray<readonly [string, number]> = [
    ['test/fixtures/valid/duel.yaml', 12],
    ['test/fixtures/valid/coins.yaml', 40],
    ['test/fixtures/valid/explore-rush.yaml', 3],
    ['test/fixtures/valid/explore-scale.yaml', 2],
    ['test/fixtures/valid/explore-history.yaml', 3],
    ['test/fixtures/valid/explore-precondition.yaml', 4],
    ['bench/scenarios/hand.yaml', 4],
  ];

  test.each(cases)('the exact P(peak ≥ rung) lies within the 99 per cent Wilson interval of the batch estimate: %s, %i turns', async (file, turns) => {
    const model = shortened(load(file), turns);
    const exact = explore(model);
    expect(exact.complete).toBe(true);
    const runs = 4000;
    const { aggregate } = await playBatch(model, { runs, seed: 'explore-mc' });
    const width = model.rungs.length + 1;
    for (const x of exact.rungs) {
      const slot = x.scope === 'overall' ? 0 : model.theatres.findIndex((t) => t.id === x.scope) + 1;
      const r = model.rungs.findIndex((y) => y.id === x.rung);
      let count = 0;
      for (let k = r; k < model.rungs.length; k++) count += aggregate.peaks[slot * width + k + 1] as number;
      const w = wilson(count, runs, Z99);
      expect(x.probability, `${x.scope} ≥ ${x.rung}: ${count}/${runs}`).toBeGreaterThanOrEqual(w.low - 1e-12);
      expect(x.probability, `${x.scope} ≥ ${x.rung}: ${count}/${runs}`).toBeLessThanOrEqual(w.high + 1e-12);
    }
  });

  test('the flagship, one turn (162,000 joint outcomes): the batch agrees with the exact values, and finds nothing explore missed', async () => {
    const model = shortened(load('scenarios/russia-dprk-2024.yaml'), 1);
    const exact = explore(model);
    const runner = new Runner(model, new CompiledKernel(model));
    for (let i = 0; i < 500; i++) {
      for (const e of runner.run(deriveRunSeed('explore-reach', i)).events) expect(exact.acts[e.type]?.firstTurn, model.events[e.type]?.id).toBe(1);
    }
    const runs = 4000;
    const { aggregate } = await playBatch(model, { runs, seed: 'explore-mc' });
    const width = model.rungs.length + 1;
    for (const x of exact.rungs.filter((y) => y.scope === 'overall')) {
      const r = model.rungs.findIndex((y) => y.id === x.rung);
      let count = 0;
      for (let k = r; k < model.rungs.length; k++) count += aggregate.peaks[k + 1] as number;
      const w = wilson(count, runs, Z99);
      expect(x.probability).toBeGreaterThanOrEqual(w.low - 1e-12);
      expect(x.probability).toBeLessThanOrEqual(w.high + 1e-12);
    }
  });

  test("the batch's rate of invariant violations agrees with the exact probability (precedes, never, always)", () => {
    // Three comparisons at a family-wise 99% (Bonferroni: 99.67% each). With this seed pushFirst's
    // 4000-run estimate sits 2.7 standard errors high; a million runs agree with 0.052625 to 0.06 SE.
    const z = 2.935199468866699;
    for (const [name, id] of [
      ['explore-rush', 'pushFirst'],
      ['explore-rush', 'neverPushed'],
      ['explore-history', 'noAlarm'],
    ] as const) {
      const model = fixture(name);
      const exact = explore(model, { target: invariantTarget(model, id) }).target?.probability as number;
      const runs = 4000;
      const tally = tallyInvariants(model, { runs, seed: 'explore-mc', engine: 'compiled' }).toData();
      const count = tally.invariants.find((i) => i.id === id)?.violations as number;
      const w = wilson(count, runs, z);
      expect(exact, `${name} ${id}: ${count}/${runs}`).toBeGreaterThanOrEqual(w.low);
      expect(exact, `${name} ${id}: ${count}/${runs}`).toBeLessThanOrEqual(w.high);
    }
  });

  test.each(cases)('explore finds a pathway, no later, wherever sampling found one: %s, %i turns', (file, turns) => {
    const model = shortened(load(file), turns);
    const exact = explore(model);
    const runner = new Runner(model, new CompiledKernel(model));
    const seenAct = new Map<string, number>();
    const seenRung = new Map<string, number>();
    const see = (map: Map<string, number>, key: string, turn: number) => map.set(key, Math.min(turn, map.get(key) ?? Infinity));
    for (let i = 0; i < 500; i++) {
      const record = runner.run(deriveRunSeed('explore-reach', i));
      for (const e of record.events) see(seenAct, model.events[e.type]?.id as string, e.turn);
      for (const s of record.steps) {
        const scope = s.theatre < 0 ? 'overall' : (model.theatres[s.theatre]?.id as string);
        for (let r = 0; r <= s.rung; r++) see(seenRung, `${scope} ${model.rungs[r]?.id}`, s.turn);
      }
    }
    expect(seenAct.size).toBeGreaterThan(0);
    for (const [id, turn] of seenAct) {
      const first = exact.acts.find((a) => a.event === id)?.firstTurn;
      expect(first, `act ${id}, sampled on turn ${turn}`).not.toBeNull();
      expect(first as number, `act ${id}`).toBeLessThanOrEqual(turn);
    }
    for (const [key, turn] of seenRung) {
      const [scope, id] = key.split(' ') as [string, string];
      const first = rung(exact, id, scope).firstTurn;
      expect(first, `rung ${key}, sampled on turn ${turn}`).not.toBeNull();
      expect(first as number, `rung ${key}`).toBeLessThanOrEqual(turn);
    }
  });
});

describe("explore's budget and determinism", () => {
  test('past the state budget it stops, saying where, with what it proved so far', () => {
    const model = load('bench/scenarios/hand.yaml');
    // The full key: these counts pin the budget, not the key's reduction (test/explore/cone.test.ts).
    const r = explore(model, { turns: 6, maxStates: 500, target: rungTarget(model, 'L4'), fullKey: true });
    expect(r).toMatchObject({ complete: false, exploredTurns: 2, exhausted: { turn: 3, states: 501 }, states: 500 });
    expect(r.statesByTurn).toEqual([1, 32, 451]);
    expect(r.rungs.every((x) => x.probability === null)).toBe(true);
    expect(r.target?.firstTurn).toBe(1);
    expect(r.target?.probability).toBeNull();
  });

  test('a turn that would play more joint outcomes than the budget is not started', () => {
    const model = load('bench/scenarios/hand.yaml');
    const r = explore(model, { turns: 6, maxOutcomes: 10_000, fullKey: true });
    expect(r).toMatchObject({ complete: false, exploredTurns: 2, transitions: 2532, exhausted: { budget: 'outcomes', turn: 3, from: 451 } });
    expect(r.transitions + (r.exhausted?.budget === 'outcomes' ? r.exhausted.outcomes : 0)).toBeGreaterThan(10_000);
  });

  test('the same model and options give the same result', () => {
    const model = shortened(load('test/fixtures/valid/duel.yaml'), 6);
    const target = rungTarget(model, 'L4');
    expect(JSON.stringify(explore(model, { target }))).toBe(JSON.stringify(explore(model, { target })));
  });

  test('turns outside 1…time.turns are refused', () => {
    const model = fixture('explore-rush');
    expect(() => explore(model, { turns: 4 })).toThrow(/from 1 to 3/);
    expect(() => explore(model, { turns: 0 })).toThrow(/from 1 to 3/);
  });
});
