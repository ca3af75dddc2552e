import { testField, testNumber } from '../model/evaluate.ts';
import { compareNumbers, divide, nz } from '../model/expression.ts';
import type { ChanceModel, Cond, EventInstance, Expr, Modifier, NumberTest, WorldView } from '../model/types.ts';

/** A condition resolved in advance to a closure. Same answers as `evaluate`. */
export type CompiledCondition = (world: WorldView, event: EventInstance | undefined) => boolean;

/** Where compiled state conditions can read actors' active-state flags directly. */
export type FlagSource = (actor: number) => Uint8Array | undefined;

/** Where compiled `forTurns` conditions can read the turns actors' states were entered directly. */
export type EntrySource = (actor: number) => Int32Array | undefined;

/**
 * Compiles a condition to a closure: no dispatch on the condition's kind at run time. With `flags`,
 * a state condition reads the kernel's live flag array instead of asking the world.
 */
export function compileCondition(c: Cond, flags?: FlagSource, entries?: EntrySource): CompiledCondition {
  const compile = (x: Cond) => compileCondition(x, flags, entries);
  switch (c.kind) {
    case 'all': {
      const parts = c.of.map(compile);
      if (parts.length === 1) return parts[0] as CompiledCondition;
      return (w, e) => {
        for (let i = 0; i < parts.length; i++) if (!(parts[i] as CompiledCondition)(w, e)) return false;
        return true;
      };
    }
    case 'any': {
      const parts = c.of.map(compile);
      return (w, e) => {
        for (let i = 0; i < parts.length; i++) if ((parts[i] as CompiledCondition)(w, e)) return true;
        return false;
      };
    }
    case 'not': {
      const inner = compile(c.of);
      return (w, e) => !inner(w, e);
    }
    case 'state': {
      const { actor, state } = c;
      const live = flags?.(actor);
      if (live !== undefined) return () => live[state] === 1;
      return (w) => w.inState(actor, state);
    }
    case 'stateFor': {
      const { actor, state } = c;
      const test = numberTest(c.tests);
      const live = flags?.(actor);
      const dates = entries?.(actor);
      if (live !== undefined && dates !== undefined) return (w) => live[state] === 1 && test(w.turn - (dates[state] as number));
      return (w) => w.inState(actor, state) && test(w.turn - w.enteredAt(actor, state));
    }
    case 'var': {
      const v = c.variable;
      const test = numberTest(c.tests);
      return (w) => test(w.vars[v] as number);
    }
    case 'turn': {
      const test = numberTest(c.tests);
      return (w) => test(w.turn);
    }
    case 'peak': {
      const { from, to, theatre } = c;
      const test = numberTest(c.tests);
      return (w) => test(w.peak(from, to, theatre));
    }
    case 'happened': {
      const { event, from, to, data, withinTurns, atLeast } = c;
      return (w) => w.countHappened(event, from, to, data, withinTurns) >= atLeast;
    }
    case 'compare': {
      const left = compileExpr(c.left);
      const right = compileExpr(c.right);
      const op = c.op;
      return (w) => compareNumbers(left(w), op, right(w));
    }
    case 'event': {
      const { field, test } = c;
      const only = (k: 'eq' | 'ne' | 'in') => (['eq', 'ne', 'in', 'includes'] as const).every((x) => x === k || test[x] === undefined);
      if (field.kind === 'from' && only('eq')) {
        const v = test.eq as number;
        return (_w, e) => e !== undefined && e.from === v;
      }
      if (field.kind === 'from' && only('ne')) {
        const v = test.ne as number;
        return (_w, e) => e !== undefined && e.from !== v;
      }
      if (field.kind === 'type' && only('eq')) {
        const v = test.eq as number;
        return (_w, e) => e !== undefined && e.type === v;
      }
      if (field.kind === 'type' && only('ne')) {
        const v = test.ne as number;
        return (_w, e) => e !== undefined && e.type !== v;
      }
      if (field.kind === 'data' && only('eq')) {
        const { name } = field;
        const v = test.eq;
        return (_w, e) => e !== undefined && e.data !== undefined && e.data[name] === v;
      }
      return (_w, e) => e !== undefined && testField(field, test, e);
    }
  }
}

/** An expression resolved in advance to a closure over the world. Same answers as `evalExpr`. */
export type CompiledExpr = (world: WorldView) => number;

/** A constant stays a number (the hot paths test `typeof`); an expression becomes a closure. */
export type CompiledNumber = number | CompiledExpr;

