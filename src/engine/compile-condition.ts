import { testField, testNumber } from '../model/evaluate.ts';
import type { ChanceModel, Cond, EventInstance, Modifier, NumberTest, WorldView } from '../model/types.ts';

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

/** A probability modifier with its condition compiled. */
export interface CompiledModifier {
  readonly kind: Modifier['kind'];
  readonly value: number;
  readonly when: CompiledCondition;
}

export function compileModifiers(list: readonly Modifier[], compile: (c: Cond) => CompiledCondition): CompiledModifier[] {
  return list.map((m) => ({ kind: m.kind, value: m.value, when: compile(m.when) }));
}

/**
 * Base probability adjusted by the modifiers whose conditions hold, in order, clamped to [0, 1]: the
 * engine's draw and exploration's outcomes both use it (and the generated code writes it out).
 */
export function probability(base: number, modifiers: readonly CompiledModifier[], world: WorldView): number {
  let p = base;
  for (const m of modifiers) {
    if (!m.when(world, undefined)) continue;
    if (m.kind === 'add') p += m.value;
    else if (m.kind === 'multiply') p *= m.value;
    else p = m.value;
  }
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

/**
 * A chance reaction's guard as one closure: its `when` (if any), then its probability (modifiers read
 * the act; clamped to [0, 1], as `chanceProbability`) against the world's draw (`WorldView.chance`).
 */
export function compileChance(rule: number, c: ChanceModel, when: CompiledCondition | undefined, compile: (c: Cond) => CompiledCondition): CompiledCondition {
  const mods = compileModifiers(c.modifiers, compile);
  const base = c.probability;
  return (w, e) => {
    if (when !== undefined && !when(w, e)) return false;
    let p = base;
    for (let i = 0; i < mods.length; i++) {
      const m = mods[i] as CompiledModifier;
      if (!m.when(w, e)) continue;
      if (m.kind === 'add') p += m.value;
      else if (m.kind === 'multiply') p *= m.value;
      else p = m.value;
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
