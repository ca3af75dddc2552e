import { DeliveryLog, type EffectEntry } from '../model/build-machine.ts';
import { evaluate } from '../model/evaluate.ts';
import { readsVariables } from '../model/invariants.ts';
import type { Cond, EventInstance, Expr, InjectModel, Model, Modifier, MoveModel, Origin, Scalar, WorldView } from '../model/types.ts';
import { type CompiledCondition, type CompiledExpr, type CompiledModifier, type CompiledNumber, compileCondition, compileExpr, compileModifiers, compileNumber, probability, unclampedProbability } from './compile-condition.ts';
import { evalExpr } from '../model/expression.ts';
import { CompiledKernel } from './compiled-kernel.ts';
import type { Kernel, KernelSnapshot } from './kernel.ts';
import { createRandom, drawStreamFrom, drawStreamOf, type Random } from './rng.ts';
import { RunWorld, type WorldSnapshot } from './world.ts';
import { type ActExtras, type ActTemplate, actTemplate, cascadeOverflowMessage, EmitTemplates, forSender, hasDelays, instantiate, othersOf, tooManyActsMessage } from './act.ts';
import { type ActQueue, type DirectSink, type Specialised, specialise } from './specialise.ts';

/** A change of an actor's active states, caused by an act. */
export interface StateChange {
  readonly turn: number;
  readonly actor: number;
  readonly from: string;
  readonly to: string;
  /** The act whose delivery changed it. */
  readonly cause: number;
}

/** An act that raised a peak: overall (`theatre` -1) or in a theatre. */
export interface LadderStep {
  readonly event: number;
  readonly turn: number;
  readonly rung: number;
  readonly theatre: number;
}

/** What one run produced. Numbers are indices into the model. */
export interface RunRecord {
  readonly seed: string;
  /** Every act delivered, in delivery order; `events[i].id === i`. */
  readonly events: readonly EventInstance[];
  /** Present when the run was asked for its trace. */
  readonly stateChanges: readonly StateChange[] | undefined;
  readonly steps: readonly LadderStep[];
  readonly overallPeak: number;
  readonly theatrePeaks: Int8Array;
  /** Dyad peaks over all theatres: `from * actors + to`. */
  readonly dyadPeaks: Int8Array;
  /** First turn each threshold was crossed (0 = never): slot 0 overall, slot t+1 theatre t; `slot * thresholds + k`. */
  readonly thresholdTurns: Int16Array;
  /** How often each rule fired. */
  readonly ruleCounts: Uint32Array;
  /** Per outcome (model.outcomes), the first turn at whose end its condition held; 0 = never. */
  readonly outcomeTurns: Int16Array;
  /** Per outcome, 1 when its condition held at the end of the last turn played. */
  readonly outcomeEnd: Uint8Array;
  /**
   * Per invariant (model.invariants), for an `always` invariant that reads variables (which a trace
   * does not record, so the runner checks it as it plays): the first turn at whose end it failed; 0 otherwise.
   */
  readonly invariantTurns: Int16Array;
  /**
   * Acts still in transit when the run ended (sent with a `delay` due after its last turn played), in
   * the order they were sent: not delivered, so neither accounted nor in `events`.
   */
  readonly undelivered: readonly UndeliveredAct[];
}

/** An act sent with a delay that the run ended before delivering. */
export interface UndeliveredAct {
  readonly type: number;
  readonly from: number;
  readonly to: readonly number[];
  readonly sent: number;
  /** The turn it would have been delivered in. */
  readonly due: number;
  readonly rule: number;
  /** The act whose handling emitted it (-1 for a move). */
  readonly cause: number;
}

const NONE_PENDING: readonly UndeliveredAct[] = Object.freeze([]);

/** True when the run reached outcome `k`: by its `by` turn, or at the run's end when it has none. */
export function reachedOutcome(model: Model, record: RunRecord, k: number): boolean {
  const by = (model.outcomes[k] as { by: number }).by;
  if (by === 0) return record.outcomeEnd[k] === 1;
  const first = record.outcomeTurns[k] as number;
  return first > 0 && first <= by;
}

/** A scenario fault found while running: it names the seed and turn that reproduce it. */
export class EngineError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly seed: string,
    readonly turn: number,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/**
 * An act injected into a turn from outside the scenario (a classroom facilitator's inject): names
 * resolved to indices; `undefined` keeps the declared defaults as a scripted inject's would.
 */
export interface InjectAct {
  readonly event: number;
  readonly from: number;
  /** Recipients; `undefined` means every actor but the sender. */
  readonly to?: readonly number[] | undefined;
  /** Targets; `undefined` means the recipients. */
  readonly against?: readonly number[] | undefined;
  readonly data?: Readonly<Record<string, Scalar>> | undefined;
  /** `undefined` means the event type's theatre. */
  readonly theatre?: number | undefined;
}

/**
 * What a classroom (or a counterfactual) changes in one turn, as plain data. The draw schedule does not
 * change: every shock and every actor still consumes its one draw, so the rest of the world keeps the
 * random numbers of the policy's own run of the seed (design.md "Classroom").
 */
export interface TurnOverride {
  /** Acts queued after the turn's scripted injects and before its shocks, in this order. Their origin is `script`, their rule -1. */
  readonly injects?: readonly InjectAct[] | undefined;
  /** `[shock index, strikes]`: the shock strikes (true, whatever its odds and condition) or not (false) instead of by its draw. */
  readonly shocks?: ReadonlyArray<readonly [number, boolean]> | undefined;
  /**
   * `[actor index, move index]` (into `model.actors[a].moves`, or -1 for no move): the actor makes this
   * move instead of the one its draw picks. The move must be possible on the start-of-turn world
   * (`Runner.movesNow`); an impossible one throws `engine/move_not_possible`.
   */
  readonly moves?: ReadonlyArray<readonly [number, number]> | undefined;
}

