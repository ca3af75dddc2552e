import { modelConditions } from '../model/conditions.ts';
import type { ChanceModel, Cond, Effect, EventInstance, Expr, Model, Modifier, NumberTest } from '../model/types.ts';
import { type ActTemplate, actTemplate, hasDelays, othersOf } from './act.ts';
import { type CompiledCondition, compileCondition } from './compile-condition.ts';
import { ATOMIC, COMPOUND, type CompiledKernel, type FlatActor, type FlatTransition, PARALLEL } from './compiled-kernel.ts';
import type { RunWorld } from './world.ts';

/**
 * The compiled engine's hot path, generated as JavaScript for one model: per actor, a `deliver`
 * function (a `switch` on the event type, then on the active child of each compound state, with the
 * guards written out as expressions and the transition's exit, effects and entry as straight-line
 * code) and a `decide` function (the actor's move draw, with probabilities and modifiers written out).
 *
 * It is the compiled kernel's algorithm, unrolled for the model's tables: where one delivery could
 * select transitions in several parallel regions at once, the generated code hands the act to the
 * kernel's general algorithm instead. The property tests hold it to the XState reference
 * (test/engine/kernel-equivalence.test.ts).
 */
export interface Specialised {
  /** Delivers an act to an actor (a no-op when the actor has no transition on its type). */
  readonly deliver: (actor: number, e: EventInstance) => void;
  /** Every actor's move draw in file order, one draw each from `random`; chosen moves are queued in `sink.q`. */
  readonly moves: (random: () => number) => void;
  /** Puts every actor in its initial state (the kernel's reset, written out). */
  readonly reset: () => void;
  /**
   * A whole untraced turn: injects (through `sink.injects`), shocks and moves (one draw each, in file
   * order), then FIFO delivery of the queue in `sink.q`, cascades included.
   */
  readonly turn: (turn: number, random: () => number) => void;
  /** Whether shock `i` strikes for the uniform `u` (its condition holds and u is below its probability). */
  readonly shock: (i: number, u: number) => boolean;
  /** The templates `process` knows: the runner's, then the emit effects' (the ids `sink.emit` gets). */
  readonly acts: readonly ActTemplate[];
  /** The generated source (for reading it when something looks wrong). */
  readonly source: string;
}

/** What the generated code reports to the turn loop. */
/** The acts of a turn in delivery order, with each one's template id (-1: none). */
export interface ActQueue {
  readonly acts: EventInstance[];
  readonly ids: number[];
  length: number;
  /** The next act id of the run. */
  next: number;
  /** Transient runs reuse the act objects of earlier runs: `pool[id]`. */
  transient: boolean;
  readonly pool: Array<{ -readonly [K in keyof EventInstance]: EventInstance[K] }>;
}

export interface DirectSink {
  /** The current run's rule counts. */
  ruleCounts: Uint32Array;
  /** The turn's queue (shared with the runner). */
  readonly q: ActQueue;
  /** Queues the turn's scripted injects. */
  injects(turn: number): void;
  /** Throws the error for a turn with more acts than `limits.maxEventsPerTurn`. */
  overflow(turn: number): never;
  /** Delivers an act without a template id (a reaction queued by the general algorithm). */
  deliverAct(e: EventInstance): void;
  /** Queues act template `id` as a reaction to `cause`. */
  emit(id: number, cause: EventInstance): void;
  /** Queues act template `id`, which answers the sender (`$sender`), as a reaction to `cause`, resolved for `cause.from` (delivered by the general path). */
  answer(id: number, cause: EventInstance): void;
  /** The act raised the overall peak (`theatre` -1) or a theatre's: record the step and thresholds crossed. */
  rise(e: EventInstance, theatre: number): void;
  /** Delivers through the kernel's general algorithm (several parallel regions may react). */
  general(actor: number, e: EventInstance): void;
  /** Puts act template `id` in transit (a `delay`): a reaction to `cause`, or a move (null). */
  defer(id: number, cause: EventInstance | null): void;
  /** Queues the acts in transit due in `turn`, in the order they were sent. */
  due(turn: number): void;
}


/** A move as the decision code needs it. */
export interface MoveSpec {
  readonly state: number;
  /** The kernel accepts the move whenever its state is active. */
  readonly always: boolean;
  /** The base probability: a constant, or an expression written out as code over `V` and `W.turn`. */
  readonly probability: Expr;
  readonly modifiers: readonly Modifier[];
  /** The move's precondition, if any. */
  readonly when: Cond | undefined;
  /** The move's act, to ask the kernel whether the machine accepts it now. */
  readonly scratch: EventInstance;
  /** The move's act template id (in `acts`). */
  readonly act: number;
}

