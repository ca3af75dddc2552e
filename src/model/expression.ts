import type { ExpressionDef } from '../scenario/schema.ts';
import { EXPRESSION_KINDS } from '../scenario/schema.ts';
import type { CompareOp, Cond, Expr, ExprNode, NumberTest, WorldView } from './types.ts';

/** What an expression reads of the world. */
export type ExprWorld = Pick<WorldView, 'vars' | 'turn'>;

/**
 * The reference meaning of an expression: the world's variables and turn in, a number out. Sums,
 * products, min and max fold left over their list; `div` by 0 gives 0; an addition, subtraction,
 * multiplication or division whose result is not a number (∞ − ∞, 0 × ∞) gives 0. Pure.
 */
export function evalExpr(e: Expr, world: ExprWorld): number {
  if (typeof e === 'number') return e;
  switch (e.kind) {
    case 'var':
      return world.vars[e.variable] as number;
    case 'turn':
      return world.turn;
    case 'add': {
      let x = evalExpr(e.of[0] as Expr, world);
      for (let i = 1; i < e.of.length; i++) x = nz(x + evalExpr(e.of[i] as Expr, world));
      return x;
    }
    case 'mul': {
      let x = evalExpr(e.of[0] as Expr, world);
      for (let i = 1; i < e.of.length; i++) x = nz(x * evalExpr(e.of[i] as Expr, world));
      return x;
    }
    case 'min': {
      let x = evalExpr(e.of[0] as Expr, world);
      for (let i = 1; i < e.of.length; i++) x = Math.min(x, evalExpr(e.of[i] as Expr, world));
      return x;
    }
    case 'max': {
      let x = evalExpr(e.of[0] as Expr, world);
      for (let i = 1; i < e.of.length; i++) x = Math.max(x, evalExpr(e.of[i] as Expr, world));
      return x;
    }
    case 'sub':
      return nz(evalExpr(e.of[0], world) - evalExpr(e.of[1], world));
    case 'div':
      return divide(evalExpr(e.of[0], world), evalExpr(e.of[1], world));
    case 'clamp':
      return Math.min(evalExpr(e.of[2], world), Math.max(evalExpr(e.of[1], world), evalExpr(e.of[0], world)));
    default:
      return assertNeverExpr(e);
  }
}

/** Not-a-number becomes 0 (the expression grammar's rule). */
export function nz(x: number): number {
  return x === x ? x : 0;
}

/** a ÷ b, with division by 0 (and a result that is not a number) giving 0. */
export function divide(a: number, b: number): number {
  return b === 0 ? 0 : nz(a / b);
}

/** True when every operand of `op` is a constant: comparisons built from it can use the plain tests. */
export function isConstant(e: Expr): e is number {
  return typeof e === 'number';
}

/** The variables an expression reads, appended to `out`. */
export function exprVariables(e: Expr, out: (v: number) => void): void {
  if (typeof e === 'number') return;
  if (e.kind === 'var') out(e.variable);
  else if (e.kind !== 'turn') for (const x of e.of) exprVariables(x, out);
}

/** True when the expression reads a variable or the turn. */
export function isDynamic(e: Expr): boolean {
  return typeof e !== 'number';
}

/** Resolves an expression of the scenario file; `variable` maps a name to its index. Assumes it was cross-checked. */
export function resolveExpr(def: ExpressionDef, variable: (name: string) => number): Expr {
  if (typeof def === 'number') return def;
  const list = (xs: readonly ExpressionDef[] | undefined) => (xs ?? []).map((x) => resolveExpr(x, variable));
  if (def.var !== undefined) return { kind: 'var', variable: variable(def.var) };
  if (def.turn !== undefined) return { kind: 'turn' };
  if (def.add !== undefined) return { kind: 'add', of: list(def.add) };
  if (def.mul !== undefined) return { kind: 'mul', of: list(def.mul) };
  if (def.min !== undefined) return { kind: 'min', of: list(def.min) };
  if (def.max !== undefined) return { kind: 'max', of: list(def.max) };
  if (def.sub !== undefined) return { kind: 'sub', of: list(def.sub) as unknown as readonly [Expr, Expr] };
  if (def.div !== undefined) return { kind: 'div', of: list(def.div) as unknown as readonly [Expr, Expr] };
  if (def.clamp !== undefined) return { kind: 'clamp', of: list(def.clamp) as unknown as readonly [Expr, Expr, Expr] };
  throw new Error(`resolveExpr: expected one of ${EXPRESSION_KINDS.join(', ')}`);
}

const OPS: readonly CompareOp[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'];

/**
 * A `var` or `turn` condition's comparisons: the constant ones as plain tests (the form the engine has
 * always had), each one against an expression as a `compare` condition; all must hold.
 */
export function numberCondition(
  left: Expr,
  plain: (tests: NumberTest[]) => Cond,
  compare: Partial<Record<CompareOp, ExpressionDef | undefined>>,
  variable: (name: string) => number,
): Cond {
  const tests: NumberTest[] = [];
  const dynamic: Cond[] = [];
  for (const op of OPS) {
    const v = compare[op];
    if (v === undefined) continue;
    if (typeof v === 'number') tests.push({ op, value: v });
    else dynamic.push({ kind: 'compare', left, op, right: resolveExpr(v, variable) });
  }
  if (dynamic.length === 0) return plain(tests);
  const parts = tests.length > 0 ? [plain(tests), ...dynamic] : dynamic;
  return parts.length === 1 ? (parts[0] as Cond) : { kind: 'all', of: parts };
}

/** `a op b`, as `testNumber` compares. */
export function compareNumbers(a: number, op: CompareOp, b: number): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
  }
}

/** An expression in words: `readiness × 0.1`, `min(1, tension + 0.2)`. */
export function describeExpr(def: ExpressionDef): string {
  if (typeof def === 'number') return String(def);
  const list = (xs: readonly ExpressionDef[] | undefined) => (xs ?? []).map(describeExpr);
  const infix = (xs: readonly ExpressionDef[] | undefined, op: string) => `(${list(xs).join(` ${op} `)})`;
  if (def.var !== undefined) return def.var;
  if (def.turn !== undefined) return 'turn';
  if (def.add !== undefined) return infix(def.add, '+');
  if (def.sub !== undefined) return infix(def.sub, '−');
  if (def.mul !== undefined) return infix(def.mul, '×');
  if (def.div !== undefined) return infix(def.div, '÷');
  if (def.min !== undefined) return `min(${list(def.min).join(', ')})`;
  if (def.max !== undefined) return `max(${list(def.max).join(', ')})`;
  if (def.clamp !== undefined) return `clamp(${list(def.clamp).join(', ')})`;
  return '?';
}

function assertNeverExpr(x: never): never {
  throw new Error(`unexpected expression: ${JSON.stringify(x)}`);
}

export type { ExprNode };