/** A move an actor could make at the start of the next turn, as the policy weighs it. */
export interface MoveChance {
  /** Index into `model.actors[a].moves`. */
  readonly move: number;
  /** The chance the policy's draw picks it (0–1; the moves' chances and "no move" sum to 1). */
  readonly probability: number;
  /** Present when the move's probability (base and modifiers) came out past 1 and was clamped to 1: the value before the clamp. */
  readonly unclamped?: number;
}

export interface RunOptions {
  /** Record state changes (for narratives). Default false. */
  readonly trace?: boolean;
  /** Per turn (index = turn number), what to change in it; turns without an entry play by the policy on the generated path. */
  readonly overrides?: ReadonlyArray<TurnOverride | undefined>;
  /**
   * From turn `turn` on, draw from `random` instead of the run's own source: a counterfactual's fresh
   * randomness per replication after a branch point (the same `random` in every arm: common random numbers).
   */
  readonly branch?: { readonly turn: number; readonly random: Random } | undefined;
  /** Stop after this turn (default: the scenario's last). */
  readonly turns?: number;
  /** A uniform source to use instead of alea(seed): for tests that count or fix the draws. */
  readonly random?: Random;
  /**
   * Return the runner's own buffers instead of copies: the record is valid only until the next run.
   * For streaming aggregation, which reads each record once.
   */
  readonly transient?: boolean;
  /**
   * Called at the end of every turn with the run's world as it stands then (variables, states, peaks);
   * returning true ends the run there (the record holds the turns played). For per-turn series
   * (analysis/series.ts) and for samplers that stop a run once it has crossed a level
   * (batch/splitting.ts). The turn is played exactly as without it.
   */
  readonly onTurnEnd?: (turn: number, world: TurnEndView) => boolean | void;
  /**
   * Told of every chance reaction's draw on an act being delivered: the transition's rule, the act, the
   * probability (after modifiers) and whether it fired. A guard may be asked twice for one act (the
   * generated code counts parallel regions' selections first): the answers agree. For narratives.
   */
  readonly onChance?: (rule: number, act: EventInstance, probability: number, fired: boolean) => void;
}

/** What `RunOptions.onTurnEnd` sees of the world at a turn's end. */
export type TurnEndView = WorldView & { readonly overall: number; readonly theatrePeak: Int8Array };

/** Runs a runner plays through the kernel's general algorithm before it generates code (RunnerOptions.specialise). */
export const SPECIALISE_AFTER = 200;

export interface RunnerOptions {
  /**
   * With the compiled kernel, when to start playing the turn through code generated for the model
   * (src/engine/specialise.ts): after this many runs of this runner (generating the code and letting
   * V8 optimise it costs about what a couple of hundred runs save, so a runner that plays a few runs
   * does not pay it), at once (0), or never (false). The results are the same either way. Default
   * `SPECIALISE_AFTER`.
   */
  readonly specialise?: number | false;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface MoveGroup {
  readonly state: number;
  readonly slots: readonly MoveSlot[];
}

interface MoveSlot {
  /** Index into the actor's `moves`. */
  readonly index: number;
  readonly state: number;
  /** The kernel accepts the move whenever its state is active: no need to ask each turn. */
  readonly always: boolean;
  readonly probability: CompiledNumber;
  readonly modifiers: readonly CompiledModifier[];
  /** The move's precondition, if any. */
  readonly when: CompiledCondition | undefined;
  /** Reused to ask the kernel whether the move is possible this turn. */
  readonly scratch: Mutable<EventInstance> & ActTemplate;
}

/** An act sent with a `delay`, waiting for its turn. */
export interface PendingAct {
  /** The turn it is delivered in. */
  readonly due: number;
  readonly sent: number;
  readonly act: ActTemplate;
  /** Its template id in the generated code's table, or -1. */
  readonly id: number;
  /** The act whose handling emitted it (-1 for a move). */
  readonly cause: number;
}

/**
 * Plays one run of the scenario from a seed, exactly as design.md's turn: injects, shocks (one draw
 * each), actors (one draw each), then FIFO delivery with cascades, accounting each act as it is
 * delivered. Deterministic: the same model, kernel semantics and seed give the same record.
 */
export function runOnce(model: Model, kernel: Kernel, seed: string, options: RunOptions = {}): RunRecord {
  return new Runner(model, kernel).run(seed, options);
}

/**
 * A reusable runner: keeps its buffers between runs of one model. With the compiled kernel it plays
 * untraced runs through code generated for the model once it has played `SPECIALISE_AFTER` runs
 * (src/engine/specialise.ts); traced runs, the reference kernel and the first runs take the general
 * turn loop below. Both give the same records (test/engine/kernel-equivalence.test.ts).
 */
export class Runner {
  private readonly world: RunWorld;
  private readonly log = new DeliveryLog();
  private readonly others: ReadonlyArray<readonly number[]>;
  /** Each actor's moves grouped by declaring state, in document order. */
  private readonly moveGroups: ReadonlyArray<readonly MoveGroup[]>;
  private readonly shocks: ReadonlyArray<{
    readonly act: ActTemplate;
    readonly probability: CompiledNumber;
    readonly modifiers: readonly CompiledModifier[];
    readonly when: CompiledCondition | undefined;
  }>;
  private readonly injects: ReadonlyArray<{
    readonly turn: number;
    readonly after: InjectModel['after'];
    readonly act: ActTemplate;
    readonly when: CompiledCondition | undefined;
  }>;
  /** Per inject timed `after` an act, the first turn a matching act was delivered (0: not yet). */
  private readonly anchorTurns: Int16Array;
  /** How much of the world's log the anchors have been looked for in. */
  private anchorScan = 0;
  private readonly relative: boolean;
  /** Emit effects resolved per reacting actor, built on first use. */
  private readonly emits: EmitTemplates;
  private readonly weights: Float64Array;
  /** The turn's acts in delivery order, with the template id of each (-1 for reactions queued by the general algorithm). */
  private readonly q: ActQueue = { acts: [], ids: [], length: 0, next: 0, transient: false, pool: [] };
  /** `handled[actor * events + type]`: 0 when delivering the type to the actor is a no-op. */
  private readonly handled: Uint8Array;
  /** The kernel's live active-state flags per actor, where it exposes them. */
  private readonly activeFlags: ReadonlyArray<Uint8Array | undefined>;
  private readonly thresholdTurns: Int16Array;
  private readonly ruleCounts: Uint32Array;
  /** The outcomes' conditions, checked at the end of every turn. */
  private readonly outcomes: readonly CompiledCondition[];
  private readonly outcomeTurns: Int16Array;
  private readonly outcomeEnd: Uint8Array;
  /** `[invariant index, condition]` of the `always` invariants that read variables. */
  private readonly liveInvariants: ReadonlyArray<readonly [number, CompiledCondition]>;
  private readonly invariantTurns: Int16Array;
  /** Outcomes or live invariants to check at each turn's end. */
  private readonly turnEndChecks: boolean;
  private readonly candidates: Array<Mutable<EventInstance> & ActTemplate>;
  /** Acts sent with a delay and not yet delivered, in the order they were sent. */
  private pending: PendingAct[] = [];
  /** Some move or emit has a delay. */
  private readonly delays: boolean;
  /** Every act template the turn can queue: moves, shocks, injects (the generated code adds emits). */
  private readonly acts: ActTemplate[] = [];
  /** The act template id of each actor's moves, of each shock and of each inject (ids into `acts`). */
  private readonly slotActs: ReadonlyArray<readonly number[]>;
  private readonly shockActs: readonly number[];
  private readonly injectActs: readonly number[];
  /** The generated hot path, with the compiled kernel. */
  private fast: Specialised | undefined;
  /** Builds `fast` (undefined with the reference kernel). */
  private readonly generate: (() => Specialised | undefined) | undefined;
  /** Runs left before `generate` is called; -1 when it never is. */
  private untilFast: number;