/** Past this many characters of source, the model is left to the kernel's general algorithm. */
const MAX_SOURCE = 4_000_000;

/** Thrown inside the generator when the source outgrows MAX_SOURCE. */
class TooLarge extends Error {}

/**
 * Generates the hot path for `model` over the kernel's live tables and the runner's world. Returns
 * undefined where the platform forbids generating code (`--disallow-code-generation-from-strings`),
 * where the source would outgrow MAX_SOURCE, or where V8 cannot compile it: the runner then uses the
 * kernel's general algorithm, with the same results. The code grows about linearly with the model
 * (moves, transitions, entry sets and act templates each written once, large entry sets as tables).
 */
export function specialise(
  model: Model,
  kernel: CompiledKernel,
  world: RunWorld,
  sink: DirectSink,
  moves: ReadonlyArray<readonly MoveSpec[]>,
  acts: readonly ActTemplate[],
  shockActs: readonly number[],
): Specialised | undefined {
  const gen = new Generator(model, kernel, world, acts);
  const parts: string[] = [];
  let size = 0;
  const add = (code: string) => {
    size += code.length;
    if (size > MAX_SOURCE) throw new TooLarge();
    parts.push(code);
  };
  try {
    for (const a of model.actors) {
      add(gen.deliverFunctions(a.index));
      add(gen.decideFunction(a.index, moves[a.index] ?? []));
    }
    add(gen.processFunction());
    add(gen.chanceFunctions.join('\n'));
  } catch (e) {
    if (e instanceof TooLarge || e instanceof RangeError) return undefined;
    throw e;
  }
  const most = Math.max(1, ...moves.map((m) => m.length));
  const source = [
    'const { W, V, S, G, K, SCR, D, TP, A, LOG } = $;',
    'const q = S.q, POOL = q.pool, QA = q.acts, QI = q.ids;',
    ...model.actors.map((a) => `const F${a.index} = $.F[${a.index}], AC${a.index} = $.AC[${a.index}], ET${a.index} = $.ET[${a.index}];`),
    `const P = new Float64Array(${most}), I = new Int32Array(${most});`,
    'const EN = $.EN;',
    // The expression grammar's rules (model/expression.ts): not-a-number is 0, division by 0 is 0.
    'function NZ(x) {\nreturn x === x ? x : 0;\n}',
    'function DIV(a, b) {\nreturn b === 0 ? 0 : NZ(a / b);\n}',
    'function enterAll(F, AC, states, parents) {\nfor (let i = 0; i < states.length; i++) {\nF[states[i]] = 1;\nif (parents[i] >= 0) AC[parents[i]] = states[i];\n}\n}',
    ...parts,
    // One entry point each, so that the turn loop's call sites stay monomorphic and V8 can inline.
    `function deliver(a, e) {\nswitch (a) {\n${model.actors.map((a) => `case ${a.index}: d${a.index}(e); return;`).join('\n')}\n}\n}`,
    `function moves(R) {\nlet k = -1;\n${model.actors.map((a) => `k = m${a.index}(R());\n${(moves[a.index] ?? []).some((m) => (acts[m.act] as ActTemplate).delay > 0) ? 'if (k >= 0) { if (A[k].delay > 0) S.defer(k, null); else act(k, -1, 0); }' : 'if (k >= 0) act(k, -1, 0);'}`).join('\n')}\n}`,
    gen.shockFunction(),
    [
      'function turn(T, R) {',
      hasDelays(model) ? 'S.due(T);' : '',
      model.injects.length > 0 ? 'S.injects(T);' : '',
      ...shockActs.map((id, i) => `if (shock(${i}, R())) act(${id}, -1, 0);`),
      'moves(R);',
      'for (let head = 0; head < q.length; head++) {',
      `if (head >= ${model.limits.maxEventsPerTurn}) S.overflow(T);`,
      'const id = QI[head];',
      'if (id >= 0) process(QA[head], id);',
      'else S.deliverAct(QA[head]);',
      '}',
      '}',
    ].join('\n'),
    gen.resetFunction(),
    gen.queueFunctions(),
    'return { deliver, moves, shock, turn, reset };',
  ].join('\n');
  const tables = model.actors.map((a) => kernel.tables(a.index));
  const scope = {
    W: world,
    V: world.vars,
    D: world.dyad,
    TP: world.theatrePeak,
    A: gen.acts,
    EN: gen.entrySets,
    LOG: world.log,
    S: sink,
    G: gen.closures,
    K: kernel,
    SCR: gen.scratch,
    F: tables.map((t) => t.active),
    AC: tables.map((t) => t.activeChild),
    ET: tables.map((t) => t.entered),
  };
  type Made = Pick<Specialised, 'deliver' | 'moves' | 'shock' | 'turn' | 'reset'>;
  let made: Made;
  try {
    made = new Function('$', source)(scope) as Made;
  } catch (e) {
    // EvalError: code generation is forbidden; RangeError: V8 could not take a source this large.
    if (e instanceof EvalError || e instanceof RangeError) return undefined;
    throw e;
  }
  return { ...made, acts: gen.acts, source };
}

