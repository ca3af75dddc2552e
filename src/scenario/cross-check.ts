import { hasOwn, own } from './own.ts';
import { knownList, nearNames, type Problem } from './problem.ts';
import type { ActorListDef, ConditionDef, EffectDef, ExpressionDef, ModifierDef, PatternDef, Scenario, StateNodeDef } from './schema.ts';
import { LIMITS } from './schema.ts';
import { type Citation, type StateInfo, flattenStates, inheritedCitation, resolveTarget, transitionsOf, unreachableStates } from './state-tree.ts';

type Path = Array<string | number>;

interface Context {
  /** The actor that owns the rule, for `$self` and a state condition without `actor`. */
  readonly self?: string;
  /** True where a condition may read the event being handled (a transition's `when`). */
  readonly hasEvent: boolean;
  /** True in an emit's `to`/`against`, where `$sender` names the sender of the act being handled. */
  readonly emit?: boolean;
}

/**
 * Checks every reference in a schema-valid scenario: actors, states, events, rungs, theatres,
 * variables, data fields and claims. Also warns about unreachable states and, when the scenario
 * declares claims, about rules that cite neither a claim nor an assumption.
 */
export function crossCheck(s: Scenario): Problem[] {
  const problems: Problem[] = [];
  const error = (code: string, path: Path, message: string) =>
    problems.push({ code: `scenario/${code}`, severity: 'error', path, message });
  const warn = (code: string, path: Path, message: string) =>
    problems.push({ code: `scenario/${code}`, severity: 'warning', path, message });

  const actorIds = Object.keys(s.actors);
  const eventIds = Object.keys(s.events);
  const rungIds = s.ladder.rungs.map((r) => r.id);
  const theatreIds = Object.keys(s.theatres ?? {});
  const varIds = Object.keys(s.variables ?? {});
  const claimIds = Object.keys(s.claims ?? {});
  const sourceIds = Object.keys(s.sources ?? {});
  const statesOf = new Map<string, StateInfo[]>();
  const byPathOf = new Map<string, Map<string, StateInfo>>();
  for (const id of actorIds) {
    const states = flattenStates((s.actors[id] as { statechart: StateNodeDef }).statechart);
    statesOf.set(id, states);
    byPathOf.set(id, new Map(states.map((x) => [x.path, x])));
  }

  const checkUnique = (ids: string[], path: (i: number) => Path, what: string) => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) error(`duplicate_${what}`, path(i), `duplicate ${what} "${id}"`);
      seen.add(id);
    });
  };
  checkUnique(rungIds, (i) => ['ladder', 'rungs', i, 'id'], 'rung');
  const thresholds = s.ladder.thresholds ?? [];
  checkUnique(thresholds.map((t) => t.id), (i) => ['ladder', 'thresholds', i, 'id'], 'threshold');

  const rung = (id: string | undefined, path: Path) => {
    if (id !== undefined && !rungIds.includes(id)) error('unknown_rung', path, `unknown rung "${id}" (${knownList(rungIds, id)})`);
  };
  const theatre = (id: string | undefined, path: Path) => {
    if (id !== undefined && !theatreIds.includes(id))
      error('unknown_theatre', path, `unknown theatre "${id}" (${knownList(theatreIds, id)})`);
  };
  const event = (id: string, path: Path): boolean => {
    if (eventIds.includes(id)) return true;
    error('unknown_event', path, `unknown event type "${id}" (${knownList(eventIds, id)})`);
    return false;
  };
  const variable = (id: string, path: Path) => {
    if (!varIds.includes(id)) error('unknown_variable', path, `unknown variable "${id}" (${knownList(varIds, id)})`);
  };
  /** An expression's variables, nesting and size (LIMITS.expressionDepth, LIMITS.expressionNodes). */
  const expression = (e: ExpressionDef | undefined, path: Path) => {
    if (e === undefined || typeof e === 'number') return;
    let nodes = 0;
    let deep = false;
    const walk = (x: ExpressionDef, at: Path, depth: number): void => {
      nodes++;
      if (typeof x === 'number') return;
      if (depth > LIMITS.expressionDepth) {
        deep = true;
        return;
      }
      if (x.var !== undefined) variable(x.var, [...at, 'var']);
      for (const op of ['add', 'sub', 'mul', 'div', 'min', 'max', 'clamp'] as const) x[op]?.forEach((y, i) => walk(y, [...at, op, i], depth + 1));
    };
    walk(e, path, 1);
    if (deep) error('expression_too_deep', path, `expressions nest deeper than ${LIMITS.expressionDepth} levels`);
    else if (nodes > LIMITS.expressionNodes)
      error('expression_too_large', path, `expected an expression of at most ${LIMITS.expressionNodes} numbers, variables and operations; found ${nodes}`);
  };
  const compared = (c: Partial<Record<'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte', ExpressionDef | undefined>>, path: Path) => {
    for (const op of ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'] as const) expression(c[op], [...path, op]);
  };
  const actor = (id: string, path: Path, ctx: Context): string | undefined => {
    if (id === '$sender') {
      if (ctx.emit !== true)
        error('sender_outside_emit', path, '"$sender" (the sender of the act being handled) is only meaningful in an emit\'s "to" or "against": a move, shock or inject has no act it answers');
      return undefined;
    }
    if (id === '$self') {
      if (ctx.self === undefined) error('self_outside_actor', path, '"$self" is only meaningful inside an actor\'s statechart');
      return ctx.self;
    }
    if (actorIds.includes(id)) return id;
    error('unknown_actor', path, `unknown actor "${id}" (${knownList(actorIds, id)})`);
    return undefined;
  };
  const actors = (list: ActorListDef | undefined, path: Path, ctx: Context) => {
    if (list === undefined || list === 'all') return;
    list.forEach((a, i) => actor(a, [...path, i], ctx));
  };
  const claims = (ids: string[] | undefined, path: Path) => {
    ids?.forEach((id, i) => {
      if (!claimIds.includes(id)) error('unknown_claim', [...path, i], `unknown claim "${id}" (${knownList(claimIds, id)})`);
    });
  };
  const data = (eventId: string, d: Record<string, unknown> | undefined, path: Path) => {
    if (d === undefined || !eventIds.includes(eventId)) return;
    const fields = own(s.events, eventId)?.fields ?? {};
    for (const [k, v] of Object.entries(d)) {
      const allowed = own(fields, k);
      if (allowed === undefined)
        error('unknown_field', [...path, k], `event "${eventId}" has no data field "${k}" (${knownList(Object.keys(fields), k)})`);
      else if (!allowed.includes(v as string | number | boolean))
        error(
          'bad_field_value',
          [...path, k],
          `expected one of ${allowed.map((x) => JSON.stringify(x)).join(', ')} for "${eventId}.${k}"; found ${JSON.stringify(v)}`,
        );
    }
  };
  const statePath = (actorId: string | undefined, p: string, path: Path) => {
    if (actorId === undefined) return;
    const byPath = byPathOf.get(actorId);
    if (byPath !== undefined && !byPath.has(p))
      error(
        'unknown_state',
        path,
        `unknown state "${p}" of ${actorId} (${knownList([...byPath.keys()].filter((x) => x !== ''), p)})`,
      );
  };

  const condition = (c: ConditionDef, path: Path, ctx: Context, depth = 0): void => {
    if (depth > LIMITS.conditionDepth) {
      error('condition_too_deep', path, `conditions nest deeper than ${LIMITS.conditionDepth} levels`);
      return;
    }
    if (c.all) c.all.forEach((x, i) => condition(x, [...path, 'all', i], ctx, depth + 1));
    if (c.any) c.any.forEach((x, i) => condition(x, [...path, 'any', i], ctx, depth + 1));
    if (c.not) condition(c.not, [...path, 'not'], ctx, depth + 1);
    if (c.state) {
      const who = c.state.actor === undefined ? ctx.self : actor(c.state.actor, [...path, 'state', 'actor'], ctx);
      if (c.state.actor === undefined && ctx.self === undefined)
        error('missing_actor', [...path, 'state'], 'expected "actor": outside a statechart a state condition must name its actor');
      statePath(who, c.state.in, [...path, 'state', 'in']);
    }
    if (c.var) {
      variable(c.var.name, [...path, 'var', 'name']);
      compared(c.var, [...path, 'var']);
    }
    if (c.turn) compared(c.turn, [...path, 'turn']);
    if (c.event) {
      if (!ctx.hasEvent)
        error('event_condition_out_of_place', [...path, 'event'], 'an event condition can only be used in a transition\'s "when"');
      const f = c.event.field;
      const values = [c.event.eq, c.event.ne, ...(c.event.in ?? [])];
      const strings = values.filter((v): v is string => typeof v === 'string');
      if (f === 'from' || f === 'to' || f === 'against') {
        for (const v of strings) actor(v, [...path, 'event'], ctx);
        if (c.event.includes !== undefined) actor(c.event.includes, [...path, 'event', 'includes'], ctx);
      } else if (f === 'type') {
        for (const v of strings) event(v, [...path, 'event']);
      } else if (f === 'theatre') {
        for (const v of strings) theatre(v, [...path, 'event']);
      } else if (f === 'rung') {
        for (const v of strings) rung(v, [...path, 'event']);
      }
    }
    if (c.happened) {
      const h = c.happened;
      if (event(h.event, [...path, 'happened', 'event'])) data(h.event, h.data, [...path, 'happened', 'data']);
      if (h.from !== undefined) actor(h.from, [...path, 'happened', 'from'], ctx);
      if (h.to !== undefined) actor(h.to, [...path, 'happened', 'to'], ctx);
    }
    if (c.peak) {
      const p = c.peak;
      if (p.from !== undefined) actor(p.from, [...path, 'peak', 'from'], ctx);
      if (p.to !== undefined) actor(p.to, [...path, 'peak', 'to'], ctx);
      theatre(p.theatre, [...path, 'peak', 'theatre']);
      for (const op of ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'] as const) rung(p[op], [...path, 'peak', op]);
    }
  };
  const modifiers = (list: ModifierDef[] | undefined, path: Path, ctx: Context) => {
    list?.forEach((m, i) => {
      condition(m.when, [...path, i, 'when'], ctx);
      claims(m.source, [...path, i, 'source']);
      for (const k of ['add', 'multiply', 'set'] as const) expression(m[k], [...path, i, k]);
    });
  };
  const effects = (list: EffectDef[] | undefined, path: Path, ctx: Context) => {
    list?.forEach((e, i) => {
      if (e.emit) {
        const p = [...path, i, 'emit'];
        if (event(e.emit.event, [...p, 'event'])) data(e.emit.event, e.emit.data, [...p, 'data']);
        actors(e.emit.to, [...p, 'to'], { ...ctx, emit: true });
        actors(e.emit.against, [...p, 'against'], { ...ctx, emit: true });
        theatre(e.emit.theatre, [...p, 'theatre']);
        rung(e.emit.rung, [...p, 'rung']);
      }
      if (e.set) {
        variable(e.set.var, [...path, i, 'set', 'var']);
        expression(e.set.value, [...path, i, 'set', 'value']);
      }
      if (e.add) {
        variable(e.add.var, [...path, i, 'add', 'var']);
        expression(e.add.value, [...path, i, 'add', 'value']);
      }
    });
  };
  const hasClaims = claimIds.length > 0;
  const example = claimExample(claimIds);
  /** `inherited`: what an enclosing state or the actor cites, which the rule carries when it cites nothing itself. */
  const sourced = (def: Citation, path: Path, what: string, inherited?: Citation) => {
    claims(def.source, [...path, 'source']);
    if (hasClaims && def.source === undefined && def.assumption === undefined && inherited === undefined)
      warn('unsourced_rule', path, `${what} cites no claim: add "source: [${example}]" or "assumption: <reason>" (here or on an enclosing state or the actor)`);
  };

  // ladder, theatres, events, variables, claims
  thresholds.forEach((t, i) => rung(t.at, ['ladder', 'thresholds', i, 'at']));
  for (const [id, e] of Object.entries(s.events)) {
    rung(e.rung, ['events', id, 'rung']);
    theatre(e.theatre, ['events', id, 'theatre']);
    claims(e.source, ['events', id, 'source']);
  }
  for (const [id, v] of Object.entries(s.variables ?? {})) {
    if (v.min !== undefined && v.max !== undefined && v.min > v.max)
      error('bad_range', ['variables', id], `expected min ≤ max; found min ${v.min} > max ${v.max}`);
    if ((v.min !== undefined && v.initial < v.min) || (v.max !== undefined && v.initial > v.max))
      error('bad_range', ['variables', id, 'initial'], `expected initial within [${v.min ?? '-∞'}, ${v.max ?? '∞'}]; found ${v.initial}`);
    claims(v.source, ['variables', id, 'source']);
  }
  for (const [id, c] of Object.entries(s.claims ?? {})) {
    if (c.document !== undefined && !sourceIds.includes(c.document))
      error('unknown_source', ['claims', id, 'document'], `unknown source document "${c.document}" (${knownList(sourceIds, c.document)})`);
  }

  // actors
  for (const actorId of actorIds) {
    const a = s.actors[actorId] as Scenario['actors'][string];
    const base: Path = ['actors', actorId];
    claims(a.source, [...base, 'source']);
    const states = statesOf.get(actorId) as StateInfo[];
    const byPath = byPathOf.get(actorId) as Map<string, StateInfo>;
    const ctx: Context = { self: actorId, hasEvent: false };
    const eventCtx: Context = { self: actorId, hasEvent: true };
    for (const [objectiveId, o] of Object.entries(a.objectives ?? {})) {
      condition(o.when, [...base, 'objectives', objectiveId, 'when'], ctx);
      claims(o.source, [...base, 'objectives', objectiveId, 'source']);
    }
    if (states.length > LIMITS.statesPerActor)
      error('too_many_states', [...base, 'statechart'], `expected at most ${LIMITS.statesPerActor} states; found ${states.length}`);
    if (states.length === 1 && states[0]?.def.on === undefined)
      error('empty_statechart', [...base, 'statechart'], 'expected a statechart with "states" or "on" transitions; found neither');
    for (const st of states) {
      const sp: Path = [...base, 'statechart', ...st.path.split('.').filter((x) => x !== '').flatMap((x) => ['states', x])];
      if (st.depth > LIMITS.stateDepth) {
        error('too_deep', sp, `states nest deeper than ${LIMITS.stateDepth} levels`);
        continue;
      }
      const def = st.def;
      if (st.kind === 'compound') {
        if (def.initial === undefined)
          error('missing_initial', sp, `a compound state needs "initial" (one of ${Object.keys(def.states ?? {}).join(', ')})`);
        else if (!hasOwn(def.states, def.initial))
          error(
            'unknown_state',
            [...sp, 'initial'],
            `unknown initial state "${def.initial}" (${knownList(Object.keys(def.states ?? {}), def.initial)})`,
          );
      } else if (def.initial !== undefined) {
        error('misplaced_initial', [...sp, 'initial'], `"initial" needs child "states" in a non-parallel state; found ${st.kind === 'parallel' ? 'a parallel state' : 'none'}`);
      }
      if (def.type === 'parallel' && (def.states === undefined || Object.keys(def.states).length === 0))
        error('empty_parallel', sp, 'a parallel state needs child "states" (its regions)');
      const parentCitation = st.parent === undefined ? undefined : inheritedCitation(byPath, st.parent, a);
      const citation = inheritedCitation(byPath, st.path, a);
      if (st.path !== '') sourced(def, sp, `state "${st.path}"`, parentCitation);
      effects(def.entry as EffectDef[] | undefined, [...sp, 'entry'], ctx);
      for (const ev of Object.keys(def.on ?? {})) {
        const known = event(ev, [...sp, 'on', ev]);
        const list = transitionsOf(def, ev);
        const single = !Array.isArray(def.on?.[ev]);
        list.forEach((t, i) => {
          const tp: Path = single ? [...sp, 'on', ev] : [...sp, 'on', ev, i];
          if (t.target !== undefined && resolveTarget(byPath, st.path, t.target) === undefined) {
            const siblings = st.parent === undefined ? [] : (byPath.get(st.parent)?.children ?? []).map((c) => c.split('.').pop() as string);
            error(
              'unknown_state',
              [...tp, 'target'],
              `unknown state "${t.target}": ${didYouMean([...siblings, ...byPath.keys()].filter((x) => x !== ''), t.target)}expected a sibling (${siblings.join(', ') || 'none'}) or a path from ${actorId}'s root (${
                [...byPath.keys()].filter((x) => x !== '').slice(0, 20).join(', ')
              })`,
            );
          }
          if (t.when !== undefined) condition(t.when, [...tp, 'when'], eventCtx);
          effects(t.effects, [...tp, 'effects'], eventCtx);
          modifiers(t.modifiers, [...tp, 'modifiers'], eventCtx);
          if (t.modifiers !== undefined && t.probability === undefined)
            error('modifiers_without_probability', [...tp, 'modifiers'], 'a transition\'s "modifiers" change its chance: add "probability:" (0–1) beside them, or remove them');
          if (known) sourced(t, tp, `transition on ${ev}`, citation);
        });
      }
      for (const [moveId, m] of Object.entries(def.moves ?? {})) {
        const mp: Path = [...sp, 'moves', moveId];
        if (event(m.event, [...mp, 'event'])) {
          data(m.event, m.data, [...mp, 'data']);
          if (!canEverHandle(byPath, st, m.event))
            error(
              'impossible_move',
              [...mp, 'event'],
              `${actorId} can never make this move: no transition on ${m.event} in "${st.path || '(root)'}", its ancestors or its descendants (a move must be accepted by its sender's machine)`,
            );
        }
        actors(m.to, [...mp, 'to'], ctx);
        actors(m.against, [...mp, 'against'], ctx);
        theatre(m.theatre, [...mp, 'theatre']);
        rung(m.rung, [...mp, 'rung']);
        modifiers(m.modifiers, [...mp, 'modifiers'], ctx);
        expression(m.probability, [...mp, 'probability']);
        if (m.when !== undefined) condition(m.when, [...mp, 'when'], ctx);
        sourced(m, mp, `move "${moveId}"`, citation);
      }
    }
    for (const p of unreachableStates(states)) {
      warn(
        'unreachable_state',
        [...base, 'statechart', ...p.split('.').flatMap((x) => ['states', x])],
        `state "${p}" of ${actorId} can never be entered: it is not initial and no transition targets it`,
      );
    }
  }

  // shocks and script
  const noActor: Context = { hasEvent: false };
  for (const [id, sh] of Object.entries(s.shocks ?? {})) {
    const p: Path = ['shocks', id];
    if (event(sh.event, [...p, 'event'])) data(sh.event, sh.data, [...p, 'data']);
    actor(sh.from, [...p, 'from'], noActor);
    actors(sh.to, [...p, 'to'], noActor);
    actors(sh.against, [...p, 'against'], noActor);
    theatre(sh.theatre, [...p, 'theatre']);
    rung(sh.rung, [...p, 'rung']);
    modifiers(sh.modifiers, [...p, 'modifiers'], noActor);
    expression(sh.probability, [...p, 'probability']);
    if (sh.when !== undefined) condition(sh.when, [...p, 'when'], noActor);
    sourced(sh, p, `shock "${id}"`);
  }
  for (const [id, inj] of Object.entries(s.script ?? {})) {
    const p: Path = ['script', id];
    if (event(inj.event, [...p, 'event'])) data(inj.event, inj.data, [...p, 'data']);
    actor(inj.from, [...p, 'from'], noActor);
    actors(inj.to, [...p, 'to'], noActor);
    actors(inj.against, [...p, 'against'], noActor);
    theatre(inj.theatre, [...p, 'theatre']);
    rung(inj.rung, [...p, 'rung']);
    if (inj.when !== undefined) condition(inj.when, [...p, 'when'], noActor);
    if (inj.after !== undefined) {
      event(inj.after.event, [...p, 'after', 'event']);
      if (inj.after.from !== undefined) actor(inj.after.from, [...p, 'after', 'from'], noActor);
      if (inj.after.to !== undefined) actor(inj.after.to, [...p, 'after', 'to'], noActor);
      if (inj.after.turns >= s.time.turns)
        error('turn_out_of_range', [...p, 'after', 'turns'], `expected fewer turns than the run has (${s.time.turns}, time.turns): after ${inj.after.turns} the inject could never happen; found ${inj.after.turns}`);
    }
    if (inj.turn !== undefined && inj.turn > s.time.turns)
      error('turn_out_of_range', [...p, 'turn'], `expected a turn from 1 to ${s.time.turns} (time.turns); found ${inj.turn}`);
    claims(inj.source, [...p, 'source']);
  }

  // invariants
  const pattern = (def: PatternDef, path: Path) => {
    if (typeof def === 'string') {
      event(def, path);
      return;
    }
    const pt = def;
    if (pt.event !== undefined) {
      const types = typeof pt.event === 'string' ? [pt.event] : pt.event;
      types.forEach((t, i) => {
        if (event(t, typeof pt.event === 'string' ? [...path, 'event'] : [...path, 'event', i])) data(t, pt.data, [...path, 'data']);
      });
      for (const k of ['from', 'to', 'against'] as const) {
        const who = pt[k];
        if (who !== undefined) actor(who, [...path, k], noActor);
      }
      theatre(pt.theatre, [...path, 'theatre']);
    }
    if (pt.state !== undefined) statePath(actor(pt.state.actor, [...path, 'state', 'actor'], noActor), pt.state.in, [...path, 'state', 'in']);
  };
  for (const [id, inv] of Object.entries(s.invariants ?? {})) {
    const p: Path = ['invariants', id];
    if (inv.never !== undefined) pattern(inv.never, [...p, 'never']);
    if (inv.precedes !== undefined) {
      pattern(inv.precedes.first, [...p, 'precedes', 'first']);
      pattern(inv.precedes.then, [...p, 'precedes', 'then']);
    }
    if (inv.always !== undefined) condition(inv.always, [...p, 'always'], noActor);
    claims(inv.source, [...p, 'source']);
  }

  // outcomes
  for (const [id, o] of Object.entries(s.outcomes ?? {})) {
    const p: Path = ['outcomes', id];
    condition(o.when, [...p, 'when'], noActor);
    if (o.by !== undefined && o.by > s.time.turns)
      error('turn_out_of_range', [...p, 'by'], `expected a turn from 1 to ${s.time.turns} (time.turns); found ${o.by}`);
    claims(o.source, [...p, 'source']);
  }
  return problems;
}

/** True when the state, an ancestor or a descendant has a transition on `event`. */
function canEverHandle(byPath: ReadonlyMap<string, StateInfo>, st: StateInfo, event: string): boolean {
  // At most one step per state, as in inheritedCitation: a parent chain built from hostile names can loop.
  let steps = 0;
  for (let p: string | undefined = st.path; p !== undefined && steps <= byPath.size; p = byPath.get(p)?.parent, steps++) {
    const info = byPath.get(p);
    if (info !== undefined && transitionsOf(info.def, event).length > 0) return true;
  }
  const prefix = st.path === '' ? '' : `${st.path}.`;
  for (const [path, info] of byPath) {
    if (path.startsWith(prefix) && path !== st.path && transitionsOf(info.def, event).length > 0) return true;
  }
  return false;
}

/** `did you mean "x"? ` when a name is near `found`, else nothing. */
function didYouMean(names: readonly string[], found: string): string {
  const near = nearNames([...new Set(names)], found);
  return near.length === 0 ? '' : `did you mean ${near.slice(0, 3).map((x) => `"${x}"`).join(' or ')}? `;
}

/** `C…` when the claims share a prefix before their numbers (C1, C2…), else the first claim's id and `…`. */
function claimExample(ids: readonly string[]): string {
  const first = ids[0];
  if (first === undefined) return 'C…';
  const prefix = /^(.*?)\d+$/.exec(first)?.[1];
  if (prefix !== undefined && prefix !== '' && ids.every((id) => id.startsWith(prefix))) return `${prefix}…`;
  return `${first}, …`;
}
