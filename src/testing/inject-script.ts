import * as fc from 'fast-check';
import type { InjectDef, Scenario, StateNodeDef } from '../scenario/schema.ts';
import type { ScenarioEdit } from './edits.ts';
import { type Variant, createVariant } from './variant.ts';

export interface InjectOptions {
  /** Event types an inject may carry. Default: every event type. */
  readonly events?: readonly string[];
  /** Actors an inject may come from. Default: every actor. */
  readonly from?: readonly string[];
  /** Earliest turn (default 1) and latest turn (default `time.turns`). */
  readonly turns?: { readonly from?: number; readonly to?: number };
  /**
   * Pair each event type with any actor (of `from`) as its sender, even one the scenario never has
   * send it. Default false: only the event's possible senders (see `possibleSenders`).
   */
  readonly anySender?: boolean;
}

export interface InjectScriptOptions extends InjectOptions {
  /** Fewest injects. Default 1. */
  readonly minLength?: number;
  /** Most injects. Default 4. */
  readonly maxLength?: number;
  /** Replace the scenario's own script (true) or add to it (false). Default false. */
  readonly replace?: boolean;
}

function pickFrom<T>(list: readonly T[], n: number): T {
  return list[n % list.length] as T;
}

/**
 * The actors that could send each event type, in the scenario's actor order: an actor whose statechart
 * declares a move of that type or emits it (in a transition's or a state's entry effects), and the
 * declared sender (`from`) of an inject or a shock of that type. Event types nobody sends are absent.
 * Pure.
 */
export function possibleSenders(scenario: Scenario): Map<string, string[]> {
  const sends = new Map<string, Set<string>>();
  const add = (event: string, actor: string) => {
    let set = sends.get(event);
    if (set === undefined) sends.set(event, (set = new Set()));
    set.add(actor);
  };
  const emits = (effects: ReadonlyArray<{ readonly emit?: { readonly event: string } | undefined }> | undefined, actor: string) => {
    for (const e of effects ?? []) if (e.emit !== undefined) add(e.emit.event, actor);
  };
  const walk = (node: StateNodeDef, actor: string, depth: number) => {
    if (depth > 100) return;
    for (const m of Object.values(node.moves ?? {})) add(m.event, actor);
    emits(node.entry, actor);
    for (const t of Object.values(node.on ?? {})) for (const one of Array.isArray(t) ? t : [t]) emits(one.effects, actor);
    for (const child of Object.values(node.states ?? {})) walk(child, actor, depth + 1);
  };
  for (const [id, actor] of Object.entries(scenario.actors)) walk(actor.statechart, id, 0);
  for (const inj of Object.values(scenario.script ?? {})) add(inj.event, inj.from);
  for (const sh of Object.values(scenario.shocks ?? {})) add(sh.event, sh.from);
  const order = Object.keys(scenario.actors);
  return new Map(
    Object.keys(scenario.events).flatMap((e) => {
      const set = sends.get(e);
      return set === undefined ? [] : [[e, order.filter((a) => set.has(a))] as [string, string[]]];
    }),
  );
}

/**
 * Single injects valid for the scenario: a declared event type from one of its possible senders
 * (`possibleSenders`; any actor with `anySender`) on a turn in range, to some other actors or to all,
 * with data values the event type allows. An event type with no possible sender among `from` is left
 * out. Shrinks toward the earliest turn, the first event type and its first sender, and no recipients
 * list.
 */
export function injectArb(scenario: Scenario, options: InjectOptions = {}): fc.Arbitrary<InjectDef> {
  const wanted = options.events ?? Object.keys(scenario.events);
  const actors = options.from ?? Object.keys(scenario.actors);
  const all = Object.keys(scenario.actors);
  const first = Math.max(1, options.turns?.from ?? 1);
  const last = Math.min(scenario.time.turns, options.turns?.to ?? scenario.time.turns);
  for (const e of wanted) if (scenario.events[e] === undefined) throw new Error(`injectArb: unknown event type "${e}"`);
  for (const a of actors) if (scenario.actors[a] === undefined) throw new Error(`injectArb: unknown actor "${a}"`);
  const possible = options.anySender === true ? undefined : possibleSenders(scenario);
  const sendersOf = (e: string) => (possible === undefined ? actors : (possible.get(e) ?? []).filter((a) => actors.includes(a)));
  const events = wanted.filter((e) => sendersOf(e).length > 0);
  if (events.length === 0 || actors.length === 0 || first > last) {
    const none = wanted.length > 0 && actors.length > 0 && events.length === 0 ? ' — none of the actors can send any of the event types (pass { anySender: true } to inject them anyway)' : '';
    throw new Error(`injectArb: nothing to inject (events: ${events.length}, actors: ${actors.length}, turns ${first}–${last})${none}`);
  }
  const senders = events.map(sendersOf);
  const most = Math.max(...senders.map((l) => l.length));
  return fc
    .record({
      turn: fc.integer({ min: first, max: last }),
      event: fc.nat({ max: events.length - 1 }),
      from: fc.nat({ max: most - 1 }),
      to: fc.option(fc.uniqueArray(fc.nat({ max: all.length - 1 }), { minLength: 1, maxLength: all.length }), { nil: undefined }),
      data: fc.option(fc.nat({ max: 100 }), { nil: undefined }),
    })
    .map((b): InjectDef => {
      const event = pickFrom(events, b.event);
      const from = pickFrom(senders[b.event] as string[], b.from);
      const to = b.to?.map((i) => pickFrom(all, i)).filter((a) => a !== from);
      const fields = Object.entries(scenario.events[event]?.fields ?? {});
      const data = b.data === undefined || fields.length === 0 ? undefined : Object.fromEntries(fields.map(([k, values]) => [k, pickFrom(values, b.data as number)]));
      return {
        turn: b.turn,
        event,
        from,
        ...(to !== undefined && to.length > 0 ? { to } : {}),
        ...(data !== undefined ? { data } : {}),
      };
    });
}

/** Inject ids not used by the scenario: `what_if_1`, `what_if_2`, … */
export function freshInjectIds(scenario: Scenario, count: number): string[] {
  const used = new Set(Object.keys(scenario.script ?? {}));
  const out: string[] = [];
  for (let k = 1; out.length < count; k++) if (!used.has(`what_if_${k}`)) out.push(`what_if_${k}`);
  return out;
}

/**
 * Sequences of injects added to a scenario (or replacing its script), as variants whose edits are
 * the injects in turn order. Shrinks toward fewer injects, earlier turns and simpler injects, so a
 * failure comes down to the shortest script that still breaks the property.
 */
export function injectScript(scenario: Scenario, options: InjectScriptOptions = {}): fc.Arbitrary<Variant> {
  const removals: ScenarioEdit[] =
    options.replace === true ? Object.keys(scenario.script ?? {}).map((id) => ({ kind: 'removeInject', id })) : [];
  return fc
    .array(injectArb(scenario, options), { minLength: options.minLength ?? 1, maxLength: options.maxLength ?? 4 })
    .map((injects) => {
      const sorted = [...injects].sort((a, b) => (a.turn ?? 0) - (b.turn ?? 0));
      const ids = freshInjectIds(scenario, sorted.length);
      const adds = sorted.map((inject, i): ScenarioEdit => ({ kind: 'addInject', id: ids[i] as string, inject }));
      return createVariant(scenario, [...removals, ...adds]);
    });
}
