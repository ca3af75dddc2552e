import { knownList } from '../scenario/problem.ts';
import type { ConditionDef, ExpressionDef, InvariantDef, PatternDef, Scenario } from '../scenario/schema.ts';
import { describeExpr, exprVariables, numberCondition } from './expression.ts';
import type { CompareOp, Cond, InvariantModel, Model, NumberTest, PatternModel, StatePatternModel } from './types.ts';

export type { ActPatternModel, InvariantModel, PatternModel, StatePatternModel } from './types.ts';

/** What name resolution needs of a model. */
export type ModelNames = Pick<Model, 'actors' | 'events' | 'rungs' | 'theatres' | 'variables'>;

/** A pattern as written: an object, or an event type's name for "any act of that type". */
export type PatternInput = PatternDef;

const OPS: readonly CompareOp[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'];
const SYMBOLS: Readonly<Record<CompareOp, string>> = { eq: '=', ne: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤' };

function lookup(ids: readonly string[], id: string, what: string): number {
  const i = ids.indexOf(id);
  if (i < 0) throw new Error(`unknown ${what} "${id}" (${knownList([...ids], id)})`);
  return i;
}

const actorIds = (m: ModelNames) => m.actors.map((a) => a.id);

/** Resolves a pattern's names to indices. Throws an Error naming the known names for an unknown one. */
export function resolvePattern(m: ModelNames, input: PatternInput): PatternModel {
  const def = typeof input === 'string' ? { event: input } : input;
  if (def.state !== undefined) {
    const actor = lookup(actorIds(m), def.state.actor, 'actor');
    const paths = (m.actors[actor] as Model['actors'][number]).states.map((s) => s.path);
    const state = def.state.in === '' ? -1 : paths.indexOf(def.state.in);
    if (state < 0) throw new Error(`unknown state "${def.state.in}" of ${def.state.actor} (${knownList(paths.filter((p) => p !== ''), def.state.in)})`);
    return { kind: 'state', actor, state };
  }
  if (def.event === undefined) throw new Error('expected a pattern with "event" or "state"');
  const eventIds = m.events.map((e) => e.id);
  const any = (id: string | undefined) => (id === undefined ? -1 : lookup(actorIds(m), id, 'actor'));
  return {
    kind: 'act',
    events: (typeof def.event === 'string' ? [def.event] : def.event).map((e) => lookup(eventIds, e, 'event type')),
    from: any(def.from),
    to: any(def.to),
    against: any(def.against),
    theatre: def.theatre === undefined ? -1 : lookup(m.theatres.map((t) => t.id), def.theatre, 'theatre'),
    data: Object.entries(def.data ?? {}),
  };
}

/**
 * Resolves a condition on the world at a turn's end: `state` (naming its actor), `peak`, `happened`,
 * `turn`, and `all`/`any`/`not` of them; `var` too with `variables` (a scenario invariant, which the
 * runner checks live: a trace does not record variables). `event` throws: there is no act being handled.
 */
export function resolveStateCondition(m: ModelNames, c: ConditionDef, options: { readonly variables?: boolean } = {}): Cond {
  const actor = (id: string | undefined) => (id === undefined ? -1 : lookup(actorIds(m), id, 'actor'));
  const rungIds = m.rungs.map((r) => r.id);
  if (c.all !== undefined) return { kind: 'all', of: c.all.map((x) => resolveStateCondition(m, x, options)) };
  if (c.any !== undefined) return { kind: 'any', of: c.any.map((x) => resolveStateCondition(m, x, options)) };
  if (c.not !== undefined) return { kind: 'not', of: resolveStateCondition(m, c.not, options) };
  if (c.state !== undefined) {
    if (c.state.actor === undefined || c.state.actor === '$self') throw new Error(`expected "actor" in the state condition on "${c.state.in}"`);
    const p = resolvePattern(m, { state: { actor: c.state.actor, in: c.state.in } }) as StatePatternModel;
    if (c.state.forTurns !== undefined) {
      if (options.variables !== true)
        throw new Error(`cannot check "forTurns" over a run's trace: when states were entered is not in it (declare the rule as a scenario invariant, which the runner checks as it plays)`);
      const f = c.state.forTurns;
      return { kind: 'stateFor', actor: p.actor, state: p.state, tests: OPS.filter((op) => f[op] !== undefined).map((op) => ({ op, value: f[op] as number })) };
    }
    return { kind: 'state', actor: p.actor, state: p.state };
  }
  if (c.happened !== undefined) {
    const h = c.happened;
    return {
      kind: 'happened',
      event: lookup(m.events.map((e) => e.id), h.event, 'event type'),
      from: actor(h.from),
      to: actor(h.to),
      data: Object.entries(h.data ?? {}),
      atLeast: h.atLeast ?? 1,
      withinTurns: h.withinTurns ?? 0,
    };
  }
  if (c.peak !== undefined) {
    const p = c.peak;
    return {
      kind: 'peak',
      from: actor(p.from),
      to: actor(p.to),
      theatre: p.theatre === undefined ? -1 : lookup(m.theatres.map((t) => t.id), p.theatre, 'theatre'),
      tests: OPS.filter((op) => p[op] !== undefined).map((op): NumberTest => ({ op, value: lookup(rungIds, p[op] as string, 'rung') })),
    };
  }
  const varIndex = (id: string) => lookup(m.variables.map((x) => x.id), id, 'variable');
  if (c.turn !== undefined) {
    const resolved = numberCondition({ kind: 'turn' }, (tests) => ({ kind: 'turn', tests }), c.turn, varIndex);
    if (options.variables !== true && readsVariables(resolved))
      throw new Error(`cannot check "turn" against a variable over a run's trace: variables are not in it (declare the rule as a scenario invariant, which the runner checks as it plays)`);
    return resolved;
  }
  if (c.var !== undefined) {
    const v = c.var;
    if (options.variables !== true)
      throw new Error(`cannot check "var: ${v.name}" over a run's trace: variables are not in it (declare the rule as a scenario invariant, which the runner checks as it plays)`);
    const variable = varIndex(v.name);
    return numberCondition({ kind: 'var', variable }, (tests) => ({ kind: 'var', variable, tests }), v, varIndex);
  }
  if (c.event !== undefined) throw new Error('an "event" condition reads the act being handled: there is none at a turn\'s end');
  throw new Error('expected a condition');
}

/** Resolves the scenario's `invariants`, in file order. Assumes the scenario passed `crossCheck`. */
export function resolveInvariants(m: ModelNames, defs: Scenario['invariants']): InvariantModel[] {
  return Object.entries(defs ?? {}).map(([id, def]) => {
    const common = { id, text: describeInvariant(def), description: def.description, source: def.source ?? [] };
    if (def.never !== undefined) return { ...common, kind: 'never' as const, pattern: resolvePattern(m, def.never) };
    if (def.precedes !== undefined)
      return { ...common, kind: 'precedes' as const, first: resolvePattern(m, def.precedes.first), then: resolvePattern(m, def.precedes.then) };
    return { ...common, kind: 'always' as const, condition: resolveStateCondition(m, def.always as ConditionDef, { variables: true }) };
  });
}

/** `MUTUAL_DEFENCE_INVOKED by DPRK against USA`, `ROK in policy.lethalAid`. */
export function describePattern(input: PatternInput): string {
  const def = typeof input === 'string' ? { event: input } : input;
  if (def.state !== undefined) return `${def.state.actor} in ${def.state.in}`;
  const events = typeof def.event === 'string' ? def.event : (def.event ?? []).join(' or ');
  const parts = [events];
  if (def.from !== undefined) parts.push(`by ${def.from}`);
  if (def.to !== undefined) parts.push(`to ${def.to}`);
  if (def.against !== undefined) parts.push(`against ${def.against}`);
  if (def.theatre !== undefined) parts.push(`in ${def.theatre}`);
  if (def.data !== undefined && Object.keys(def.data).length > 0)
    parts.push(`(${Object.entries(def.data).map(([k, v]) => `${k}: ${String(v)}`).join(', ')})`);
  return parts.join(' ');
}

/** A condition in words: `ROK in lethalAid and peak USA→DPRK ≥ L6`. */
export function describeCondition(c: ConditionDef): string {
  const group = (list: readonly ConditionDef[], word: string) =>
    list.length === 1 ? describeCondition(list[0] as ConditionDef) : `(${list.map(describeCondition).join(` ${word} `)})`;
  const tests = (x: Partial<Record<CompareOp, unknown>>) =>
    OPS.filter((op) => x[op] !== undefined).map((op) => `${SYMBOLS[op]} ${typeof x[op] === 'string' ? x[op] : describeExpr(x[op] as ExpressionDef)}`).join(' and ');
  if (c.all !== undefined) return group(c.all, 'and');
  if (c.any !== undefined) return group(c.any, 'or');
  if (c.not !== undefined) return `not ${describeCondition(c.not)}`;
  if (c.state !== undefined) return `${c.state.actor ?? '$self'} in ${c.state.in}${c.state.forTurns === undefined ? '' : ` for turns ${tests(c.state.forTurns)}`}`;
  if (c.var !== undefined) return `${c.var.name} ${tests(c.var)}`;
  if (c.turn !== undefined) return `turn ${tests(c.turn)}`;
  if (c.peak !== undefined) {
    const p = c.peak;
    const scope = p.from === undefined && p.to === undefined ? 'peak' : `peak ${p.from ?? 'any'}→${p.to ?? 'any'}`;
    return `${scope}${p.theatre === undefined ? '' : ` in ${p.theatre}`} ${tests(p)}`;
  }
  if (c.happened !== undefined) {
    const h = c.happened;
    const what = describePattern({
      event: h.event,
      ...(h.from !== undefined ? { from: h.from } : {}),
      ...(h.to !== undefined ? { to: h.to } : {}),
      ...(h.data !== undefined ? { data: h.data } : {}),
    });
    const times = h.atLeast !== undefined && h.atLeast > 1 ? ` at least ${h.atLeast} times` : '';
    const within = h.withinTurns !== undefined ? ` in the last ${h.withinTurns} turn${h.withinTurns === 1 ? '' : 's'}` : '';
    return `${what} happened${times}${within}`;
  }
  if (c.event !== undefined) {
    const e = c.event;
    const values = [
      ...(e.eq !== undefined ? [`= ${String(e.eq)}`] : []),
      ...(e.ne !== undefined ? [`≠ ${String(e.ne)}`] : []),
      ...(e.in !== undefined ? [`in [${e.in.map(String).join(', ')}]`] : []),
      ...(e.includes !== undefined ? [`includes ${e.includes}`] : []),
    ];
    return `event ${e.field} ${values.join(' and ')}`;
  }
  return '(empty condition)';
}

/** An invariant in words: `MUTUAL_DEFENCE_INVOKED only after ARMED_ATTACK against DPRK`. */
export function describeInvariant(def: InvariantDef): string {
  if (def.never !== undefined)
    return typeof def.never !== 'string' && def.never.state !== undefined
      ? `${def.never.state.actor} is never in ${def.never.state.in}`
      : `never ${describePattern(def.never)}`;
  if (def.precedes !== undefined) return `${describePattern(def.precedes.then)} only after ${describePattern(def.precedes.first)}`;
  return `at the end of every turn: ${describeCondition(def.always as ConditionDef)}`;
}

/** True when the condition reads what a trace does not record (anywhere inside it): a variable, or how long a state has been active (`forTurns`). The runner checks such invariants live. */
export function readsVariables(c: Cond): boolean {
  switch (c.kind) {
    case 'all':
    case 'any':
      return c.of.some(readsVariables);
    case 'not':
      return readsVariables(c.of);
    case 'var':
    case 'stateFor':
      return true;
    case 'compare': {
      let reads = false;
      exprVariables(c.left, () => (reads = true));
      exprVariables(c.right, () => (reads = true));
      return reads;
    }
    default:
      return false;
  }
}
