import type { Problem } from './problem.ts';
import type { ConditionDef, EffectDef, ExpressionDef, ModifierDef, Scenario, StateNodeDef } from './schema.ts';
import { LIMITS } from './schema.ts';
import { flattenStates, transitionsOf, unreachableStates } from './state-tree.ts';

type Path = Array<string | number>;

/**
 * Warnings about traps a valid scenario can still fall into (issue 12): a probability of 0 that any
 * `add` modifier opens, modifiers that stack past 1 (and are clamped), a chance reaction that never fires
 * or whose modifiers cannot change its odds, and outcomes or `always`
 * invariants whose condition can never hold (an act nothing produces, a state nothing enters, a rung no
 * act reaches, a turn past the end, a variable outside its bounds). Pure; assumes `crossCheck` passed.
 */
export function lintScenario(s: Scenario): Problem[] {
  const out: Problem[] = [];
  const warn = (code: string, path: Path, message: string) => out.push({ code: `scenario/${code}`, severity: 'warning', path, message });

  const range = rangeOf(s);
  const odds = (declared: ExpressionDef, modifiers: readonly ModifierDef[] | undefined, path: Path, what: string) => {
    const list = modifiers ?? [];
    if (typeof declared !== 'number') {
      // A base computed from variables: cheap to bound over their declared ranges, so say when it cannot vary.
      const [lo, hi] = interval(declared, range);
      if (list.length === 0 && hi <= 0)
        warn('probability_never_positive', [...path, 'probability'], `${what}'s probability is at most ${round(hi)} over every value its variables can take: it can never happen`);
      else if (list.length === 0 && lo >= 1)
        warn('probability_always_one', [...path, 'probability'], `${what}'s probability is at least ${round(lo)} over every value its variables can take: it is always clamped to 1`);
      return;
    }
    const probability = declared;
    // Modifiers given as expressions take the largest value they can reach.
    const top = (x: ExpressionDef | undefined): number | undefined => (x === undefined ? undefined : typeof x === 'number' ? x : interval(x, range)[1]);
    const adds = list.filter((m) => m.add !== undefined && (top(m.add) as number) > 0).length;
    // One add on a base of 0 is a precondition written as odds; several make a move that any one opens.
    if (probability === 0 && adds > 1 && !list.some((m) => m.set !== undefined))
      warn(
        'opened_by_add',
        [...path, 'probability'],
        `${what} has probability 0 and ${adds} "add" modifiers: it is possible whenever any one of them applies, whatever the others say; if it needs a condition, write it as "when:" (a precondition)`,
      );
    let high = probability;
    for (const m of list) {
      const add = top(m.add);
      const multiply = top(m.multiply);
      const set = top(m.set);
      if (add !== undefined && add > 0) high += add;
      else if (multiply !== undefined && multiply > 1) high *= multiply;
      else if (set !== undefined) high = Math.max(high, set);
    }
    if (list.length > 0 && high > 1 + 1e-12)
      warn('probability_past_one', [...path, 'modifiers'], `${what}'s modifiers together can raise its probability to ${round(high)}, which is clamped to 1: check that they are meant to stack`);
  };

  // A chance reaction that never fires, or whose modifiers can never change its odds: every subset of
  // its modifiers applied in order (their conditions taken as independent), clamped as the engine does.
  const chance = (probability: number, modifiers: readonly ModifierDef[] | undefined, path: Path, what: string): boolean => {
    const list = modifiers ?? [];
    // Amounts given as expressions depend on the world: no cheap verdict.
    if (list.length > 10 || list.some((m) => [m.add, m.multiply, m.set].some((v) => v !== undefined && typeof v !== 'number'))) return false;
    const results = new Set<number>();
    for (let mask = 0; mask < 1 << list.length; mask++) {
      let p = probability;
      list.forEach((m, i) => {
        if ((mask & (1 << i)) === 0) return;
        if (typeof m.add === 'number') p += m.add;
        else if (typeof m.multiply === 'number') p *= m.multiply;
        else if (typeof m.set === 'number') p = m.set;
      });
      results.add(p < 0 ? 0 : p > 1 ? 1 : p);
    }
    if (results.size !== 1) return false;
    const only = [...results][0] as number;
    if (only === 0)
      warn(
        'chance_never_fires',
        [...path, list.length > 0 ? 'modifiers' : 'probability'],
        `${what} has probability 0${list.length > 0 ? ' and no modifier can raise it' : ''}: it never fires; give it a chance or remove it`,
      );
    else if (list.length > 0)
      warn('chance_modifiers_inert', [...path, 'modifiers'], `${what}: its modifiers can never change its probability of ${round(only)} (the result is clamped to [0, 1]): check their values`);
    else return false;
    return true;
  };

  // What can ever happen: the event types some rule produces, the states something enters, the highest rung.
  const produced = new Set<string>();
  const emits = (list: readonly EffectDef[] | undefined) => {
    for (const e of list ?? []) if (e.emit !== undefined) produced.add(e.emit.event);
  };
  const unreachable = new Map<string, string[]>();
  for (const [actorId, actor] of Object.entries(s.actors)) {
    const states = flattenStates(actor.statechart as StateNodeDef);
    unreachable.set(actorId, unreachableStates(states));
    for (const st of states) {
      emits(st.def.entry as EffectDef[] | undefined);
      for (const ev of Object.keys(st.def.on ?? {})) {
        const single = !Array.isArray(st.def.on?.[ev]);
        transitionsOf(st.def, ev).forEach((t, i) => {
          emits(t.effects);
          if (t.probability === undefined) return;
          const sp = ['actors', actorId, 'statechart', ...st.path.split('.').filter((x) => x !== '').flatMap((x) => ['states', x]), 'on', ev, ...(single ? [] : [i])];
          const what = `the chance reaction to ${ev} in "${st.path || '(root)'}"`;
          if (!chance(t.probability, t.modifiers as ModifierDef[] | undefined, sp, what)) odds(t.probability, t.modifiers as ModifierDef[] | undefined, sp, what);
        });
      }
      for (const [moveId, m] of Object.entries(st.def.moves ?? {})) {
        produced.add(m.event);
        const sp = ['actors', actorId, 'statechart', ...st.path.split('.').filter((x) => x !== '').flatMap((x) => ['states', x]), 'moves', moveId];
        odds(m.probability, m.modifiers as ModifierDef[] | undefined, sp, `move "${moveId}"`);
      }
    }
  }
  for (const [id, sh] of Object.entries(s.shocks ?? {})) {
    produced.add(sh.event);
    odds(sh.probability, sh.modifiers, ['shocks', id], `shock "${id}"`);
  }
  for (const inj of Object.values(s.script ?? {})) produced.add(inj.event);
  const rungIds = s.ladder.rungs.map((r) => r.id);
  const top = Math.max(-1, ...[...produced].map((e) => rungIds.indexOf(s.events[e]?.rung ?? '')));

  /** Why the condition can never hold at a turn's end up to `lastTurn`, or undefined when it may. */
  const never = (c: ConditionDef, lastTurn: number, depth = 0): string | undefined => {
    if (depth > LIMITS.conditionDepth) return undefined;
    if (c.all !== undefined) {
      for (const x of c.all) {
        const why = never(x, lastTurn, depth + 1);
        if (why !== undefined) return why;
      }
      return undefined;
    }
    if (c.any !== undefined) {
      const whys = c.any.map((x) => never(x, lastTurn, depth + 1));
      return whys.every((w) => w !== undefined) ? whys.join('; and ') : undefined;
    }
    if (c.happened !== undefined && !produced.has(c.happened.event)) return `no move, reaction, shock or inject produces ${c.happened.event}`;
    if (c.state?.actor !== undefined) {
      const dead = (unreachable.get(c.state.actor) ?? []).find((p) => c.state?.in === p || c.state?.in.startsWith(`${p}.`));
      if (dead !== undefined) return `${c.state.actor} can never enter "${dead}"`;
    }
    if (c.peak !== undefined) {
      const p = c.peak;
      const need = Math.max(p.gte === undefined ? -1 : rungIds.indexOf(p.gte), p.gt === undefined ? -1 : rungIds.indexOf(p.gt) + 1, p.eq === undefined ? -1 : rungIds.indexOf(p.eq));
      if (need > top) return `no act reaches ${rungIds[need]} (the highest rung any act signals is ${rungIds[top] ?? 'none'})`;
    }
    if (c.turn !== undefined) {
      // Comparisons with an expression are left to the run.
      const k = (x: ExpressionDef | undefined) => (typeof x === 'number' ? x : undefined);
      const t = { gte: k(c.turn.gte), gt: k(c.turn.gt), eq: k(c.turn.eq) };
      const first = Math.max(t.gte ?? 1, t.gt === undefined ? 1 : t.gt + 1, t.eq ?? 1);
      if (first > lastTurn) return `turn ${first} comes after turn ${lastTurn}`;
    }
    if (c.var !== undefined) {
      const v = s.variables?.[c.var.name];
      const low = v?.min ?? -Infinity;
      const high = v?.max ?? Infinity;
      const k = (y: ExpressionDef | undefined) => (typeof y === 'number' ? y : undefined);
      const x = { name: c.var.name, gte: k(c.var.gte), gt: k(c.var.gt), eq: k(c.var.eq), lte: k(c.var.lte), lt: k(c.var.lt) };
      if ((x.gte !== undefined && x.gte > high) || (x.gt !== undefined && x.gt >= high) || (x.eq !== undefined && (x.eq > high || x.eq < low)))
        return `${x.name} never exceeds its max ${high}`;
      if ((x.lte !== undefined && x.lte < low) || (x.lt !== undefined && x.lt <= low)) return `${x.name} never falls below its min ${low}`;
    }
    return undefined;
  };
  for (const [id, o] of Object.entries(s.outcomes ?? {})) {
    const why = never(o.when, o.by ?? s.time.turns);
    if (why !== undefined) warn('outcome_cannot_hold', ['outcomes', id, 'when'], `outcome "${id}" can never be reached: ${why}`);
  }
  for (const [id, inv] of Object.entries(s.invariants ?? {})) {
    const why = inv.always === undefined ? undefined : never(inv.always, s.time.turns);
    if (why !== undefined) warn('invariant_cannot_hold', ['invariants', id, 'always'], `invariant "${id}" is broken by every run: its condition can never hold (${why})`);
  }
  return out;
}

