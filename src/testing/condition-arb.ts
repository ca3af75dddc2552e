import * as fc from 'fast-check';
import type { CompareOp } from '../model/types.ts';
import type { ConditionDef } from '../scenario/schema.ts';

/**
 * A condition as numbers: names are picked later, by index modulo what the scenario declares, so that
 * conditions can be generated before the scenario's names are known and shrink toward the first name.
 */
export type ConditionBlueprint =
  | { readonly k: 'all' | 'any'; readonly of: readonly ConditionBlueprint[] }
  | { readonly k: 'not'; readonly of: ConditionBlueprint }
  | { readonly k: 'state'; readonly actor: number | undefined; readonly state: number }
  | { readonly k: 'var'; readonly variable: number; readonly op: CompareOp; readonly value: number }
  | { readonly k: 'event'; readonly field: number; readonly op: number; readonly a: number; readonly b: number }
  | {
      readonly k: 'happened';
      readonly event: number;
      readonly from: number | undefined;
      readonly to: number | undefined;
      readonly data: number | undefined;
      readonly atLeast: number | undefined;
      readonly within: number | undefined;
    }
  | { readonly k: 'peak'; readonly from: number | undefined; readonly to: number | undefined; readonly theatre: number | undefined; readonly op: CompareOp; readonly rung: number }
  | { readonly k: 'turn'; readonly op: CompareOp; readonly value: number };

const OPS: readonly CompareOp[] = ['gte', 'lte', 'eq', 'ne', 'gt', 'lt'];
const ORIGINS = ['script', 'shock', 'move', 'reaction'] as const;
const FIELDS = ['type', 'from', 'to', 'against', 'origin', 'theatre', 'rung', 'data'] as const;

const pick = fc.nat({ max: 1000 });
const maybe = (a: fc.Arbitrary<number>) => fc.option(a, { nil: undefined });
const op = fc.constantFrom(...OPS);

const leaf: fc.Arbitrary<ConditionBlueprint> = fc.oneof(
  fc.record({ k: fc.constant('turn' as const), op, value: fc.integer({ min: 0, max: 10 }) }),
  fc.record({ k: fc.constant('state' as const), actor: maybe(pick), state: pick }),
  fc.record({ k: fc.constant('var' as const), variable: pick, op, value: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ k: fc.constant('event' as const), field: pick, op: pick, a: pick, b: pick }),
  fc.record({
    k: fc.constant('happened' as const),
    event: pick,
    from: maybe(pick),
    to: maybe(pick),
    data: maybe(pick),
    atLeast: maybe(fc.integer({ min: 1, max: 3 })),
    within: maybe(fc.integer({ min: 1, max: 4 })),
  }),
  fc.record({ k: fc.constant('peak' as const), from: maybe(pick), to: maybe(pick), theatre: maybe(pick), op, rung: pick }),
);

/** Conditions nested at most `maxDepth` levels of `all`, `any` and `not`; every kind of leaf. */
export function conditionBlueprint(maxDepth: number): fc.Arbitrary<ConditionBlueprint> {
  return fc.letrec<{ c: ConditionBlueprint }>((tie) => ({
    c: fc.oneof(
      { depthSize: 'small', maxDepth },
      { weight: 4, arbitrary: leaf },
      { weight: 1, arbitrary: fc.record({ k: fc.constantFrom('all' as const, 'any' as const), of: fc.array(tie('c'), { minLength: 1, maxLength: 3 }) }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant('not' as const), of: tie('c') }) },
    ),
  })).c;
}

/** The names a condition may use, and where it stands. */
export interface ConditionScope {
  readonly actors: readonly string[];
  /** Non-root state paths of each actor, by actor id. */
  readonly states: Readonly<Record<string, readonly string[]>>;
  readonly events: readonly string[];
  /** Data fields and their values, by event type. */
  readonly fields: Readonly<Record<string, Readonly<Record<string, ReadonlyArray<string | number | boolean>>>>>;
  readonly rungs: readonly string[];
  readonly theatres: readonly string[];
  readonly variables: readonly string[];
  /** The actor owning the rule (`$self`, a state condition without `actor`); undefined outside statecharts. */
  readonly self?: string;
  /** True in a transition's `when`, where `event` conditions may read the act being handled. */
  readonly hasEvent: boolean;
  /** False where `var` conditions are not allowed (invariants). */
  readonly allowVar: boolean;
}

function at<T>(list: readonly T[], n: number): T {
  return list[n % list.length] as T;
}

