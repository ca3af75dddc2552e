import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { formatProblem } from '../../src/scenario/problem.ts';

const DIR = 'test/fixtures/invalid';
const messages = (name: string) => {
  const r = loadScenarioFile(join(DIR, name));
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.problems.map(formatProblem);
};

describe('each invalid fixture gives its expected messages', () => {
  test('every fixture is covered here', () => {
    expect(readdirSync(DIR).sort()).toMatchInlineSnapshot(`
      [
        "absurd-size.yaml",
        "acts.yaml",
        "alias-bomb.yaml",
        "chance-modifiers.yaml",
        "chance-range.yaml",
        "colon.yaml",
        "expression-names.yaml",
        "expressions.yaml",
        "extends-cycle-a.yaml",
        "extends-cycle-b.yaml",
        "flow-comma.yaml",
        "impossible-move.yaml",
        "missing-initial.yaml",
        "outcomes.yaml",
        "prototype-keys.yaml",
        "references.yaml",
        "schema.json",
        "schema.yaml",
        "shapes.yaml",
        "syntax.json",
        "syntax.yaml",
        "teaching.yaml",
        "time-after.yaml",
        "time-delay.yaml",
        "time-for-turns.yaml",
      ]
    `);
  });

  test('after written wrong (issue 12, item 5): both turn and after, neither, unknown names, a wait past the end, 0 turns', () => {
    expect(messages('time-after.yaml')).toMatchInlineSnapshot(`
      [
        "test/fixtures/invalid/time-after.yaml:10:9 script.both: expected an inject with exactly one of the keys turn, after; found turn, after",
        "test/fixtures/invalid/time-after.yaml:11:12 script.neither: expected an inject with one of the keys turn, after; found none",
        "test/fixtures/invalid/time-after.yaml:12:27 script.typo.after.event: unknown event type "STRIKES" (did you mean "STRIKE"? known: STRIKE, INVADE)",
        "test/fixtures/invalid/time-after.yaml:12:42 script.typo.after.from: unknown actor "AA" (did you mean "A"? known: A, B)",
        "test/fixtures/invalid/time-after.yaml:13:43 script.never.after.turns: expected fewer turns than the run has (6, time.turns): after 6 the inject could never happen; found 6",
        "test/fixtures/invalid/time-after.yaml:14:42 script.zero.after.turns: expected at least 1; found 0",
      ]
    `);
  });

  test('delay written wrong (issue 12, item 5): 0 turns, a fraction, a misspelt key, on a shock (only moves and emits)', () => {
    expect(messages('time-delay.yaml')).toMatchInlineSnapshot(`
      [
        "test/fixtures/invalid/time-delay.yaml:11:62 actors.A.statechart.on.GO.effects[0].emit.delay: expected at least 1; found 0",
        "test/fixtures/invalid/time-delay.yaml:13:60 actors.A.statechart.moves.half.delay: expected an integer, found 1.5",
        "test/fixtures/invalid/time-delay.yaml:14:57 actors.A.statechart.moves.misspelt.dealy: unknown key "dealy" (did you mean "delay"? known: delay, event, to, against, data, theatre, rung, probability, modifiers, when, once, source, assumption, description)",
        "test/fixtures/invalid/time-delay.yaml:17:49 shocks.late.delay: unknown key "delay" (known: event, from, to, against, data, theatre, rung, probability, modifiers, when, source, assumption, description)",
      ]
    `);
  });

  test('forTurns written wrong (issue 12, item 5): a negative or fractional count, no comparison, an unknown state, a misspelt key', () => {
    expect(messages('time-for-turns.yaml')).toMatchInlineSnapshot(`
      [
        "test/fixtures/invalid/time-for-turns.yaml:15:105 actors.A.statechart.states.idle.moves.negative.when.state.forTurns.gte: expected at least 0; found -1",
        "test/fixtures/invalid/time-for-turns.yaml:16:105 actors.A.statechart.states.idle.moves.fraction.when.state.forTurns.gte: expected an integer, found 1.5",
        "test/fixtures/invalid/time-for-turns.yaml:17:95 actors.A.statechart.states.idle.moves.empty.when.state.forTurns: expected a comparison: one or more of eq, ne, gt, gte, lt, lte (in, includes for event fields)",
        "test/fixtures/invalid/time-for-turns.yaml:18:78 actors.A.statechart.states.idle.moves.typo.when.state.in: unknown state "idel" of A (did you mean "idle"? known: idle)",
        "test/fixtures/invalid/time-for-turns.yaml:19:88 actors.A.statechart.states.idle.moves.misspelt.when.state.forTurn: unknown key "forTurn" (did you mean "forTurns"? known: forTurns, actor, in)",
      ]
    `);
  });

  test('acts written wrong (issue 12, item 6): an unknown rung on an emit or a move, $sender outside an emit', () => {
    expect(messages('acts.yaml')).toMatchInlineSnapshot(`
      [
        "test/fixtures/invalid/acts.yaml:14:62 actors.USA.statechart.on.ALERT.effects[0].emit.rung: unknown rung "DEFCON" (did you mean "DEFCON3" or "DEFCON2"? known: DEFCON3, DEFCON2, L0)",
        "test/fixtures/invalid/acts.yaml:16:49 actors.USA.statechart.moves.alert.rung: unknown rung "DEFCN2" (did you mean "DEFCON2"? known: DEFCON2, L0, DEFCON3)",
        "test/fixtures/invalid/acts.yaml:22:38 actors.ROK.statechart.moves.answer.to[0]: "$sender" (the sender of the act being handled) is only meaningful in an emit's "to" or "against": a move, shock or inject has no act it answers",
      ]
    `);
  });

  test('outcomes written wrong (issue 12): a turn past the end, a state without its actor, an event condition, $self', () => {
    expect(messages('outcomes.yaml')).toMatchInlineSnapshot(`
      [
        "test/fixtures/invalid/outcomes.yaml:8:9 outcomes.late.by: expected a turn from 1 to 12 (time.turns); found 13",
        "test/fixtures/invalid/outcomes.yaml:10:20 outcomes.whose.when.state: expected "actor": outside a statechart a state condition must name its actor",
        "test/fixtures/invalid/outcomes.yaml:12:20 outcomes.handled.when.event: an event condition can only be used in a transition's "when"",
        "test/fixtures/invalid/outcomes.yaml:14:27 outcomes.mine.when.peak.from: "$self" is only meaningful inside an actor's statechart",
      ]
    `);
  });

  test('chance reactions written wrong (issue 12): a probability past 1, modifiers without a probability', () => {
    expect(messages('chance-range.yaml')).toMatchInlineSnapshot(`
      [
        "test/fixtures/invalid/chance-range.yaml:11:36 actors.O.statechart.states.calm.on.ASTRAY.probability: expected at most 1; found 1.5",
      ]
    `);
    expect(messages('chance-modifiers.yaml')).toMatchInlineSnapshot(`
      [
        "test/fixtures/invalid/chance-modifiers.yaml:14:17 actors.O.statechart.states.calm.on.ASTRAY.modifiers: a transition's "modifiers" change its chance: add "probability:" (0–1) beside them, or remove them",
      ]
    `);
  });

  test('expressions written wrong (issue 12, item 4): a constant-only place, two operators, too few operands, an unknown operator, a bare name', () => {
    expect(messages('expressions.yaml')).toEqual([
      'test/fixtures/invalid/expressions.yaml:9:23 variables.tension.initial: expected a number, found an object — only a constant is allowed here; expressions ({ var: … }) are allowed in probabilities, modifiers, set/add effect values and var/turn comparisons',
      'test/fixtures/invalid/expressions.yaml:21:24 actors.A.statechart.moves.m.probability: expected an expression with exactly one of the keys var, turn, add, sub, mul, div, min, max, clamp; found add, mul',
      'test/fixtures/invalid/expressions.yaml:22:54 actors.A.statechart.moves.m.when.var.gt.sub: expected at least 2 items; found 1 items',
      'test/fixtures/invalid/expressions.yaml:27:18 shocks.s.probability: expected an expression with one of the keys var, turn, add, sub, mul, div, min, max, clamp; found none',
      'test/fixtures/invalid/expressions.yaml:27:20 shocks.s.probability.pow: unknown key "pow" (known: var, turn, add, sub, mul, div, min, max, clamp)',
      'test/fixtures/invalid/expressions.yaml:31:18 shocks.t.probability: expected a number, or an object (a mapping of keys to values); found "readiness" — to read a variable write { var: readiness }',
    ]);
  });

  test('expressions naming what is not there (issue 12, item 4): unknown variables with did you mean, too deep', () => {
    expect(messages('expression-names.yaml')).toEqual([
      'test/fixtures/invalid/expression-names.yaml:16:63 actors.A.statechart.on.E.effects[0].add.value.var: unknown variable "readines" (did you mean "readiness"? known: readiness)',
      'test/fixtures/invalid/expression-names.yaml:18:57 actors.A.statechart.moves.m.probability.mul[1].var: unknown variable "tensoin" (known: readiness)',
      'test/fixtures/invalid/expression-names.yaml:23:18 shocks.s.probability: expressions nest deeper than 12 levels',
    ]);
  });

  test('errors that teach (issue 12): did you mean, nearest names first', () => {
    expect(messages('teaching.yaml')).toMatchInlineSnapshot(`
      [
        "test/fixtures/invalid/teaching.yaml:4:53 metadata.descripton: unknown key "descripton" (did you mean "description"? known: description, id, title, authors, version)",
        "test/fixtures/invalid/teaching.yaml:11:21 actors.A.statechart.states.calm.on.PROTST: unknown event type "PROTST" (did you mean "PROTEST"? known: PROTEST, DRILL, CLASH, TALKS)",
        "test/fixtures/invalid/teaching.yaml:11:31 actors.A.statechart.states.calm.on.PROTST.target: unknown state "alret": did you mean "alert"? expected a sibling (calm, alert, fighting) or a path from A's root (calm, alert, fighting)",
        "test/fixtures/invalid/teaching.yaml:13:45 actors.A.statechart.states.calm.moves.protest.to[0]: unknown actor "b" (did you mean "B"? known: B, A)",
      ]
    `);
  });

  test('errors that teach (issue 12): the right form for common shape mistakes', () => {
    expect(messages('shapes.yaml')).toMatchInlineSnapshot(`
      [
        "test/fixtures/invalid/shapes.yaml:11:20 actors.A.statechart.states.calm.on.TALKS: expected an object (a mapping of keys to values), or a list; found "calm" — a transition is a mapping: write { target: calm }",
        "test/fixtures/invalid/shapes.yaml:13:39 shocks.spark.to: expected "all", or a list; found "A" — write a list: [A]",
        "test/fixtures/invalid/shapes.yaml:15:37 invariants.drillsFirst.precedes.first: expected a string, or an object (a mapping of keys to values); found a list of 2 — for any of several event types write { event: [DRILL, PROTEST] }",
        "test/fixtures/invalid/shapes.yaml:16:40 invariants.notA.never.from: expected a string, found a list of 1 — write A without the brackets",
      ]
    `);
  });

  test('errors that teach (issue 12): quote a string with a comma inside { … } or a ": "', () => {
    expect([...messages('flow-comma.yaml'), ...messages('colon.yaml')]).toMatchInlineSnapshot(`
      [
        "test/fixtures/invalid/flow-comma.yaml:4:59 metadata.SAC: "SAC" has no value: in { … } a comma ends a plain string, so quote a string that holds one (write title: "Strategic Air Command, SAC")",
        "test/fixtures/invalid/colon.yaml:7:18 YAML syntax error (block_as_implicit_key): Nested mappings are not allowed in compact mappings; a plain string that holds ": " (or a comma inside { … }) must be quoted — write description: "Art. 4: an exchange of fire"",
      ]
    `);
  });

  test('YAML syntax error', () => {
    expect(messages('syntax.yaml')).toMatchInlineSnapshot(`
      [
        "test/fixtures/invalid/syntax.yaml:5:1 YAML syntax error (bad_indent): Flow sequence in block collection must be sufficiently indented and end with a ]",
      ]
    `);
  });

  test('JSON syntax error', () => {
    expect(messages('syntax.json')).toMatchInlineSnapshot(`
      [
        "test/fixtures/invalid/syntax.json:3:58 invalid JSON: Expected double-quoted property name",
      ]
    `);
  });

  test('schema errors: wrong version, unknown key, wrong types, out of range, missing field, bad condition', () => {
    expect(messages('schema.yaml')).toMatchInlineSnapshot(`
      [
        "test/fixtures/invalid/schema.yaml:1:10 version: expected 1; found 2",
        "test/fixtures/invalid/schema.yaml:5:3 metadata.colour: unknown key "colour" (known: id, title, description, authors, version)",
        "test/fixtures/invalid/schema.yaml:6:16 time.turns: expected a number, found "many"",
        "test/fixtures/invalid/schema.yaml:6:28 time.unit: expected "day" or "week" or "month" or "quarter" or "year" or "turn"; found "fortnight"",
        "test/fixtures/invalid/schema.yaml:11:9 events.TALK.description: missing: expected a string",
        "test/fixtures/invalid/schema.yaml:20:47 actors.A.statechart.states.idle.moves.talk.probability: expected at most 1; found 1.5",
        "test/fixtures/invalid/schema.yaml:22:27 actors.A.statechart.states.idle.on.TALK.when: expected a condition with one of the keys all, any, not, state, var, event, happened, peak, turn; found none",
        "test/fixtures/invalid/schema.yaml:22:29 actors.A.statechart.states.idle.on.TALK.when.sometimes: unknown key "sometimes" (known: all, any, not, state, var, event, happened, peak, turn)",
      ]
    `);
  });

  test('schema errors in JSON carry line and column too', () => {
    expect(messages('schema.json')).toMatchInlineSnapshot(`
      [
        "test/fixtures/invalid/schema.json:10:51 actors.A.statechart.on.TALK.target: expected a string, found 42",
      ]
    `);
  });

  test('unknown actor, state, event, rung, theatre and an inject past the last turn, with the known names', () => {
    expect(messages('references.yaml')).toMatchInlineSnapshot(`
      [
        "test/fixtures/invalid/references.yaml:11:34 ladder.thresholds[0].at: unknown rung "L9" (did you mean "L0" or "L1"? known: L0, L1)",
        "test/fixtures/invalid/references.yaml:13:30 events.TALK.theatre: unknown theatre "south" (known: north)",
        "test/fixtures/invalid/references.yaml:22:29 actors.A.statechart.states.idle.on.TALK.target: unknown state "lethal": expected a sibling (idle, busy) or a path from A's root (idle, busy)",
        "test/fixtures/invalid/references.yaml:23:20 actors.A.statechart.states.idle.on.SHOUT: unknown event type "SHOUT" (known: TALK)",
        "test/fixtures/invalid/references.yaml:25:39 actors.A.statechart.states.idle.moves.talk.to[0]: unknown actor "C" (known: A)",
        "test/fixtures/invalid/references.yaml:30:39 actors.A.statechart.states.busy.on.TALK.when.state.actor: unknown actor "B" (known: A)",
        "test/fixtures/invalid/references.yaml:32:19 shocks.quake.event: unknown event type "QUAKE" (known: TALK)",
        "test/fixtures/invalid/references.yaml:32:32 shocks.quake.from: unknown actor "Z" (known: A)",
        "test/fixtures/invalid/references.yaml:34:17 script.late.turn: expected a turn from 1 to 5 (time.turns); found 9",
      ]
    `);
  });

  test('a move its state can never make; an unreachable state is a warning', () => {
    expect(messages('impossible-move.yaml')).toMatchInlineSnapshot(`
      [
        "test/fixtures/invalid/impossible-move.yaml:21:29 actors.A.statechart.states.idle.moves.shout.event: A can never make this move: no transition on SHOUT in "idle", its ancestors or its descendants (a move must be accepted by its sender's machine)",
        "test/fixtures/invalid/impossible-move.yaml:23:20 warning: actors.A.statechart.states.forgotten: state "forgotten" of A can never be entered: it is not initial and no transition targets it",
      ]
    `);
  });

  test('a compound state without a valid initial state', () => {
    expect(messages('missing-initial.yaml')).toMatchInlineSnapshot(`
      [
        "test/fixtures/invalid/missing-initial.yaml:12:7 actors.A.statechart: a compound state needs "initial" (one of idle, busy)",
        "test/fixtures/invalid/missing-initial.yaml:15:20 actors.A.statechart.states.busy.initial: unknown initial state "nowhere" (known: first)",
        "test/fixtures/invalid/missing-initial.yaml:13:15 warning: actors.A.statechart.states.idle: state "idle" of A can never be entered: it is not initial and no transition targets it",
        "test/fixtures/invalid/missing-initial.yaml:15:11 warning: actors.A.statechart.states.busy: state "busy" of A can never be entered: it is not initial and no transition targets it",
        "test/fixtures/invalid/missing-initial.yaml:17:20 warning: actors.A.statechart.states.busy.states.first: state "busy.first" of A can never be entered: it is not initial and no transition targets it",
      ]
    `);
  });

  test('an alias bomb is refused before it expands', () => {
    expect(messages('alias-bomb.yaml')).toMatchInlineSnapshot(`
      [
        "test/fixtures/invalid/alias-bomb.yaml:1:1 YAML aliases would expand the document past 300,000 nodes (an alias repeats its anchor's whole content): use fewer or smaller aliases",
      ]
    `);
  });

  test('__proto__ and constructor keys are refused', () => {
    expect(messages('prototype-keys.yaml')).toMatchInlineSnapshot(`
      [
        "test/fixtures/invalid/prototype-keys.yaml:3:1 __proto__: the key "__proto__" is not allowed (it could alter objects' prototypes)",
        "test/fixtures/invalid/prototype-keys.yaml:6:3 time.constructor: the key "constructor" is not allowed (it could alter objects' prototypes)",
      ]
    `);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  test('10⁹ turns is refused', () => {
    expect(messages('absurd-size.yaml')).toMatchInlineSnapshot(`
      [
        "test/fixtures/invalid/absurd-size.yaml:3:16 time.turns: expected at most 1200; found 1000000000",
      ]
    `);
  });

  test('an extends cycle is named', () => {
    expect(messages('extends-cycle-a.yaml')).toMatchInlineSnapshot(`
      [
        "test/fixtures/invalid/extends-cycle-a.yaml:2:10 extends: "extends" forms a cycle: test/fixtures/invalid/extends-cycle-a.yaml → test/fixtures/invalid/extends-cycle-b.yaml → test/fixtures/invalid/extends-cycle-a.yaml",
      ]
    `);
    expect(messages('extends-cycle-b.yaml')).toHaveLength(1);
  });
});
