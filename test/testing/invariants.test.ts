import { fc, test } from '@fast-check/vitest';
import { scenarioArb } from 'brink/testing';
import { produce } from 'immer';
import { describe, expect } from 'vitest';
import { InvariantTally, checkInvariants, needsTrace, tallyInvariants } from '../../src/analysis/invariants.ts';
import { createKernel } from '../../src/batch/play-batch.ts';
import { TraceView } from '../../src/analysis/trace-view.ts';
import { deriveRunSeed } from '../../src/engine/rng.ts';
import { EngineError, type RunRecord, runOnce } from '../../src/engine/run.ts';
import { evaluate } from '../../src/model/evaluate.ts';
import { resolveStateCondition } from '../../src/model/invariants.ts';
import type { Model } from '../../src/model/types.ts';
import { renderViolations, renderViolationsMarkdown } from '../../src/report/violations.ts';
import { parseScenarioText } from '../../src/scenario/load.ts';
import { formatProblem } from '../../src/scenario/problem.ts';
import type { Scenario } from '../../src/scenario/schema.ts';
import { conditionBlueprint, toCondition } from '../../src/testing/condition-arb.ts';
import { modelOf } from '../helpers.ts';

const BASE = `
version: 1
metadata: { id: inv, title: Invariants }
time: { turns: 4 }
ladder:
  rungs: [{ id: L0, name: Calm }, { id: L1, name: Words }, { id: L2, name: Attack }, { id: L3, name: Defence }]
events:
  WORDS: { rung: L1, description: Words }
  ATTACK: { rung: L2, description: An armed attack }
  INVOKE: { rung: L3, description: Mutual defence invoked, fields: { treaty: [t1, t2] } }
`;

const HEADER = `${BASE}
actors:
  A:
    name: A
    statechart:
      initial: peace
      states:
        peace:
          on:
            WORDS: {}
            ATTACK: { target: war, when: { event: { field: to, includes: $self } } }
            INVOKE: {}
        war:
          on: { INVOKE: {} }
  B:
    name: B
    statechart:
      on: { WORDS: {}, ATTACK: {}, INVOKE: {} }
`;

/** Everything is scripted: the run is the same whatever the seed. */
const SCRIPTED = `${HEADER}
script:
  words: { turn: 1, event: WORDS, from: A, to: [B] }
  invoke: { turn: 2, event: INVOKE, from: B, to: [A], data: { treaty: t1 } }
  attack: { turn: 3, event: ATTACK, from: B, to: [A] }
invariants:
  defence:
    precedes: { first: { event: ATTACK, against: B }, then: { event: INVOKE } }
    description: mutual defence only after an armed attack on the invoking party
  wordsFirst: { precedes: { first: WORDS, then: ATTACK } }
  noWar: { never: { state: { actor: A, in: war } } }
  noT2: { never: { event: INVOKE, data: { treaty: t2 } } }
  belowDefence: { always: { peak: { lt: L3 } } }
  peaceful: { always: { not: { state: { actor: A, in: war } } } }
`;

const record = (model: Model, seed = 's', trace = true): RunRecord => runOnce(model, createKernel(model, 'reference'), seed, { trace });

