/**
 * Random scenarios that stress statechart semantics — nesting, parallel regions, targets across
 * regions and levels, self-transitions, entry effects, guards of every kind, chance reactions, cascades, outcomes — for holding the
 * compiled kernel to the XState reference.
 */
import { fc } from '@fast-check/vitest';
import type { ConditionDef, EffectDef, ExpressionDef, Scenario, StateNodeDef } from '../../src/scenario/schema.ts';

const EVENTS = ['E0', 'E1', 'E2', 'E3'] as const;
const RUNGS = ['L0', 'L1', 'L2', 'L3'] as const;

interface Shape {
  kind: 'atomic' | 'compound' | 'parallel';
  children: Shape[];
}

const shape: fc.Memo<Shape> = fc.memo((depth) =>
  depth <= 1
    ? fc.constant<Shape>({ kind: 'atomic', children: [] })
    : fc.oneof(
        { weight: 3, arbitrary: fc.constant<Shape>({ kind: 'atomic', children: [] }) },
        { weight: 2, arbitrary: fc.array(shape(depth - 1), { minLength: 2, maxLength: 3 }).map((children): Shape => ({ kind: 'compound', children })) },
        { weight: 1, arbitrary: fc.array(shape(depth - 1), { minLength: 2, maxLength: 2 }).map((children): Shape => ({ kind: 'parallel', children })) },
      ),
);

/** Names states s1, s2, … in document order and returns their paths (root excluded). */
function name(root: Shape): { paths: string[]; tree: Array<{ path: string; shape: Shape }> } {
  const tree: Array<{ path: string; shape: Shape }> = [];
  let n = 0;
  const walk = (s: Shape, path: string) => {
    tree.push({ path, shape: s });
    for (const c of s.children) walk(c, path === '' ? `s${++n}` : `${path}.s${++n}`);
  };
  walk(root, '');
  return { paths: tree.map((t) => t.path).filter((p) => p !== ''), tree };
}

interface Choices {
  readonly pick: (n: number) => number;
  readonly chance: (p: number) => boolean;
}

function condition(c: Choices, actors: ReadonlyArray<{ id: string; paths: string[] }>, inTransition: boolean, depth = 0): ConditionDef {
  const kinds = inTransition ? 9 : 8;
  switch (c.pick(depth > 1 ? kinds - 3 : kinds)) {
    case 0: {
      const withStates = actors.filter((x) => x.paths.length > 0);
      if (withStates.length === 0) return { turn: { lte: 2 } };
      const a = withStates[c.pick(withStates.length)] as { id: string; paths: string[] };
      const inState = a.paths[c.pick(a.paths.length)] as string;
      // How long in the state (issue 12, item 5): small counts, so that both answers happen.
      if (c.chance(0.4)) return { state: { actor: a.id, in: inState, forTurns: { [['eq', 'gte', 'lt', 'gt'][c.pick(4)] as string]: c.pick(4) } } };
      return { state: { actor: a.id, in: inState } };
    }
    case 1:
      if (c.chance(0.5)) {
        // Between variables, or against an expression (issue 12, item 4).
        const op = (['eq', 'ne', 'gt', 'gte', 'lt', 'lte'] as const)[c.pick(6)] as string;
        return c.chance(0.5) ? { var: { name: c.chance(0.5) ? 'x' : 'y', [op]: c.chance(0.5) ? { var: c.chance(0.5) ? 'x' : 'y' } : expression(c) } } : { turn: { [op]: expression(c) } };
      }
      return { var: { name: 'x', gte: c.pick(4) } };
    case 2:
      return { happened: { event: EVENTS[c.pick(EVENTS.length)] as string, ...(c.chance(0.5) ? { withinTurns: 1 + c.pick(3) } : {}), ...(c.chance(0.3) ? { atLeast: 2 } : {}) } };
    case 3:
      return { peak: { ...(c.chance(0.5) ? { from: (actors[c.pick(actors.length)] as { id: string }).id } : {}), gte: RUNGS[c.pick(RUNGS.length)] as string } };
    case 4:
      return { turn: { gte: 1 + c.pick(4) } };
    case 5:
      return { all: [condition(c, actors, inTransition, depth + 1), condition(c, actors, inTransition, depth + 1)] };
    case 6:
      return { any: [condition(c, actors, inTransition, depth + 1), condition(c, actors, inTransition, depth + 1)] };
    case 7:
      return { not: condition(c, actors, inTransition, depth + 1) };
    default:
      switch (c.pick(8)) {
        case 0:
        case 1:
          return { event: { field: 'from', [c.chance(0.5) ? 'eq' : 'ne']: '$self' } };
        case 2:
          return { event: { field: 'type', [c.chance(0.5) ? 'eq' : 'ne']: EVENTS[c.pick(EVENTS.length)] as string } };
        case 3:
          return { event: { field: 'rung', [c.chance(0.5) ? 'eq' : 'ne']: RUNGS[c.pick(RUNGS.length)] as string } };
        case 4:
          return { event: { field: 'theatre', [c.chance(0.5) ? 'eq' : 'ne']: 't' } };
        case 5:
          return { event: { field: c.chance(0.5) ? 'to' : 'against', [c.chance(0.5) ? 'includes' : 'ne']: '$self' } };
        case 6:
          return { event: { field: 'origin', in: c.chance(0.5) ? ['move', 'shock'] : ['reaction'] } };
        default:
          return { event: { field: 'data.k', eq: c.pick(2) } };
      }
  }
}

