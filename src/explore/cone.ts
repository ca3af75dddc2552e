import { exprVariables } from '../model/expression.ts';
import type { Cond, Effect, Model, NumberTest } from '../model/types.ts';

/**
 * The cone of influence of a model's conditions: the part of the world at a turn boundary that some
 * condition can read, and how finely. Exploration's state key keeps only this (docs/explore.md,
 * "The reduced key"), so worlds that differ only where nothing looks are merged.
 */
export interface Cone {
  /** Variables some effect can change and some condition reads, ascending. */
  readonly vars: readonly number[];
  /**
   * Dyad peak cells (`slot*n*n + from*n + to`) that some act can raise and some condition reads,
   * ascending, each with the cut points its tests distinguish: the key stores the number of cut points
   * at or below the cell's value, and decodes index k as -1 (k = 0) or the k-th cut point.
   */
  readonly cells: ReadonlyArray<{ readonly cell: number; readonly cuts: readonly number[] }>;
}

/** The smallest values at which a test's answer can change: `≥ v` at v, `> v` at v + 1, `= v` at v and v + 1. */
export function cutsOf(t: NumberTest): number[] {
  switch (t.op) {
    case 'gte':
    case 'lt':
      return [t.value];
    case 'gt':
    case 'lte':
      return [t.value + 1];
    case 'eq':
    case 'ne':
      return [t.value, t.value + 1];
  }
}

function visit(c: Cond, onVar: (v: number) => void, onPeak: (c: Extract<Cond, { kind: 'peak' }>) => void): void {
  switch (c.kind) {
    case 'all':
    case 'any':
      for (const x of c.of) visit(x, onVar, onPeak);
      return;
    case 'not':
      visit(c.of, onVar, onPeak);
      return;
    case 'var':
      onVar(c.variable);
      return;
    case 'compare':
      exprVariables(c.left, onVar);
      exprVariables(c.right, onVar);
      return;
    case 'peak':
      onPeak(c);
      return;
    default:
      return;
  }
}

/**
 * The cone of `conds` (every condition a turn can evaluate, and the target's) over the changeable
 * variables and raisable cells. With `full`, everything changeable is kept exactly (the key before the
 * reduction, for the property that both give the same answers).
 */
export function deriveCone(model: Model, conds: readonly Cond[], raisable: readonly number[], full: boolean): Cone {
  const changeable = changeableVariables(model);
  if (full) return { vars: changeable, cells: raisable.map((cell) => ({ cell, cuts: model.rungs.map((_, r) => r) })) };
  const n = model.actors.length;
  const readVars = new Set<number>();
  const cuts = new Map<number, Set<number>>();
  const read = (cell: number, tests: readonly NumberTest[]) => {
    let set = cuts.get(cell);
    if (set === undefined) cuts.set(cell, (set = new Set()));
    for (const t of tests) for (const x of cutsOf(t)) if (x > -1 && x < model.rungs.length) set.add(x);
  };
  for (const c of conds)
    visit(
      c,
      (v) => readVars.add(v),
      (p) => {
        if (p.from < 0 && p.to < 0) return;
        const base = (p.theatre + 1) * n * n;
        if (p.from >= 0 && p.to >= 0) read(base + p.from * n + p.to, p.tests);
        else for (let k = 0; k < n; k++) read(p.from >= 0 ? base + p.from * n + k : base + k * n + p.to, p.tests);
      },
    );
  // Probabilities and effect amounts computed from variables read them too.
  expressionVariables(model, (v) => readVars.add(v));
  return {
    vars: changeable.filter((v) => readVars.has(v)),
    cells: raisable.filter((cell) => (cuts.get(cell)?.size ?? 0) > 0).map((cell) => ({ cell, cuts: [...(cuts.get(cell) as Set<number>)].sort((a, b) => a - b) })),
  };
}

/** Variables some effect sets or adds to, ascending; the others keep their initial value in every run. */
export function changeableVariables(model: Model): number[] {
  const out = new Set<number>();
  const scan = (effects: readonly Effect[]) => {
    for (const e of effects) if (e.kind !== 'emit') out.add(e.variable);
  };
  for (const a of model.actors) {
    for (const s of a.states) scan(s.entry);
    for (const t of a.transitions) scan(t.effects);
  }
  return [...out].sort((x, y) => x - y);
}

/** Every variable some probability, modifier amount or effect amount of the model reads. */
export function expressionVariables(model: Model, out: (v: number) => void): void {
  const effects = (list: readonly Effect[]) => {
    for (const e of list) if (e.kind !== 'emit') exprVariables(e.value, out);
  };
  for (const a of model.actors) {
    for (const s of a.states) effects(s.entry);
    for (const t of a.transitions) effects(t.effects);
    for (const m of a.moves) {
      exprVariables(m.probability, out);
      for (const x of m.modifiers) exprVariables(x.value, out);
    }
  }
  for (const sh of model.shocks) {
    exprVariables(sh.probability, out);
    for (const x of sh.modifiers) exprVariables(x.value, out);
  }
}
