import { type Effect, type EventInstance, type Model, type Origin, type Scalar, SENDER } from '../model/types.ts';

/** An act as declared (move, shock, inject, emit), with everything but its id, turn and cause resolved. */
export interface ActTemplate {
  readonly type: number;
  readonly from: number;
  readonly to: readonly number[];
  readonly against: readonly number[];
  readonly data: Readonly<Record<string, Scalar>> | undefined;
  readonly theatre: number;
  readonly rung: number;
  readonly origin: Origin;
  readonly rule: number;
  /** Turns until delivery (moves and emits may say `delay`); 0: in the turn it is sent. */
  readonly delay: number;
  /** True when `to` or `against` hold `SENDER` (an emit answering the sender): resolve with `forSender` before use. */
  readonly answers?: boolean;
}

/** True when some move or emit effect of the model has a `delay`. */
export function hasDelays(model: Model): boolean {
  for (const a of model.actors) {
    if (a.moves.some((m) => m.delay > 0)) return true;
    if (a.transitions.some((t) => t.effects.some((e) => e.kind === 'emit' && e.delay > 0))) return true;
    if (a.states.some((s) => s.entry.some((e) => e.kind === 'emit' && e.delay > 0))) return true;
  }
  return false;
}

/** Every actor but `a`, for each actor a: the recipients of `to: all`. */
export function othersOf(model: Model): ReadonlyArray<readonly number[]> {
  return model.actors.map((a) => model.actors.map((b) => b.index).filter((b) => b !== a.index));
}

/** What an act's declaration may set beyond its recipients, targets, data and theatre (scenario `rung:`). */
export interface ActExtras {
  /** The act's own rung; `undefined` means the event type's. */
  readonly rung?: number | undefined;
  /** Turns until delivery (a move's or emit's `delay`); default 0. */
  readonly delay?: number | undefined;
}

const NO_EXTRAS: ActExtras = {};

/**
 * Resolves an act's recipients (`undefined` = every other actor), targets (default: the recipients),
 * theatre (default: the event type's) and rung (default: the event type's).
 */
export function actTemplate(
  model: Model,
  others: ReadonlyArray<readonly number[]>,
  type: number,
  from: number,
  to: readonly number[] | undefined,
  against: readonly number[] | undefined,
  data: Readonly<Record<string, Scalar>> | undefined,
  theatre: number | undefined,
  origin: Origin,
  rule: number,
  extras: ActExtras = NO_EXTRAS,
): ActTemplate {
  const et = model.events[type] as { rung: number; theatre: number };
  const recipients = to ?? (others[from] as readonly number[]);
  const targets = against ?? recipients;
  const answers = recipients.includes(SENDER) || targets.includes(SENDER);
  return { type, from, to: recipients, against: targets, data, theatre: theatre ?? et.theatre, rung: extras.rung ?? et.rung, origin, rule, delay: extras.delay ?? 0, answers };
}

const ANSWERS = new WeakMap<ActTemplate, ActTemplate[]>();

/**
 * The template with `$sender` replaced by `sender` (the sender of the act being handled), each actor
 * once, in order; the template itself when it does not answer. Built once per template and sender.
 */
export function forSender(act: ActTemplate, sender: number): ActTemplate {
  if (act.answers !== true) return act;
  let bySender = ANSWERS.get(act);
  if (bySender === undefined) {
    bySender = [];
    ANSWERS.set(act, bySender);
  }
  let resolved = bySender[sender];
  if (resolved === undefined) {
    const swap = (list: readonly number[]) => [...new Set(list.map((x) => (x === SENDER ? sender : x)))];
    const to = swap(act.to);
    resolved = { ...act, to, against: act.against === act.to ? to : swap(act.against), answers: false };
    bySender[sender] = resolved;
  }
  return resolved;
}

/** An act instance of a template, delivered in `turn` (sent in `sent`: earlier for a delayed act). */
export function instantiate(id: number, turn: number, act: ActTemplate, cause: number, depth: number, sent = turn): EventInstance {
  return {
    id,
    turn,
    sent,
    type: act.type,
    from: act.from,
    to: act.to,
    against: act.against,
    data: act.data,
    theatre: act.theatre,
    rung: act.rung,
    cause,
    origin: act.origin,
    rule: act.rule,
    depth,
  };
}

/** The templates of emit effects, per reacting actor, built on first use (one per effect and rule). */
export class EmitTemplates {
  private readonly byActor: Array<Map<Effect, ActTemplate>>;

  constructor(
    private readonly model: Model,
    private readonly others: ReadonlyArray<readonly number[]>,
  ) {
    this.byActor = model.actors.map(() => new Map());
  }

  get(actor: number, effect: Extract<Effect, { kind: 'emit' }>, rule: number): ActTemplate {
    const cache = this.byActor[actor] as Map<Effect, ActTemplate>;
    let act = cache.get(effect);
    if (act === undefined || act.rule !== rule) {
      act = actTemplate(this.model, this.others, effect.event, actor, effect.to, effect.against, effect.data, effect.theatre, 'reaction', rule, effect);
      cache.set(effect, act);
    }
    return act;
  }
}

/** The message of `engine/cascade_overflow`: `next` would pass `limits.maxCascadeDepth`. */
export function cascadeOverflowMessage(model: Model, turn: number, acts: readonly EventInstance[], next: EventInstance): string {
  return `a chain of reactions in turn ${turn} exceeded ${model.limits.maxCascadeDepth} steps (limits.maxCascadeDepth); it cycles through ${describeChain(model, acts, next)}`;
}

/** The message of `engine/too_many_events`: the turn's queue `acts` passed `limits.maxEventsPerTurn`. */
export function tooManyActsMessage(model: Model, turn: number, acts: readonly EventInstance[]): string {
  return `more than ${model.limits.maxEventsPerTurn} acts in turn ${turn} (limits.maxEventsPerTurn); the chain that grew last: ${describeChain(model, acts, acts[acts.length - 1] as EventInstance)}`;
}

/** `DPRK MISSILE_TEST → USA JOINT_DRILLS → DPRK MISSILE_TEST`: the repeating part of the causal chain that ends in `last`. */
export function describeChain(model: Model, acts: readonly EventInstance[], last: EventInstance): string {
  const byId = new Map(acts.map((q) => [q.id, q]));
  const labels: string[] = [];
  for (let e: EventInstance | undefined = last; e !== undefined; e = e.cause >= 0 ? byId.get(e.cause) : undefined) {
    labels.unshift(`${model.actors[e.from]?.id} ${model.events[e.type]?.id}`);
    if (labels.length > 10_000) break;
  }
  for (let i = labels.length - 1; i >= 0; i--) {
    const j = labels.lastIndexOf(labels[i] as string, i - 1);
    if (j >= 0) return labels.slice(j, i + 1).join(' → ');
  }
  return labels.slice(-8).join(' → ');
}