  /** The run being played. */
  private st: RunState | undefined;

  constructor(
    private readonly model: Model,
    private readonly kernel: Kernel,
    options: RunnerOptions = {},
  ) {
    this.world = new RunWorld(model, kernel);
    this.others = othersOf(model);
    // The reference interprets conditions; the compiled kernel's loop uses closures. Both give the same answers.
    const flags = (actor: number) => kernel.activeFlags?.(actor);
    const dates = (actor: number) => (kernel instanceof CompiledKernel ? kernel.enteredTurns(actor) : undefined);
    const cond = (c: Cond): CompiledCondition => (kernel.name === 'compiled' ? compileCondition(c, flags, dates) : (w, e) => evaluate(c, w, e));
    const expr = (e: Expr): CompiledExpr => (kernel.name === 'compiled' ? compileExpr(e) : (w) => evalExpr(e, w));
    const mods = (list: readonly Modifier[]) => compileModifiers(list, cond, expr);
    const moves: MoveSlot[][] = model.actors.map((a) =>
      a.moves.map((m, index) => {
        const scratch = { ...this.template(m.event, a.index, m.to, m.against, m.data, m.theatre, 'move', m.rule, m), id: -1, turn: 0, sent: 0, cause: -1, depth: 0 };
        return {
          index,
          state: m.state,
          always: kernel.acceptsAlways?.(a.index, m.state, scratch) ?? false,
          probability: compileNumber(m.probability, expr),
          modifiers: mods(m.modifiers),
          when: m.when === undefined ? undefined : cond(m.when),
          scratch,
        };
      }),
    );
    this.moveGroups = moves.map((slots) => {
      const groups: Array<{ state: number; slots: MoveSlot[] }> = [];
      for (const m of slots) {
        const last = groups[groups.length - 1];
        if (last !== undefined && last.state === m.state) last.slots.push(m);
        else groups.push({ state: m.state, slots: [m] });
      }
      return groups;
    });
    this.shocks = model.shocks.map((sh) => ({
      act: this.template(sh.event, sh.from, sh.to, sh.against, sh.data, sh.theatre, 'shock', sh.rule, sh),
      probability: compileNumber(sh.probability, expr),
      modifiers: mods(sh.modifiers),
      when: sh.when === undefined ? undefined : cond(sh.when),
    }));
    this.injects = model.injects.map((inj) => ({
      turn: inj.turn,
      after: inj.after,
      act: this.template(inj.event, inj.from, inj.to, inj.against, inj.data, inj.theatre, 'script', inj.rule, inj),
      when: inj.when === undefined ? undefined : cond(inj.when),
    }));
    this.emits = new EmitTemplates(model, this.others);
    this.outcomes = model.outcomes.map((o) => cond(o.condition));
    this.outcomeTurns = new Int16Array(model.outcomes.length);
    this.outcomeEnd = new Uint8Array(model.outcomes.length);
    this.liveInvariants = model.invariants.flatMap((inv, k) => (inv.kind === 'always' && readsVariables(inv.condition) ? [[k, cond(inv.condition)] as const] : []));
    this.invariantTurns = new Int16Array(model.invariants.length);
    this.turnEndChecks = this.outcomes.length > 0 || this.liveInvariants.length > 0;
    const most = Math.max(1, ...moves.map((m) => m.length));
    this.weights = new Float64Array(most);
    this.candidates = new Array(most);
    this.thresholdTurns = new Int16Array((model.theatres.length + 1) * model.thresholds.length);
    this.delays = hasDelays(model);
    this.anchorTurns = new Int16Array(model.injects.length);
    this.relative = model.injects.some((inj) => inj.after !== undefined);
    this.ruleCounts = new Uint32Array(model.rules.length);
    const types = model.events.length;
    this.handled = new Uint8Array(model.actors.length * types);
    for (const a of model.actors) for (let t = 0; t < types; t++) this.handled[a.index * types + t] = kernel.handles?.(a.index, t) === false ? 0 : 1;
    this.activeFlags = model.actors.map((a) => kernel.activeFlags?.(a.index));
    const acts = this.acts;
    // Plain templates (the moves' scratch acts carry instance fields too): one object shape for `instance`.
    const add = (act: ActTemplate) =>
      acts.push({ type: act.type, from: act.from, to: act.to, against: act.against, data: act.data, theatre: act.theatre, rung: act.rung, origin: act.origin, rule: act.rule, delay: act.delay, answers: act.answers === true }) - 1;
    this.slotActs = moves.map((slots) => slots.map((m) => add(m.scratch)));
    this.shockActs = this.shocks.map((sh) => add(sh.act));
    this.injectActs = this.injects.map((inj) => add(inj.act));
    const sink: DirectSink = {
      ruleCounts: this.ruleCounts,
      emit: (id, cause) => this.emit((this.fast as Specialised).acts[id] as ActTemplate, cause, id),
      answer: (id, cause) => this.emit(forSender((this.fast as Specialised).acts[id] as ActTemplate, cause.from), cause, -1),
      general: (actor, e) => this.deliverGeneral(actor, e),
      q: this.q,
      injects: (turn) => this.queueInjects(turn),
      overflow: (turn) => this.overflow(turn),
      deliverAct: (e) => this.deliverAct(e),
      rise: (e, theatre) => this.rise(e, theatre),
      defer: (id, cause) => this.defer((this.fast as Specialised).acts[id] as ActTemplate, id, cause === null ? -1 : cause.id),
      due: (turn) => this.queueDue(turn),
    };
    this.generate =
      kernel instanceof CompiledKernel
        ? () =>
            specialise(
              model,
              kernel,
              this.world,
              sink,
              moves.map((slots, a) =>
                slots.map((m, k) => {
                  const declared = model.actors[a]?.moves[k] as MoveModel;
                  return { ...m, probability: declared.probability, modifiers: declared.modifiers, when: declared.when, act: (this.slotActs[a] as readonly number[])[k] as number };
                }),
              ),
              acts,
              this.shockActs,
            )
        : undefined;
    this.untilFast = this.generate === undefined || options.specialise === false ? -1 : Math.max(0, Math.floor(options.specialise ?? SPECIALISE_AFTER));
    if (this.untilFast === 0) this.fast = this.generate?.();
    this.sink = sink;
    this.chanceReactions = model.actors.some((a) => a.transitions.some((t) => t.chance !== undefined));
    this.dyadView = this.world.dyad.subarray(0, model.actors.length * model.actors.length);
  }