/** A random expression over x, y and the turn (issue 12, item 4): every operator, small depth. */
function expression(c: Choices, depth = 0): ExpressionDef {
  switch (c.pick(depth > 1 ? 3 : 11)) {
    case 0:
      return [0, 0.5, 1, 2][c.pick(4)] as number;
    case 1:
      return { var: c.chance(0.5) ? 'x' : 'y' };
    case 2:
      return { turn: {} };
    case 3:
      return { add: [expression(c, depth + 1), expression(c, depth + 1)] };
    case 4:
      return { sub: [expression(c, depth + 1), expression(c, depth + 1)] };
    case 5:
      return { mul: [expression(c, depth + 1), expression(c, depth + 1)] };
    case 6:
      return { div: [expression(c, depth + 1), expression(c, depth + 1)] };
    case 7:
      return { min: [expression(c, depth + 1), expression(c, depth + 1)] };
    case 8:
      return { max: [expression(c, depth + 1), expression(c, depth + 1)] };
    case 9:
      return { clamp: [expression(c, depth + 1), expression(c, depth + 1), expression(c, depth + 1)] };
    default:
      return { sub: [{ var: 'x' }, { var: 'y' }] };
  }
}

/** A probability from an expression: scaled so that it is sometimes below 0, inside [0, 1] and past 1. */
function chance(c: Choices): ExpressionDef {
  return { sub: [{ mul: [0.3, expression(c)] }, 0.2] };
}

function effects(c: Choices, actors: ReadonlyArray<{ id: string }>): EffectDef[] {
  const out: EffectDef[] = [];
  const n = c.pick(3);
  for (let i = 0; i < n; i++) {
    switch (c.pick(5)) {
      case 0:
        out.push({ add: { var: 'x', value: 1 } });
        break;
      case 1:
        out.push({ set: { var: 'x', value: c.pick(4) } });
        break;
      case 2:
        out.push({ [c.chance(0.5) ? 'set' : 'add']: { var: c.chance(0.5) ? 'x' : 'y', value: expression(c) } } as EffectDef);
        break;
      default:
        out.push({
          emit: {
            event: EVENTS[c.pick(EVENTS.length)] as string,
            to: c.chance(0.2) ? 'all' : c.chance(0.25) ? ['$sender'] : [(actors[c.pick(actors.length)] as { id: string }).id],
            ...(c.chance(0.15) ? { against: ['$sender', (actors[c.pick(actors.length)] as { id: string }).id] } : {}),
            data: { k: c.pick(2) },
            // Delivered turns later (issue 12, item 5).
            ...(c.chance(0.25) ? { delay: 1 + c.pick(2) } : {}),
            ...actExtras(c),
          },
        });
    }
  }
  return out;
}