describe('invariants in scenario files', () => {
  test('are checked over a traced run: each broken one once, at its first breach, in file order', () => {
    const model = modelOf(SCRIPTED);
    expect(checkInvariants(model, record(model))).toMatchInlineSnapshot(`
      [
        {
          "act": 1,
          "invariant": "defence",
          "kind": "precedes",
          "message": "#1 B INVOKE against A on turn 2, with no ATTACK against B before it",
          "turn": 2,
        },
        {
          "act": 2,
          "invariant": "noWar",
          "kind": "never",
          "message": "A entered war on #2 B ATTACK against A on turn 3",
          "turn": 3,
        },
        {
          "act": -1,
          "invariant": "belowDefence",
          "kind": "always",
          "message": "at the end of turn 2, "peak < L3" was false",
          "turn": 2,
        },
        {
          "act": -1,
          "invariant": "peaceful",
          "kind": "always",
          "message": "at the end of turn 3, "not A in war" was false",
          "turn": 3,
        },
      ]
    `);
  });

  test('"precedes" needs the first pattern strictly earlier; the initial state counts as before everything', () => {
    const model = modelOf(`${HEADER}
script:
  attack: { turn: 2, event: ATTACK, from: A, to: [B] }
  invoke: { turn: 2, event: INVOKE, from: B, to: [A] }
invariants:
  ok: { precedes: { first: { event: ATTACK, against: B }, then: INVOKE } }
  sameAct: { precedes: { first: INVOKE, then: INVOKE } }
  startsInPeace: { precedes: { first: { state: { actor: A, in: peace } }, then: ATTACK } }
  reversed: { precedes: { first: INVOKE, then: ATTACK } }
`);
    expect(checkInvariants(model, record(model)).map((v) => `${v.invariant}: ${v.message}`)).toEqual([
      'sameAct: #1 B INVOKE against A on turn 2, with no INVOKE before it',
      'reversed: #0 A ATTACK against B on turn 2, with no INVOKE before it',
    ]);
  });

  test('act-only invariants need no trace; state ones do, and say so', () => {
    const acts = modelOf(`${HEADER}
invariants: { quiet: { never: WORDS }, low: { always: { peak: { lt: L2 } } } }
`);
    expect(needsTrace(acts)).toBe(false);
    expect(checkInvariants(acts, record(acts, 's', false))).toEqual([]);
    const states = modelOf(SCRIPTED);
    expect(needsTrace(states)).toBe(true);
    expect(() => checkInvariants(states, record(states, 's', false))).toThrow(/traced run/);
  });

  test('mistakes are reported like every other scenario problem, all at once', () => {
    const r = parseScenarioText(
      `${HEADER}
variables: { x: { initial: 0 } }
invariants:
  both: { never: WORDS, always: { turn: { gte: 1 } } }
  shorthand: { never: WORDS }
  unknownEvent: { never: { event: NOPE } }
  unknownState: { never: { state: { actor: A, in: nowhere } } }
  mixed: { never: { state: { actor: A, in: war }, from: B } }
  variable: { always: { all: [{ turn: { gte: 1 } }, { var: { name: x, gte: 1 } }] } }
  eventField: { always: { event: { field: from, eq: A } } }
  noActor: { always: { state: { in: war } } }
  badData: { never: { event: [WORDS, INVOKE], data: { treaty: t9 } } }
`,
      'bad.yaml',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map(formatProblem)).toMatchInlineSnapshot(`
      [
        "bad.yaml:32:9 invariants.both: expected an invariant with exactly one of the keys never, precedes, always; found never, always",
        "bad.yaml:34:35 invariants.unknownEvent.never.event: unknown event type "NOPE" (known: WORDS, ATTACK, INVOKE)",
        "bad.yaml:35:51 invariants.unknownState.never.state.in: unknown state "nowhere" of A (known: peace, war)",
        "bad.yaml:36:19 invariants.mixed.never: a state pattern takes no from: those narrow an act pattern (with "event")",
        "bad.yaml:38:34 invariants.eventField.always.event: an event condition can only be used in a transition's "when"",
        "bad.yaml:39:31 invariants.noActor.always.state: expected "actor": outside a statechart a state condition must name its actor",
        "bad.yaml:40:63 invariants.badData.never.data.treaty: event "WORDS" has no data field "treaty" (none are declared)",
        "bad.yaml:40:63 invariants.badData.never.data.treaty: expected one of "t1", "t2" for "INVOKE.treaty"; found "t9"",
      ]
    `);
  });
});