class Generator {
  /** Conditions kept as closures (called as `G[i](W, e)`). */
  readonly closures: CompiledCondition[] = [];
  readonly acts: ActTemplate[];
  readonly scratch: EventInstance[] = [];
  /** Large entry sets, as (states, parents) tables for `enterAll`. */
  readonly entrySets: Int32Array[] = [];
  /** The chance reactions' functions (`c<rule>`), written while the deliveries are generated. */
  readonly chanceFunctions: string[] = [];
  private readonly chanceRules = new Set<number>();
  private readonly others: ReadonlyArray<readonly number[]>;
  /** Some condition reads how long a state has been active: entering a state writes its turn. */
  private readonly timed: boolean;

  constructor(
    private readonly model: Model,
    private readonly kernel: CompiledKernel,
    private readonly world: RunWorld,
    acts: readonly ActTemplate[],
  ) {
    this.acts = [...acts];
    this.others = othersOf(model);
    this.timed = readsEntryTurns(model);
  }

  /** `d<a>_<type>(e)` for each event type the actor handles, and `d<a>(e)` dispatching on the type. */
  deliverFunctions(a: number): string {
    const { flat } = this.kernel.tables(a);
    const out: string[] = [];
    const cases: string[] = [];
    for (let type = 0; type < flat.byEvent.length; type++) {
      const perState = flat.byEvent[type];
      const reach = flat.reach[type];
      if (perState === undefined || reach === undefined) continue;
      const body = severalRegions(flat, reach) ? this.selectSeveral(a, flat, perState, reach) : this.select(a, flat, perState, reach, 0);
      out.push(`function d${a}_${type}(e) {\nconst RC = S.ruleCounts;\n${body}\n}`);
      cases.push(`case ${type}: d${a}_${type}(e); return;`);
    }
    out.push(`function d${a}(e) {\nswitch (e.type) {\n${cases.join('\n')}\n}\n}`);
    return out.join('\n');
  }

  /**
   * `process(e, act)`: Runner's delivery of one act, with the template's constants written in —
   * accounting (RunWorld.account), the log, the rule count, then the sender's and each recipient's
   * machine. Emit templates are added while the deliveries are generated, so this comes last.
   */
  processFunction(): string {
    const n = this.model.actors.length;
    const cases: string[] = [];
    for (let id = 0; id < this.acts.length; id++) {
      const act = this.acts[id] as ActTemplate;
      if (act.answers === true) {
        // Queued resolved, without a template id (sink.answer): never processed here.
        cases.push(`case ${id}: S.deliverAct(e); return;`);
        continue;
      }
      const out: string[] = [`case ${id}: {`];
      const targets = act.against.filter((t) => t !== act.from);
      for (const t of targets) {
        const i = act.from * n + t;
        out.push(`if (D[${i}] < ${act.rung}) D[${i}] = ${act.rung};`);
        if (act.theatre >= 0) {
          const j = (act.theatre + 1) * n * n + i;
          out.push(`if (D[${j}] < ${act.rung}) D[${j}] = ${act.rung};`);
        }
      }
      if (targets.length > 0) {
        out.push(`if (${act.rung} > W.overall) S.rise(e, -1);`);
        if (act.theatre >= 0) out.push(`if (${act.rung} > TP[${act.theatre}]) S.rise(e, ${act.theatre});`);
      }
      out.push(this.world.counts(act.type) ? 'W.record(e);' : 'LOG.push(e);');
      if (act.origin !== 'reaction') out.push(`S.ruleCounts[${act.rule}]++;`);
      for (const r of [act.from, ...act.to.filter((r) => r !== act.from)]) {
        if (this.kernel.handles(r, act.type)) out.push(`d${r}_${act.type}(e);`);
      }
      out.push('return;', '}');
      cases.push(out.join('\n'));
    }
    // In groups of 16: V8 does not optimise a function past about 60 KB of bytecode.
    const groups: string[] = [];
    const dispatch: string[] = [];
    for (let g = 0; g * 16 < cases.length; g++) {
      groups.push(`function p${g}(e, act) {\nswitch (act) {\n${cases.slice(g * 16, g * 16 + 16).join('\n')}\n}\n}`);
      dispatch.push(`case ${g}: p${g}(e, act); return;`);
    }
    return [...groups, `function process(e, act) {\nswitch (act >>> 4) {\n${dispatch.join('\n')}\n}\n}`].join('\n');
  }