  private readonly sink: DirectSink;
  /** The model has chance reactions: a counterfactual's branch takes their stream from its own source. */
  private readonly chanceReactions: boolean;
  /** The overall dyad peaks (a view on the world's array): what a transient record hands out. */
  private readonly dyadView: Int8Array;

  run(seed: string, options: RunOptions = {}): RunRecord {
    const state = this.begin(seed, options);
    const { world } = this;
    const last = options.turns ?? this.model.turns;
    const overrides = options.overrides;
    const branch = options.branch;
    const onTurnEnd = options.onTurnEnd;
    for (let turn = 1; turn <= last; turn++) {
      world.turn = turn;
      if (branch !== undefined && turn === branch.turn) {
        state.random = branch.random;
        // Counter-based draws after the branch come from the replication's own source too (taken only
        // where the model has chance reactions, so other models keep their branch draws).
        if (this.chanceReactions) world.stream = drawStreamFrom(branch.random);
      }
      this.playTurn(turn, state, overrides === undefined ? undefined : overrides[turn]);
      if (this.turnEndChecks) this.checkTurnEnd(turn, state);
      if (onTurnEnd !== undefined && onTurnEnd(turn, world) === true) break;
    }
    return this.result();
  }

  /**
   * Starts a run to be played turn by turn with `step` (a classroom game): the world is at the start of
   * turn 1. `overrides`, `branch` and `turns` are ignored (`step` takes each turn's override).
   */
  begin(seed: string, options: RunOptions = {}): RunState {
    if (this.untilFast > 0 && --this.untilFast === 0) this.fast = this.generate?.();
    const { kernel, world } = this;
    const random = options.random ?? createRandom(seed);
    if (this.fast !== undefined) this.fast.reset();
    else kernel.reset();
    world.reset();
    world.stream = drawStreamOf(seed);
    world.onChance = options.onChance;
    const transient = options.transient === true;
    const state: RunState = {
      seed,
      random,
      events: world.log,
      stateChanges: options.trace === true ? [] : undefined,
      steps: [],
      thresholdTurns: transient ? this.thresholdTurns.fill(0) : new Int16Array(this.thresholdTurns.length),
      ruleCounts: transient ? this.ruleCounts.fill(0) : new Uint32Array(this.ruleCounts.length),
      outcomeTurns: transient ? this.outcomeTurns.fill(0) : new Int16Array(this.outcomeTurns.length),
      outcomeEnd: transient ? this.outcomeEnd.fill(0) : new Uint8Array(this.outcomeEnd.length),
      invariantTurns: transient ? this.invariantTurns.fill(0) : new Int16Array(this.invariantTurns.length),
      transient,
    };
    this.st = state;
    this.sink.ruleCounts = state.ruleCounts;
    this.pending = [];
    this.anchorTurns.fill(0);
    this.anchorScan = 0;
    this.q.next = 0;
    this.q.transient = transient;
    return state;
  }

  /** Plays the next turn of the run `begin` started, changed by `override`; returns its number. */
  step(override?: TurnOverride): number {
    const st = this.st;
    if (st === undefined) throw new Error('Runner.step: call begin() first');
    const turn = this.world.turn + 1;
    if (turn > this.model.turns) throw new Error(`Runner.step: the scenario has ${this.model.turns} turns; turn ${turn} cannot be played`);
    this.world.turn = turn;
    this.playTurn(turn, st, override);
    if (this.turnEndChecks) this.checkTurnEnd(turn, st);
    return turn;
  }

  /** The last turn played by the current run (0 before the first). */
  get turn(): number {
    return this.world.turn;
  }

