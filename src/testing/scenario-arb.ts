import * as fc from 'fast-check';
import type { ActorListDef, ConditionDef, EffectDef, InvariantDef, PatternDef, Scenario, StateNodeDef } from '../scenario/schema.ts';
import { type ConditionBlueprint, type ConditionScope, conditionBlueprint, pickData, toCondition } from './condition-arb.ts';

export interface ScenarioArbOptions {
  /** Most actors (at least 1). Default 3. */
  readonly maxActors?: number;
  /** Most event types (at least 2). Default 5. */
  readonly maxEvents?: number;
  /** Deepest nesting of states below an actor's root. Default 3. */
  readonly maxStateDepth?: number;
  /** Deepest nesting of `all`, `any` and `not` in a condition. Default 2. */
  readonly maxConditionDepth?: number;
  /** Most turns. Default 8. */
  readonly maxTurns?: number;
  /** Whether to declare invariants. Default true. */
  readonly invariants?: boolean;
}

interface Shape {
  readonly kind: 'atomic' | 'compound' | 'parallel';
  readonly children: readonly Shape[];
  readonly initial: number;
}

type Recipients = { readonly kind: 'omit' } | { readonly kind: 'all' } | { readonly kind: 'list'; readonly picks: readonly number[]; readonly self: boolean };

interface EffectBlueprint {
  readonly kind: 'emit' | 'set' | 'add';
  readonly event: number;
  readonly to: Recipients;
  readonly against: Recipients;
  readonly data: number | undefined;
  readonly theatre: number | undefined;
  readonly variable: number;
  readonly value: number;
}

interface ModifierBlueprint {
  readonly when: ConditionBlueprint;
  readonly kind: 'add' | 'multiply' | 'set';
  readonly value: number;
}

const pick = fc.nat({ max: 1000 });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

function at<T>(list: readonly T[], n: number): T {
  return list[n % list.length] as T;
}

function shapeArb(maxDepth: number): fc.Arbitrary<Shape> {
  const node = fc.letrec<{ node: Shape }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', maxDepth },
      { weight: 3, arbitrary: fc.constant<Shape>({ kind: 'atomic', children: [], initial: 0 }) },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constantFrom('compound' as const, 'parallel' as const),
          children: fc.array(tie('node'), { minLength: 1, maxLength: 3 }),
          initial: fc.nat({ max: 2 }),
        }),
      },
    ),
  })).node;
  return fc.record({
    kind: fc.constantFrom('compound' as const, 'parallel' as const, 'atomic' as const),
    children: fc.array(node, { minLength: 1, maxLength: 3 }),
    initial: fc.nat({ max: 2 }),
  });
}

const recipients: fc.Arbitrary<Recipients> = fc.oneof(
  fc.constant<Recipients>({ kind: 'omit' }),
  fc.constant<Recipients>({ kind: 'all' }),
  fc.record({ kind: fc.constant('list' as const), picks: fc.array(pick, { maxLength: 3 }), self: fc.boolean() }),
);

const effectArb: fc.Arbitrary<EffectBlueprint> = fc.record({
  kind: fc.constantFrom('emit' as const, 'set' as const, 'add' as const),
  event: pick,
  to: recipients,
  against: fc.oneof(fc.constant<Recipients>({ kind: 'omit' }), recipients),
  data: maybe(pick),
  theatre: maybe(pick),
  variable: pick,
  value: fc.integer({ min: -3, max: 3 }),
});

function modifierArb(cond: fc.Arbitrary<ConditionBlueprint>): fc.Arbitrary<ModifierBlueprint> {
  return fc.record({ when: cond, kind: fc.constantFrom('add' as const, 'multiply' as const, 'set' as const), value: fc.integer({ min: -50, max: 100 }) });
}

