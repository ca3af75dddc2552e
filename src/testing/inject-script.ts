import * as fc from 'fast-check';
import type { InjectDef, Scenario } from '../scenario/schema.ts';
import type { ScenarioEdit } from './edits.ts';
import { type Variant, createVariant } from './variant.ts';

export interface InjectOptions {
  /** Event types an inject may carry. Default: every event type. */
  readonly events?: readonly string[];
  /** Actors an inject may come from. Default: every actor. */
  readonly from?: readonly string[];
  /** Earliest turn (default 1) and latest turn (default `time.turns`). */
  readonly turns?: { readonly from?: number; readonly to?: number };
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
 * Single injects valid for the scenario: a declared event type from a declared actor on a turn in
 * range, to some other actors or to all, with data values the event type allows. Shrinks toward the
 * earliest turn, the first event type and actor, and no recipients list.
 */
export function injectArb(scenario: Scenario, options: InjectOptions = {}): fc.Arbitrary<InjectDef> {
  const events = options.events ?? Object.keys(scenario.events);
  const actors = options.from ?? Object.keys(scenario.actors);
  const all = Object.keys(scenario.actors);
  const first = Math.max(1, options.turns?.from ?? 1);
  const last = Math.min(scenario.time.turns, options.turns?.to ?? scenario.time.turns);
  if (events.length === 0 || actors.length === 0 || first > last)
    throw new Error(`injectArb: nothing to inject (events: ${events.length}, actors: ${actors.length}, turns ${first}–${last})`);
  for (const e of events) if (scenario.events[e] === undefined) throw new Error(`injectArb: unknown event type "${e}"`);
  for (const a of actors) if (scenario.actors[a] === undefined) throw new Error(`injectArb: unknown actor "${a}"`);
  return fc
    .record({
      turn: fc.integer({ min: first, max: last }),
      event: fc.nat({ max: events.length - 1 }),
      from: fc.nat({ max: actors.length - 1 }),
      to: fc.option(fc.uniqueArray(fc.nat({ max: all.length - 1 }), { minLength: 1, maxLength: all.length }), { nil: undefined }),
      data: fc.option(fc.nat({ max: 100 }), { nil: undefined }),
    })
    .map((b): InjectDef => {
      const event = pickFrom(events, b.event);
      const from = pickFrom(actors, b.from);
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
