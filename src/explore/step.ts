import { type CompiledCondition, type CompiledModifier, type CompiledNumber, compileCondition, compileModifiers, compileNumber, probability } from '../engine/compile-condition.ts';
import { CompiledKernel } from '../engine/compiled-kernel.ts';
import { type ActExtras, type ActTemplate, actTemplate, cascadeOverflowMessage, EmitTemplates, forSender, instantiate, othersOf, tooManyActsMessage } from '../engine/act.ts';
import { DeliveryLog, type EffectEntry } from '../model/build-machine.ts';
import type { Cond, EventInstance, InjectModel, Model, Modifier, Origin, Scalar } from '../model/types.ts';
import { type ExploreTarget, OPEN, TargetMonitor, targetConditions } from './goal.ts';
import { modelConditions } from '../model/conditions.ts';
import { HappenedTable } from './history.ts';
import { type Snapshot, StateKeyCodec } from './key.ts';
import { ExploreWorld } from './world.ts';

/**
 * One outcome of a draw. The engine picks it when its uniform draw `u` falls in `[lo, hi)`, so its
 * probability is `hi - lo`.
 */
export interface ChanceOption {
  readonly lo: number;
  readonly hi: number;
  /** The act sent, or undefined: no move, or the shock does not fire. */
  readonly act: ActTemplate | undefined;
  /** The move's or the shock's id; '' for none. */
  readonly label: string;
}

/** One draw of the turn: a shock's or an actor's, with its outcomes in draw-interval order. */
export interface Chooser {
  readonly kind: 'shock' | 'actor';
  /** Index of the shock or the actor in the model. */
  readonly index: number;
  readonly options: readonly ChanceOption[];
}

/** A peak raised by an act of the turn: overall (`theatre` -1) or in a theatre, from rung `from` to `to`. */
export interface Raise {
  readonly index: number;
  readonly theatre: number;
  readonly from: number;
  readonly to: number;
}

/** A scenario fault met while exploring (a cascade that does not end, too many acts in a turn). */
export class ExploreError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly turn: number,
  ) {
    super(message);
    this.name = 'ExploreError';
  }
}

interface MoveSlot {
  readonly id: string;
  readonly state: number;
  readonly probability: CompiledNumber;
  readonly modifiers: readonly CompiledModifier[];
  /** The move's precondition, if any. */
  readonly when: CompiledCondition | undefined;
  readonly act: ActTemplate;
  readonly scratch: EventInstance;
}

/**
 * The engine's turn (design.md "One turn, exactly"; engine/run.ts) with the draws replaced by chosen
 * outcomes. `prepare` restores a state and lists the turn's draws — one per shock, then one per actor,
 * in file order, each with its outcomes and their probabilities, all decided on the start-of-turn
 * world as the engine decides them. `play` plays the turn with one outcome per draw; `encode` gives
 * the state key of the world it leaves. Feeding it the engine's own draws reproduces the engine's
 * acts exactly (a test holds it to that).
 *
 * The key (key.ts) is canonical: two worlds with the same key behave the same in every later
 * turn.
 */
export class ExploreStepper {
  readonly kernel: CompiledKernel;
  readonly world: ExploreWorld;
  readonly table: HappenedTable;
  /** Every condition a turn or the target can evaluate: what the key keeps is what these read. */
  private readonly conds: readonly Cond[];
  readonly monitor: TargetMonitor | undefined;
  readonly codec: StateKeyCodec;
  /** Peaks raised in the last `play`, in order; `raiseCount` are valid. */
  readonly raises: Raise[] = [];
  raiseCount = 0;

