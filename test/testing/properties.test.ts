import {
  allOf,
  always,
  anyOf,
  checkScenario,
  CounterexampleError,
  assertHolds,
  happens,
  implies,
  named,
  never,
  not,
  precedes,
  reaches,
  type RunProperty,
} from 'brink/testing';
import { describe, expect, test } from 'vitest';
import { createKernel } from '../../src/batch/play-batch.ts';
import { deriveRunSeed } from '../../src/engine/rng.ts';
import { EngineError, runOnce } from '../../src/engine/run.ts';
import { buildModel } from '../../src/model/build-model.ts';
import { parseScenarioText } from '../../src/scenario/load.ts';
import type { Scenario } from '../../src/scenario/schema.ts';
import { loadValid } from '../helpers.ts';

function scenarioOf(text: string): Scenario {
  const r = parseScenarioText(text, 'inline.yaml');
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
  return r.scenario;
}

/** Scripted, so every seed plays the same run. */
const SCRIPTED = scenarioOf(`
version: 1
metadata: { id: scripted, title: Scripted }
time: { turns: 5 }
theatres: { east: { name: East }, west: { name: West } }
ladder:
  rungs: [{ id: L0, name: Calm }, { id: L1, name: Words }, { id: L2, name: Attack }, { id: L3, name: Defence }]
  thresholds: [{ id: T1, name: violence, at: L2 }]
events:
  WORDS: { rung: L1, theatre: west, description: Words }
  ATTACK: { rung: L2, theatre: east, description: An armed attack }
  INVOKE: { rung: L3, theatre: east, description: Mutual defence invoked, fields: { treaty: [t1, t2] } }
actors:
  A:
    name: A
    statechart:
      initial: peace
      states:
        peace:
          on:
            WORDS: {}
            ATTACK:
              target: war
              when: { event: { field: to, includes: $self } }
              effects: [{ emit: { event: INVOKE, to: [C], against: [B], data: { treaty: t1 } } }]
        war: { on: { INVOKE: {} } }
  B: { name: B, statechart: { on: { WORDS: {}, ATTACK: {}, INVOKE: {} } } }
  C: { name: C, statechart: { on: { WORDS: {}, ATTACK: {}, INVOKE: {} } } }
script:
  words: { turn: 1, event: WORDS, from: B, to: [A] }
  attack: { turn: 3, event: ATTACK, from: B, to: [A] }
`);

const model = buildModel(SCRIPTED);
const run = runOnce(model, createKernel(model, 'reference'), 's', { trace: true });
const verdict = (p: RunProperty) => p.bind(model).check(run);