  /** Innermost first: the active child's code, then the state's own transitions, first enabled wins. */
  private select(a: number, flat: FlatActor, perState: ReadonlyArray<readonly FlatTransition[] | undefined>, reach: Uint8Array, s: number): string {
    const out: string[] = [];
    const kids = Array.from(flat.children[s] ?? []).filter((c) => reach[c] === 1);
    if (flat.kind[s] === COMPOUND && kids.length > 0) {
      out.push(`switch (AC${a}[${s}]) {`);
      for (const c of kids) out.push(`case ${c}: {\n${this.select(a, flat, perState, reach, c)}\nbreak;\n}`);
      out.push('}');
    } else if (flat.kind[s] === PARALLEL) {
      for (const c of kids) out.push(this.select(a, flat, perState, reach, c));
    }
    for (const t of perState[s] ?? []) {
      const take = this.take(a, flat, t);
      const guard = this.guard(t);
      out.push(guard === undefined ? `{\n${take}\nreturn;\n}` : `if (${guard}) {\n${take}\nreturn;\n}`);
      if (guard === undefined) break;
    }
    return out.join('\n');
  }

  /**
   * Where parallel regions may each select a transition: the selection is counted first (the kernel's
   * `select`, unrolled); one transition is taken here, several go to the kernel's general algorithm
   * (conflicts, a joint entry set), which selects again — guards have no side effects.
   */
  private selectSeveral(a: number, flat: FlatActor, perState: ReadonlyArray<readonly FlatTransition[] | undefined>, reach: Uint8Array): string {
    const ids: FlatTransition[] = [];
    const walk = (s: number): string => {
      const out: string[] = [`const b${s} = n;`];
      const kids = Array.from(flat.children[s] ?? []).filter((c) => reach[c] === 1);
      if (flat.kind[s] === COMPOUND && kids.length > 0) {
        out.push(`switch (AC${a}[${s}]) {`);
        for (const c of kids) out.push(`case ${c}: {\n${walk(c)}\nbreak;\n}`);
        out.push('}');
      } else if (flat.kind[s] === PARALLEL) {
        for (const c of kids) out.push(`{\n${walk(c)}\n}`);
      }
      const own = perState[s] ?? [];
      if (own.length > 0) {
        const tests: string[] = [];
        for (const t of own) {
          ids.push(t);
          const pick = `{ if (n++ === 0) t = ${ids.length - 1}; }`;
          const guard = this.guard(t);
          if (guard === undefined) {
            tests.push(pick);
            break;
          }
          tests.push(`if (${guard}) ${pick}`);
        }
        out.push(`if (n === b${s}) {\n${tests.join(' else ')}\n}`);
      }
      return out.join('\n');
    };
    const selection = walk(0);
    const takes = ids.map((t, i) => `case ${i}: {\n${this.take(a, flat, t)}\nreturn;\n}`);
    return [
      'let n = 0, t = -1;',
      selection,
      'if (n === 0) return;',
      `if (n > 1) {\nS.general(${a}, e);\nreturn;\n}`,
      `switch (t) {\n${takes.join('\n')}\n}`,
    ].join('\n');
  }

  /** A transition's guard as an expression over `e`, or undefined when it has none. */
  private guard(t: FlatTransition): string | undefined {
    if (t.chance === undefined) return t.when === undefined ? undefined : this.cond(t.when, 'e');
    const draw = this.chanceFunction(t.rule, t.chance);
    return t.when === undefined ? draw : `(${this.cond(t.when, 'e')} && ${draw})`;
  }

