import { compareNumbers, evalExpr } from './expression.ts';
import type { Cond, EventFieldRef, EventInstance, NumberTest, Scalar, ValueTest, WorldView } from './types.ts';

/** Evaluates a condition. Pure: reads the world and the event, changes nothing. */
export function evaluate(c: Cond, world: WorldView, event: EventInstance | undefined): boolean {
  switch (c.kind) {
    case 'all':
      for (const x of c.of) if (!evaluate(x, world, event)) return false;
      return true;
    case 'any':
      for (const x of c.of) if (evaluate(x, world, event)) return true;
      return false;
    case 'not':
      return !evaluate(c.of, world, event);
    case 'state':
      return world.inState(c.actor, c.state);
    case 'stateFor':
      return world.inState(c.actor, c.state) && testNumber(world.turn - world.enteredAt(c.actor, c.state), c.tests);
    case 'var':
      return testNumber(world.vars[c.variable] as number, c.tests);
    case 'turn':
      return testNumber(world.turn, c.tests);
    case 'peak':
      return testNumber(world.peak(c.from, c.to, c.theatre), c.tests);
    case 'happened':
      return world.countHappened(c.event, c.from, c.to, c.data, c.withinTurns) >= c.atLeast;
    case 'event':
      return event !== undefined && testField(c.field, c.test, event);
    case 'compare':
      return compareNumbers(evalExpr(c.left, world), c.op, evalExpr(c.right, world));
    default:
      return assertNever(c);
  }
}

/** Every test must hold. */
export function testNumber(x: number, tests: readonly NumberTest[]): boolean {
  for (const t of tests) {
    switch (t.op) {
      case 'eq':
        if (!(x === t.value)) return false;
        break;
      case 'ne':
        if (!(x !== t.value)) return false;
        break;
      case 'gt':
        if (!(x > t.value)) return false;
        break;
      case 'gte':
        if (!(x >= t.value)) return false;
        break;
      case 'lt':
        if (!(x < t.value)) return false;
        break;
      case 'lte':
        if (!(x <= t.value)) return false;
        break;
      default:
        return assertNever(t.op);
    }
  }
  return true;
}

/**
 * List fields (`to`, `against`): `eq`/`includes` hold when the list contains the actor, `ne` when it
 * does not, `in` when it contains any of them. Other fields compare their single value.
 */
export function testField(field: EventFieldRef, test: ValueTest, e: EventInstance): boolean {
  if (field.kind === 'to' || field.kind === 'against') {
    const list = field.kind === 'to' ? e.to : e.against;
    if (test.eq !== undefined && !list.includes(test.eq as number)) return false;
    if (test.includes !== undefined && !list.includes(test.includes)) return false;
    if (test.ne !== undefined && list.includes(test.ne as number)) return false;
    if (test.in !== undefined && !test.in.some((v) => list.includes(v as number))) return false;
    return true;
  }
  const value = fieldValue(field, e);
  if (test.eq !== undefined && value !== test.eq) return false;
  if (test.includes !== undefined && value !== test.includes) return false;
  if (test.ne !== undefined && value === test.ne) return false;
  if (test.in !== undefined && (value === undefined || !test.in.includes(value))) return false;
  return true;
}

function fieldValue(field: EventFieldRef, e: EventInstance): Scalar | undefined {
  switch (field.kind) {
    case 'type':
      return e.type;
    case 'from':
      return e.from;
    case 'origin':
      return e.origin;
    case 'theatre':
      return e.theatre;
    case 'rung':
      return e.rung;
    case 'data':
      return e.data?.[field.name];
    case 'to':
    case 'against':
      return undefined;
    default:
      return assertNever(field);
  }
}

/** Exhaustiveness check for switches over unions. */
export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
