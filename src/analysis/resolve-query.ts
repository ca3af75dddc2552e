import type { RunRecord } from '../engine/run.ts';
import type { InvariantModel, Model, OutcomeModel } from '../model/types.ts';
import { checkInvariant, invariantNeedsTrace } from './invariants.ts';
import { type Query, type QueryEvent, type QueryName, type QueryProb, type QueryProblem, renderQueryEvent } from './query.ts';

/** A scenario a query may name: `P[name](…)`. The first is the base, also called `base`. */
export interface QuerySubject {
  readonly name: string;
  readonly model: Model;
}

/** An event with every name resolved to an index of its scenario's model. */
export type ResolvedEvent =
  | { readonly kind: 'peak'; /** -1 = overall. */ readonly theatre: number; readonly rung: number }
  | { readonly kind: 'dyad'; readonly from: number; readonly to: number; readonly rung: number }
  | { readonly kind: 'act'; readonly event: number; /** -1 = any sender. */ readonly from: number }
  | { readonly kind: 'violation'; readonly invariant: InvariantModel }
  | { readonly kind: 'outcome'; readonly outcome: OutcomeModel }
  | { readonly kind: 'not'; readonly of: ResolvedEvent }
  | { readonly kind: 'and' | 'or'; readonly of: readonly ResolvedEvent[] };

/** One `P[subject](event by turn)` of a query, resolved. */
export interface ResolvedProb {
  /** Index into the subjects. */
  readonly subject: number;
  readonly event: ResolvedEvent;
  /** The turn by which the event must have happened (1 … the scenario's turns). */
  readonly by: number;
  /** `P[variant](peak NEA >= L9 by 24)`. */
  readonly text: string;
  /** Checking it needs traced runs (an invariant that reads states). */
  readonly needsTrace: boolean;
}

export type QueryResolution = { readonly ok: true; readonly probs: readonly ResolvedProb[] } | { readonly ok: false; readonly problem: QueryProblem };

class Unresolved extends Error {
  constructor(
    readonly column: number,
    message: string,
  ) {
    super(message);
  }
}

function known(ids: readonly string[]): string {
  return ids.length === 0 ? 'none' : ids.length > 30 ? `${ids.slice(0, 30).join(', ')}, …` : ids.join(', ');
}

function resolveEvent(model: Model, e: QueryEvent): ResolvedEvent {
  const find = <T extends { readonly id: string }>(list: readonly T[], n: QueryName, what: string, plural: string): number => {
    const i = list.findIndex((x) => x.id === n.id);
    if (i < 0) throw new Unresolved(n.at, `unknown ${what} "${n.id}" in ${model.scenario.metadata.id} (${plural}: ${known(list.map((x) => x.id))})`);
    return i;
  };
  const rungOf = (n: QueryName): number => {
    const r = model.rungs.findIndex((x) => x.id === n.id);
    if (r >= 0) return r;
    const t = model.thresholds.find((x) => x.id === n.id);
    if (t !== undefined) return t.rung;
    throw new Unresolved(n.at, `unknown rung "${n.id}" in ${model.scenario.metadata.id} (rungs: ${known(model.rungs.map((x) => x.id))}; thresholds: ${known(model.thresholds.map((x) => x.id))})`);
  };
  switch (e.kind) {
    case 'peak': {
      const s = e.scope;
      if (s.kind === 'dyad') {
        const from = find(model.actors, s.from, 'actor', 'actors');
        const to = find(model.actors, s.to, 'actor', 'actors');
        if (from === to) throw new Unresolved(s.to.at, `a dyad joins two different actors; found ${s.from.id} -> ${s.to.id}`);
        return { kind: 'dyad', from, to, rung: rungOf(e.rung) };
      }
      const theatre = s.kind === 'overall' ? -1 : find(model.theatres, s.theatre, 'scope', 'theatres, or overall, or a dyad FROM -> TO');
      return { kind: 'peak', theatre, rung: rungOf(e.rung) };
    }
    case 'act':
      return { kind: 'act', event: find(model.events, e.event, 'event type', 'event types'), from: e.from === null ? -1 : find(model.actors, e.from, 'actor', 'actors') };
    case 'violation': {
      const inv = model.invariants.find((x) => x.id === e.invariant.id);
      if (inv === undefined) throw new Unresolved(e.invariant.at, `unknown invariant "${e.invariant.id}" in ${model.scenario.metadata.id} (invariants: ${known(model.invariants.map((x) => x.id))})`);
      return { kind: 'violation', invariant: inv };
    }
    case 'outcome': {
      const o = model.outcomes.find((x) => x.id === e.outcome.id);
      if (o === undefined) throw new Unresolved(e.outcome.at, `unknown outcome "${e.outcome.id}" in ${model.scenario.metadata.id} (outcomes: ${known(model.outcomes.map((x) => x.id))})`);
      return { kind: 'outcome', outcome: o };
    }
    case 'not':
      return { kind: 'not', of: resolveEvent(model, e.of) };
    case 'and':
    case 'or':
      return { kind: e.kind, of: e.of.map((x) => resolveEvent(model, x)) };
  }
}