function build(
  c: Choices,
  tree: Array<{ path: string; shape: Shape }>,
  paths: string[],
  actors: ReadonlyArray<{ id: string; paths: string[] }>,
): StateNodeDef {
  const nodes = new Map<string, StateNodeDef>();
  for (const { path, shape: s } of tree) {
    const node: StateNodeDef = {};
    if (s.kind === 'parallel') node.type = 'parallel';
    if (s.children.length > 0) node.states = {};
    nodes.set(path, node);
    if (path !== '') {
      const parent = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
      const parentNode = nodes.get(parent) as StateNodeDef;
      (parentNode.states as Record<string, StateNodeDef>)[path.split('.').pop() as string] = node;
    }
  }
  for (const { path, shape: s } of tree) {
    const node = nodes.get(path) as StateNodeDef;
    if (s.kind === 'compound') node.initial = (Object.keys(node.states ?? {})[c.pick(s.children.length)] as string);
    if (c.chance(0.2) && path !== '') node.entry = effects(c, actors);
    const on: NonNullable<StateNodeDef['on']> = {};
    for (const e of EVENTS) {
      if (!c.chance(0.35)) continue;
      const list = [];
      const count = 1 + c.pick(2);
      for (let i = 0; i < count; i++) {
        const t: Record<string, unknown> = {};
        if (paths.length > 0 && c.chance(0.6)) t['target'] = paths[c.pick(paths.length)];
        if (c.chance(0.5)) t['when'] = condition(c, actors, true);
        if (c.chance(0.5)) t['effects'] = effects(c, actors);
        // A chance reaction (issue 12): enabled only when its draw falls below the probability.
        if (c.chance(0.25)) {
          t['probability'] = [0, 0.3, 0.7, 1][c.pick(4)];
          if (c.chance(0.5)) t['modifiers'] = [modifier(c, condition(c, actors, true))];
        }
        list.push(t);
      }
      on[e] = list as never;
    }
    if (Object.keys(on).length > 0) node.on = on;
  }
  // Moves on states that can make them (the state, an ancestor or a descendant handles the event).
  for (const { path } of tree) {
    const node = nodes.get(path) as StateNodeDef;
    const handled = EVENTS.filter((e) =>
      [...nodes].some(([p, n]) => n.on?.[e] !== undefined && (p === path || path.startsWith(p === '' ? '' : `${p}.`) || p.startsWith(path === '' ? '' : `${path}.`))),
    );
    if (handled.length === 0 || !c.chance(0.5)) continue;
    const e = handled[c.pick(handled.length)] as string;
    const to = (actors[c.pick(actors.length)] as { id: string }).id;
    node.moves = {
      [`m${path.replace(/\./g, '_') || 'root'}`]: {
        event: e,
        to: [to],
        ...(c.chance(0.3) ? { against: c.chance(0.5) ? 'all' : [(actors[c.pick(actors.length)] as { id: string }).id, to] } : {}),
        ...(c.chance(0.2) ? { theatre: 't' } : {}),
        ...(c.chance(0.3) ? { rung: RUNGS[c.pick(RUNGS.length)] as string } : {}),
        data: { k: c.pick(2) },
        probability: c.chance(0.3) ? chance(c) : ([0, 0.2, 0.5, 0.9, 1][c.pick(5)] as number),
        ...(c.chance(0.5) ? { modifiers: [modifier(c, condition(c, actors, false))] as never } : {}),
        ...(c.chance(0.3) ? { when: condition(c, actors, false) } : {}),
        ...(c.chance(0.2) ? { once: true } : {}),
        ...(c.chance(0.25) ? { delay: 1 + c.pick(3) } : {}),
      },
    };
  }
  return nodes.get('') as StateNodeDef;
}

