/**
 * Chance reactions (issue 12, item 3): a transition with `probability:` is enabled only when its `when`
 * holds and its counter-based draw falls below the probability; when the draw fails, selection goes on
 * as when a guard fails. These tests pin the semantics on all three paths, the draw scheme, the
 * frequency, common random numbers between variants, and a counterfactual's branch stream.
 */
import { fc, test } from '@fast-check/vitest';
import { produce } from 'immer';
import { describe, expect } from 'vitest';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import type { Kernel } from '../../src/engine/kernel.ts';
import { ReferenceKernel } from '../../src/engine/reference-kernel.ts';
import { counterDraw, createRandom, drawKeyOf, drawStreamOf, type Random } from '../../src/engine/rng.ts';
import { EngineError, type RunRecord, Runner, type RunnerOptions } from '../../src/engine/run.ts';
import type { RunWorld } from '../../src/engine/world.ts';
import { buildModel } from '../../src/model/build-model.ts';
import type { EventInstance, Model } from '../../src/model/types.ts';
import { crossCheck } from '../../src/scenario/cross-check.ts';
import type { Scenario, StateNodeDef } from '../../src/scenario/schema.ts';
import { replayWithMoveChances } from '../../src/analysis/move-chances.ts';
import { brink, loadValid } from '../helpers.ts';
import { statechartScenario } from './statechart-arb.ts';

const { model } = loadValid('test/fixtures/valid/chance.yaml');
const type = (id: string) => model.events.findIndex((e) => e.id === id);
const [TEST, ASTRAY, NOTED, ALERT] = ['TEST', 'ASTRAY', 'NOTED', 'ALERT'].map(type) as [number, number, number, number];

const paths: ReadonlyArray<readonly [string, () => Runner]> = [
  ['XState reference', () => new Runner(model, new ReferenceKernel(model))],
  ['compiled kernel, general algorithm', () => new Runner(model, new CompiledKernel(model), { specialise: false })],
  ['generated code', () => new Runner(model, new CompiledKernel(model), { specialise: 0 })],
];

/** The id of each turn's first act in a run. */
function turnFirsts(events: readonly EventInstance[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const e of events) if (!out.has(e.turn)) out.set(e.turn, e.id);
  return out;
}

describe('chance reactions (test/fixtures/valid/chance.yaml)', () => {
  test.each(paths)('%s: each draw is counterDraw(stream, turn, key of the rule, the act\'s place in its turn); a failed draw falls back to the next transition', (_, make) => {
    const runner = make();
    const launcher = drawKeyOf('transition:L:testing:TEST:0');
    const observer = drawKeyOf('transition:O:calm:ASTRAY:0');
    let astray = 0;
    let noted = 0;
    for (let i = 0; i < 300; i++) {
      const seed = `s${i}`;
      const stream = drawStreamOf(seed);
      const r = runner.run(seed, { transient: true });
      const first = turnFirsts(r.events);
      const caused = (e: EventInstance) => r.events.filter((x) => x.cause === e.id);
      let haste = 0;
      let alarmed = false;
      for (const e of r.events) {
        const place = e.id - (first.get(e.turn) as number);
        if (e.type === TEST) {
          const p = haste >= 2 ? 0.5 : 0.3;
          const fires = counterDraw(stream, e.turn, launcher, place) < p;
          // Exactly one of the two transitions on TEST: the chance reaction, or the fallback.
          expect(caused(e).map((x) => x.type), `seed ${seed}, act ${e.id}`).toEqual([fires ? ASTRAY : NOTED]);
          if (fires) astray++;
          else {
            noted++;
            haste = Math.min(5, haste + 1);
          }
        }
        if (e.type === ASTRAY) {
          const fires = !alarmed && counterDraw(stream, e.turn, observer, place) < 0.5;
          // No fallback on O: a failed draw leaves the act unhandled.
          expect(caused(e).map((x) => x.type), `seed ${seed}, act ${e.id}`).toEqual(fires ? [ALERT] : []);
          if (fires) alarmed = true;
        }
      }
    }
    expect(astray).toBeGreaterThan(0);
    expect(noted).toBeGreaterThan(0);
  });

  test('the observed frequency matches the probability (99.99% binomial interval, 4,000 seeds)', () => {
    const runner = new Runner(model, new CompiledKernel(model), { specialise: 0 });
    const n = 4000;
    let turnOne = 0;
    for (let i = 0; i < n; i++) {
      const r = runner.run(String(i), { transient: true, turns: 1 });
      if (r.events.some((e) => e.type === ASTRAY)) turnOne++;
    }
    const half = 3.89 * Math.sqrt((0.3 * 0.7) / n);
    expect(Math.abs(turnOne / n - 0.3)).toBeLessThan(half);
  });

  test('a counterfactual after its branch point takes its chance draws from its own source, the same through run and playFrom', () => {
    const runner = new Runner(model, new CompiledKernel(model));
    let differ = 0;
    for (let i = 0; i < 40; i++) {
      const seed = String(i);
      const plain = runner.run(seed).events.map((e) => e.type);
      const branched = runner.run(seed, { branch: { turn: 2, random: createRandom(`b${i}`) } }).events.map((e) => e.type);
      runner.begin(seed);
      runner.step();
      const saved = runner.save();
      if (saved === undefined) throw new Error('the compiled kernel saves');
      const replayed = runner.playFrom(saved, createRandom(`b${i}`), undefined).events.map((e) => e.type);
      expect(replayed).toEqual(branched);
      // Turn 1 is the game as played; the branch changes later turns in some runs.
      if (JSON.stringify(plain) !== JSON.stringify(branched)) differ++;
    }
    expect(differ).toBeGreaterThan(0);
  });
});

