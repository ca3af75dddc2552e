/**
 * Issue 18, item 5: the limits the format declares (LIMITS in src/scenario/schema.ts) were partly
 * unenforced — 10,000 actors validated, then a 100-run batch ran out of memory — and `buildModel`
 * called directly checked nothing (`turns: 1e9` ran for 140 s). Each limit here has a document at
 * limit + 1 that is refused with the limit named, and one at the limit where that is cheap to build.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { buildModel } from '../../src/model/build-model.ts';
import { ScenarioError } from '../../src/scenario/check.ts';
import { parseScenarioText } from '../../src/scenario/load.ts';
import { formatProblem } from '../../src/scenario/problem.ts';
import { LIMITS, type Scenario } from '../../src/scenario/schema.ts';

const DUEL = parse(readFileSync('test/fixtures/valid/duel.yaml', 'utf8'));
const duel = () => structuredClone(DUEL);

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const record = <T>(n: number, prefix: string, f: (i: number) => T) => Object.fromEntries(range(n).map((i) => [`${prefix}${i}`, f(i)]));

/** Each declared limit: a document just past it, and what its message must say. */
const PAST: Record<keyof typeof LIMITS, () => { doc: unknown; message: string }> = {
  turns: () => {
    const d = duel();
    d.time.turns = LIMITS.turns + 1;
    return { doc: d, message: 'time.turns: expected at most 1200; found 1201' };
  },
  actors: () => {
    const d = duel();
    Object.assign(d.actors, record(LIMITS.actors - 1, 'X', () => ({ name: 'x', statechart: { on: { TALKS: {} } } })));
    return { doc: d, message: 'actors: expected at most 64 actors (limit actors); found 65' };
  },
  eventTypes: () => {
    const d = duel();
    Object.assign(d.events, record(LIMITS.eventTypes - 3, 'E', () => ({ rung: 'L1', description: 'e' })));
    return { doc: d, message: 'events: expected at most 1,000 event types (limit eventTypes); found 1,001' };
  },
  statesPerActor: () => {
    const d = duel();
    Object.assign(d.actors.A.statechart.states, record(LIMITS.statesPerActor - 3, 's', () => ({})));
    return { doc: d, message: 'actors.A.statechart: expected at most 2000 states; found 2001' };
  },
  stateDepth: () => {
    const d = duel();
    let node: Record<string, unknown> = { on: { TALKS: {} } };
    for (let i = 0; i < LIMITS.stateDepth + 1; i++) node = { initial: `n${i}`, states: { [`n${i}`]: node } };
    d.actors.X = { name: 'x', statechart: node };
    return { doc: d, message: `states nest deeper than ${LIMITS.stateDepth} levels` };
  },
  rungs: () => {
    const d = duel();
    d.ladder.rungs.push(...range(LIMITS.rungs - 4).map((i) => ({ id: `R${i}`, name: 'r' })));
    return { doc: d, message: 'ladder.rungs: expected at most 64 items; found 65' };
  },
  variables: () => {
    const d = duel();
    Object.assign(d.variables, record(LIMITS.variables, 'v', () => ({ initial: 0 })));
    return { doc: d, message: 'variables: expected at most 1,000 variables (limit variables); found 1,001' };
  },
  shocks: () => {
    const d = duel();
    Object.assign(d.shocks, record(LIMITS.shocks, 'k', () => ({ event: 'TALKS', from: 'A', probability: 0 })));
    return { doc: d, message: 'shocks: expected at most 1,000 shocks (limit shocks); found 1,001' };
  },
  injects: () => {
    const d = duel();
    Object.assign(d.script, record(LIMITS.injects, 'i', () => ({ turn: 1, event: 'TALKS', from: 'A' })));
    return { doc: d, message: 'script: expected at most 10,000 scripted injects (limit injects); found 10,001' };
  },
  conditionDepth: () => {
    const d = duel();
    let when: Record<string, unknown> = { turn: { gte: 1 } };
    for (let i = 0; i < LIMITS.conditionDepth + 1; i++) when = { not: when };
    d.shocks.spark.when = when;
    return { doc: d, message: `conditions nest deeper than ${LIMITS.conditionDepth} levels` };
  },
  expressionDepth: () => {
    const d = duel();
    let e: unknown = 0.1;
    for (let i = 0; i < LIMITS.expressionDepth + 1; i++) e = { max: [e] };
    d.shocks.spark.probability = e;
    return { doc: d, message: `shocks.spark.probability: expressions nest deeper than ${LIMITS.expressionDepth} levels` };
  },
  expressionNodes: () => {
    const d = duel();
    // Lists hold at most 100 operands: two sums of 100 under a third.
    d.shocks.spark.probability = { add: [{ add: range(100).map(() => 0) }, { add: range(100).map(() => 0) }] };
    return { doc: d, message: `shocks.spark.probability: expected an expression of at most ${LIMITS.expressionNodes} numbers, variables and operations; found 203` };
  },
  stringLength: () => {
    const d = duel();
    d.events.TALKS.description = 'x'.repeat(LIMITS.stringLength + 1);
    return { doc: d, message: 'events.TALKS.description: expected at most 10000 characters' };
  },
  yamlNodes: () => ({ doc: null, message: '' }),
};