describe('properties over one run', () => {
  test('reaches: a rung or a threshold, overall, in a theatre, in a dyad, by a turn', () => {
    expect(verdict(reaches('L3'))).toEqual({ holds: true, because: 'reached L3 Defence: #2 A INVOKE against B on turn 3', turn: 3, act: 2 });
    expect(verdict(reaches('T1'))).toMatchObject({ holds: true, act: 1 });
    expect(verdict(reaches('L2', { byTurn: 2 }))).toEqual({ holds: false, because: 'the peak stayed at L1 Words' });
    expect(verdict(reaches('L2', { theatre: 'west' }))).toEqual({ holds: false, because: 'the peak stayed at L1 Words' });
    expect(verdict(reaches('L3', { from: 'A', to: 'B' })).holds).toBe(true);
    expect(verdict(reaches('L3', { from: 'B' }))).toEqual({ holds: false, because: 'the peak stayed at L2 Attack' });
    expect(verdict(reaches('L1', { to: 'C' }))).toEqual({ holds: false, because: 'nothing escalated' });
  });

  test('happens and never: acts (by type, sender, recipient, target, theatre, data) and states', () => {
    expect(verdict(happens({ event: 'INVOKE', to: 'C', against: 'B', data: { treaty: 't1' } }))).toMatchObject({ holds: true, act: 2 });
    expect(verdict(happens({ event: 'INVOKE', data: { treaty: 't2' } })).holds).toBe(false);
    expect(verdict(happens('WORDS', { byTurn: 1 })).holds).toBe(true);
    expect(verdict(happens('ATTACK', { byTurn: 2 }))).toEqual({ holds: false, because: 'no ATTACK by turn 2' });
    expect(verdict(never({ event: ['ATTACK', 'INVOKE'], theatre: 'west' })).holds).toBe(true);
    expect(verdict(never({ event: ['WORDS', 'INVOKE'], theatre: 'west' })).holds).toBe(false);
    expect(verdict(never({ state: { actor: 'A', in: 'war' } }))).toEqual({
      holds: false,
      because: 'A entered war on #1 B ATTACK against A on turn 3',
      turn: 3,
      act: 1,
    });
    expect(verdict(happens({ state: { actor: 'A', in: 'peace' } }))).toMatchObject({ holds: true, turn: 0, because: 'A starts in peace' });
  });

  describe('happens with a count (issue 12, item 10)', () => {
    /** A toggles between calm and tense on every WORDS: tense is entered on turns 1 and 3. */
    const TOGGLING = scenarioOf(`
version: 1
metadata: { id: toggling, title: Toggling }
time: { turns: 5 }
ladder: { rungs: [{ id: L0, name: Calm }, { id: L1, name: Words }] }
events: { WORDS: { rung: L1, description: Words } }
actors:
  A:
    name: A
    statechart:
      initial: calm
      states:
        calm: { on: { WORDS: { target: tense } } }
        tense:
          initial: low
          states: { low: { on: { WORDS: { target: high } } }, high: { on: { WORDS: { target: calm } } } }
  B: { name: B, statechart: { on: { WORDS: {} } } }
script:
  w1: { turn: 1, event: WORDS, from: B, to: [A] }
  w2: { turn: 2, event: WORDS, from: B, to: [A] }
  w3: { turn: 3, event: WORDS, from: B, to: [A] }
  w4: { turn: 4, event: WORDS, from: B, to: [A] }
`);

    test('acts: atLeast, atMost, exactly, by a turn, with the deciding act named', () => {
      const words = { event: ['WORDS', 'ATTACK'] };
      expect(verdict(happens(words, { atLeast: 2 }))).toEqual({
        holds: true,
        because: 'WORDS or ATTACK happened 2 times; the 2nd was #1 B ATTACK against A on turn 3',
        turn: 3,
        act: 1,
      });
      expect(verdict(happens(words, { atLeast: 3 }))).toEqual({
        holds: false,
        because: 'WORDS or ATTACK happened 2 times, fewer than 3; the last was #1 B ATTACK against A on turn 3',
      });
      expect(verdict(happens(words, { atLeast: 2, byTurn: 2 })).holds).toBe(false);
      expect(verdict(happens(words, { atMost: 1 }))).toEqual({
        holds: false,
        because: 'WORDS or ATTACK happened more than 1 time: the 2nd was #1 B ATTACK against A on turn 3',
        turn: 3,
        act: 1,
      });
      expect(verdict(happens(words, { atMost: 2 })).holds).toBe(true);
      expect(verdict(happens({ event: 'INVOKE', data: { treaty: 't2' } }, { atMost: 3 })).holds).toBe(true); // none at all is at most 3
      expect(verdict(happens(words, { exactly: 2 })).holds).toBe(true);
      expect(verdict(happens(words, { exactly: 1 })).holds).toBe(false);
      expect(verdict(happens(words, { atLeast: 1, atMost: 1, byTurn: 1 })).holds).toBe(true);
      expect(verdict(not(happens(words, { atLeast: 2 }))).holds).toBe(false);
    });

    test('states count each entry from outside, not moves between their substates', () => {
      const m = buildModel(TOGGLING);
      const r = runOnce(m, createKernel(m, 'reference'), 's', { trace: true });
      const check = (p: RunProperty) => p.bind(m).check(r);
      const tense = { state: { actor: 'A', in: 'tense' } };
      // calm (start) → tense.low (turn 1) → tense.high (turn 2) → calm (turn 3) → tense.low (turn 4)
      expect(check(happens(tense, { exactly: 2 }))).toMatchObject({ holds: true, turn: 4, because: 'A was in tense 2 separate times; the 2nd was A entered tense on #3 B WORDS against A on turn 4' });
      expect(check(happens(tense, { atLeast: 3 }))).toMatchObject({ holds: false });
      expect(check(happens({ state: { actor: 'A', in: 'calm' } }, { exactly: 2 }))).toMatchObject({ holds: true, turn: 3 });
      expect(check(happens({ state: { actor: 'A', in: 'calm' } }, { atMost: 1 }))).toMatchObject({ holds: false, turn: 3 });
      expect(check(happens({ state: { actor: 'A', in: 'tense.high' } }, { exactly: 1 }))).toMatchObject({ holds: true, turn: 2 });
    });

    test('descriptions say the count, and impossible counts are refused', () => {
      expect(happens('WORDS', { atLeast: 2 }).description).toBe('WORDS happens at least 2 times');
      expect(happens('WORDS', { atMost: 1, byTurn: 4 }).description).toBe('WORDS happens at most 1 time by turn 4');
      expect(happens('WORDS', { exactly: 0 }).description).toBe('WORDS happens exactly 0 times');
      expect(happens('WORDS', { atLeast: 1, atMost: 3 }).description).toBe('WORDS happens between 1 and 3 times');
      expect(happens('WORDS').description).toBe('WORDS happens');
      expect(() => happens('WORDS', { atLeast: 3, atMost: 2 })).toThrow('atLeast (3) is more than atMost (2)');
      expect(() => happens('WORDS', { exactly: 2, atLeast: 1 })).toThrow('give exactly, or atLeast and/or atMost, not both');
      expect(() => happens('WORDS', { atLeast: 1.5 })).toThrow('atLeast must be a whole number ≥ 0; found 1.5');
    });
  });

  test('precedes: the later act needs the earlier one strictly before it', () => {
    expect(verdict(precedes('ATTACK', 'INVOKE')).holds).toBe(true);
    expect(verdict(precedes({ state: { actor: 'A', in: 'war' } }, 'INVOKE')).holds).toBe(true);
    expect(verdict(precedes('INVOKE', 'ATTACK'))).toEqual({ holds: false, because: '#1 B ATTACK against A on turn 3, with no INVOKE before it', turn: 3, act: 1 });
    expect(verdict(precedes({ event: 'ATTACK', against: 'C' }, 'INVOKE')).holds).toBe(false);
  });

  test('always: at every turn end, over states, peaks, acts so far and the turn', () => {
    expect(verdict(always({ peak: { lte: 'L3' } })).holds).toBe(true);
    expect(verdict(always({ any: [{ turn: { lt: 3 } }, { state: { actor: 'A', in: 'war' } }] })).holds).toBe(true);
    expect(verdict(always({ not: { happened: { event: 'ATTACK' } } }))).toEqual({ holds: false, because: 'at the end of turn 3, "not ATTACK happened" was false', turn: 3 });
    expect(() => always({ var: { name: 'x', gte: 1 } }).bind(model)).toThrow("cannot check \"var: x\" over a run's trace: variables are not in it");
  });

  test('combinators: not, allOf, anyOf, implies, with readable descriptions', () => {
    const attacked = happens({ event: 'ATTACK', to: 'A' });
    const defended = happens('INVOKE');
    expect(implies(attacked, defended).description).toBe('if ATTACK to A happens then INVOKE happens');
    expect(verdict(implies(attacked, defended)).holds).toBe(true);
    expect(verdict(implies(attacked, not(defended)))).toMatchObject({ holds: false });
    expect(verdict(allOf(attacked, not(defended)))).toMatchObject({ holds: false, because: '#2 A INVOKE against B on turn 3' });
    expect(verdict(anyOf(not(attacked), defended)).holds).toBe(true);
    expect(allOf(reaches('L2'), never('INVOKE')).description).toBe('(reaches L2) and (never INVOKE)');
    expect(named('no defence', never('INVOKE')).description).toBe('no defence');
    expect(verdict(named('no defence', never('INVOKE')))).toEqual(verdict(never('INVOKE')));
  });

  test('an unknown name is an error that lists the known ones', () => {
    expect(() => never('NOPE').bind(model)).toThrow('unknown event type "NOPE" (known: WORDS, ATTACK, INVOKE)');
    expect(() => never({ state: { actor: 'A', in: 'nowhere' } }).bind(model)).toThrow('unknown state "nowhere" of A (known: peace, war)');
    expect(() => reaches('L9').bind(model)).toThrow('unknown rung or threshold "L9" (did you mean "L0" or "L1" or "L2"? known: L0, L1, L2, L3, T1)');
    expect(() => reaches('L1', { theatre: 'north' }).bind(model)).toThrow('unknown theatre "north" (known: east, west)');
  });
});