describe('InvariantTally', () => {
  const coins = modelOf(`${BASE.replace('turns: 4', 'turns: 6')}
actors:
  A:
    name: A
    statechart:
      on: { WORDS: {}, ATTACK: {} }
      moves:
        talk: { event: WORDS, to: [B], probability: 0.5 }
        attack: { event: ATTACK, to: [B], probability: 0.1 }
  B: { name: B, statechart: { on: { WORDS: {}, ATTACK: {} } } }
invariants:
  noAttack: { never: ATTACK, description: nobody attacks }
  talkFirst: { precedes: { first: WORDS, then: ATTACK } }
  quiet: { never: { event: WORDS, from: B } }
`);

  test('counts the runs that broke each invariant and keeps the earliest, whatever the split', () => {
    const whole = tallyInvariants(coins, { runs: 60, seed: '7' }).toData();
    const byHand = new InvariantTally(coins);
    for (let i = 0; i < 60; i++) byHand.add(record(coins, deriveRunSeed('7', i), false), i);
    expect(byHand.toData()).toEqual(whole);
    const split = new InvariantTally(coins);
    split.merge(tallyInvariants(coins, { runs: 35, seed: '7', from: 25 }).toData());
    split.merge(tallyInvariants(coins, { runs: 25, seed: '7' }).toData());
    expect(split.toData()).toEqual(whole);
    const noAttack = whole.invariants[0];
    expect(noAttack?.violations).toBeGreaterThan(0);
    expect(noAttack?.first?.seed).toBe(deriveRunSeed('7', noAttack?.first?.index ?? -1));
    expect(whole.invariants[2]?.violations).toBe(0);
  });

  test('renders as a report section with the seed that replays the first breach', () => {
    const data = tallyInvariants(coins, { runs: 40, seed: '1' }).toData();
    expect(renderViolations(data, { file: 'coins.yaml' })).toMatchInlineSnapshot(`
      "Invariants: 2 of 3 broken in 40 runs
        ✗ noAttack: nobody attacks (never ATTACK)
            broken in 22 of 40 runs (55.0%); first in run 1, seed 7321107122257393
            turn 4: #1 A ATTACK against B on turn 4
            replay: brink run coins.yaml --seed 7321107122257393
        ✗ talkFirst: ATTACK only after WORDS
            broken in 5 of 40 runs (12.5%); first in run 19, seed 4125038881235065
            turn 1: #0 A ATTACK against B on turn 1, with no WORDS before it
            replay: brink run coins.yaml --seed 4125038881235065
        ✓ quiet: never WORDS by B
      "
    `);
    const one = new InvariantTally(coins);
    one.add(record(coins, data.invariants[0]?.first?.seed ?? '', false), 0);
    expect(renderViolations(one.toData(), { file: 'coins.yaml' })).toContain('Invariants: 1 of 3 broken in this run');
    expect(renderViolations(new InvariantTally(modelOf(HEADER)).toData())).toBe('');
    expect(renderViolationsMarkdown(data, { file: 'coins.yaml' })).toMatchInlineSnapshot(`
      "## Invariants

      | invariant | rule | runs that broke it | first breach | replay |
      |---|---|---:|---|---|
      | ✗ \`noAttack\` | nobody attacks (never ATTACK) | 22 of 40 (55.0%) | turn 4: #1 A ATTACK against B on turn 4 | \`brink run coins.yaml --seed 7321107122257393\` |
      | ✗ \`talkFirst\` | ATTACK only after WORDS | 5 of 40 (12.5%) | turn 1: #0 A ATTACK against B on turn 1, with no WORDS before it | \`brink run coins.yaml --seed 4125038881235065\` |
      | ✓ \`quiet\` | never WORDS by B | 0 of 40 (0.0%) | — | — |
      "
    `);
  });
});