/** Compiles an expression to a closure: no dispatch on the operator at run time. */
export function compileExpr(e: Expr): CompiledExpr {
  if (typeof e === 'number') return () => e;
  switch (e.kind) {
    case 'var': {
      const v = e.variable;
      return (w) => w.vars[v] as number;
    }
    case 'turn':
      return (w) => w.turn;
    case 'sub': {
      const a = compileExpr(e.of[0]);
      const b = compileExpr(e.of[1]);
      return (w) => nz(a(w) - b(w));
    }
    case 'div': {
      const a = compileExpr(e.of[0]);
      const b = compileExpr(e.of[1]);
      return (w) => divide(a(w), b(w));
    }
    case 'clamp': {
      const [x, lo, hi] = e.of.map(compileExpr) as [CompiledExpr, CompiledExpr, CompiledExpr];
      return (w) => Math.min(hi(w), Math.max(lo(w), x(w)));
    }
    case 'add':
    case 'mul':
    case 'min':
    case 'max': {
      const parts = e.of.map(compileExpr);
      const first = parts[0] as CompiledExpr;
      const step: (x: number, y: number) => number =
        e.kind === 'add' ? (x, y) => nz(x + y) : e.kind === 'mul' ? (x, y) => nz(x * y) : e.kind === 'min' ? Math.min : Math.max;
      return (w) => {
        let x = first(w);
        for (let i = 1; i < parts.length; i++) x = step(x, (parts[i] as CompiledExpr)(w));
        return x;
      };
    }
  }
}

/** `compileExpr`, keeping constants as numbers. */
export function compileNumber(e: Expr, compile: (e: Expr) => CompiledExpr = compileExpr): CompiledNumber {
  return typeof e === 'number' ? e : compile(e);
}

/** A probability modifier with its condition (and its amount, when an expression) compiled. */
export interface CompiledModifier {
  readonly kind: Modifier['kind'];
  readonly value: CompiledNumber;
  readonly when: CompiledCondition;
}

export function compileModifiers(list: readonly Modifier[], compile: (c: Cond) => CompiledCondition, expr: (e: Expr) => CompiledExpr = compileExpr): CompiledModifier[] {
  return list.map((m) => ({ kind: m.kind, value: compileNumber(m.value, expr), when: compile(m.when) }));
}

/**
 * Base probability adjusted by the modifiers whose conditions hold, in order, clamped to [0, 1]: the
 * engine's draw and exploration's outcomes both use it (and the generated code writes it out).
 */
export function probability(base: CompiledNumber, modifiers: readonly CompiledModifier[], world: WorldView): number {
  const p = unclampedProbability(base, modifiers, world);
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

/** The probability before its clamp to [0, 1] (narratives show where the clamp changed it). */
export function unclampedProbability(base: CompiledNumber, modifiers: readonly CompiledModifier[], world: WorldView): number {
  let p = typeof base === 'number' ? base : base(world);
  for (const m of modifiers) {
    if (!m.when(world, undefined)) continue;
    const v = typeof m.value === 'number' ? m.value : m.value(world);
    if (m.kind === 'add') p += v;
    else if (m.kind === 'multiply') p *= v;
    else p = v;
  }
  return p;
}

/**
 * A chance reaction's guard as one closure: its `when` (if any), then its probability (modifiers read
 * the act; clamped to [0, 1], as `chanceProbability`) against the world's draw (`WorldView.chance`).
 */
export function compileChance(rule: number, c: ChanceModel, when: CompiledCondition | undefined, compile: (c: Cond) => CompiledCondition): CompiledCondition {
  const mods = compileModifiers(c.modifiers, compile, compileExpr);
  const base = c.probability;
  return (w, e) => {
    if (when !== undefined && !when(w, e)) return false;
    let p = base;
    for (let i = 0; i < mods.length; i++) {
      const m = mods[i] as CompiledModifier;
      if (!m.when(w, e)) continue;
      const v = typeof m.value === 'number' ? m.value : m.value(w);
      if (m.kind === 'add') p += v;
      else if (m.kind === 'multiply') p *= v;
      else p = v;
    }
    p = p < 0 ? 0 : p > 1 ? 1 : p;
    if (w.chance === undefined) throw new Error('a chance reaction evaluated on a world without draws');
    return w.chance(rule, e as EventInstance, p);
  };
}

function numberTest(tests: readonly NumberTest[]): (x: number) => boolean {
  if (tests.length === 1) {
    const t = tests[0] as NumberTest;
    const v = t.value;
    switch (t.op) {
      case 'eq':
        return (x) => x === v;
      case 'ne':
        return (x) => x !== v;
      case 'gt':
        return (x) => x > v;
      case 'gte':
        return (x) => x >= v;
      case 'lt':
        return (x) => x < v;
      case 'lte':
        return (x) => x <= v;
    }
  }
  return (x) => testNumber(x, tests);
}

/**
 * Evaluates what a condition can know from the event alone: true or false when it reads nothing but
 * the event's fields, undefined when it depends on the world. Used to settle guards on moves in advance.
 */
export function evaluateStatically(c: Cond, event: EventInstance): boolean | undefined {
  switch (c.kind) {
    case 'event':
      return testField(c.field, c.test, event);
    case 'not': {
      const inner = evaluateStatically(c.of, event);
      return inner === undefined ? undefined : !inner;
    }
    case 'all': {
      let known = true;
      for (const x of c.of) {
        const v = evaluateStatically(x, event);
        if (v === false) return false;
        if (v === undefined) known = false;
      }
      return known ? true : undefined;
    }
    case 'any': {
      let known = true;
      for (const x of c.of) {
        const v = evaluateStatically(x, event);
        if (v === true) return true;
        if (v === undefined) known = false;
      }
      return known ? false : undefined;
    }
    default:
      return undefined;
  }
}