describe('checkScenario', () => {
  const duel = loadValid('test/fixtures/valid/duel.yaml').scenario;
  const noClash = never('CLASH');

  test('returns the first run of the batch that breaks the property, with the seed that replays it', () => {
    const found = checkScenario(duel, noClash, { runs: 300, seed: '9', file: 'test/fixtures/valid/duel.yaml' });
    expect(found).toBeDefined();
    if (found === undefined) return;
    expect(found.seed).toBe(deriveRunSeed('9', found.index));
    const m = buildModel(duel);
    for (let i = 0; i < found.index; i++) {
      expect(noClash.bind(m).check(runOnce(m, createKernel(m, 'reference'), deriveRunSeed('9', i))).holds).toBe(true);
    }
    const replayed = runOnce(m, createKernel(m, 'reference'), found.seed, { trace: true });
    expect(replayed.events).toEqual(found.record.events);
    expect(found.replay).toBe(`brink run test/fixtures/valid/duel.yaml --seed ${found.seed}`);
    expect(found.message).toContain(`Property broken: never CLASH\n  in run ${found.index} of 300 (run seed ${found.seed}): #`);
    expect(found.message).toContain('What led to it: #');
    // The message tells the pathway an act a line; the narrative is brink run's own, in full.
    expect(found.message).toContain('Pathway: the acts that raised the peak, with what led to them');
    expect(found.message.trimEnd().endsWith(`Replay: ${found.replay}`)).toBe(true);
    expect(found.narrative).toContain(`Replay: ${found.replay}`);
    expect(checkScenario(duel, noClash, { runs: 300, seed: '9', engine: 'compiled' })?.index).toBe(found.index);
  });

  test('returns undefined when every run keeps the property', () => {
    expect(checkScenario(SCRIPTED, precedes('ATTACK', 'INVOKE'), { runs: 20 })).toBeUndefined();
  });

  test('assertHolds throws the counterexample, told in full', () => {
    let error: unknown;
    try {
      assertHolds(duel, noClash, { runs: 300, seed: '9' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CounterexampleError);
    expect((error as CounterexampleError).message).toBe((error as CounterexampleError).counterexample.message);
    expect(Object.keys(error as object)).not.toContain('counterexample');
  });

  test('refuses an invalid scenario, and lets an engine error (naming its seed) through', () => {
    const broken = { ...duel, events: { ...duel.events, CLASH: { ...duel.events['CLASH'], rung: 'L9' } } } as Scenario;
    expect(() => checkScenario(broken, noClash)).toThrow(/the scenario has 1 error\(s\):\nevents.CLASH.rung: unknown rung "L9"/);
    const cycle = loadValid('test/fixtures/valid/cascade-cycle.yaml').scenario;
    expect(() => checkScenario(cycle, never('PING'))).toThrow(EngineError);
  });
});
