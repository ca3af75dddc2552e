import type { ActorListDef, ConditionDef, EffectDef, ExpressionDef, ModifierDef, Scenario, StateNodeDef } from '../scenario/schema.ts';
import { checkedScenario } from '../scenario/check.ts';
import { emptyRecord, own } from '../scenario/own.ts';
import { type Citation, flattenStates, inheritedCitation, resolveTarget, transitionsOf } from '../scenario/state-tree.ts';
import { numberCondition, resolveExpr } from './expression.ts';
import { describeCondition, resolveInvariants } from './invariants.ts';
import type {
  ActorModel,
  CompareOp,
  Cond,
  Effect,
  EventFieldRef,
  Expr,
  InjectModel,
  Model,
  Modifier,
  MoveModel,
  NumberTest,
  Rule,
  RuleKind,
  Scalar,
  ShockModel,
  StateModel,
  TransitionModel,
} from './types.ts';

import { SENDER } from './types.ts';

const OPS: readonly CompareOp[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'];

/**
 * Resolves a checked scenario into a Model: indices for every name, a flat state table per actor and
 * one rule list for coverage. Pure. A scenario the loader did not return is checked first (schema,
 * declared limits, cross-references): an invalid one throws a ScenarioError listing its problems.
 */
export function buildModel(scenario: Scenario): Model {
  const s = checkedScenario(scenario);
  const actorIds = Object.keys(s.actors);
  const eventIds = Object.keys(s.events);
  const rungIds = s.ladder.rungs.map((r) => r.id);
  const theatreIds = Object.keys(s.theatres ?? {});
  const varIds = Object.keys(s.variables ?? {});
  const rules: Rule[] = [];
  const statePaths: string[][] = [];

  const index = (list: readonly string[], id: string, what: string): number => {
    const i = list.indexOf(id);
    if (i < 0) throw new Error(`buildModel: unknown ${what} "${id}" (the scenario was not cross-checked)`);
    return i;
  };
  const addRule = (
    kind: RuleKind,
    id: string,
    actor: number,
    def: { source?: string[] | undefined; assumption?: string | undefined; description?: string | undefined },
  ): number => {
    rules.push({
      index: rules.length,
      id,
      kind,
      actor,
      source: def.source ?? [],
      assumption: def.assumption,
      description: def.description,
    });
    return rules.length - 1;
  };
  const actorRef = (id: string, self: number): number => (id === '$self' ? self : id === '$sender' ? SENDER : index(actorIds, id, 'actor'));
  const actorList = (list: ActorListDef | undefined, self: number): readonly number[] | undefined =>
    list === undefined ? undefined : list === 'all' ? undefined : list.map((a) => actorRef(a, self));
  const theatre = (id: string | undefined) => (id === undefined ? undefined : index(theatreIds, id, 'theatre'));
  const actRung = (id: string | undefined) => (id === undefined ? {} : { rung: index(rungIds, id, 'rung') });
  const data = (d: Record<string, Scalar> | undefined) => (d === undefined ? undefined : Object.freeze(Object.assign(emptyRecord<Scalar>(), d)));
  const varIndex = (id: string) => index(varIds, id, 'variable');
  const expr = (e: ExpressionDef): Expr => resolveExpr(e, varIndex);
  // forTurns compares with whole-turn constants (TurnsCompare in the schema).
  const numberTests = (c: Partial<Record<CompareOp, unknown>>): NumberTest[] =>
    OPS.filter((op) => c[op] !== undefined).map((op) => ({ op, value: c[op] as number }));
  const rungTests = (c: Partial<Record<CompareOp, string | undefined>>): NumberTest[] =>
    OPS.filter((op) => c[op] !== undefined).map((op) => ({ op, value: index(rungIds, c[op] as string, 'rung') }));

  const cond = (c: ConditionDef, self: number): Cond => {
    if (c.all) return { kind: 'all', of: c.all.map((x) => cond(x, self)) };
    if (c.any) return { kind: 'any', of: c.any.map((x) => cond(x, self)) };
    if (c.not) return { kind: 'not', of: cond(c.not, self) };
    if (c.state) {
      const actor = c.state.actor === undefined ? self : actorRef(c.state.actor, self);
      const state = (statePaths[actor] as string[]).indexOf(c.state.in);
      if (state < 0) throw new Error(`buildModel: unknown state "${c.state.in}"`);
      if (c.state.forTurns !== undefined) return { kind: 'stateFor', actor, state, tests: numberTests(c.state.forTurns) };
      return { kind: 'state', actor, state };
    }
    if (c.var) {
      const variable = index(varIds, c.var.name, 'variable');
      return numberCondition({ kind: 'var', variable }, (tests) => ({ kind: 'var', variable, tests }), c.var, varIndex);
    }
    if (c.event) {
      const f = c.event.field;
      const field: EventFieldRef = f.startsWith('data.')
        ? { kind: 'data', name: f.slice(5) }
        : { kind: f as Exclude<EventFieldRef['kind'], 'data'> };
      const names = (v: Scalar): Scalar => {
        if (typeof v !== 'string') return v;
        switch (field.kind) {
          case 'from':
          case 'to':
          case 'against':
            return actorRef(v, self);
          case 'type':
            return index(eventIds, v, 'event');
          case 'theatre':
            return index(theatreIds, v, 'theatre');
          case 'rung':
            return index(rungIds, v, 'rung');
          default:
            return v;
        }
      };
      const e = c.event;
      return {
        kind: 'event',
        field,
        test: {
          ...(e.eq !== undefined ? { eq: names(e.eq) } : {}),
          ...(e.ne !== undefined ? { ne: names(e.ne) } : {}),
          ...(e.in !== undefined ? { in: e.in.map(names) } : {}),
          ...(e.includes !== undefined ? { includes: actorRef(e.includes, self) } : {}),
        },
      };
    }
    if (c.happened) {
      const h = c.happened;
      return {
        kind: 'happened',
        event: index(eventIds, h.event, 'event'),
        from: h.from === undefined ? -1 : actorRef(h.from, self),
        to: h.to === undefined ? -1 : actorRef(h.to, self),
        data: Object.entries(h.data ?? {}),
        atLeast: h.atLeast ?? 1,
        withinTurns: h.withinTurns ?? 0,
      };
    }
    if (c.peak) {
      const p = c.peak;
      return {
        kind: 'peak',
        from: p.from === undefined ? -1 : actorRef(p.from, self),
        to: p.to === undefined ? -1 : actorRef(p.to, self),
        theatre: p.theatre === undefined ? -1 : index(theatreIds, p.theatre, 'theatre'),
        tests: rungTests(p),
      };
    }
    if (c.turn) return numberCondition({ kind: 'turn' }, (tests) => ({ kind: 'turn', tests }), c.turn, varIndex);
    throw new Error('buildModel: empty condition');
  };
  const effect = (e: EffectDef, self: number): Effect => {
    if (e.emit) {
      return {
        kind: 'emit',
        event: index(eventIds, e.emit.event, 'event'),
        to: actorList(e.emit.to, self),
        against: actorList(e.emit.against, self),
        data: data(e.emit.data),
        theatre: theatre(e.emit.theatre),
        delay: e.emit.delay ?? 0,
        ...actRung(e.emit.rung),
      };
    }
    if (e.set) return { kind: 'set', variable: index(varIds, e.set.var, 'variable'), value: expr(e.set.value) };
    if (e.add) return { kind: 'add', variable: index(varIds, e.add.var, 'variable'), value: expr(e.add.value) };
    throw new Error('buildModel: empty effect');
  };
  const modifier = (m: ModifierDef, self: number): Modifier => {
    const when = cond(m.when, self);
    if (m.add !== undefined) return { kind: 'add', value: expr(m.add), when };
    if (m.multiply !== undefined) return { kind: 'multiply', value: expr(m.multiply), when };
    return { kind: 'set', value: expr(m.set as ExpressionDef), when };
  };

  // State paths first: conditions may name any actor's states.
  const flat = actorIds.map((id) => flattenStates((s.actors[id] as { statechart: StateNodeDef }).statechart));
  flat.forEach((states) => statePaths.push(states.map((x) => x.path)));

  const actors: ActorModel[] = actorIds.map((id, a) => {
    const states = flat[a] as ReturnType<typeof flattenStates>;
    const paths = statePaths[a] as string[];
    const byPath = new Map(states.map((x) => [x.path, x]));
    const actorDef = s.actors[id] as Citation;
    // A rule that cites nothing carries the citation of its nearest enclosing state, or the actor's.
    const cited = <T extends Citation & { description?: string | undefined }>(def: T, path: string): Citation & { description?: string | undefined } => {
      if (def.source !== undefined || def.assumption !== undefined) return def;
      const up = inheritedCitation(byPath, path, actorDef);
      return up === undefined ? def : { source: up.source, assumption: up.assumption, description: def.description };
    };
    const stateModels: StateModel[] = states.map((st, i) => {
      const entry = (st.def.entry ?? []).map((e) => effect(e as EffectDef, a));
      return {
        index: i,
        path: st.path,
        parent: st.parent === undefined ? -1 : paths.indexOf(st.parent),
        kind: st.kind,
        children: st.children.map((c) => paths.indexOf(c)),
        initial: st.kind === 'compound' ? Object.keys(st.def.states ?? {}).indexOf(st.def.initial as string) : -1,
        depth: st.depth,
        entry,
        entryRule: entry.length > 0 ? addRule('entry', `entry:${id}:${st.path}`, a, cited(st.def, st.path)) : -1,
        source: st.def.source ?? [],
        assumption: st.def.assumption,
        description: st.def.description,
      };
    });
    const transitions: TransitionModel[] = [];
    const moves: MoveModel[] = [];
    states.forEach((st, si) => {
      for (const ev of Object.keys(st.def.on ?? {})) {
        transitionsOf(st.def, ev).forEach((t, ti) => {
          const target = t.target === undefined ? -1 : paths.indexOf(resolveTarget(byPath, st.path, t.target) as string);
          transitions.push({
            rule: addRule('transition', `transition:${id}:${st.path || '(root)'}:${ev}:${ti}`, a, cited(t, st.path)),
            state: si,
            event: index(eventIds, ev, 'event'),
            target,
            when: t.when === undefined ? undefined : cond(t.when, a),
            effects: (t.effects ?? []).map((e) => effect(e, a)),
            chance: t.probability === undefined ? undefined : { probability: t.probability, modifiers: (t.modifiers ?? []).map((x) => modifier(x, a)) },
          });
        });
      }
      for (const [moveId, m] of Object.entries(st.def.moves ?? {})) {
        moves.push({
          rule: addRule('move', `move:${id}:${st.path || '(root)'}:${moveId}`, a, cited(m, st.path)),
          id: moveId,
          state: si,
          event: index(eventIds, m.event, 'event'),
          to: actorList(m.to, a),
          against: actorList(m.against, a),
          data: data(m.data),
          theatre: theatre(m.theatre),
          ...actRung(m.rung),
          probability: expr(m.probability),
          modifiers: (m.modifiers ?? []).map((x) => modifier(x, a)),
          delay: m.delay ?? 0,
          when: onceMore(m.when === undefined ? undefined : cond(m.when, a), m.once === true ? { event: index(eventIds, m.event, 'event'), from: a, data: m.data } : undefined),
        });
      }
    });
    const objectives = Object.entries(s.actors[id]?.objectives ?? {}).map(([oid, o]) => ({
      id: oid,
      description: o.description,
      when: cond(o.when, a),
      source: o.source ?? [],
    }));
    return { index: a, id, name: (s.actors[id] as { name: string }).name, states: stateModels, transitions, moves, objectives };
  });

  const shocks: ShockModel[] = Object.entries(s.shocks ?? {}).map(([id, sh]) => ({
    rule: addRule('shock', `shock:${id}`, -1, sh),
    id,
    event: index(eventIds, sh.event, 'event'),
    from: index(actorIds, sh.from, 'actor'),
    to: actorList(sh.to, -1),
    against: actorList(sh.against, -1),
    data: data(sh.data),
    theatre: theatre(sh.theatre),
    ...actRung(sh.rung),
    probability: expr(sh.probability),
    modifiers: (sh.modifiers ?? []).map((m) => modifier(m, -1)),
    when: sh.when === undefined ? undefined : cond(sh.when, -1),
  }));
  const injects: InjectModel[] = Object.entries(s.script ?? {}).map(([id, inj]) => ({
    rule: addRule('inject', `inject:${id}`, -1, inj),
    id,
    turn: inj.turn ?? 0,
    after:
      inj.after === undefined
        ? undefined
        : {
            event: index(eventIds, inj.after.event, 'event'),
            from: inj.after.from === undefined ? -1 : index(actorIds, inj.after.from, 'actor'),
            to: inj.after.to === undefined ? -1 : index(actorIds, inj.after.to, 'actor'),
            turns: inj.after.turns,
          },
    event: index(eventIds, inj.event, 'event'),
    from: index(actorIds, inj.from, 'actor'),
    to: actorList(inj.to, -1),
    against: actorList(inj.against, -1),
    data: data(inj.data),
    theatre: theatre(inj.theatre),
    ...actRung(inj.rung),
    when: inj.when === undefined ? undefined : cond(inj.when, -1),
  }));

  const outcomes = Object.entries(s.outcomes ?? {}).map(([id, o], i) => ({
    index: i,
    id,
    text: describeCondition(o.when),
    condition: cond(o.when, -1),
    by: o.by ?? 0,
    description: o.description,
    source: o.source ?? [],
  }));

  const model: Omit<Model, 'invariants'> = {
    scenario: s,
    turns: s.time.turns,
    actors,
    events: eventIds.map((id, i) => {
      const e = s.events[id] as Scenario['events'][string];
      return {
        index: i,
        id,
        rung: index(rungIds, e.rung, 'rung'),
        theatre: e.theatre === undefined ? -1 : index(theatreIds, e.theatre, 'theatre'),
        description: e.description,
        source: e.source ?? [],
      };
    }),
    rungs: s.ladder.rungs.map((r, i) => ({ index: i, id: r.id, name: r.name, weight: r.weight })),
    thresholds: (s.ladder.thresholds ?? []).map((t) => ({ id: t.id, name: t.name, rung: index(rungIds, t.at, 'rung') })),
    theatres: theatreIds.map((id) => ({ id, name: own(s.theatres, id)?.name ?? id })),
    variables: varIds.map((id, i) => {
      const v = own(s.variables, id) as { initial: number; min?: number; max?: number };
      return { index: i, id, initial: v.initial, min: v.min ?? -Infinity, max: v.max ?? Infinity };
    }),
    shocks,
    injects,
    rules,
    limits: { maxCascadeDepth: s.limits?.maxCascadeDepth ?? 64, maxEventsPerTurn: s.limits?.maxEventsPerTurn ?? 10_000 },
    outcomes,
  };
  return { ...model, invariants: resolveInvariants(model, s.invariants) };
}

/** A move's precondition with `once: true` added: `not happened { event, from: sender, data }` (and its own `when`, if any). */
function onceMore(
  when: Cond | undefined,
  once: { readonly event: number; readonly from: number; readonly data: Record<string, Scalar> | undefined } | undefined,
): Cond | undefined {
  if (once === undefined) return when;
  const notYet: Cond = {
    kind: 'not',
    of: { kind: 'happened', event: once.event, from: once.from, to: -1, data: Object.entries(once.data ?? {}), atLeast: 1, withinTurns: 0 },
  };
  return when === undefined ? notYet : { kind: 'all', of: [when, notYet] };
}