  /** The current run's world (variables, peaks, acts so far): valid until the next `run` or `begin`. */
  get view(): WorldView {
    return this.world;
  }

  /** The actor's active atomic states now, as the kernel labels them. */
  label(actor: number): string {
    return this.kernel.label(actor);
  }

  /**
   * The moves the actor could make at the start of the next turn, in document order, with the chance
   * the policy's draw picks each; moves that are not possible now, or have probability 0, are absent.
   */
  movesNow(actor: number): MoveChance[] {
    const world = this.world;
    const played = world.turn;
    world.turn = played + 1; // conditions read the turn about to be played
    try {
      const found: Array<{ move: number; weight: number; unclamped: number }> = [];
      let total = 0;
      for (const m of this.possibleMoves(actor)) {
        found.push({ move: m.slot.index, weight: m.weight, unclamped: unclampedProbability(m.slot.probability, m.slot.modifiers, world) });
        total += m.weight;
      }
      const scale = total > 1 ? total : 1;
      return found.map((f) => ({ move: f.move, probability: f.weight / scale, ...(f.unclamped !== f.weight ? { unclamped: f.unclamped } : {}) }));
    } finally {
      world.turn = played;
    }
  }

  /**
   * Which of the move's declared modifiers hold on the world now, as `movesNow` reads it (conditions see
   * the turn about to be played): indices into `model.actors[actor].moves[move].modifiers`, in order.
   * Reads only; for narratives, off the batch's path.
   */
  modifiersNow(actor: number, move: number): number[] {
    const world = this.world;
    let slot: MoveSlot | undefined;
    for (const g of this.moveGroups[actor] ?? []) for (const m of g.slots) if (m.index === move) slot = m;
    if (slot === undefined) return [];
    const played = world.turn;
    world.turn = played + 1;
    try {
      const held: number[] = [];
      slot.modifiers.forEach((m, k) => {
        if (m.when(world, undefined)) held.push(k);
      });
      return held;
    } finally {
      world.turn = played;
    }
  }

  /**
   * Saves the current run (after `begin` and some `step`s) for `playFrom`; undefined when the kernel
   * cannot save its actors' states (the XState reference).
   */
  save(): RunSnapshot | undefined {
    const st = this.st;
    const kernel = this.kernel.save?.();
    if (st === undefined || kernel === undefined) return undefined;
    return {
      seed: st.seed,
      kernel,
      world: this.world.saveRun(),
      next: this.q.next,
      pending: this.pending.slice(),
      steps: st.steps.slice(),
      thresholdTurns: st.thresholdTurns.slice(),
      ruleCounts: st.ruleCounts.slice(),
      outcomeTurns: st.outcomeTurns.slice(),
      outcomeEnd: st.outcomeEnd.slice(),
      invariantTurns: st.invariantTurns.slice(),
    };
  }

  /**
   * Plays on from a saved run: turn `snapshot.world.turn + 1` changed by `first`, then every later turn
   * by the policy, drawing from `random` (a counterfactual's replication: the saved prefix is the game
   * as played). Untraced and transient: the record is valid until the next run. Deterministic: equals
   * `run(seed, { overrides: [...prefix, first], branch: { turn: snapshot.world.turn + 1, random } })`.
   */
  playFrom(snapshot: RunSnapshot, random: Random, first: TurnOverride | undefined): RunRecord {
    if (this.untilFast > 0 && --this.untilFast === 0) this.fast = this.generate?.();
    const { world, kernel } = this;
    kernel.restore?.(snapshot.kernel);
    world.restoreRun(snapshot.world);
    const state: RunState = {
      seed: snapshot.seed,
      random,
      events: world.log,
      stateChanges: undefined,
      steps: snapshot.steps.slice(),
      thresholdTurns: this.thresholdTurns,
      ruleCounts: this.ruleCounts,
      outcomeTurns: this.outcomeTurns,
      outcomeEnd: this.outcomeEnd,
      invariantTurns: this.invariantTurns,
      transient: true,
    };
    state.thresholdTurns.set(snapshot.thresholdTurns);
    state.ruleCounts.set(snapshot.ruleCounts);
    state.outcomeTurns.set(snapshot.outcomeTurns);
    state.outcomeEnd.set(snapshot.outcomeEnd);
    state.invariantTurns.set(snapshot.invariantTurns);
    this.st = state;
    this.sink.ruleCounts = state.ruleCounts;
    this.pending = snapshot.pending.slice();
    // The anchors are read again from the restored log.
    this.anchorTurns.fill(0);
    this.anchorScan = 0;
    this.q.next = snapshot.next;
    this.q.transient = true;
    if (this.chanceReactions) world.stream = drawStreamFrom(random);
    world.onChance = undefined;
    const at = snapshot.world.turn + 1;
    for (let turn = at; turn <= this.model.turns; turn++) {
      world.turn = turn;
      this.playTurn(turn, state, turn === at ? first : undefined);
      if (this.turnEndChecks) this.checkTurnEnd(turn, state);
    }
    return this.result();
  }

  /**
   * The record of the current run so far (after `run`, the whole run). Its steps, state changes,
   * threshold turns and rule counts are the live run's own arrays: read them before the next `step`.
   */
  result(): RunRecord {
    const st = this.st;
    if (st === undefined) throw new Error('Runner.result: nothing was run');
    const { model, world } = this;
    const transient = st.transient;
    const n = model.actors.length;
    return {
      seed: st.seed,
      events: transient ? world.log : world.log.slice(),
      stateChanges: st.stateChanges,
      steps: st.steps,
      overallPeak: world.overall,
      theatrePeaks: transient ? world.theatrePeak : world.theatrePeak.slice(),
      dyadPeaks: transient ? this.dyadView : world.dyad.slice(0, n * n),
      thresholdTurns: st.thresholdTurns,
      ruleCounts: st.ruleCounts,
      outcomeTurns: st.outcomeTurns,
      outcomeEnd: st.outcomeEnd,
      invariantTurns: st.invariantTurns,
      undelivered: this.pending.length === 0 ? NONE_PENDING : this.pending.map((p) => ({ type: p.act.type, from: p.act.from, to: p.act.to, sent: p.sent, due: p.due, rule: p.act.rule, cause: p.cause })),
    };
  }

