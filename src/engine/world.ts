import { happenedConditions, modelConditions } from '../model/conditions.ts';
import { evalExpr } from '../model/expression.ts';
import type { Effect, EventInstance, Model, Scalar, WorldView } from '../model/types.ts';
import type { Kernel } from './kernel.ts';
import { counterDraw, type DrawStream, drawKeyOf } from './rng.ts';

/**
 * The mutable state of one run besides the actors' machines: variables, peaks and the log of acts.
 * Peaks are rung indices, -1 before anything happened. Owned by the turn loop; reset per run.
 */
export class RunWorld implements WorldView {
  turn = 0;
  readonly vars: Float64Array;
  /** Dyad peaks: slot 0 over all theatres, slot t+1 in theatre t; `slot*n*n + from*n + to`. */
  readonly dyad: Int8Array;
  readonly theatrePeak: Int8Array;
  overall = -1;
  /** Every act delivered so far, in delivery order. */
  readonly log: EventInstance[] = [];
  /** The delivered acts of each event type, in delivery order (an index over `log`). */
  private readonly byType: EventInstance[][];
  /** 1 for the event types some `happened` condition counts. */
  private readonly counted: Uint8Array;
  private readonly n: number;
  /** The run's counter-based stream (docs/engine.md "Counter-based draws"); set by the runner per run. */
  stream: DrawStream = { hi: 0, lo: 0 };
  /** The id of the turn's first act: an act's place in its turn is `id - turnFirst`. Set by the runner per turn. */
  turnFirst = 0;
  /** Told of each chance draw on a delivered act (RunOptions.onChance); undefined in batches. */
  onChance: ((rule: number, act: EventInstance, probability: number, fired: boolean) => void) | undefined = undefined;
  /** Per rule, its draw key (`drawKeyOf` of the rule's id), fixed at build. */
  private readonly drawKeys: Uint32Array;

  constructor(
    private readonly model: Model,
    private readonly states: Pick<Kernel, 'inState' | 'enteredAt'>,
    options: { readonly countAllTypes?: boolean } = {},
  ) {
    this.n = model.actors.length;
    this.vars = new Float64Array(model.variables.length);
    this.dyad = new Int8Array((model.theatres.length + 1) * this.n * this.n);
    this.theatrePeak = new Int8Array(model.theatres.length);
    this.byType = model.events.map(() => []);
    this.counted = options.countAllTypes === true ? new Uint8Array(model.events.length).fill(1) : countedTypes(model);
    this.drawKeys = Uint32Array.from(model.rules, (r) => drawKeyOf(r.id));
    this.reset();
  }

  reset(): void {
    this.turn = 0;
    this.model.variables.forEach((v, i) => {
      this.vars[i] = v.initial;
    });
    this.dyad.fill(-1);
    this.theatrePeak.fill(-1);
    this.overall = -1;
    this.log.length = 0;
    for (const list of this.byType) list.length = 0;
  }

  /** A copy of the world, for `restoreRun`. */
  saveRun(): WorldSnapshot {
    return { turn: this.turn, vars: this.vars.slice(), dyad: this.dyad.slice(), theatrePeak: this.theatrePeak.slice(), overall: this.overall, log: this.log.slice(), byType: this.byType.map((l) => l.slice()) };
  }

  /** Puts the world back as `saveRun` copied it (in place: the arrays keep their identity). */
  restoreRun(s: WorldSnapshot): void {
    this.turn = s.turn;
    this.vars.set(s.vars);
    this.dyad.set(s.dyad);
    this.theatrePeak.set(s.theatrePeak);
    this.overall = s.overall;
    this.log.length = 0;
    for (const e of s.log) this.log.push(e);
    this.byType.forEach((list, i) => {
      const saved = s.byType[i] as readonly EventInstance[];
      list.length = 0;
      for (const e of saved) list.push(e);
    });
  }

  /** Records a delivered act (indexed by type only where a `happened` condition counts that type, unless built with `countAllTypes`). */
  record(e: EventInstance): void {
    this.log.push(e);
    if (this.counted[e.type] === 1) (this.byType[e.type] as EventInstance[]).push(e);
  }

  /** True when `record` indexes acts of this type (a `happened` condition counts them). */
  counts(type: number): boolean {
    return this.counted[type] === 1;
  }

  inState(actor: number, state: number): boolean {
    return this.states.inState(actor, state);
  }

  enteredAt(actor: number, state: number): number {
    return this.states.enteredAt(actor, state);
  }

