/**
 * Issue 18, item 2: names inherited from Object.prototype. `initial: toString` passed validation
 * (`def.initial in states` finds inherited names) and then crashed every engine; an event type named
 * `toString` crashed the XState reference (`on[type].push is not a function`). Root cause: names were
 * looked up in ordinary objects. Now every lookup goes through src/scenario/own.ts (own keys only) and
 * the machines' configs are null-prototype records.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { buildModel } from '../../src/model/build-model.ts';
import { parseScenarioText } from '../../src/scenario/load.ts';
import { formatProblem } from '../../src/scenario/problem.ts';
import { assertEnginesAgree } from '../laws.ts';

const DUEL = readFileSync('test/fixtures/valid/duel.yaml', 'utf8');

const rename = (pairs: Record<string, string>) =>
  Object.entries(pairs).reduce((text, [from, to]) => text.replace(new RegExp(`\\b${from}\\b`, 'g'), to), DUEL);

describe('names that Object.prototype also holds', () => {
  test('`initial: toString` is refused as an unknown state, not accepted', () => {
    const r = parseScenarioText(DUEL.replace('initial: calm', 'initial: toString'), 'init.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map(formatProblem)[0]).toMatch(/unknown initial state "toString" \(known: calm, alert, fighting\)/);
  });

  test.each(['toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'toLocaleString', 'propertyIsEnumerable'])(
    'an event type, state, actor, variable, theatre, rung and shock named %s work and every engine agrees',
    (name) => {
      const text = rename({ TALKS: name, alert: name, B: name, tension: name, north: name, L2: name, spark: name });
      const r = parseScenarioText(text, 'names.yaml');
      if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
      assertEnginesAgree(buildModel(r.scenario), ['1', '2', '3', '4', '5']);
    },
  );

  test('a data field named toString is checked against its own declaration only', () => {
    const text = DUEL.replace(
      'PROTEST: { rung: L2, theatre: north, description: A formal protest }',
      'PROTEST: { rung: L2, theatre: north, description: A formal protest, fields: { level: [low] } }',
    ).replace('protest: { event: PROTEST, to: [B], probability: 0.3 }', 'protest: { event: PROTEST, to: [B], probability: 0.3, data: { toString: low } }');
    const r = parseScenarioText(text, 'data.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map(formatProblem).join('\n')).toMatch(/event "PROTEST" has no data field "toString" \(known: level\)/);
  });
});
