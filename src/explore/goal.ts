import type { Kernel } from '../engine/kernel.ts';
import type { RunWorld } from '../engine/world.ts';
import { evaluate } from '../model/evaluate.ts';
import type { InvariantModel, PatternModel } from '../model/invariants.ts';
import type { Cond, EventInstance, Model, OutcomeModel } from '../model/types.ts';
import { matchesAct } from '../analysis/invariants.ts';

/** What `brink explore --to` looks for: a rung (overall, or in a theatre), an act of a type, or an invariant's violation. */
export type ExploreTarget =
  | { readonly kind: 'rung'; readonly rung: number; /** -1 = overall. */ readonly theatre: number }
  | { readonly kind: 'act'; readonly event: number }
  | { readonly kind: 'invariant'; readonly invariant: InvariantModel }
  /**
   * One of the scenario's outcomes: its condition holding at the end of a turn up to its `by`, or, for
   * an outcome without `by`, at the end of `endTurn` (the last turn explored: `explore` fills it in).
   */
  | { readonly kind: 'outcome'; readonly outcome: OutcomeModel; readonly endTurn?: number };

/** Monitor statuses, part of a state's key. Not reached yet. */
export const OPEN = 0;
/** A `precedes` invariant whose `first` has happened: it can no longer be broken. */
export const SETTLED = 1;
/** The target was reached (final). */
export const HIT = 2;

/** `reach L4 overall`, `an act CLASH`, `a violation of invariant x: never …`. */
export function describeTarget(model: Model, t: ExploreTarget): string {
  switch (t.kind) {
    case 'rung': {
      const r = model.rungs[t.rung];
      return `reach ${r?.id} (${r?.name}) ${t.theatre < 0 ? 'overall' : `in ${model.theatres[t.theatre]?.id}`}`;
    }
    case 'act':
      return `an act ${model.events[t.event]?.id}`;
    case 'invariant':
      return `a violation of invariant ${t.invariant.id}: ${t.invariant.text}`;
    case 'outcome': {
      const o = t.outcome;
      return `outcome ${o.id}: ${o.text} (${o.by === 0 ? `holds at the end of turn ${t.endTurn ?? model.turns}` : `held by turn ${o.by}`})`;
    }
  }
}

/** Conditions the target evaluates: the state key keeps what they read (their `happened` history, variables, dyad cells). */
export function targetConditions(t: ExploreTarget | undefined): Cond[] {
  if (t?.kind === 'outcome') return [t.outcome.condition];
  return t?.kind === 'invariant' && t.invariant.kind === 'always' ? [t.invariant.condition] : [];
}

/**
 * Watches one turn of exploration for the target, at the moments invariant checks use
 * (analysis/invariants.ts): an act as it is accounted (moment 2i), states after its delivery
 * (moment 2i+1), conditions at the turn's end, state patterns at the start. `status` is OPEN, SETTLED
 * or HIT; HIT is final. `hitIndex` is the index, within the turn, of the act that hit it this turn.
 */
export class TargetMonitor {
  status = OPEN;
  /** -1 when the target was not hit this turn. */
  hitIndex = -1;

  constructor(readonly target: ExploreTarget) {}

  /** Before turn 1: an invariant on states may already be broken (or, for `precedes`, settled). */
  start(kernel: Kernel): void {
    this.hitIndex = -1;
    const t = this.target;
    if (t.kind !== 'invariant') return;
    const inv = t.invariant;
    if (inv.kind === 'never' && holdsState(inv.pattern, kernel)) this.status = HIT;
    if (inv.kind === 'precedes') this.precedes(inv.first, inv.then, (p) => holdsState(p, kernel), -1);
  }

  /** Act `index` of the turn has just been accounted (peaks raised), not yet delivered. */
  accounted(e: EventInstance, index: number, world: RunWorld): void {
    if (this.status === HIT) return;
    const t = this.target;
    switch (t.kind) {
      case 'rung':
        if ((t.theatre < 0 ? world.overall : (world.theatrePeak[t.theatre] as number)) >= t.rung) this.hit(index);
        return;
      case 'act':
        if (e.type === t.event) this.hit(index);
        return;
      case 'invariant': {
        const inv = t.invariant;
        const act = (p: PatternModel) => p.kind === 'act' && matchesAct(p, e);
        if (inv.kind === 'never' && act(inv.pattern)) this.hit(index);
        else if (inv.kind === 'precedes') this.precedes(inv.first, inv.then, act, index);
        return;
      }
    }
  }

  /** Act `index` has been delivered to its sender and recipients. */
  delivered(index: number, kernel: Kernel): void {
    if (this.status === HIT || this.target.kind !== 'invariant') return;
    const inv = this.target.invariant;
    if (inv.kind === 'never' && holdsState(inv.pattern, kernel)) this.hit(index);
    else if (inv.kind === 'precedes') this.precedes(inv.first, inv.then, (p) => holdsState(p, kernel), index);
  }

  /** The turn is over; `last` is the index of its last act (-1 when none). */
  turnEnd(world: RunWorld, last: number): void {
    if (this.status === HIT) return;
    if (this.target.kind === 'outcome') {
      const o = this.target.outcome;
      const due = o.by === 0 ? world.turn === this.target.endTurn : world.turn <= o.by;
      if (due && evaluate(o.condition, world, undefined)) this.hit(last);
      return;
    }
    if (this.target.kind !== 'invariant') return;
    const inv = this.target.invariant;
    if (inv.kind === 'always' && !evaluate(inv.condition, world, undefined)) this.hit(last);
  }

  /** `then` before `first` (or at the same moment) breaks it; `first` first settles it. */
  private precedes(first: PatternModel, then: PatternModel, holds: (p: PatternModel) => boolean, index: number): void {
    if (this.status !== OPEN) return;
    if (holds(then)) this.hit(index);
    else if (holds(first)) this.status = SETTLED;
  }

  private hit(index: number): void {
    this.status = HIT;
    this.hitIndex = index;
  }
}

function holdsState(p: PatternModel, kernel: Kernel): boolean {
  return p.kind === 'state' && kernel.inState(p.actor, p.state);
}