function round(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}

/** Each variable's declared range, and the turn's. */
interface Ranges {
  readonly vars: ReadonlyMap<string, readonly [number, number]>;
  readonly turns: number;
}

function rangeOf(s: Scenario): Ranges {
  const vars = new Map<string, readonly [number, number]>();
  for (const [id, v] of Object.entries(s.variables ?? {})) vars.set(id, [v.min ?? -Infinity, v.max ?? Infinity]);
  return { vars, turns: s.time.turns };
}

/**
 * Bounds on an expression's value over the variables' declared ranges and turns 1…T (interval
 * arithmetic: sound, not always tight). NaN bounds widen to the whole line.
 */
export function interval(e: ExpressionDef, r: Ranges): [number, number] {
  const safe = ([lo, hi]: [number, number]): [number, number] => [Number.isNaN(lo) ? -Infinity : lo, Number.isNaN(hi) ? Infinity : hi];
  if (typeof e === 'number') return [e, e];
  const list = (xs: readonly ExpressionDef[] | undefined) => (xs ?? []).map((x) => interval(x, r));
  const fold = (xs: Array<[number, number]>, f: (a: [number, number], b: [number, number]) => [number, number]) => xs.slice(1).reduce((a, b) => safe(f(a, b)), xs[0] ?? [0, 0]);
  const mul = (a: [number, number], b: [number, number]): [number, number] => {
    const ps = [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]].map((x) => (Number.isNaN(x) ? 0 : x));
    return [Math.min(...ps), Math.max(...ps)];
  };
  if (e.var !== undefined) return [...(r.vars.get(e.var) ?? [-Infinity, Infinity])] as [number, number];
  if (e.turn !== undefined) return [1, r.turns];
  if (e.add !== undefined) return fold(list(e.add), (a, b) => [a[0] + b[0], a[1] + b[1]]);
  if (e.mul !== undefined) return fold(list(e.mul), mul);
  if (e.min !== undefined) return fold(list(e.min), (a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1])]);
  if (e.max !== undefined) return fold(list(e.max), (a, b) => [Math.max(a[0], b[0]), Math.max(a[1], b[1])]);
  if (e.sub !== undefined) {
    const [a, b] = list(e.sub) as [[number, number], [number, number]];
    return safe([a[0] - b[1], a[1] - b[0]]);
  }
  if (e.div !== undefined) {
    const [a, b] = list(e.div) as [[number, number], [number, number]];
    // Division by 0 gives 0; a divisor range that spans 0 makes the quotient unbounded.
    if (b[0] <= 0 && b[1] >= 0) return b[0] === 0 && b[1] === 0 ? [0, 0] : [-Infinity, Infinity];
    return mul(a, [1 / b[1], 1 / b[0]]);
  }
  if (e.clamp !== undefined) {
    const [x, lo, hi] = list(e.clamp) as [[number, number], [number, number], [number, number]];
    return [Math.min(hi[0], Math.max(lo[0], x[0])), Math.min(hi[1], Math.max(lo[1], x[1]))];
  }
  return [-Infinity, Infinity];
}