  /**
   * `c<rule>(e)`: a chance reaction's probability written out (modifiers read the act; clamped as
   * `chanceProbability`), then the world's draw for (rule, act). Written once per rule.
   */
  private chanceFunction(rule: number, c: ChanceModel): string {
    if (!this.chanceRules.has(rule)) {
      this.chanceRules.add(rule);
      const mods = c.modifiers.map((x) => `if (${this.cond(x.when, 'e')}) p ${x.kind === 'add' ? '+=' : x.kind === 'multiply' ? '*=' : '='} ${expr(x.value)};`);
      this.chanceFunctions.push([`function c${rule}(e) {`, `let p = ${lit(c.probability)};`, ...mods, 'p = p < 0 ? 0 : p > 1 ? 1 : p;', `return W.chance(${rule}, e, p);`, '}'].join('\n'));
    }
    return `c${rule}(e)`;
  }

  /** A transition taken alone: exit below its domain, its rule and effects, then entry in document order. */
  private take(a: number, flat: FlatActor, t: FlatTransition): string {
    const out: string[] = [];
    // The state change first — exit below the domain, then the entered states' flags and active
    // children (stores, or a table for a large set) — so that a cascade error thrown by an effect leaves
    // the machine in its new state, as the general algorithm does. Effects never read the flags.
    if (t.domain >= 0) {
      const from = t.domain + 1;
      const to = flat.end[t.domain] as number;
      if (to - from <= 6) for (let s = from; s < to; s++) out.push(`F${a}[${s}] = 0;`);
      else out.push(`F${a}.fill(0, ${from}, ${to});`);
    }
    if (this.timed) for (const s of t.entered) out.push(`ET${a}[${s}] = e.turn;`);
    if (t.entered.length > 8) {
      this.entrySets.push(t.entered, Int32Array.from(t.entered, (s) => flat.parent[s] as number));
      out.push(`enterAll(F${a}, AC${a}, EN[${this.entrySets.length - 2}], EN[${this.entrySets.length - 1}]);`);
    } else {
      for (const s of t.entered) {
        out.push(`F${a}[${s}] = 1;`);
        const parent = flat.parent[s] as number;
        if (parent >= 0) out.push(`AC${a}[${parent}] = ${s};`);
      }
    }
    // Then the transition's rule and effects, and the entered states' entry effects in document order.
    out.push(`RC[${t.rule}]++;`);
    for (const x of t.effects) out.push(this.effect(a, x.effect, x.rule));
    for (const s of t.entered) {
      const entry = flat.entry[s] ?? [];
      if (entry.length === 0) continue;
      out.push(`RC[${entry[0]?.rule}]++;`);
      for (const x of entry) out.push(this.effect(a, x.effect, x.rule));
    }
    return out.join('\n');
  }

  private effect(a: number, effect: Effect, rule: number): string {
    if (effect.kind === 'emit') {
      const act = actTemplate(this.model, this.others, effect.event, a, effect.to, effect.against, effect.data, effect.theatre, 'reaction', rule, effect);
      this.acts.push(act);
      if (act.answers === true) return `S.answer(${this.acts.length - 1}, e);`;
      // A delayed reaction waits in the runner's list of acts in transit.
      return act.delay > 0 ? `S.defer(${this.acts.length - 1}, e);` : `emit(${this.acts.length - 1}, e);`;
    }
    const v = this.model.variables[effect.variable];
    if (v === undefined) return '';
    // RunWorld.setVar's clamp, with the same operations in the same order.
    if (effect.kind === 'set' && typeof effect.value === 'number') return `V[${effect.variable}] = ${lit(Math.min(v.max, Math.max(v.min, effect.value)))};`;
    if (effect.kind === 'set') return `V[${effect.variable}] = Math.min(${lit(v.max)}, Math.max(${lit(v.min)}, ${expr(effect.value)}));`;
    return `V[${effect.variable}] = Math.min(${lit(v.max)}, Math.max(${lit(v.min)}, V[${effect.variable}] + ${expr(effect.value)}));`;
  }