describe('TraceView: the world at a turn end, rebuilt from a traced run', () => {
  const seed = fc.string({ minLength: 1, maxLength: 6 });

  test.prop([scenarioArb(), seed], { numRuns: 150 })('at the last turn it agrees with the run’s peaks and the machines’ final states', (s, runSeed) => {
    const model = modelOfScenario(s);
    const kernel = createKernel(model, 'reference');
    let r: RunRecord;
    try {
      r = runOnce(model, kernel, runSeed, { trace: true });
    } catch (e) {
      if (e instanceof EngineError) return;
      throw e;
    }
    const view = new TraceView(model, r);
    view.advanceTo(model.turns);
    const n = model.actors.length;
    expect(view.peak(-1, -1, -1)).toBe(r.overallPeak);
    model.theatres.forEach((_, t) => expect(view.peak(-1, -1, t)).toBe(r.theatrePeaks[t]));
    for (let f = 0; f < n; f++) for (let t = 0; t < n; t++) expect(view.peak(f, t, -1)).toBe(r.dyadPeaks[f * n + t]);
    for (const a of model.actors) for (const st of a.states) expect(view.inState(a.index, st.index), `${a.id} ${st.path}`).toBe(kernel.inState(a.index, st.index));
  });

  // A probe shock with probability 1 fires at the start of turn t+1 exactly when its `when` is false
  // on the engine's own world — the world as turn t left it. The probe sends to nobody, so it changes
  // no state and no peak.
  const probed = fc
    .tuple(scenarioArb(), conditionBlueprint(2))
    .map(([s, b]) => {
      const scope = {
        actors: Object.keys(s.actors),
        states: Object.fromEntries(Object.keys(s.actors).map((a) => [a, modelOfScenario(s).actors.find((x) => x.id === a)?.states.slice(1).map((x) => x.path) ?? []])),
        events: Object.keys(s.events),
        fields: Object.fromEntries(Object.entries(s.events).map(([id, e]) => [id, e.fields ?? {}])),
        rungs: s.ladder.rungs.map((r) => r.id),
        theatres: Object.keys(s.theatres ?? {}),
        variables: [],
        hasEvent: false,
        allowVar: false,
      };
      const condition = toCondition(b, scope);
      const scenario = produce(s, (d) => {
        d.events['PROBE'] = { rung: 'L0', description: 'probe' };
        d.shocks = { probe: { event: 'PROBE', from: Object.keys(s.actors)[0] as string, to: [], probability: 1, when: { not: condition } }, ...d.shocks };
      });
      return { scenario, condition };
    });

  test('the probe law is not vacuous: probes both fire and stay silent', () => {
    const fired = { yes: 0, no: 0 };
    for (const { scenario } of fc.sample(probed, { numRuns: 60, seed: 5 })) {
      const model = modelOfScenario(scenario);
      const probe = model.events.findIndex((e) => e.id === 'PROBE');
      try {
        const r = record(model, 'x');
        for (let t = 1; t <= model.turns; t++) fired[r.events.some((e) => e.type === probe && e.turn === t) ? 'yes' : 'no']++;
      } catch (e) {
        if (!(e instanceof EngineError)) throw e;
      }
    }
    expect(fired.yes).toBeGreaterThan(20);
    expect(fired.no).toBeGreaterThan(20);
  });

  test.prop([probed, seed], { numRuns: 200 })('conditions on it read what the engine read at the next turn’s start', ({ scenario, condition }, runSeed) => {
    const model = modelOfScenario(scenario);
    let r: RunRecord;
    try {
      r = record(model, runSeed);
    } catch (e) {
      if (e instanceof EngineError) return;
      throw e;
    }
    const probe = model.events.findIndex((e) => e.id === 'PROBE');
    const c = resolveStateCondition(model, condition);
    const view = new TraceView(model, r);
    for (let turn = 0; turn < model.turns; turn++) {
      view.advanceTo(turn);
      view.turn = turn + 1;
      const fired = r.events.some((e) => e.type === probe && e.turn === turn + 1);
      expect(fired, `turn ${turn + 1}: ${JSON.stringify(condition)}`).toBe(!evaluate(c, view, undefined));
    }
  });
});

function modelOfScenario(s: Scenario): Model {
  return modelOf(JSON.stringify(s));
}