  private readonly log = new DeliveryLog();
  private readonly others: ReadonlyArray<readonly number[]>;
  private readonly moves: ReadonlyArray<readonly MoveSlot[]>;
  private readonly shocks: ReadonlyArray<{ readonly id: string; readonly act: ActTemplate; readonly probability: CompiledNumber; readonly modifiers: MoveSlot['modifiers']; readonly when: CompiledCondition | undefined }>;
  private readonly injects: ReadonlyArray<{ readonly turn: number; readonly after: InjectModel['after']; readonly act: ActTemplate; readonly when: CompiledCondition | undefined }>;
  /** The injects timed `after` an act, in file order (their slots in the key's `anchors`). */
  private readonly relative: ReadonlyArray<NonNullable<InjectModel['after']>>;
  private readonly nextAnchors: Uint16Array;
  private readonly emits: EmitTemplates;
  private readonly handled: Uint8Array;
  private readonly queue: EventInstance[] = [];
  private queueLength = 0;
  private nextId = 0;
  private readonly injected: ActTemplate[] = [];
  /** The acts that can be in transit, indexed as the state key stores them (in the order first sent). */
  private readonly delayed: ActTemplate[] = [];
  private readonly delayedIndex = new Map<ActTemplate, number>();
  /** Acts sent with a delay in the turn being played: pairs `[act index, delay]`. */
  private readonly sentNow: number[] = [];
  private readonly nextPending: number[] = [];
  private snapshot: Snapshot | undefined;
  private turn = 0;
  private dirty = false;
  private readonly nextHistory: Uint16Array;
  private readonly decoded: Snapshot;
  private readonly activeFlags = (actor: number): Uint8Array => this.kernel.activeFlags(actor);
  private readonly enteredTurns = (actor: number): Int32Array => this.kernel.enteredTurns(actor);

  constructor(
    private readonly model: Model,
    target: ExploreTarget | undefined = undefined,
    /** Keep every changeable variable and raisable dyad cell exactly in the key (the key before the cone reduction). */
    private readonly fullKey = false,
  ) {
    this.kernel = new CompiledKernel(model);
    this.conds = [...modelConditions(model), ...targetConditions(target)];
    this.table = new HappenedTable(this.conds);
    this.world = new ExploreWorld(model, this.kernel, this.table);
    // A chance reaction's draw becomes a branch: the decision the current chance script gives.
    this.world.chance = (rule, e, p) => this.decide(rule, e, p);
    this.monitor = target === undefined ? undefined : new TargetMonitor(target);
    this.others = othersOf(model);
    const mods = (list: readonly Modifier[]) => compileModifiers(list, compileCondition);
    this.moves = model.actors.map((a) =>
      a.moves.map((m) => {
        const act = this.template(m.event, a.index, m.to, m.against, m.data, m.theatre, 'move', m.rule, m);
        return {
          id: m.id,
          state: m.state,
          probability: compileNumber(m.probability),
          modifiers: mods(m.modifiers),
          when: m.when === undefined ? undefined : compileCondition(m.when),
          act,
          scratch: { ...act, id: -1, turn: 0, sent: 0, cause: -1, depth: 0 },
        };
      }),
    );
    this.shocks = model.shocks.map((sh) => ({
      id: sh.id,
      act: this.template(sh.event, sh.from, sh.to, sh.against, sh.data, sh.theatre, 'shock', sh.rule, sh),
      probability: compileNumber(sh.probability),
      modifiers: mods(sh.modifiers),
      when: sh.when === undefined ? undefined : compileCondition(sh.when),
    }));
    this.injects = model.injects.map((inj) => ({
      turn: inj.turn,
      after: inj.after,
      act: this.template(inj.event, inj.from, inj.to, inj.against, inj.data, inj.theatre, 'script', inj.rule, inj),
      when: inj.when === undefined ? undefined : compileCondition(inj.when),
    }));
    this.emits = new EmitTemplates(model, this.others);
    this.relative = model.injects.flatMap((inj) => (inj.after === undefined ? [] : [inj.after]));
    this.nextAnchors = new Uint16Array(this.relative.length);
    const types = model.events.length;
    this.handled = new Uint8Array(model.actors.length * types);
    for (const a of model.actors) for (let t = 0; t < types; t++) this.handled[a.index * types + t] = this.kernel.handles(a.index, t) ? 1 : 0;

    this.codec = new StateKeyCodec(model, this.table, this.monitor !== undefined, (a) => this.others[a] as readonly number[], this.conds, this.fullKey);
    this.nextHistory = new Uint16Array(this.table.size);
    this.decoded = this.codec.createSnapshot(this.world.dyad.length, this.table.size);
  }

