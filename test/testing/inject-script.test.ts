/** Issue 12, item 10: injectScript pairs each event type only with the actors that could send it. */
import { fc, test } from '@fast-check/vitest';
import { injectArb, injectScript, possibleSenders } from 'brink/testing';
import { describe, expect } from 'vitest';
import { loadValid } from '../helpers.ts';

const duel = loadValid('test/fixtures/valid/duel.yaml').scenario;
const flagship = loadValid('scenarios/russia-dprk-2024.yaml').scenario;

describe('possibleSenders', () => {
  test('moves, emits in transitions and entries, injects and shocks name the senders, in actor order', () => {
    // duel: A moves PROTEST, DRILL and TALKS; B moves DRILL and emits PROTEST on DRILL; the spark
    // shock sends CLASH from B; nobody emits or moves CLASH otherwise.
    expect(Object.fromEntries(possibleSenders(duel))).toEqual({
      PROTEST: ['A', 'B'],
      DRILL: ['A', 'B'],
      CLASH: ['B'],
      TALKS: ['A'],
    });
  });

  test('on the flagship, every event type has a sender and some have only a few', () => {
    const senders = possibleSenders(flagship);
    expect(senders.size).toBe(Object.keys(flagship.events).length);
    expect(senders.get('MUTUAL_DEFENCE_INVOKED')).toEqual(['DPRK', 'ROK']); // the two treaty invocation moves
    expect(senders.get('INCIDENT')).toEqual(['RUS', 'DPRK']); // the spark shocks' declared senders
    expect(senders.get('NUCLEAR_USE')).toEqual(['DPRK']);
  });
});

describe('injectScript pairs events with their possible senders', () => {
  const senders = possibleSenders(flagship);

  test.prop([injectScript(flagship, { maxLength: 6 })], { numRuns: 150 })('by default, every inject comes from an actor that could send it', (v) => {
    for (const inj of Object.values(v.scenario.script ?? {})) if (inj.event !== undefined) expect(senders.get(inj.event), `${inj.from} ${inj.event}`).toContain(inj.from);
  });

  test('with { anySender: true } it pairs any event with any actor, as before', () => {
    const pairs = fc.sample(injectArb(flagship, { anySender: true }), { numRuns: 400, seed: 3 });
    expect(pairs.some((i) => !(senders.get(i.event) ?? []).includes(i.from))).toBe(true);
    const paired = fc.sample(injectArb(flagship), { numRuns: 400, seed: 3 });
    expect(paired.every((i) => (senders.get(i.event) ?? []).includes(i.from))).toBe(true);
  });

  test('`from` narrows the senders; an event no allowed actor can send is left out, and none at all is an error', () => {
    const injects = fc.sample(injectArb(duel, { from: ['A'] }), { numRuns: 200, seed: 1 });
    expect(new Set(injects.map((i) => i.from))).toEqual(new Set(['A']));
    expect(injects.some((i) => i.event === 'CLASH')).toBe(false);
    expect(() => injectArb(duel, { from: ['A'], events: ['CLASH'] })).toThrow(
      'injectArb: nothing to inject (events: 0, actors: 1, turns 1–12) — none of the actors can send any of the event types (pass { anySender: true } to inject them anyway)',
    );
    expect(fc.sample(injectArb(duel, { from: ['A'], events: ['CLASH'], anySender: true }), { numRuns: 5, seed: 1 }).every((i) => i.from === 'A' && i.event === 'CLASH')).toBe(true);
  });
});