const messagesOf = (doc: unknown) => {
  const r = parseScenarioText(JSON.stringify(doc), 'limit.json');
  return r.ok ? [] : r.problems.map(formatProblem);
};

describe('every declared limit is enforced and named', () => {
  test.each(Object.keys(PAST).filter((k) => k !== 'yamlNodes') as Array<keyof typeof LIMITS>)('%s + 1 is refused', (name) => {
    const { doc, message } = PAST[name]();
    const all = messagesOf(doc).join('\n');
    expect(all).toContain(message);
  });

  test('yamlNodes + 1 is refused before parsing', () => {
    const text = `version: 1\nx:${'\n-'.repeat(LIMITS.yamlNodes / 2)}\n`;
    const r = parseScenarioText(text, 'nodes.yaml');
    expect(r.ok ? '' : r.problems.map(formatProblem).join('\n')).toMatch(/^nodes\.yaml:1:1 expected at most 300,000 YAML nodes \(counting , \[ \] \{ \} - : and line ends\); found 300,00\d$/);
  });

  test('at the limit: 64 actors and 1,000 event types validate', () => {
    const d = duel();
    Object.assign(d.actors, record(LIMITS.actors - 2, 'X', () => ({ name: 'x', statechart: { on: { TALKS: {} } } })));
    Object.assign(d.events, record(LIMITS.eventTypes - 4, 'E', () => ({ rung: 'L1', description: 'e' })));
    expect(messagesOf(d).filter((m) => !m.includes('warning'))).toEqual([]);
  });
});

describe('buildModel checks a scenario the loader did not return', () => {
  test('turns: 1e9 and 10,000 actors are refused at once, with the limit named', () => {
    const huge = { ...duel(), time: { turns: 1e9 } } as Scenario;
    expect(() => buildModel(huge)).toThrow(ScenarioError);
    expect(() => buildModel(huge)).toThrow('time.turns: expected at most 1200; found 1000000000');
    const crowd = duel();
    Object.assign(crowd.actors, record(10_000, 'X', () => ({ name: 'x', statechart: { on: { TALKS: {} } } })));
    expect(() => buildModel(crowd)).toThrow('actors: expected at most 64 actors (limit actors); found 10,002');
  });
  test('a dangling name is a ScenarioError, not an internal TypeError; null is a TypeError that says so', () => {
    const d = duel();
    d.actors.A.statechart.initial = 'toString';
    expect(() => buildModel(d)).toThrow('actors.A.statechart.initial: unknown initial state "toString"');
    expect(() => buildModel(null as unknown as Scenario)).toThrow('buildModel: expected a scenario object; found null');
  });
  test('a valid scenario built by hand gives the same model as the loaded one', () => {
    const loaded = parseScenarioText(readFileSync('test/fixtures/valid/duel.yaml', 'utf8'));
    if (!loaded.ok) throw new Error('duel is valid');
    expect(JSON.stringify(buildModel(duel()).rules)).toBe(JSON.stringify(buildModel(loaded.scenario).rules));
  });
});