  /** Initial active flags and active children, as stores (`set` for large statecharts). */
  resetFunction(): string {
    const out: string[] = ['function reset() {'];
    this.model.actors.forEach((a) => {
      const { flat } = this.kernel.tables(a.index);
      if (flat.size > 48) {
        out.push(`K.resetActor(${a.index});`);
        return;
      }
      if (this.timed) out.push(`ET${a.index}.fill(0);`);
      for (let s = 0; s < flat.size; s++) out.push(`F${a.index}[${s}] = ${flat.initialActive[s]};`);
      for (let s = 0; s < flat.size; s++) if (flat.kind[s] !== ATOMIC) out.push(`AC${a.index}[${s}] = ${flat.initialChild[s]};`);
    });
    out.push('}');
    return out.join('\n');
  }

  /**
   * \`act(id, cause, depth)\` queues an instance of template id (a transient run refills a pooled
   * object); \`emit(id, e)\` queues a reaction within the cascade bound (past it, the runner's own
   * emit builds the error).
   */
  queueFunctions(): string {
    return [
      'function act(id, cause, depth) {',
      'const i = q.next++;',
      'const t = A[id];',
      'let e = q.transient ? POOL[i] : undefined;',
      'if (e === undefined) {',
      'e = { id: i, turn: W.turn, sent: W.turn, type: t.type, from: t.from, to: t.to, against: t.against, data: t.data, theatre: t.theatre, rung: t.rung, cause, origin: t.origin, rule: t.rule, depth };',
      'if (q.transient) POOL[i] = e;',
      '} else {',
      'e.turn = W.turn; e.sent = W.turn; e.type = t.type; e.from = t.from; e.to = t.to; e.against = t.against; e.data = t.data;',
      'e.theatre = t.theatre; e.rung = t.rung; e.cause = cause; e.origin = t.origin; e.rule = t.rule; e.depth = depth;',
      '}',
      'QI[q.length] = id;',
      'QA[q.length++] = e;',
      '}',
      'function emit(id, e) {',
      `if (e.depth >= ${this.model.limits.maxCascadeDepth}) S.emit(id, e);`,
      'else act(id, e.id, e.depth + 1);',
      '}',
    ].join('\n');
  }

  shockFunction(): string {
    const cases = this.model.shocks.map((sh, i) => {
      const out = [`case ${i}: {`];
      if (sh.when !== undefined) out.push(`if (!${this.cond(sh.when, null)}) return false;`);
      out.push(`let p = ${expr(sh.probability)};`);
      out.push(...this.modifiers(sh.modifiers));
      out.push('p = p < 0 ? 0 : p > 1 ? 1 : p;', 'return u < p;', '}');
      return out.join('\n');
    });
    return `function shock(i, u) {\nswitch (i) {\n${cases.join('\n')}\n}\nreturn false;\n}`;
  }

  private modifiers(list: readonly Modifier[]): string[] {
    return list.map((x) => `if (${this.cond(x.when, null)}) p ${x.kind === 'add' ? '+=' : x.kind === 'multiply' ? '*=' : '='} ${expr(x.value)};`);
  }

  /**
   * The move draw. In an actor without parallel states the active states are one path from the root,
   * so the code switches down the active children to the path's moves; where they all have fixed
   * probabilities and need no guard, the cumulative bounds are computed here, with the same arithmetic
   * the turn would do. With parallel states, each group of moves tests its state's flag.
   */
  decideFunction(a: number, moves: readonly MoveSpec[]): string {
    const { flat } = this.kernel.tables(a);
    if (moves.length === 0) return `function m${a}(u) {\nreturn -1;\n}`;
    // Written per active path, each path repeats its ancestors' moves: past a budget linear in the
    // moves (many states under a state with many moves), test each group's flag instead.
    const own: number[][] = Array.from({ length: flat.size }, () => []);
    moves.forEach((m, k) => own[m.state]?.push(k));
    let pathMoves = 0;
    for (let s = 0; s < flat.size; s++) {
      if (flat.kind[s] !== ATOMIC) continue;
      for (let x = s; x >= 0; x = flat.parent[x] as number) pathMoves += own[x]?.length ?? 0;
    }
    if (flat.kind.includes(PARALLEL) || pathMoves > 4 * moves.length + 256) {
      const out: string[] = [`function m${a}(u) {`, 'let n = 0, total = 0, p = 0;'];
      for (let k = 0; k < moves.length; ) {
        const state = (moves[k] as MoveSpec).state;
        const group: number[] = [];
        for (; k < moves.length && (moves[k] as MoveSpec).state === state; k++) group.push(k);
        out.push(`if (F${a}[${state}] === 1) {`, ...group.map((j) => this.candidate(a, moves, j)), '}');
      }
      out.push(...CHOOSE, '}');
      return out.join('\n');
    }
    const has = new Uint8Array(flat.size);
    for (const m of moves) for (let s = m.state; s >= 0; s = flat.parent[s] as number) has[s] = 1;
    const walk = (s: number, above: readonly number[]): string => {
      const ks = [...above, ...(own[s] ?? [])];
      const kids = Array.from(flat.children[s] ?? []).filter((c) => has[c] === 1);
      const here = this.draw(a, moves, ks);
      if (kids.length === 0) return here;
      return [`switch (AC${a}[${s}]) {`, ...kids.map((c) => `case ${c}: {\n${walk(c, ks)}\n}`), '}', here].join('\n');
    };
    return `function m${a}(u) {\n${walk(0, [])}\n}`;
  }