  /**
   * At the end of `turn`: the first turn each outcome's condition held, and whether it holds now; the
   * first turn each invariant over variables failed.
   */
  private checkTurnEnd(turn: number, st: RunState): void {
    for (let k = 0; k < this.outcomes.length; k++) {
      const holds = (this.outcomes[k] as CompiledCondition)(this.world, undefined);
      if (holds && st.outcomeTurns[k] === 0) st.outcomeTurns[k] = turn;
      st.outcomeEnd[k] = holds ? 1 : 0;
    }
    for (const [k, c] of this.liveInvariants) if (st.invariantTurns[k] === 0 && !c(this.world, undefined)) st.invariantTurns[k] = turn;
  }

  /** Each move of the actor possible on the world now, with its weight (probability before scaling). */
  private *possibleMoves(a: number): Generator<{ slot: MoveSlot; weight: number }> {
    const { kernel, world } = this;
    const groups = this.moveGroups[a] as readonly MoveGroup[];
    const flags = this.activeFlags[a];
    for (const group of groups) {
      if (flags !== undefined ? flags[group.state] !== 1 : !kernel.inState(a, group.state)) continue;
      for (const m of group.slots) {
        if (m.when !== undefined && !m.when(world, undefined)) continue;
        const p = m.modifiers.length === 0 && typeof m.probability === 'number' ? m.probability : probability(m.probability, m.modifiers, world);
        if (p <= 0) continue;
        if (!m.always && !kernel.can(a, m.scratch, world)) continue;
        yield { slot: m, weight: p };
      }
    }
  }

  /** A turn changed by an override: the general loop's order and draws, with the override's choices. */
  private playOverridden(turn: number, st: RunState, ctl: TurnOverride): void {
    const fast = this.fast;
    // 0. Acts in transit due now; 1. scripted injects, then the override's own, in order.
    if (this.pending.length > 0) this.queueDue(turn);
    this.queueInjects(turn);
    for (const inj of ctl.injects ?? []) {
      this.push(this.instance(turn, this.template(inj.event, inj.from, inj.to, inj.against, inj.data, inj.theatre, 'script', -1), -1, 0), -1);
    }
    // 2. Shocks: one draw each, consumed even where the override decides.
    for (let i = 0; i < this.shocks.length; i++) {
      const u = st.random();
      const forced = ctl.shocks?.find((x) => x[0] === i)?.[1];
      let strikes: boolean;
      if (forced !== undefined) strikes = forced;
      else if (fast !== undefined) strikes = fast.shock(i, u);
      else {
        const sh = this.shocks[i] as (typeof this.shocks)[number];
        strikes = (sh.when === undefined || sh.when(this.world, undefined)) && u < probability(sh.probability, sh.modifiers, this.world);
      }
      if (strikes) this.push(this.instance(turn, (this.shocks[i] as (typeof this.shocks)[number]).act, -1, 0), this.shockActs[i] as number);
    }
    // 3. Actors: one draw each, consumed even where the override chooses.
    for (let a = 0; a < this.moveGroups.length; a++) {
      const u = st.random();
      const chosen = ctl.moves?.find((x) => x[0] === a)?.[1];
      if (chosen === undefined) {
        const slot = this.draw(a, u);
        if (slot !== undefined) this.decided(turn, slot.scratch);
      } else if (chosen >= 0) {
        let found: MoveSlot | undefined;
        for (const m of this.possibleMoves(a)) if (m.slot.index === chosen) found = m.slot;
        if (found === undefined) {
          const move = this.model.actors[a]?.moves[chosen];
          throw new EngineError(
            'engine/move_not_possible',
            `turn ${turn}: ${this.model.actors[a]?.id ?? a} cannot make move ${move === undefined ? `#${chosen}` : `"${move.id}"`} now (not in its state, its condition does not hold, or its machine refuses it)`,
            st.seed,
            turn,
          );
        }
        this.decided(turn, found.scratch);
      }
    }
    const queue = this.q.acts;
    for (let head = 0; head < this.q.length; head++) {
      if (head >= this.model.limits.maxEventsPerTurn) this.overflow(turn);
      this.deliverAct(queue[head] as EventInstance);
    }
  }

  /** The policy's move for actor `a` and uniform `u` (the general loop's choice), or undefined for none. */
  private draw(a: number, u: number): MoveSlot | undefined {
    let total = 0;
    const picks: Array<{ slot: MoveSlot; weight: number }> = [];
    for (const m of this.possibleMoves(a)) {
      picks.push(m);
      total += m.weight;
    }
    const scale = total > 1 ? total : 1;
    let cumulative = 0;
    for (const m of picks) {
      cumulative += scale === 1 ? m.weight : m.weight / scale;
      if (u < cumulative) return m.slot;
    }
    return undefined;
  }