  /**
   * A chance reaction's draw: `counterDraw(stream, turn, key of the rule, the act's place in the turn)`
   * below `probability`. Each actor handles an act once, so (rule, act) names one draw; asking again
   * gives the same answer. An act not being delivered (id -1, a move's possibility) counts as firing
   * when the probability is above 0.
   */
  chance(rule: number, event: EventInstance, probability: number): boolean {
    if (event.id < 0) return probability > 0;
    const fired = counterDraw(this.stream, this.turn, this.drawKeys[rule] as number, event.id - this.turnFirst) < probability;
    if (this.onChance !== undefined) this.onChance(rule, event, probability, fired);
    return fired;
  }

  /**
   * The escalation accounting of one delivered act: the dyad `from → t` for each target t other than
   * the sender rises to at least the act's rung, in its theatre too; theatre and overall peaks follow
   * when the act has a target.
   */
  account(e: EventInstance): void {
    const n = this.n;
    let raised = false;
    for (const t of e.against) {
      if (t === e.from) continue;
      const i = e.from * n + t;
      if ((this.dyad[i] as number) < e.rung) this.dyad[i] = e.rung;
      if (e.theatre >= 0) {
        const j = (e.theatre + 1) * n * n + i;
        if ((this.dyad[j] as number) < e.rung) this.dyad[j] = e.rung;
      }
      raised = true;
    }
    if (!raised) return;
    if (e.rung > this.overall) this.overall = e.rung;
    if (e.theatre >= 0 && e.rung > (this.theatrePeak[e.theatre] as number)) this.theatrePeak[e.theatre] = e.rung;
  }

  peak(from: number, to: number, theatre: number): number {
    const n = this.n;
    if (from < 0 && to < 0) return theatre < 0 ? this.overall : (this.theatrePeak[theatre] as number);
    const base = (theatre + 1) * n * n;
    if (from >= 0 && to >= 0) return this.dyad[base + from * n + to] as number;
    let best = -1;
    for (let k = 0; k < n; k++) {
      const v = this.dyad[from >= 0 ? base + from * n + k : base + k * n + to] as number;
      if (v > best) best = v;
    }
    return best;
  }

  countHappened(
    event: number,
    from: number,
    to: number,
    data: ReadonlyArray<readonly [string, Scalar]>,
    withinTurns: number,
  ): number {
    const oldest = withinTurns > 0 ? this.turn - withinTurns + 1 : -Infinity;
    let count = 0;
    const list = this.byType[event] as EventInstance[];
    for (let i = list.length - 1; i >= 0; i--) {
      const e = list[i] as EventInstance;
      if (e.turn < oldest) break;
      if (actMatches(e, from, to, data)) count++;
    }
    return count;
  }

  /** Applies a `set` or `add` effect, its amount computed on the world now (clamped like `setVar`). */
  applyVariableEffect(effect: Extract<Effect, { kind: 'set' | 'add' }>): void {
    const amount = typeof effect.value === 'number' ? effect.value : evalExpr(effect.value, this);
    this.setVar(effect.variable, effect.kind === 'set' ? amount : (this.vars[effect.variable] as number) + amount);
  }

  /** Sets a variable, clamped to its declared range. */
  setVar(index: number, value: number): void {
    const v = this.model.variables[index];
    if (v === undefined) return;
    this.vars[index] = Math.min(v.max, Math.max(v.min, value));
  }
}

/** A saved world (RunWorld.save). */
export interface WorldSnapshot {
  readonly turn: number;
  readonly vars: Float64Array;
  readonly dyad: Int8Array;
  readonly theatrePeak: Int8Array;
  readonly overall: number;
  readonly log: readonly EventInstance[];
  readonly byType: ReadonlyArray<readonly EventInstance[]>;
}

/** The event types that some `happened` condition (anywhere in the model) counts. */
export function countedTypes(model: Model): Uint8Array {
  const out = new Uint8Array(model.events.length);
  for (const c of happenedConditions(modelConditions(model))) out[c.event] = 1;
  return out;
}

/** Whether an act has the sender, recipient and data fields a `happened` condition asks for (-1: any). */
export function actMatches(e: EventInstance, from: number, to: number, data: ReadonlyArray<readonly [string, Scalar]>): boolean {
  if ((from >= 0 && e.from !== from) || (to >= 0 && !e.to.includes(to))) return false;
  for (let i = 0; i < data.length; i++) {
    const [k, v] = data[i] as readonly [string, Scalar];
    if (e.data?.[k] !== v) return false;
  }
  return true;
}