/** Data values for an event type, picked by `n`, or undefined when it declares no fields. */
export function pickData(scope: Pick<ConditionScope, 'fields'>, event: string, n: number | undefined): Record<string, string | number | boolean> | undefined {
  const fields = Object.entries(scope.fields[event] ?? {});
  if (n === undefined || fields.length === 0) return undefined;
  return Object.fromEntries(fields.map(([k, values], j) => [k, at(values, n + j)]));
}

/**
 * Turns a blueprint into a condition valid where it stands: a kind that cannot be used there (an
 * `event` outside a transition, a `var` without variables) becomes a `turn` condition.
 */
export function toCondition(b: ConditionBlueprint, scope: ConditionScope): ConditionDef {
  const fallback = (n: number): ConditionDef => ({ turn: { [at(OPS, n)]: n % 6 } });
  switch (b.k) {
    case 'all':
      return { all: b.of.map((x) => toCondition(x, scope)) };
    case 'any':
      return { any: b.of.map((x) => toCondition(x, scope)) };
    case 'not':
      return { not: toCondition(b.of, scope) };
    case 'turn':
      return { turn: { [b.op]: b.value } };
    case 'var':
      if (!scope.allowVar || scope.variables.length === 0) return fallback(b.variable);
      return { var: { name: at(scope.variables, b.variable), [b.op]: b.value } };
    case 'state': {
      const own = b.actor === undefined && scope.self !== undefined;
      const actor = own ? (scope.self as string) : at(scope.actors, b.actor ?? b.state);
      const states = scope.states[actor] ?? [];
      if (states.length === 0) return fallback(b.state);
      return { state: { ...(own ? {} : { actor }), in: at(states, b.state) } };
    }
    case 'happened': {
      const event = at(scope.events, b.event);
      const data = pickData(scope, event, b.data);
      return {
        happened: {
          event,
          ...(b.from !== undefined ? { from: at(scope.actors, b.from) } : {}),
          ...(b.to !== undefined ? { to: at(scope.actors, b.to) } : {}),
          ...(data !== undefined ? { data } : {}),
          ...(b.atLeast !== undefined ? { atLeast: b.atLeast } : {}),
          ...(b.within !== undefined ? { withinTurns: b.within } : {}),
        },
      };
    }
    case 'peak':
      return {
        peak: {
          ...(b.from !== undefined ? { from: at(scope.actors, b.from) } : {}),
          ...(b.to !== undefined ? { to: at(scope.actors, b.to) } : {}),
          ...(b.theatre !== undefined && scope.theatres.length > 0 ? { theatre: at(scope.theatres, b.theatre) } : {}),
          [b.op]: at(scope.rungs, b.rung),
        },
      };
    case 'event':
      return scope.hasEvent ? eventCondition(b, scope) : fallback(b.field);
  }
}

function eventCondition(b: Extract<ConditionBlueprint, { k: 'event' }>, scope: ConditionScope): ConditionDef {
  const dataFields = Object.entries(scope.fields).flatMap(([, fields]) => Object.entries(fields));
  let field: (typeof FIELDS)[number] = at(FIELDS, b.field);
  if (field === 'theatre' && scope.theatres.length === 0) field = 'origin';
  if (field === 'data' && dataFields.length === 0) field = 'type';
  const actorsAndSelf = scope.self === undefined ? scope.actors : [...scope.actors, '$self'];
  let name = field as string;
  let values: ReadonlyArray<string | number | boolean>;
  switch (field) {
    case 'type':
      values = scope.events;
      break;
    case 'from':
    case 'to':
    case 'against':
      values = actorsAndSelf;
      break;
    case 'origin':
      values = ORIGINS;
      break;
    case 'theatre':
      values = scope.theatres;
      break;
    case 'rung':
      values = scope.rungs;
      break;
    case 'data': {
      const [fieldName, fieldValues] = at(dataFields, b.a);
      name = `data.${fieldName}`;
      values = fieldValues;
      break;
    }
  }
  const va = at(values, b.a);
  const vb = at(values, b.b);
  const list = field === 'to' || field === 'against';
  switch (b.op % (list ? 4 : 3)) {
    case 0:
      return { event: { field: name, eq: va } };
    case 1:
      return { event: { field: name, ne: va } };
    case 2:
      return { event: { field: name, in: va === vb ? [va] : [va, vb] } };
    default:
      return { event: { field: name, includes: va as string } };
  }
}