function blueprintArb(o: Required<ScenarioArbOptions>) {
  const cond = conditionBlueprint(o.maxConditionDepth);
  const actor = fc.record({
    shape: shapeArb(o.maxStateDepth),
    transitions: fc.array(
      fc.record({ state: pick, event: pick, target: maybe(pick), when: maybe(cond), effects: fc.array(effectArb, { maxLength: 2 }) }),
      { maxLength: 10 },
    ),
    entries: fc.array(fc.record({ state: pick, effects: fc.array(effectArb, { minLength: 1, maxLength: 2 }) }), { maxLength: 2 }),
    moves: fc.array(
      fc.record({
        state: pick,
        event: pick,
        to: recipients,
        probability: fc.integer({ min: 0, max: 100 }),
        modifiers: fc.array(modifierArb(cond), { maxLength: 2 }),
        when: maybe(cond),
        data: maybe(pick),
        theatre: maybe(pick),
      }),
      { maxLength: 4 },
    ),
  });
  const pattern = fc.record({ state: fc.boolean(), events: fc.array(pick, { minLength: 1, maxLength: 2 }), from: maybe(pick), against: maybe(pick), data: maybe(pick), actor: pick, at: pick });
  const invariant = fc.record({ kind: fc.constantFrom('never' as const, 'precedes' as const, 'always' as const), a: pattern, b: pattern, when: cond });
  return fc.record({
    turns: fc.integer({ min: 1, max: o.maxTurns }),
    rungs: fc.integer({ min: 2, max: 6 }),
    thresholds: fc.uniqueArray(fc.nat({ max: 5 }), { maxLength: 2 }),
    theatres: fc.integer({ min: 0, max: 2 }),
    variables: fc.array(fc.record({ initial: fc.integer({ min: -3, max: 3 }), below: maybe(fc.nat({ max: 3 })), above: maybe(fc.nat({ max: 3 })) }), { maxLength: 2 }),
    events: fc.array(fc.record({ rung: pick, theatre: maybe(pick), fields: fc.nat({ max: 2 }) }), { minLength: 2, maxLength: Math.max(2, o.maxEvents) }),
    actors: fc.array(actor, { minLength: 1, maxLength: Math.max(1, o.maxActors) }),
    shocks: fc.array(
      fc.record({ event: pick, from: pick, to: recipients, probability: fc.integer({ min: 0, max: 40 }), modifiers: fc.array(modifierArb(cond), { maxLength: 2 }), when: maybe(cond), data: maybe(pick) }),
      { maxLength: 2 },
    ),
    injects: fc.array(fc.record({ turn: pick, event: pick, from: pick, to: recipients, when: maybe(cond), data: maybe(pick) }), { maxLength: 3 }),
    invariants: fc.array(invariant, { maxLength: o.invariants ? 3 : 0 }),
  });
}

type Blueprint = ReturnType<typeof blueprintArb> extends fc.Arbitrary<infer T> ? T : never;

interface StateSlot {
  readonly path: string;
  readonly parent: string | undefined;
  readonly node: StateNodeDef;
  readonly initiallyActive: boolean;
}

/** Builds a statechart from a shape, naming states s1, s2, … in document order (unique per actor). */
function buildChart(shape: Shape): { root: StateNodeDef; slots: StateSlot[] } {
  const slots: StateSlot[] = [];
  let n = 0;
  const build = (s: Shape, path: string, parent: string | undefined, active: boolean): StateNodeDef => {
    const node: StateNodeDef = {};
    slots.push({ path, parent, node, initiallyActive: active });
    if (s.kind === 'atomic' || s.children.length === 0) return node;
    const names = s.children.map(() => `s${++n}`);
    const initial = s.initial % names.length;
    if (s.kind === 'parallel') node.type = 'parallel';
    else node.initial = names[initial];
    node.states = {};
    s.children.forEach((c, i) => {
      const name = names[i] as string;
      const childActive = active && (s.kind === 'parallel' || i === initial);
      (node.states as Record<string, StateNodeDef>)[name] = build(c, path === '' ? name : `${path}.${name}`, path, childActive);
    });
    return node;
  };
  const root = build(shape.kind === 'atomic' ? { ...shape, children: [] } : shape, '', undefined, true);
  return { root, slots };
}

function isAncestorOrSelf(a: string, b: string): boolean {
  return a === '' || a === b || b.startsWith(`${a}.`);
}