  /** The draw among moves `ks` (in document order) of a path of active states. */
  private draw(a: number, moves: readonly MoveSpec[], ks: readonly number[]): string {
    const sorted = [...ks].sort((x, y) => x - y);
    const fixed = sorted.every((k) => {
      const m = moves[k] as MoveSpec;
      return m.modifiers.length === 0 && m.always && m.when === undefined && typeof m.probability === 'number';
    });
    if (!fixed) return ['let n = 0, total = 0, p = 0;', ...sorted.map((k) => this.candidate(a, moves, k)), ...CHOOSE].join('\n');
    // The turn loop's arithmetic, done once: weights in order, scaled when they sum above 1.
    const base = (k: number) => (moves[k] as MoveSpec).probability as number;
    const live = sorted.filter((k) => !(base(k) <= 0));
    let total = 0;
    for (const k of live) total += base(k);
    const scale = total > 1 ? total : 1;
    let c = 0;
    const out: string[] = [];
    for (const k of live) {
      const w = base(k);
      c += scale === 1 ? w : w / scale;
      out.push(`if (u < ${lit(c)}) return ${(moves[k] as MoveSpec).act};`);
    }
    out.push('return -1;');
    return out.join('\n');
  }

  /** Adds move k to the candidates when its probability is positive and the machine accepts it. */
  private candidate(a: number, moves: readonly MoveSpec[], k: number): string {
    const m = moves[k] as MoveSpec;
    const out = [`p = ${expr(m.probability)};`];
    // A constant base without modifiers is within [0, 1] already (the schema's bounds).
    if (m.modifiers.length > 0 || typeof m.probability !== 'number') out.push(...this.modifiers(m.modifiers), 'p = p < 0 ? 0 : p > 1 ? 1 : p;');
    this.scratch.push(m.scratch);
    const can = m.always ? '' : ` && K.can(${a}, SCR[${this.scratch.length - 1}], W)`;
    out.push(`if (!(p <= 0)${can}) { P[n] = p; I[n] = ${m.act}; n++; total += p; }`);
    return m.when === undefined ? out.join('\n') : `if (${this.cond(m.when, null)}) {\n${out.join('\n')}\n}`;
  }

  /** A condition as a JavaScript expression over the scope; `ev` names the event (null: no event). */
  private cond(c: Cond, ev: 'e' | null): string {
    switch (c.kind) {
      case 'all':
        return c.of.length === 0 ? 'true' : `(${c.of.map((x) => this.cond(x, ev)).join(' && ')})`;
      case 'any':
        return c.of.length === 0 ? 'false' : `(${c.of.map((x) => this.cond(x, ev)).join(' || ')})`;
      case 'not':
        return `!${this.cond(c.of, ev)}`;
      case 'state':
        return `(F${c.actor}[${c.state}] === 1)`;
      case 'stateFor':
        return `(F${c.actor}[${c.state}] === 1 && ${numberTests(`(W.turn - ET${c.actor}[${c.state}])`, c.tests)})`;
      case 'var':
        return numberTests(`V[${c.variable}]`, c.tests);
      case 'turn':
        return numberTests('W.turn', c.tests);
      case 'peak':
        if (c.tests.length === 1) return numberTests(`W.peak(${c.from}, ${c.to}, ${c.theatre})`, c.tests);
        return this.closure(c, ev);
      case 'event': {
        if (ev === null) return 'false';
        const { field, test } = c;
        const only = (k: 'eq' | 'ne') => (['eq', 'ne', 'in', 'includes'] as const).every((x) => x === k || test[x] === undefined);
        const simple = field.kind === 'from' || field.kind === 'type' || field.kind === 'theatre' || field.kind === 'rung';
        if (simple && only('eq') && typeof test.eq === 'number') return `(${ev}.${field.kind} === ${lit(test.eq)})`;
        if (simple && only('ne') && typeof test.ne === 'number') return `(${ev}.${field.kind} !== ${lit(test.ne)})`;
        return this.closure(c, ev);
      }
      case 'happened':
        return this.closure(c, ev);
      case 'compare':
        return `(${expr(c.left)} ${OPS[c.op]} ${expr(c.right)})`;
    }
  }

