import type { Cond, Effect, EventInstance, Model, Modifier, NumberTest } from '../model/types.ts';
import { type CompiledCondition, compileCondition } from './compile-condition.ts';
import { COMPOUND, type CompiledKernel, type FlatActor, type FlatTransition, PARALLEL } from './compiled-kernel.ts';
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
  /** An actor's move draw for the uniform `u`: the index of the chosen move in its list, or -1. */
  readonly decide: (actor: number, u: number) => number;
  /** Whether shock `i` strikes for the uniform `u` (its condition holds and u is below its probability). */
  readonly shock: (i: number, u: number) => boolean;
  /** The emit effects the generated code can fire, by the id it passes to `sink.emit`. */
  readonly emits: readonly EmitSite[];
  /** The generated source (for reading it when something looks wrong). */
  readonly source: string;
}

/** What the generated code reports to the turn loop. */
export interface DirectSink {
  /** The current run's rule counts. */
  ruleCounts: Uint32Array;
  /** Queues emit site `id` as a reaction to `cause`. */
  emit(id: number, cause: EventInstance): void;
  /** Delivers through the kernel's general algorithm (several parallel regions may react). */
  general(actor: number, e: EventInstance): void;
}

export interface EmitSite {
  readonly actor: number;
  readonly effect: Extract<Effect, { kind: 'emit' }>;
  readonly rule: number;
}

/** A move as the decision code needs it. */
export interface MoveSpec {
  readonly state: number;
  /** The kernel accepts the move whenever its state is active. */
  readonly always: boolean;
  readonly probability: number;
  readonly modifiers: readonly Modifier[];
  /** The move's act, to ask the kernel whether the machine accepts it now. */
  readonly scratch: EventInstance;
}

/**
 * Generates the hot path for `model` over the kernel's live tables and the runner's world. Returns
 * undefined where the platform forbids generating code (`--disallow-code-generation-from-strings`):
 * the runner then uses the kernel's general algorithm, with the same results.
 */
export function specialise(
  model: Model,
  kernel: CompiledKernel,
  world: RunWorld,
  sink: DirectSink,
  moves: ReadonlyArray<readonly MoveSpec[]>,
): Specialised | undefined {
  const gen = new Generator(model, kernel);
  const parts: string[] = [];
  for (const a of model.actors) parts.push(gen.deliverFunction(a.index), gen.decideFunction(a.index, moves[a.index] ?? []));
  const most = Math.max(1, ...moves.map((m) => m.length));
  const source = [
    'const { W, V, S, G, K, SCR } = $;',
    ...model.actors.map((a) => `const F${a.index} = $.F[${a.index}], AC${a.index} = $.AC[${a.index}];`),
    `const P = new Float64Array(${most}), I = new Int32Array(${most});`,
    ...parts,
    // One entry point each, so that the turn loop's call sites stay monomorphic and V8 can inline.
    `function deliver(a, e) {\nswitch (a) {\n${model.actors.map((a) => `case ${a.index}: d${a.index}(e); return;`).join('\n')}\n}\n}`,
    `function decide(a, u) {\nswitch (a) {\n${model.actors.map((a) => `case ${a.index}: return m${a.index}(u);`).join('\n')}\n}\nreturn -1;\n}`,
    gen.shockFunction(),
    'return { deliver, decide, shock };',
  ].join('\n');
  const tables = model.actors.map((a) => kernel.tables(a.index));
  const scope = {
    W: world,
    V: world.vars,
    S: sink,
    G: gen.closures,
    K: kernel,
    SCR: gen.scratch,
    F: tables.map((t) => t.active),
    AC: tables.map((t) => t.activeChild),
  };
  let made: Pick<Specialised, 'deliver' | 'decide' | 'shock'>;
  try {
    made = new Function('$', source)(scope) as Pick<Specialised, 'deliver' | 'decide' | 'shock'>;
  } catch (e) {
    if (e instanceof EvalError) return undefined;
    throw e;
  }
  return { ...made, emits: gen.emits, source };
}

class Generator {
  /** Conditions kept as closures (called as `G[i](W, e)`). */
  readonly closures: CompiledCondition[] = [];
  readonly emits: EmitSite[] = [];
  readonly scratch: EventInstance[] = [];

  constructor(
    private readonly model: Model,
    private readonly kernel: CompiledKernel,
  ) {}