/** Builds the scenario a blueprint describes. Emits are tiered so that cascades always end. */
function toScenario(b: Blueprint): Scenario {
  const rungs = Array.from({ length: b.rungs }, (_, i) => `L${i}`);
  const theatres = Array.from({ length: b.theatres }, (_, i) => ['north', 'south'][i] as string);
  const variables = b.variables.map((_, i) => `v${i}`);
  const FIELD_SETS: ReadonlyArray<Record<string, Array<string | number | boolean>>> = [{}, { level: [1, 2, 3] }, { kind: ['a', 'b'], flag: [true, false] }];
  const eventIds = b.events.map((_, i) => `E${i}`);
  const fields: Record<string, Record<string, Array<string | number | boolean>>> = {};
  b.events.forEach((e, i) => {
    if (e.fields > 0) fields[eventIds[i] as string] = FIELD_SETS[e.fields] as Record<string, Array<string | number | boolean>>;
  });
  const actorIds = b.actors.map((_, i) => String.fromCharCode(65 + i));
  const charts = b.actors.map((a) => buildChart(a.shape));
  const states: Record<string, string[]> = {};
  actorIds.forEach((id, i) => {
    states[id] = (charts[i] as { slots: StateSlot[] }).slots.map((s) => s.path).filter((p) => p !== '');
  });
  const base = { actors: actorIds, states, events: eventIds, fields, rungs, theatres, variables };
  const scope = (self: string | undefined, hasEvent: boolean, allowVar = true): ConditionScope => ({
    ...base,
    ...(self !== undefined ? { self } : {}),
    hasEvent,
    allowVar,
  });
  const signal = eventIds.length - 1;

  const toList = (r: Recipients, self: string | undefined): ActorListDef | undefined => {
    if (r.kind === 'omit') return undefined;
    if (r.kind === 'all') return 'all';
    const list = [...new Set(r.picks.map((p) => at(actorIds, p)))];
    return r.self && self !== undefined ? [...list, '$self'] : list;
  };
  const effect = (e: EffectBlueprint, self: string, emittable: readonly number[]): EffectDef | undefined => {
    const kind = e.kind === 'emit' && emittable.length === 0 ? (variables.length > 0 ? 'add' : undefined) : e.kind !== 'emit' && variables.length === 0 ? (emittable.length > 0 ? 'emit' : undefined) : e.kind;
    if (kind === undefined) return undefined;
    if (kind !== 'emit') return { [kind]: { var: at(variables, e.variable), value: e.value } } as EffectDef;
    const event = eventIds[at(emittable, e.event)] as string;
    const to = toList(e.to, self);
    const against = toList(e.against, self);
    const data = pickData(base, event, e.data);
    return {
      emit: {
        event,
        ...(to !== undefined ? { to } : {}),
        ...(against !== undefined ? { against } : {}),
        ...(data !== undefined ? { data } : {}),
        ...(e.theatre !== undefined && theatres.length > 0 ? { theatre: at(theatres, e.theatre) } : {}),
      },
    };
  };
  const modifiers = (list: readonly ModifierBlueprint[], s: ConditionScope) =>
    list.map((m) => {
      const when = toCondition(m.when, s);
      if (m.kind === 'add') return { when, add: Math.max(-100, Math.min(100, m.value)) / 100 };
      if (m.kind === 'multiply') return { when, multiply: Math.abs(m.value) / 20 };
      return { when, set: Math.abs(m.value) / 100 };
    });

  const actors: Scenario['actors'] = {};
  b.actors.forEach((a, ai) => {
    const id = actorIds[ai] as string;
    const { root, slots } = charts[ai] as { root: StateNodeDef; slots: StateSlot[] };
    const targets = slots.filter((s) => s.path !== '');
    // Transitions: handling E_i may emit only E_j with j > i, and the last event type (the signal)
    // neither changes state nor emits, so every cascade ends.
    for (const t of a.transitions) {
      const slot = at(slots, t.state);
      const ev = t.event % eventIds.length;
      const emittable = ev === signal ? [] : eventIds.map((_, j) => j).filter((j) => j > ev);
      const target = ev === signal || t.target === undefined || targets.length === 0 ? undefined : at(targets, t.target);
      const effects = t.effects.map((e) => effect(e, id, emittable)).filter((e): e is EffectDef => e !== undefined);
      const transition = {
        ...(target !== undefined ? { target: target.parent === slot.parent ? (target.path.split('.').pop() as string) : target.path } : {}),
        ...(t.when !== undefined ? { when: toCondition(t.when, scope(id, true)) } : {}),
        ...(effects.length > 0 ? { effects } : {}),
      };
      const on = (slot.node.on ??= {});
      const name = eventIds[ev] as string;
      const existing = on[name];
      on[name] = existing === undefined ? transition : [...(Array.isArray(existing) ? existing : [existing]), transition];
    }
    // Entry effects emit only the signal, whose handling enters no state.
    for (const e of a.entries) {
      if (targets.length === 0) break;
      const slot = at(targets, e.state);
      const effects = e.effects.map((x) => effect(x, id, [signal])).filter((x): x is EffectDef => x !== undefined);
      if (effects.length > 0) slot.node.entry = [...(slot.node.entry ?? []), ...effects];
    }
    if (slots.length === 1 && root.on === undefined) root.on = { [eventIds[signal] as string]: {} };
    // Moves: only events the state, an ancestor or a descendant handles (a move must be acceptable).
    a.moves.forEach((m, mi) => {
      const slot = at(slots, m.state);
      const handled = new Set<string>();
      for (const s of slots) if (isAncestorOrSelf(s.path, slot.path) || isAncestorOrSelf(slot.path, s.path)) for (const ev of Object.keys(s.node.on ?? {})) handled.add(ev);
      const options = eventIds.filter((e) => handled.has(e));
      if (options.length === 0) return;
      const event = at(options, m.event);
      const to = toList(m.to, undefined);
      const data = pickData(base, event, m.data);
      const mods = modifiers(m.modifiers, scope(id, false));
      slot.node.moves = {
        ...slot.node.moves,
        [`m${mi + 1}`]: {
          event,
          ...(to !== undefined ? { to } : {}),
          ...(data !== undefined ? { data } : {}),
          ...(m.theatre !== undefined && theatres.length > 0 ? { theatre: at(theatres, m.theatre) } : {}),
          probability: m.probability / 100,
          ...(mods.length > 0 ? { modifiers: mods } : {}),
          ...(m.when !== undefined ? { when: toCondition(m.when, scope(id, false)) } : {}),
        },
      };
    });
    actors[id] = { name: `Actor ${id}`, statechart: root };
  });

  const outside = scope(undefined, false);
  const shocks: NonNullable<Scenario['shocks']> = {};
  b.shocks.forEach((s, i) => {
    const event = at(eventIds, s.event);
    const to = toList(s.to, undefined);
    const data = pickData(base, event, s.data);
    const mods = modifiers(s.modifiers, outside);
    shocks[`shock${i + 1}`] = {
      event,
      from: at(actorIds, s.from),
      ...(to !== undefined ? { to } : {}),
      ...(data !== undefined ? { data } : {}),
      probability: s.probability / 100,
      ...(mods.length > 0 ? { modifiers: mods } : {}),
      ...(s.when !== undefined ? { when: toCondition(s.when, outside) } : {}),
    };
  });
  const script: NonNullable<Scenario['script']> = {};
  b.injects.forEach((inj, i) => {
    const event = at(eventIds, inj.event);
    const to = toList(inj.to, undefined);
    const data = pickData(base, event, inj.data);
    script[`inject${i + 1}`] = {
      turn: 1 + (inj.turn % b.turns),
      event,
      from: at(actorIds, inj.from),
      ...(to !== undefined ? { to } : {}),
      ...(data !== undefined ? { data } : {}),
      ...(inj.when !== undefined ? { when: toCondition(inj.when, outside) } : {}),
    };
  });
  const withStates = actorIds.filter((x) => (states[x] ?? []).length > 0);
  const pattern = (p: Blueprint['invariants'][number]['a']): PatternDef => {
    if (p.state && withStates.length > 0) {
      const actor = at(withStates, p.actor);
      return { state: { actor, in: at(states[actor] as string[], p.at) } };
    }
    const events = [...new Set(p.events.map((e) => at(eventIds, e)))];
    const data = events.length === 1 ? pickData(base, events[0] as string, p.data) : undefined;
    if (events.length === 1 && p.from === undefined && p.against === undefined && data === undefined) return events[0] as string;
    return {
      event: events.length === 1 ? (events[0] as string) : events,
      ...(p.from !== undefined ? { from: at(actorIds, p.from) } : {}),
      ...(p.against !== undefined ? { against: at(actorIds, p.against) } : {}),
      ...(data !== undefined ? { data } : {}),
    };
  };
  const invariants: Record<string, InvariantDef> = {};
  b.invariants.forEach((inv, i) => {
    invariants[`inv${i + 1}`] =
      inv.kind === 'never'
        ? { never: pattern(inv.a) }
        : inv.kind === 'precedes'
          ? { precedes: { first: pattern(inv.a), then: pattern(inv.b) } }
          : { always: toCondition(inv.when, scope(undefined, false, false)) as ConditionDef };
  });

  const thresholds = [...new Set(b.thresholds.map((t) => at(rungs, t)))].map((at, i) => ({ id: `X${i + 1}`, name: `threshold ${i + 1}`, at }));
  return {
    version: 1,
    metadata: { id: 'random', title: 'A random scenario' },
    time: { turns: b.turns, unit: 'turn' },
    ladder: { rungs: rungs.map((id, i) => ({ id, name: `Rung ${i}` })), ...(thresholds.length > 0 ? { thresholds } : {}) },
    ...(theatres.length > 0 ? { theatres: Object.fromEntries(theatres.map((t) => [t, { name: `The ${t}` }])) } : {}),
    ...(variables.length > 0
      ? {
          variables: Object.fromEntries(
            b.variables.map((v, i) => [
              variables[i] as string,
              { initial: v.initial, ...(v.below !== undefined ? { min: v.initial - v.below } : {}), ...(v.above !== undefined ? { max: v.initial + v.above } : {}) },
            ]),
          ),
        }
      : {}),
    events: Object.fromEntries(
      b.events.map((e, i) => [
        eventIds[i] as string,
        {
          rung: at(rungs, e.rung),
          description: `Event ${i}`,
          ...(e.theatre !== undefined && theatres.length > 0 ? { theatre: at(theatres, e.theatre) } : {}),
          ...(fields[eventIds[i] as string] !== undefined ? { fields: fields[eventIds[i] as string] } : {}),
        },
      ]),
    ),
    actors,
    ...(b.shocks.length > 0 ? { shocks } : {}),
    ...(b.injects.length > 0 ? { script } : {}),
    ...(b.invariants.length > 0 ? { invariants } : {}),
  };
}

/**
 * Whole random scenarios that pass every loader check: actors with nested and parallel statecharts,
 * guarded transitions (lists of them, with conditions of every kind), entry effects, set/add/emit
 * effects, moves with modifiers, data fields, theatres, thresholds, variables, shocks, injects and
 * invariants. Emits are tiered by event type, so no cascade cycles; a run may still stop with
 * `engine/too_many_events` when reactions fan out widely. Shrinks toward fewer and simpler parts.
 */
export function scenarioArb(options: ScenarioArbOptions = {}): fc.Arbitrary<Scenario> {
  const o: Required<ScenarioArbOptions> = {
    maxActors: options.maxActors ?? 3,
    maxEvents: options.maxEvents ?? 5,
    maxStateDepth: options.maxStateDepth ?? 3,
    maxConditionDepth: options.maxConditionDepth ?? 2,
    maxTurns: options.maxTurns ?? 8,
    invariants: options.invariants ?? true,
  };
  return blueprintArb(o).map(toScenario);
}