  private closure(c: Cond, ev: 'e' | null): string {
    this.closures.push(compileCondition(c));
    return `G[${this.closures.length - 1}](W, ${ev ?? 'undefined'})`;
  }
}

/** True when some condition of the model (rules, outcomes, invariants, objectives) reads how long a state has been active. */
export function readsEntryTurns(model: Model): boolean {
  const found = (c: Cond): boolean => {
    switch (c.kind) {
      case 'all':
      case 'any':
        return c.of.some(found);
      case 'not':
        return found(c.of);
      case 'stateFor':
        return true;
      default:
        return false;
    }
  };
  const conds = [...modelConditions(model), ...model.actors.flatMap((a) => a.objectives.map((o) => o.when))];
  for (const inv of model.invariants) if (inv.kind === 'always') conds.push(inv.condition);
  return conds.some(found);
}

/** True when a parallel state that the event reaches has two or more regions it reaches: several transitions may be selected. */
function severalRegions(flat: FlatActor, reach: Uint8Array): boolean {
  for (let s = 0; s < flat.size; s++) {
    if (flat.kind[s] !== PARALLEL || reach[s] !== 1) continue;
    let regions = 0;
    for (const c of flat.children[s] ?? []) if (reach[c] === 1) regions++;
    if (regions > 1) return true;
  }
  return false;
}

const OPS: Record<NumberTest['op'], string> = { eq: '===', ne: '!==', gt: '>', gte: '>=', lt: '<', lte: '<=' };

/** Picks the candidate whose cumulative (scaled) weight first exceeds u. */
const CHOOSE = [
  'if (n === 0) return -1;',
  'const scale = total > 1 ? total : 1;',
  'let c = 0;',
  'for (let k = 0; k < n; k++) {',
  'c += scale === 1 ? P[k] : P[k] / scale;',
  'if (u < c) return I[k];',
  '}',
  'return -1;',
];

function numberTests(x: string, tests: readonly NumberTest[]): string {
  if (tests.length === 0) return 'true';
  return `(${tests.map((t) => `${x} ${OPS[t.op]} ${lit(t.value)}`).join(' && ')})`;
}

/**
 * An expression as JavaScript over the scope: numbers as literals, variables as `V[i]`, the turn as
 * `W.turn`, and the operations with evalExpr's folds and rules (`NZ`, `DIV`): indices and numbers
 * only, never text from the scenario.
 */
function expr(e: Expr): string {
  if (typeof e === 'number') return lit(e);
  const fold = (of: readonly Expr[], step: (a: string, b: string) => string) => of.slice(1).reduce((acc, x) => step(acc, expr(x)), expr(of[0] as Expr));
  switch (e.kind) {
    case 'var':
      return `V[${e.variable}]`;
    case 'turn':
      return 'W.turn';
    case 'add':
      return fold(e.of, (a, b) => `NZ(${a} + ${b})`);
    case 'mul':
      return fold(e.of, (a, b) => `NZ(${a} * ${b})`);
    case 'min':
      return fold(e.of, (a, b) => `Math.min(${a}, ${b})`);
    case 'max':
      return fold(e.of, (a, b) => `Math.max(${a}, ${b})`);
    case 'sub':
      return `NZ(${expr(e.of[0])} - ${expr(e.of[1])})`;
    case 'div':
      return `DIV(${expr(e.of[0])}, ${expr(e.of[1])})`;
    case 'clamp':
      return `Math.min(${expr(e.of[2])}, Math.max(${expr(e.of[1])}, ${expr(e.of[0])}))`;
  }
}

/** A number as a JavaScript literal that reads back as the same double. */
function lit(x: number): string {
  if (Object.is(x, -0)) return '(-0)';
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '(-Infinity)';
  return x < 0 ? `(${String(x)})` : String(x);
}