  /**
   * The chance reactions met in the last `play`, in the order they were asked: whether each fired
   * (1) or not (0), and its probability. Only reactions whose probability lies strictly between 0 and
   * 1 branch; `chanceCount` are valid. A turn's outcome is its joint outcome plus this script.
   */
  readonly chanceScript: number[] = [];
  readonly chanceOdds: number[] = [];
  readonly chanceRules: number[] = [];
  chanceCount = 0;
  /** The script's length that the next `play` replays as given (later decisions default to "fires"). */
  private chanceFixed = 0;
  /** `rule:act id` → index into the script: a guard asked twice for one act gets one answer. */
  private readonly chanceSeen = new Map<string, number>();

  private decide(rule: number, e: EventInstance, p: number): boolean {
    if (e.id < 0) return p > 0;
    if (p <= 0) return false;
    if (p >= 1) return true;
    const key = `${rule}:${e.id}`;
    let k = this.chanceSeen.get(key);
    if (k === undefined) {
      k = this.chanceCount++;
      this.chanceSeen.set(key, k);
      if (k >= this.chanceFixed) this.chanceScript[k] = 1;
      this.chanceOdds[k] = p;
      this.chanceRules[k] = rule;
    }
    return this.chanceScript[k] === 1;
  }

  /** The probability of the last `play`'s chance decisions (1 when it met no chance reaction). */
  chanceMass(): number {
    let m = 1;
    for (let k = 0; k < this.chanceCount; k++) m *= this.chanceScript[k] === 1 ? (this.chanceOdds[k] as number) : 1 - (this.chanceOdds[k] as number);
    return m;
  }

  /**
   * Moves to the next chance script of the same joint outcome (depth first: the last reaction that
   * fired now does not); false when every script has been played, and the next play starts afresh.
   */
  nextChance(): boolean {
    let k = this.chanceCount - 1;
    while (k >= 0 && this.chanceScript[k] === 0) k--;
    if (k < 0) {
      this.chanceFixed = 0;
      return false;
    }
    this.chanceScript[k] = 0;
    this.chanceFixed = k + 1;
    return true;
  }

  /** Makes the next `play` take these chance decisions (a pathway's replay). */
  setChance(script: readonly number[]): void {
    for (let k = 0; k < script.length; k++) this.chanceScript[k] = script[k] as number;
    this.chanceFixed = script.length;
  }

  /** The key of the world before turn 1. */
  initialKey(): string {
    this.kernel.reset();
    this.world.reset();
    this.world.history.fill(0);
    if (this.monitor !== undefined) {
      this.monitor.status = OPEN;
      this.monitor.start(this.kernel);
    }
    this.snapshot = undefined;
    this.nextAnchors.fill(0);
    return this.write(this.world.history);
  }

  /** Decodes a key into a reused snapshot (valid until the next `decode`). */
  decode(key: string): Snapshot {
    return this.codec.decode(key, this.decoded);
  }

  /**
   * Restores the snapshot as the world at the start of `turn` and lists the turn's draws: one per
   * shock, then one per actor, in file order (as the engine draws them). Every chooser has at least
   * one outcome; outcomes of probability 0 are left out.
   */
  prepare(snapshot: Snapshot, turn: number): Chooser[] {
    this.snapshot = snapshot;
    this.turn = turn;
    this.restore();
    const { world, kernel } = this;
    this.injected.length = 0;
    let r = 0;
    for (const inj of this.injects) {
      // Timed `after` an act: due when the turns since the first matching act's turn (counted from 1) reach `turns`.
      const due = inj.after === undefined ? inj.turn === turn : snapshot.anchors[r++] === inj.after.turns;
      if (due && (inj.when === undefined || inj.when(world, undefined))) this.injected.push(inj.act);
    }
    const choosers: Chooser[] = [];
    this.shocks.forEach((sh, index) => {
      const live = sh.when === undefined || sh.when(world, undefined);
      const p = live ? probability(sh.probability, sh.modifiers, world) : 0;
      // The engine fires when u < p.
      const options: ChanceOption[] = [];
      if (p > 0) options.push({ lo: 0, hi: p, act: sh.act, label: sh.id });
      if (p < 1) options.push({ lo: p, hi: 1, act: undefined, label: '' });
      choosers.push({ kind: 'shock', index, options });
    });
    this.moves.forEach((slots, a) => {
      const open: Array<{ slot: MoveSlot; p: number }> = [];
      let total = 0;
      for (const m of slots) {
        if (!kernel.inState(a, m.state) || !kernel.can(a, m.scratch, world)) continue;
        if (m.when !== undefined && !m.when(world, undefined)) continue;
        const p = probability(m.probability, m.modifiers, world);
        if (p <= 0) continue;
        open.push({ slot: m, p });
        total += p;
      }
      // The engine scales to 1 when the moves sum above 1 and picks move k when u < the k-th cumulative sum.
      const scale = total > 1 ? total : 1;
      const options: ChanceOption[] = [];
      let cumulative = 0;
      for (const { slot, p } of open) {
        const lo = cumulative;
        cumulative += p / scale;
        const hi = Math.min(1, cumulative);
        if (hi > lo) options.push({ lo, hi, act: slot.act, label: slot.id });
      }
      if (cumulative < 1) options.push({ lo: cumulative, hi: 1, act: undefined, label: '' });
      choosers.push({ kind: 'actor', index: a, options });
    });
    return choosers;
  }