  private playTurn(turn: number, st: RunState, ctl: TurnOverride | undefined): void {
    const { kernel, world } = this;
    const fast = this.fast;
    this.q.length = 0;
    world.turnFirst = this.q.next;
    if (ctl !== undefined) return this.playOverridden(turn, st, ctl);
    // Untraced, the generated code plays the whole turn (it calls back for injects and rare cases).
    if (fast !== undefined && st.stateChanges === undefined) return fast.turn(turn, st.random);
    // 0. Acts in transit due now, in the order they were sent; 1. scripted injects, in file order.
    if (this.pending.length > 0) this.queueDue(turn);
    this.queueInjects(turn);
    // 2. Shocks, in file order: one draw each.
    for (let i = 0; i < this.shocks.length; i++) {
      const u = st.random();
      if (fast !== undefined) {
        if (fast.shock(i, u)) this.queueAct(this.shockActs[i] as number);
        continue;
      }
      const sh = this.shocks[i] as (typeof this.shocks)[number];
      const live = sh.when === undefined || sh.when(world, undefined);
      if (live && u < probability(sh.probability, sh.modifiers, world)) this.push(this.instance(turn, sh.act, -1, 0), this.shockActs[i] as number);
    }
    // 3. Actors, in file order: one draw each, at most one move.
    const { weights, candidates } = this;
    if (fast !== undefined) fast.moves(st.random);
    for (let a = 0; a < this.moveGroups.length && fast === undefined; a++) {
      const u = st.random();
      const groups = this.moveGroups[a] as readonly MoveGroup[];
      const flags = this.activeFlags[a];
      let count = 0;
      let total = 0;
      for (let g = 0; g < groups.length; g++) {
        const group = groups[g] as MoveGroup;
        if (flags !== undefined ? flags[group.state] !== 1 : !kernel.inState(a, group.state)) continue;
        for (let k = 0; k < group.slots.length; k++) {
          const m = group.slots[k] as MoveSlot;
          if (m.when !== undefined && !m.when(world, undefined)) continue;
          // Both must hold; the probability is usually the cheaper test, so it goes first.
          const p = m.modifiers.length === 0 && typeof m.probability === 'number' ? m.probability : probability(m.probability, m.modifiers, world);
          if (p <= 0) continue;
          if (!m.always && !kernel.can(a, m.scratch, world)) continue;
          weights[count] = p;
          candidates[count] = m.scratch;
          count++;
          total += p;
        }
      }
      const scale = total > 1 ? total : 1;
      let cumulative = 0;
      for (let k = 0; k < count; k++) {
        cumulative += scale === 1 ? (weights[k] as number) : (weights[k] as number) / scale;
        if (u < cumulative) {
          this.decided(turn, candidates[k] as MoveSlot['scratch']);
          break;
        }
      }
    }
    // 4–5. FIFO delivery with cascades; each act is accounted as it is delivered.
    const queue = this.q.acts;
    for (let head = 0; head < this.q.length; head++) {
      if (head >= this.model.limits.maxEventsPerTurn) this.overflow(turn);
      this.deliverAct(queue[head] as EventInstance);
    }
  }

  /** A move chosen this turn: queued, or with a delay put in transit. */
  private decided(turn: number, act: MoveSlot['scratch']): void {
    if (act.delay > 0) this.defer(act, -1, -1);
    else this.push(this.instance(turn, act, -1, 0), -1);
  }

  /** Puts an act in transit: sent now, delivered `act.delay` turns later (template id `id`, or -1). */
  private defer(act: ActTemplate, id: number, cause: number): void {
    const turn = this.world.turn;
    this.pending.push({ due: turn + act.delay, sent: turn, act, id, cause });
  }

  /** Queues the acts in transit that are due this turn, in the order they were sent (first in the turn's queue). */
  private queueDue(turn: number): void {
    const pending = this.pending;
    let kept = 0;
    for (let i = 0; i < pending.length; i++) {
      const p = pending[i] as PendingAct;
      if (p.due === turn) this.push(this.instance(turn, p.act, p.cause, 0, p.sent), p.id);
      else pending[kept++] = p;
    }
    pending.length = kept;
  }

  /** Queues the injects scripted for this turn whose conditions hold, in file order. */
  private queueInjects(turn: number): void {
    if (this.relative) this.findAnchors();
    for (let i = 0; i < this.injects.length; i++) {
      const inj = this.injects[i] as (typeof this.injects)[number];
      if (inj.after !== undefined) {
        const first = this.anchorTurns[i] as number;
        if (first === 0 || first + inj.after.turns !== turn) continue;
      } else if (inj.turn !== turn) continue;
      if (inj.when !== undefined && !inj.when(this.world, undefined)) continue;
      this.push(this.instance(turn, inj.act, -1, 0), this.injectActs[i] as number);
    }
  }

  /** Notes, for each inject timed `after` an act, the first turn a matching act was delivered (reading the log's new acts). */
  private findAnchors(): void {
    const log = this.world.log;
    for (; this.anchorScan < log.length; this.anchorScan++) {
      const e = log[this.anchorScan] as EventInstance;
      for (let i = 0; i < this.injects.length; i++) {
        const a = (this.injects[i] as (typeof this.injects)[number]).after;
        if (a === undefined || this.anchorTurns[i] !== 0 || e.type !== a.event) continue;
        if ((a.from >= 0 && e.from !== a.from) || (a.to >= 0 && !e.to.includes(a.to))) continue;
        this.anchorTurns[i] = e.turn;
      }
    }
  }

  /** Queues act template `id` as a turn's own act (a move, shock or inject: no cause). */
  private queueAct(id: number): void {
    this.push(this.instance(this.world.turn, this.acts[id] as ActTemplate, -1, 0), id);
  }

  private overflow(turn: number): never {
    throw new EngineError('engine/too_many_events', tooManyActsMessage(this.model, turn, this.q.acts.slice(0, this.q.length)), (this.st as RunState).seed, turn);
  }

  /** Delivers one act through the turn loop's general path: accounting, log, rule count, then each machine. */
  private deliverAct(e: EventInstance): void {
    const st = this.st as RunState;
    this.account(e, st);
    this.world.record(e);
    // A reaction's rule (the transition that emitted it) was counted when it fired.
    // An override's inject has no rule (-1).
    if (e.origin !== 'reaction' && e.rule >= 0) st.ruleCounts[e.rule] = (st.ruleCounts[e.rule] as number) + 1;
    this.deliverTo(e.from, e, st);
    const to = e.to;
    for (let i = 0; i < to.length; i++) if (to[i] !== e.from) this.deliverTo(to[i] as number, e, st);
  }