/** A random valid scenario with 1–3 actors whose statecharts nest up to `depth` levels. */
export function statechartScenario(options: { maxActors?: number; depth?: number } = {}): fc.Arbitrary<Scenario> {
  return fc
    .record({
      shapes: fc.array(shape(options.depth ?? 4), { minLength: 1, maxLength: options.maxActors ?? 3 }),
      choices: fc.array(fc.nat({ max: 1_000_000 }), { minLength: 400, maxLength: 400 }),
      turns: fc.integer({ min: 1, max: 8 }),
    })
    .map(({ shapes, choices, turns }) => {
      let i = 0;
      const next = () => (choices[i++ % choices.length] as number) / 1_000_001;
      const c: Choices = { pick: (n) => Math.floor(next() * n), chance: (p) => next() < p };
      const named = shapes.map((s, k) => ({ id: `A${k}`, ...name(s) }));
      const actors = named.map((a) => ({ id: a.id, paths: a.paths }));
      const scenario: Scenario = {
        version: 1,
        metadata: { id: 'random', title: 'Random statecharts' },
        time: { turns, unit: 'turn' },
        ladder: { rungs: RUNGS.map((id) => ({ id, name: id })), thresholds: [{ id: 'T', name: 'T', at: 'L2' }] },
        theatres: { t: { name: 'T' } },
        variables: { x: { initial: 0, min: 0, max: 5 }, y: { initial: 1 } },
        events: Object.fromEntries(
          EVENTS.map((e, k) => [e, { rung: RUNGS[k] as string, description: e, fields: { k: [0, 1] }, ...(k % 2 === 0 ? { theatre: 't' } : {}) }]),
        ),
        actors: Object.fromEntries(
          named.map((a) => {
            let statechart = build(c, a.tree, a.paths, actors);
            if (statechart.on === undefined && statechart.states === undefined) statechart = { on: { E0: {} } };
            return [a.id, { name: a.id, statechart }];
          }),
        ),
        shocks: {
          spark: {
            event: 'E3',
            from: 'A0',
            to: [named[named.length - 1]?.id as string],
            probability: c.chance(0.3) ? chance(c) : 0.3,
            ...actExtras(c),
            ...(c.chance(0.5) ? { when: condition(c, actors, false) } : {}),
            ...(c.chance(0.5) ? { modifiers: [modifier(c, condition(c, actors, false))] as never } : {}),
          },
        },
        script: {
          opening: { turn: 1, event: 'E1', from: 'A0', to: named.map((a) => a.id), data: { k: 1 } },
          // Timed relative to an act (issue 12, item 5).
          ...(turns > 1 && c.chance(0.5)
            ? {
                answer: {
                  after: { event: EVENTS[c.pick(EVENTS.length)] as string, ...(c.chance(0.5) ? { from: (named[c.pick(named.length)] as { id: string }).id } : {}), turns: 1 + c.pick(Math.min(2, turns - 1)) },
                  event: EVENTS[c.pick(EVENTS.length)] as string,
                  from: (named[c.pick(named.length)] as { id: string }).id,
                  to: [(named[c.pick(named.length)] as { id: string }).id],
                  data: { k: c.pick(2) },
                  ...(c.chance(0.3) ? { when: condition(c, actors, false) } : {}),
                },
              }
            : {}),
        },
        invariants: { bounded: { always: { any: [{ var: { name: 'x', lte: c.pick(5) } }, condition(c, actors, false)] } } },
        outcomes: {
          atEnd: { when: condition(c, actors, false) },
          byTurn: { when: condition(c, actors, false), by: Math.min(turns, 1 + c.pick(4)) },
        },
        limits: { maxCascadeDepth: [3, 12][c.pick(2)] as number, maxEventsPerTurn: [30, 400][c.pick(2)] as number },
      };
      return scenario;
    });
}

/** An act's own rung and theatre (issue 12, item 6), sometimes. */
function actExtras(c: Choices): { rung?: string; theatre?: string } {
  return { ...(c.chance(0.3) ? { rung: RUNGS[c.pick(RUNGS.length)] as string } : {}), ...(c.chance(0.2) ? { theatre: 't' } : {}) };
}

/** A probability modifier within the schema's bounds; the large values push the probability past 1 to exercise the clamp. */
function modifier(c: { chance(p: number): boolean; pick(n: number): number }, when: unknown): Record<string, unknown> {
  const kind = ['add', 'multiply', 'set'][c.pick(3)] as 'add' | 'multiply' | 'set';
  const big = kind === 'multiply' ? 2 : 1;
  // An amount from an expression (issue 12, item 4) a fifth of the time.
  if (c.chance(0.2)) return { when, [kind]: { mul: [0.5, { var: c.chance(0.5) ? 'x' : 'y' }] } };
  return { when, [kind]: c.chance(0.5) ? 0.3 : big };
}