  /**
   * Plays the prepared turn with outcome `picks[i]` of chooser `i`; act ids start at `firstId`.
   * Returns the turn's acts in delivery order (the world's log: valid until the next call).
   * Throws ExploreError for a cascade that does not end or too many acts, as the engine does.
   */
  play(choosers: readonly Chooser[], picks: ArrayLike<number>, firstId = 0): readonly EventInstance[] {
    if (this.dirty) this.restore();
    this.dirty = true;
    const { model, world, queue, monitor } = this;
    const turn = this.turn;
    this.queueLength = 0;
    this.raiseCount = 0;
    this.nextId = firstId;
    this.chanceCount = 0;
    this.chanceSeen.clear();
    // The act's place in its turn, as the engine keys its draws (ids here count from firstId).
    world.turnFirst = firstId;
    this.sentNow.length = 0;
    // The engine's turn: acts in transit due now first (sent `delay` turns ago), then injects, then draws.
    const pending = (this.snapshot as Snapshot).pending;
    for (let i = 0; i < pending.length; i += 2) {
      if (pending[i + 1] !== 1) continue;
      const act = this.delayed[pending[i] as number] as ActTemplate;
      queue[this.queueLength++] = this.instance(turn, act, -1, 0, turn - act.delay);
    }
    for (const act of this.injected) queue[this.queueLength++] = this.instance(turn, act, -1, 0);
    for (let i = 0; i < choosers.length; i++) {
      const option = (choosers[i] as Chooser).options[picks[i] as number] as ChanceOption;
      if (option.act === undefined) continue;
      if (option.act.delay > 0) this.defer(option.act);
      else queue[this.queueLength++] = this.instance(turn, option.act, -1, 0);
    }
    for (let head = 0; head < this.queueLength; head++) {
      if (head >= model.limits.maxEventsPerTurn) {
        throw new ExploreError('engine/too_many_events', tooManyActsMessage(model, turn, queue.slice(0, this.queueLength)), turn);
      }
      const e = queue[head] as EventInstance;
      this.account(e, head);
      world.record(e);
      monitor?.accounted(e, head, world);
      this.deliverTo(e.from, e);
      for (const r of e.to) if (r !== e.from) this.deliverTo(r, e);
      monitor?.delivered(head, this.kernel);
    }
    monitor?.turnEnd(world, this.queueLength - 1);
    return world.log;
  }

  /** The key of the world the last `play` left, at the end of its turn. */
  encode(): string {
    this.table.advance(this.world.history, this.world.log, this.nextHistory);
    // In transit after the turn: those not yet due, a turn nearer, then those sent now; by turns left, then as sent.
    const out = this.nextPending;
    out.length = 0;
    const pending = (this.snapshot as Snapshot).pending;
    for (let i = 0; i < pending.length; i += 2) if ((pending[i + 1] as number) > 1) out.push(pending[i] as number, (pending[i + 1] as number) - 1);
    out.push(...this.sentNow);
    const before = (this.snapshot as Snapshot).anchors;
    this.relative.forEach((a, i) => {
      const x = before[i] as number;
      if (x > 0) this.nextAnchors[i] = Math.min(a.turns + 1, x + 1);
      else this.nextAnchors[i] = this.world.log.some((e) => e.type === a.event && (a.from < 0 || e.from === a.from) && (a.to < 0 || e.to.includes(a.to))) ? 1 : 0;
    });
    return this.write(this.nextHistory, sortPairs(out));
  }