  deliverFunction(a: number): string {
    const { flat } = this.kernel.tables(a);
    const cases: string[] = [];
    for (let type = 0; type < flat.byEvent.length; type++) {
      const perState = flat.byEvent[type];
      const reach = flat.reach[type];
      if (perState === undefined || reach === undefined) continue;
      const body = severalRegions(flat, reach) ? `S.general(${a}, e);` : this.select(a, flat, perState, reach, 0);
      cases.push(`case ${type}: {\n${body}\nreturn;\n}`);
    }
    return `function d${a}(e) {\nconst RC = S.ruleCounts;\nswitch (e.type) {\n${cases.join('\n')}\n}\n}`;
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
      out.push(t.when === undefined ? `{\n${take}\nreturn;\n}` : `if (${this.cond(t.when, 'e')}) {\n${take}\nreturn;\n}`);
      if (t.when === undefined) break;
    }
    return out.join('\n');
  }

  /** A transition taken alone: exit below its domain, its rule and effects, then entry in document order. */
  private take(a: number, flat: FlatActor, t: FlatTransition): string {
    const out: string[] = [];
    if (t.domain >= 0) {
      const from = t.domain + 1;
      const to = flat.end[t.domain] as number;
      if (to - from <= 6) for (let s = from; s < to; s++) out.push(`F${a}[${s}] = 0;`);
      else out.push(`F${a}.fill(0, ${from}, ${to});`);
    }
    out.push(`RC[${t.rule}]++;`);
    for (const x of t.effects) out.push(this.effect(a, x.effect, x.rule));
    for (const s of t.entered) {
      out.push(`F${a}[${s}] = 1;`);
      const parent = flat.parent[s] as number;
      if (parent >= 0) out.push(`AC${a}[${parent}] = ${s};`);
      const entry = flat.entry[s] ?? [];
      if (entry.length === 0) continue;
      out.push(`RC[${entry[0]?.rule}]++;`);
      for (const x of entry) out.push(this.effect(a, x.effect, x.rule));
    }
    return out.join('\n');
  }

  private effect(a: number, effect: Effect, rule: number): string {
    if (effect.kind === 'emit') {
      this.emits.push({ actor: a, effect, rule });
      return `S.emit(${this.emits.length - 1}, e);`;
    }
    const v = this.model.variables[effect.variable];
    if (v === undefined) return '';
    // RunWorld.setVar's clamp, with the same operations in the same order.
    if (effect.kind === 'set') return `V[${effect.variable}] = ${lit(Math.min(v.max, Math.max(v.min, effect.value)))};`;
    return `V[${effect.variable}] = Math.min(${lit(v.max)}, Math.max(${lit(v.min)}, V[${effect.variable}] + ${lit(effect.value)}));`;
  }

  shockFunction(): string {
    const cases = this.model.shocks.map((sh, i) => {
      const out = [`case ${i}: {`];
      if (sh.when !== undefined) out.push(`if (!${this.cond(sh.when, null)}) return false;`);
      out.push(`let p = ${lit(sh.probability)};`);
      out.push(...this.modifiers(sh.modifiers));
      out.push('p = p < 0 ? 0 : p > 1 ? 1 : p;', 'return u < p;', '}');
      return out.join('\n');
    });
    return `function shock(i, u) {\nswitch (i) {\n${cases.join('\n')}\n}\nreturn false;\n}`;
  }

  private modifiers(list: readonly Modifier[]): string[] {
    return list.map((x) => `if (${this.cond(x.when, null)}) p ${x.kind === 'add' ? '+=' : x.kind === 'multiply' ? '*=' : '='} ${lit(x.value)};`);
  }

  decideFunction(a: number, moves: readonly MoveSpec[]): string {
    const out: string[] = [`function m${a}(u) {`, 'let n = 0, total = 0, p = 0;'];
    for (let k = 0; k < moves.length; ) {
      const state = (moves[k] as MoveSpec).state;
      out.push(`if (F${a}[${state}] === 1) {`);
      for (; k < moves.length && (moves[k] as MoveSpec).state === state; k++) {
        const m = moves[k] as MoveSpec;
        out.push(`p = ${lit(m.probability)};`);
        if (m.modifiers.length > 0) {
          out.push(...this.modifiers(m.modifiers));
          out.push('p = p < 0 ? 0 : p > 1 ? 1 : p;');
        }
        this.scratch.push(m.scratch);
        const can = m.always ? '' : ` && K.can(${a}, SCR[${this.scratch.length - 1}], W)`;
        out.push(`if (!(p <= 0)${can}) { P[n] = p; I[n] = ${k}; n++; total += p; }`);
      }
      out.push('}');
    }
    out.push(
      'if (n === 0) return -1;',
      'const scale = total > 1 ? total : 1;',
      'let c = 0;',
      'for (let k = 0; k < n; k++) {',
      'c += scale === 1 ? P[k] : P[k] / scale;',
      'if (u < c) return I[k];',
      '}',
      'return -1;',
      '}',
    );
    return out.join('\n');
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
    }
  }

  private closure(c: Cond, ev: 'e' | null): string {
    this.closures.push(compileCondition(c));
    return `G[${this.closures.length - 1}](W, ${ev ?? 'undefined'})`;
  }
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

function numberTests(x: string, tests: readonly NumberTest[]): string {
  if (tests.length === 0) return 'true';
  return `(${tests.map((t) => `${x} ${OPS[t.op]} ${lit(t.value)}`).join(' && ')})`;
}

/** A number as a JavaScript literal that reads back as the same double. */
function lit(x: number): string {
  if (Object.is(x, -0)) return '(-0)';
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '(-Infinity)';
  return x < 0 ? `(${String(x)})` : String(x);
}
