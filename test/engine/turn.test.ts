import { describe, expect, test } from 'vitest';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import { ReferenceKernel } from '../../src/engine/reference-kernel.ts';
import { EngineError, type RunRecord, runOnce } from '../../src/engine/run.ts';
import type { Model } from '../../src/model/types.ts';
import { loadValid, modelOf } from '../helpers.ts';

const names = (m: Model, r: RunRecord) =>
  r.events.map((e) => `${e.turn} ${m.actors[e.from]?.id} ${m.events[e.type]?.id}${e.cause >= 0 ? ` <#${e.cause}` : ''}`);

/** A fixed random source that records how many numbers were drawn. */
function counting(values: readonly number[] = [0.99]) {
  let i = 0;
  const random = () => values[i++ % values.length] as number;
  return { random, draws: () => i };
}

const HEADER = `
version: 1
metadata: { id: t, title: T }
time: { turns: 4 }
theatres: { east: { name: East }, west: { name: West } }
ladder:
  rungs: [{ id: L0, name: Calm }, { id: L1, name: Words }, { id: L2, name: Drills }, { id: L3, name: Fire }]
  thresholds: [{ id: T1, name: militarised, at: L2 }]
`;

describe('one turn, exactly as design.md says', () => {
  test('every shock and every actor draws exactly one number per turn, whether or not anything can happen', () => {
    const { model } = loadValid('test/fixtures/valid/duel.yaml');
    const src = counting();
    runOnce(model, new ReferenceKernel(model), 'x', { random: src.random });
    expect(src.draws()).toBe(model.turns * (model.shocks.length + model.actors.length));
  });

  test('decisions are taken on the world as it stood at the start of the turn', () => {
    // Turn 1: B's scripted PROTEST moves A from calm to alert, but A decides from calm: it protests.
    const { model } = loadValid('test/fixtures/valid/duel.yaml');
    const r = runOnce(model, new ReferenceKernel(model), 'x', { random: counting([0.99, 0.0, 0.99]).random });
    expect(names(model, r).slice(0, 2)).toEqual(['1 B PROTEST', '1 A PROTEST']);
  });

  test('reactions are queued FIFO after the acts that caused them, with causal links and depth', () => {
    const model = modelOf(`${HEADER}
events:
  POKE: { rung: L1, description: Poke }
  ECHO: { rung: L1, description: Echo }
  NOTE: { rung: L1, description: Note }
actors:
  A:
    name: A
    statechart:
      on:
        POKE:
          when: { event: { field: from, ne: $self } }
          effects: [{ emit: { event: ECHO, to: [B] } }]
        ECHO:
          effects: [{ emit: { event: NOTE, to: [B] } }]
  B:
    name: B
    statechart:
      on:
        POKE: {}
        ECHO: {}
        NOTE: {}
script:
  one: { turn: 1, event: POKE, from: B, to: [A] }
  two: { turn: 1, event: POKE, from: B, to: [A] }
`);
    const r = runOnce(model, new ReferenceKernel(model), 's');
    // A's ECHO goes to its sender too: A's own ECHO transition then emits NOTE.
    expect(names(model, r)).toEqual(['1 B POKE', '1 B POKE', '1 A ECHO <#0', '1 A ECHO <#1', '1 A NOTE <#2', '1 A NOTE <#3']);
    expect(r.events.map((e) => e.depth)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(r.events[2]?.origin).toBe('reaction');
  });

  test('accounting: against defaults to the recipients, the sender is never its own target, theatres are kept apart', () => {
    const model = modelOf(`${HEADER}
events:
  TALK: { rung: L1, theatre: east, description: Talk }
  DRILL: { rung: L2, theatre: west, description: Drill }
actors:
  A: { name: A, statechart: { on: { TALK: {}, DRILL: {} } } }
  B: { name: B, statechart: { on: { TALK: {}, DRILL: {} } } }
  C: { name: C, statechart: { on: { TALK: {}, DRILL: {} } } }
script:
  talk: { turn: 1, event: TALK, from: A, to: [A, B] }
  drill: { turn: 2, event: DRILL, from: B, to: [A, C], against: [C] }
`);
    const r = runOnce(model, new ReferenceKernel(model), 's');
    const n = model.actors.length;
    const dyad = (f: number, t: number) => r.dyadPeaks[f * n + t];
    expect([dyad(0, 1), dyad(0, 0), dyad(1, 2), dyad(1, 0)]).toEqual([1, -1, 2, -1]);
    expect([...r.theatrePeaks]).toEqual([1, 2]);
    expect(r.overallPeak).toBe(2);
    expect([...r.thresholdTurns]).toEqual([2, 0, 2]);
    expect(r.steps.map((s) => [s.event, s.theatre])).toEqual([[0, -1], [0, 0], [1, -1], [1, 1]]);
  });

  test('moves: categorical over their probabilities, scaled down when they sum above 1; modifiers in order, clamped', () => {
    const model = modelOf(`${HEADER}
variables: { x: { initial: 2 } }
events:
  LEFT: { rung: L1, description: Left }
  RIGHT: { rung: L1, description: Right }
actors:
  A:
    name: A
    statechart:
      on: { LEFT: {}, RIGHT: {} }
      moves:
        left: { event: LEFT, to: [B], probability: 0.9 }
        right:
          event: RIGHT
          to: [B]
          probability: 0.1
          modifiers:
            - { when: { var: { name: x, gte: 2 } }, add: 0.5 }
            - { when: { turn: { gte: 3 } }, multiply: 10 }
  B: { name: B, statechart: { on: { LEFT: {}, RIGHT: {} } } }
`);
    // Draws alternate A, B (B draws though it has no move). Turns 1–2: left 0.9, right 0.6 → scaled by 1.5: left [0, 0.6), right [0.6, 1). Turns 3–4: right clamps to 1 → left 0.9/1.9.
    const r = runOnce(model, new ReferenceKernel(model), 's', { random: counting([0.59, 0, 0.61, 0, 0.47, 0, 0.48, 0]).random });
    expect(names(model, r)).toEqual(['1 A LEFT', '2 A RIGHT', '3 A LEFT', '4 A RIGHT']);
  });

  test("a move is possible only when its sender's machine accepts it (guards included)", () => {
    const model = modelOf(`${HEADER}
events:
  TALK: { rung: L1, description: Talk }
actors:
  A:
    name: A
    statechart:
      on:
        TALK: { when: { turn: { gte: 3 } } }
      moves:
        talk: { event: TALK, to: [B], probability: 1 }
  B: { name: B, statechart: { on: { TALK: {} } } }
`);
    const r = runOnce(model, new ReferenceKernel(model), 's');
    expect(names(model, r)).toEqual(['3 A TALK', '4 A TALK']);
  });

  test('a cascade cycle stops the run with an error that names the cycle, the seed and the turn', () => {
    const { model } = loadValid('test/fixtures/valid/cascade-cycle.yaml');
    let error: unknown;
    try {
      runOnce(model, new ReferenceKernel(model), 'seed-7');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    const e = error as EngineError;
    expect([e.code, e.seed, e.turn]).toEqual(['engine/cascade_overflow', 'seed-7', 2]);
    expect(e.message).toContain('it cycles through B PONG → A PING → B PONG');
  });

  test('variables are clamped to their range', () => {
    const model = modelOf(`${HEADER}
variables: { x: { initial: 0, min: 0, max: 3 } }
events:
  UP: { rung: L1, description: Up }
  CHECK: { rung: L1, description: Check }
actors:
  A:
    name: A
    statechart:
      on:
        UP: { effects: [{ add: { var: x, value: 2 } }] }
        CHECK: { when: { var: { name: x, eq: 3 } }, effects: [{ emit: { event: UP, to: [A] } }] }
script:
  a: { turn: 1, event: UP, from: A, to: [A] }
  b: { turn: 1, event: UP, from: A, to: [A] }
  c: { turn: 1, event: UP, from: A, to: [A] }
  d: { turn: 2, event: CHECK, from: A, to: [A] }
`);
    const r = runOnce(model, new ReferenceKernel(model), 's');
    expect(names(model, r)).toEqual(['1 A UP', '1 A UP', '1 A UP', '2 A CHECK', '2 A UP <#3']);
  });
});

describe('rule counts', () => {
  test('a transition that emits an act is counted once per firing (issue 3 note: it was counted twice)', () => {
    const { model } = loadValid('test/fixtures/valid/duel.yaml');
    const r = runOnce(model, new ReferenceKernel(model), '3', { trace: true });
    const emitting = model.rules.find((x) => x.id === 'transition:B:wary:DRILL:0');
    const fired = r.events.filter((e) => e.rule === emitting?.index).length;
    expect(fired).toBeGreaterThan(0);
    expect(r.ruleCounts[emitting?.index ?? -1]).toBe(fired);
  });
});

describe('entry effects', () => {
  test('run when a transition enters the state, once per entry, and count as one firing of the entry rule; not for the initial state', () => {
    const model = modelOf(`${HEADER}
variables: { x: { initial: 0 } }
events:
  GO: { rung: L1, description: Go }
  BACK: { rung: L1, description: Back }
actors:
  A:
    name: A
    statechart:
      initial: home
      states:
        home:
          entry: [{ add: { var: x, value: 10 } }]
          on: { GO: { target: away } }
        away:
          entry: [{ add: { var: x, value: 1 } }, { emit: { event: BACK, to: [A] } }]
          on: { BACK: { target: home } }
script:
  one: { turn: 1, event: GO, from: A, to: [A] }
  two: { turn: 3, event: GO, from: A, to: [A] }
`);
    for (const kernel of [new ReferenceKernel(model), new CompiledKernel(model)]) {
      const r = runOnce(model, kernel, 's', { trace: true });
      const count = (id: string) => r.ruleCounts[model.rules.find((x) => x.id === id)?.index ?? -1];
      expect([count('entry:A:away'), count('entry:A:home')]).toEqual([2, 2]);
      expect(names(model, r)).toEqual(['1 A GO', '1 A BACK <#0', '3 A GO', '3 A BACK <#2']);
    }
  });
});

describe('a move’s precondition (`when`)', () => {
  const model = modelOf(`${HEADER}
variables: { tension: { initial: 0, min: 0, max: 5 } }
events:
  WARN: { rung: L1, description: Warn }
  STRIKE: { rung: L3, description: Strike }
actors:
  A:
    name: A
    statechart:
      on:
        WARN: { effects: [{ add: { var: tension, value: 1 } }] }
        STRIKE: {}
      moves:
        warn: { event: WARN, to: [B], probability: 0.5 }
        strike: { event: STRIKE, to: [B], probability: 0.5, when: { var: { name: tension, gte: 2 } } }
  B:
    name: B
    statechart: { on: { WARN: {} } }
`);
  const kinds = ['reference', 'compiled'] as const;
  const kernel = (k: (typeof kinds)[number]) => (k === 'reference' ? new ReferenceKernel(model) : new CompiledKernel(model));

  test.each(kinds)('%s: the move is impossible until it holds on the start-of-turn world, and its draw is still taken', (k) => {
    // Draws per turn: A, B. A's 0.9 falls in "strike" (0.5–1.0) only when strike is possible; otherwise nothing.
    const src = counting([0.1, 0.99, 0.1, 0.99, 0.9, 0.99, 0.9, 0.99]);
    const r = runOnce(model, kernel(k), 's', { random: src.random });
    // Turns 1–2: warn, warn (tension 0 → 1 → 2). Turn 3: tension is 2 at the start: strike is possible,
    // the two moves share the draw (0.9 ≥ 0.5 picks strike). Turn 4: the same.
    expect(names(model, r)).toEqual(['1 A WARN', '2 A WARN', '3 A STRIKE', '4 A STRIKE']);
    expect(src.draws()).toBe(model.turns * model.actors.length);
  });

  test.each(kinds)('%s: while it does not hold, the move takes no share of the draw', (k) => {
    // Turn 1: tension 0, so "strike" is not a candidate: 0.9 is above warn's 0.5 and nothing happens.
    const r = runOnce(model, kernel(k), 's', { random: counting([0.9, 0.99]).random });
    expect(names(model, r)).toEqual([]);
  });
});