  private restore(): void {
    const s = this.snapshot;
    if (s === undefined) throw new Error('ExploreStepper: prepare() before play()');
    const { kernel, world } = this;
    for (let a = 0; a < s.active.length; a++) kernel.restoreState(a, s.active[a] as Uint8Array);
    // Each timed state was entered `elapsed` turns before the end of the previous turn.
    this.codec.timed.forEach(({ actor, state }, i) => {
      kernel.enteredTurns(actor)[state] = this.turn - 1 - (s.elapsed[i] as number);
    });
    world.restore(this.turn, s.vars, s.dyad, s.theatrePeak, s.overall, s.history);
    if (this.monitor !== undefined) {
      this.monitor.status = s.status;
      this.monitor.hitIndex = -1;
    }
    this.dirty = false;
  }

  private write(history: Uint16Array, pending: readonly number[] = []): string {
    return this.codec.write(this.activeFlags, this.world, history, this.monitor?.status ?? OPEN, this.enteredTurns, pending, this.nextAnchors);
  }

  private deliverTo(actor: number, e: EventInstance): void {
    const { kernel, world, log, model } = this;
    if (this.handled[actor * model.events.length + e.type] === 0) return;
    log.clear();
    kernel.deliver(actor, e, world, log);
    for (let i = 0; i < log.effectCount; i++) {
      const { effect, rule } = log.effects[i] as EffectEntry;
      if (effect.kind !== 'emit') {
        world.applyVariableEffect(effect);
        continue;
      }
      const template = forSender(this.emits.get(actor, effect, rule), e.from);
      if (template.delay > 0) {
        this.defer(template);
        continue;
      }
      const next = this.instance(e.turn, template, e.id, e.depth + 1);
      if (next.depth > model.limits.maxCascadeDepth) {
        throw new ExploreError('engine/cascade_overflow', cascadeOverflowMessage(model, e.turn, this.queue.slice(0, this.queueLength), next), e.turn);
      }
      this.queue[this.queueLength++] = next;
    }
  }

  /** The engine's escalation accounting (RunWorld.account); records the peaks raised. */
  private account(e: EventInstance, index: number): void {
    const { world } = this;
    const overall = world.overall;
    const theatre = e.theatre >= 0 ? (world.theatrePeak[e.theatre] as number) : -1;
    world.account(e);
    if (world.overall > overall) this.raises[this.raiseCount++] = { index, theatre: -1, from: overall, to: world.overall };
    if (e.theatre >= 0 && (world.theatrePeak[e.theatre] as number) > theatre) {
      this.raises[this.raiseCount++] = { index, theatre: e.theatre, from: theatre, to: e.rung };
    }
  }

  private template(
    type: number,
    from: number,
    to: readonly number[] | undefined,
    against: readonly number[] | undefined,
    data: Readonly<Record<string, Scalar>> | undefined,
    theatre: number | undefined,
    origin: Origin,
    rule: number,
    extras?: ActExtras,
  ): ActTemplate {
    return actTemplate(this.model, this.others, type, from, to, against, data, theatre, origin, rule, extras);
  }

  private instance(turn: number, act: ActTemplate, cause: number, depth: number, sent = turn): EventInstance {
    return instantiate(this.nextId++, turn, act, cause, depth, sent);
  }

  /** Puts an act in transit: sent this turn, delivered `act.delay` turns later (as pairs in `sentNow`). */
  private defer(act: ActTemplate): void {
    let index = this.delayedIndex.get(act);
    if (index === undefined) {
      index = this.delayed.push(act) - 1;
      this.delayedIndex.set(act, index);
    }
    this.sentNow.push(index, act.delay);
  }


}


/** Pairs `[act, turns left]` ordered by turns left, keeping their order otherwise (a stable sort). */
function sortPairs(flat: readonly number[]): number[] {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i] as number, flat[i + 1] as number]);
  pairs.sort((x, y) => x[1] - y[1]);
  return pairs.flat();
}