/** The id of an outcome without `by` (judged at the end of the run) in the event, if any. */
function findEndOnlyOutcome(e: QueryEvent, model: Model): string | undefined {
  switch (e.kind) {
    case 'outcome':
      return model.outcomes.find((x) => x.id === e.outcome.id)?.by === 0 ? e.outcome.id : undefined;
    case 'not':
      return findEndOnlyOutcome(e.of, model);
    case 'and':
    case 'or':
      for (const x of e.of) {
        const found = findEndOnlyOutcome(x, model);
        if (found !== undefined) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}

function eventNeedsTrace(e: ResolvedEvent): boolean {
  switch (e.kind) {
    case 'violation':
      return invariantNeedsTrace(e.invariant);
    case 'not':
      return eventNeedsTrace(e.of);
    case 'and':
    case 'or':
      return e.of.some(eventNeedsTrace);
    default:
      return false;
  }
}

function resolveProb(subjects: readonly QuerySubject[], p: QueryProb): ResolvedProb {
  let subject = 0;
  if (p.subject !== null) {
    const id = p.subject.id;
    subject = id === 'base' ? 0 : subjects.findIndex((s) => s.name === id);
    if (subject < 0) throw new Unresolved(p.subject.at, `unknown scenario "${id}" in P[…] (known: base, ${subjects.map((s) => s.name).join(', ')})`);
  }
  const s = subjects[subject] as QuerySubject;
  const event = resolveEvent(s.model, p.event);
  const turns = s.model.turns;
  if (p.by !== null && (p.by.turn < 1 || p.by.turn > turns))
    throw new Unresolved(p.by.at, `turn ${p.by.turn} is past ${s.model.scenario.metadata.id}'s horizon: expected a turn from 1 to ${turns}`);
  const by = p.by?.turn ?? turns;
  const endOnly = findEndOnlyOutcome(p.event, s.model);
  if (endOnly !== undefined && by !== turns)
    throw new Unresolved(p.by?.at ?? p.at, `outcome ${endOnly} is judged at the end of the run (it has no "by"): drop "by ${by}" or ask by turn ${turns}`);
  const name = p.subject === null ? '' : `[${p.subject.id}]`;
  return { subject, event, by, text: `P${name}(${renderQueryEvent(p.event)} by ${by})`, needsTrace: eventNeedsTrace(event) };
}

/** Resolves every name of a query against its scenarios: unknown names and turns past the horizon are problems at their column. Pure. */
export function resolveQuery(query: Query, subjects: readonly QuerySubject[]): QueryResolution {
  if (subjects.length === 0) throw new Error('resolveQuery needs at least one scenario');
  try {
    const probs = query.kind === 'paired' ? [query.left, query.right] : [query.prob];
    const resolved = probs.map((p) => resolveProb(subjects, p));
    if (query.kind === 'paired' && resolved[0]?.subject === resolved[1]?.subject && renderQueryEvent(query.left.event) === renderQueryEvent(query.right.event) && resolved[0]?.by === resolved[1]?.by)
      return { ok: false, problem: { column: query.at, message: 'both sides are the same probability: compare a variant with the base (P[variant](…) < P[base](…))' } };
    return { ok: true, probs: resolved };
  } catch (e) {
    if (e instanceof Unresolved) return { ok: false, problem: { column: e.column, message: e.message } };
    throw e;
  }
}

/** The first turn the atom held in the run (Infinity when never). */
function firstTurn(model: Model, record: RunRecord, e: Exclude<ResolvedEvent, { kind: 'not' | 'and' | 'or' }>): number {
  switch (e.kind) {
    case 'peak':
      for (const s of record.steps) if (s.theatre === e.theatre && s.rung >= e.rung) return s.turn;
      return Infinity;
    case 'dyad':
      // The accounting raises `from → t` for every target t other than the sender (engine/world.ts).
      for (const a of record.events) if (a.from === e.from && a.rung >= e.rung && a.against.includes(e.to)) return a.turn;
      return Infinity;
    case 'act':
      for (const a of record.events) if (a.type === e.event && (e.from < 0 || a.from === e.from)) return a.turn;
      return Infinity;
    case 'violation':
      return checkInvariant(model, record, e.invariant)?.turn ?? Infinity;
    case 'outcome': {
      const o = e.outcome;
      // Without `by`, an outcome is judged at the end of the run (the query's turn is the horizon).
      if (o.by === 0) return record.outcomeEnd[o.index] === 1 ? 0 : Infinity;
      const first = record.outcomeTurns[o.index] as number;
      return first > 0 && first <= o.by ? first : Infinity;
    }
  }
}

/** True when the event had happened by turn `by` of the run. Pure. */
export function happenedBy(model: Model, record: RunRecord, e: ResolvedEvent, by: number): boolean {
  switch (e.kind) {
    case 'not':
      return !happenedBy(model, record, e.of, by);
    case 'and':
      return e.of.every((x) => happenedBy(model, record, x, by));
    case 'or':
      return e.of.some((x) => happenedBy(model, record, x, by));
    default:
      return firstTurn(model, record, e) <= by;
  }
}