/** A random scenario, an actor and an event type the actor never handles (so it has no move of that type either). */
function unhandled(m: Model): Array<readonly [number, number]> {
  const out: Array<readonly [number, number]> = [];
  for (const a of m.actors) for (const ev of m.events) if (!a.transitions.some((t) => t.event === ev.index)) out.push([a.index, ev.index]);
  return out;
}

interface Played {
  /** The record, or the engine error the run stopped with. */
  readonly record: RunRecord | string;
  /** Every chance draw asked for: rule id, turn, act id, probability, answer. */
  readonly draws: string[];
  /** The sequential draws (shocks, moves) consumed. */
  readonly sequential: number[];
}

function play(m: Model, kernel: Kernel, seed: string, options: RunnerOptions): Played {
  const runner = new Runner(m, kernel, options);
  const world = (runner as unknown as { world: RunWorld }).world;
  const draws: string[] = [];
  const chance = world.chance.bind(world);
  world.chance = (rule, e, p) => {
    const fired = chance(rule, e, p);
    if (e.id >= 0) draws.push(`${m.rules[rule]?.id} t${e.turn} #${e.id} p${p} ${fired}`);
    return fired;
  };
  const sequential: number[] = [];
  const source = createRandom(seed);
  const random: Random = () => {
    const u = source();
    sequential.push(u);
    return u;
  };
  let record: RunRecord | string;
  try {
    record = runner.run(seed, { random });
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    record = `${e.code} turn ${e.turn}: ${e.message}`;
  }
  return { record, draws, sequential };
}

describe('narratives', () => {
  test('each act a chance reaction emitted carries the chance the reaction had then (30%, or 50% with haste)', () => {
    for (let i = 0; i < 30; i++) {
      const { record, chances } = replayWithMoveChances(model, new CompiledKernel(model), String(i));
      let haste = 0;
      for (const e of record.events) {
        if (e.type === NOTED) haste++;
        if (e.type === ASTRAY) expect(chances.get(e.id), `seed ${i}, act ${e.id}`).toEqual({ probability: haste >= 2 ? 0.5 : 0.3, base: 0.3, modifiers: 1 });
        if (e.type === ALERT) expect(chances.get(e.id)).toEqual({ probability: 0.5, base: 0.5, modifiers: 0 });
        if (e.type === NOTED) expect(chances.has(e.id)).toBe(false);
      }
    }
  });

  test('brink run tells why a chance reaction happened: "a 30.0% chance"', async () => {
    const r = await brink(['run', 'test/fixtures/valid/chance.yaml', '--seed', '0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('why: reaction to #0 L TEST (a 30.0% chance)');
    expect(r.stdout).toContain('why: reaction to #1 L ASTRAY (a 50.0% chance)');
  });
});

describe('common random numbers', () => {
  test.prop(
    [statechartScenario(), fc.nat(), fc.nat(), fc.constantFrom(0.3, 0.7), fc.array(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 })],
    { numRuns: 60 },
  )('adding an unrelated chance reaction leaves every other draw, and every act, unchanged', (scenario, pickPair, pickState, p, seeds) => {
    const base = buildModel(scenario);
    const pairs = unhandled(base);
    fc.pre(pairs.length > 0);
    const [a, ev] = pairs[pickPair % pairs.length] as readonly [number, number];
    const actor = base.actors[a] as Model['actors'][number];
    const path = (actor.states[pickState % actor.states.length] as { path: string }).path;
    const eventId = (base.events[ev] as { id: string }).id;
    const variant: Scenario = produce(scenario, (d) => {
      d.variables = { ...d.variables, z: { initial: 0, min: 0, max: 1 } };
      let node = (d.actors[actor.id] as { statechart: StateNodeDef }).statechart;
      for (const part of path.split('.').filter((x) => x !== '')) node = (node.states as Record<string, StateNodeDef>)[part] as StateNodeDef;
      node.on = { ...node.on, [eventId]: [{ probability: p, effects: [{ set: { var: 'z', value: 1 } }] }] } as never;
    });
    expect(crossCheck(variant).filter((x) => x.severity === 'error')).toEqual([]);
    const other = buildModel(variant);
    const added = other.rules.findIndex((r) => !base.rules.some((x) => x.id === r.id));
    expect(added).toBeGreaterThanOrEqual(0);
    for (const seed of seeds) {
      for (const options of [{ specialise: 0 }, { specialise: false }] as const) {
        const x = play(base, new CompiledKernel(base), seed, options);
        const y = play(other, new CompiledKernel(other), seed, options);
        expect(y.sequential).toEqual(x.sequential);
        const addedId = (other.rules[added] as { id: string }).id;
        expect(y.draws.filter((d) => !d.startsWith(`${addedId} `))).toEqual(x.draws);
        // Rule indices shift with the added rule; their ids do not.
        const acts = (m: Model, r: RunRecord | string) =>
          typeof r === 'string'
            ? r
            : JSON.stringify({
                acts: r.events.map((e) => ({ ...e, rule: m.rules[e.rule]?.id })),
                counts: m.rules.filter((rule) => rule.id !== addedId).map((rule) => `${rule.id}=${r.ruleCounts[rule.index]}`),
              });
        expect(acts(other, y.record)).toBe(acts(base, x.record));
      }
    }
  });
});