  private deliverTo(actor: number, e: EventInstance, st: RunState): void {
    const { kernel, model } = this;
    if (st.stateChanges === undefined && this.fast !== undefined) {
      // The generated code skips types the actor does not handle itself.
      this.fast.deliver(actor, e);
      return;
    }
    if (this.handled[actor * model.events.length + e.type] === 0) return;
    if (st.stateChanges === undefined) return this.deliverGeneral(actor, e);
    const before = kernel.label(actor);
    if (this.fast !== undefined) this.fast.deliver(actor, e);
    else this.deliverGeneral(actor, e);
    const after = kernel.label(actor);
    if (after !== before) st.stateChanges.push({ turn: e.turn, actor, from: before, to: after, cause: e.id });
  }

  /** Delivery through the kernel's interface: it logs fired rules and effects, which are applied here in order. */
  private deliverGeneral(actor: number, e: EventInstance): void {
    const { kernel, world, log } = this;
    const st = this.st as RunState;
    log.clear();
    kernel.deliver(actor, e, world, log);
    for (let i = 0; i < log.firedCount; i++) {
      const rule = log.fired[i] as number;
      st.ruleCounts[rule] = (st.ruleCounts[rule] as number) + 1;
    }
    for (let i = 0; i < log.effectCount; i++) {
      const { effect, rule } = log.effects[i] as EffectEntry;
      if (effect.kind === 'emit') this.emit(forSender(this.emits.get(actor, effect, rule), e.from), e, -1);
      else world.applyVariableEffect(effect);
    }
  }

  /** Queues a reaction to `cause`, within the cascade depth bound. */
  private emit(act: ActTemplate, cause: EventInstance, id: number): void {
    if (act.delay > 0) return this.defer(act, id, cause.id);
    const next = this.instance(cause.turn, act, cause.id, cause.depth + 1);
    if (next.depth > this.model.limits.maxCascadeDepth) {
      const message = cascadeOverflowMessage(this.model, cause.turn, this.q.acts.slice(0, this.q.length), next);
      throw new EngineError('engine/cascade_overflow', message, (this.st as RunState).seed, cause.turn);
    }
    this.push(next, id);
  }

  /** Queues an act of template `id`. */
  private push(e: EventInstance, id: number): void {
    const q = this.q;
    q.ids[q.length] = id;
    q.acts[q.length++] = e;
  }

  /** What `account` does when an act raises a peak, for the generated code (which has updated the dyads). */
  private rise(e: EventInstance, theatre: number): void {
    const { world } = this;
    const st = this.st as RunState;
    if (theatre < 0) {
      const overall = world.overall;
      world.overall = e.rung;
      this.crossThresholds(0, overall, e.rung, e.turn, st);
    } else {
      const before = world.theatrePeak[theatre] as number;
      world.theatrePeak[theatre] = e.rung;
      this.crossThresholds(theatre + 1, before, e.rung, e.turn, st);
    }
    st.steps.push({ event: e.id, turn: e.turn, rung: e.rung, theatre });
  }

  /** Accounts the act in the world; records ladder steps and threshold crossings. */
  private account(e: EventInstance, st: RunState): void {
    const { world } = this;
    const overall = world.overall;
    const theatre = e.theatre >= 0 ? (world.theatrePeak[e.theatre] as number) : -1;
    world.account(e);
    if (world.overall > overall) {
      this.crossThresholds(0, overall, world.overall, e.turn, st);
      st.steps.push({ event: e.id, turn: e.turn, rung: e.rung, theatre: -1 });
    }
    if (e.theatre >= 0 && (world.theatrePeak[e.theatre] as number) > theatre) {
      this.crossThresholds(e.theatre + 1, theatre, e.rung, e.turn, st);
      st.steps.push({ event: e.id, turn: e.turn, rung: e.rung, theatre: e.theatre });
    }
  }

  private crossThresholds(slot: number, from: number, to: number, turn: number, st: RunState): void {
    const ts = this.model.thresholds;
    for (let k = 0; k < ts.length; k++) {
      const r = (ts[k] as { rung: number }).rung;
      if (from < r && to >= r) st.thresholdTurns[slot * ts.length + k] = turn;
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

  /** A new act; a transient run reuses the act objects of earlier runs (its record is read before the next run). */
  private instance(turn: number, act: ActTemplate, cause: number, depth: number, sent = turn): EventInstance {
    const q = this.q;
    const id = q.next++;
    if (!q.transient) return instantiate(id, turn, act, cause, depth, sent);
    let e = q.pool[id];
    if (e === undefined) {
      e = instantiate(id, turn, act, cause, depth, sent);
      q.pool[id] = e;
      return e;
    }
    e.turn = turn;
    e.sent = sent;
    e.type = act.type;
    e.from = act.from;
    e.to = act.to;
    e.against = act.against;
    e.data = act.data;
    e.theatre = act.theatre;
    e.rung = act.rung;
    e.cause = cause;
    e.origin = act.origin;
    e.rule = act.rule;
    e.depth = depth;
    return e;
  }


}

/** A run saved after some turns (Runner.save), to play on from many times. */
export interface RunSnapshot {
  readonly seed: string;
  readonly kernel: KernelSnapshot;
  readonly world: WorldSnapshot;
  readonly next: number;
  /** Acts in transit (sent with a delay, not yet delivered), in the order they were sent. */
  readonly pending: readonly PendingAct[];
  readonly steps: readonly LadderStep[];
  readonly thresholdTurns: Int16Array;
  readonly ruleCounts: Uint32Array;
  readonly outcomeTurns: Int16Array;
  readonly outcomeEnd: Uint8Array;
  readonly invariantTurns: Int16Array;
}

/** The run being played (opaque outside the runner). */
export interface RunState {
  readonly seed: string;
  random: Random;
  readonly transient: boolean;
  readonly events: EventInstance[];
  readonly stateChanges: StateChange[] | undefined;
  readonly steps: LadderStep[];
  readonly thresholdTurns: Int16Array;
  readonly ruleCounts: Uint32Array;
  readonly outcomeTurns: Int16Array;
  readonly outcomeEnd: Uint8Array;
  readonly invariantTurns: Int16Array;
}

