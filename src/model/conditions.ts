import type { Cond, Model } from './types.ts';

/** A `happened` condition. */
export type HappenedCond = Extract<Cond, { kind: 'happened' }>;

/**
 * Every condition of the model that a turn can evaluate: transition guards, move preconditions and
 * modifiers, chance reactions' modifiers, shock conditions and modifiers, inject conditions, outcomes (checked at each turn's end). The one list: the engine's act index
 * and exploration's state key both read it, so a new place for conditions is added here once.
 */
export function modelConditions(model: Model): Cond[] {
  const out: Cond[] = [];
  for (const a of model.actors) {
    for (const t of a.transitions) {
      if (t.when !== undefined) out.push(t.when);
      for (const x of t.chance?.modifiers ?? []) out.push(x.when);
    }
    for (const m of a.moves) {
      if (m.when !== undefined) out.push(m.when);
      for (const x of m.modifiers) out.push(x.when);
    }
  }
  for (const s of model.shocks) {
    if (s.when !== undefined) out.push(s.when);
    for (const x of s.modifiers) out.push(x.when);
  }
  for (const i of model.injects) if (i.when !== undefined) out.push(i.when);
  for (const o of model.outcomes) out.push(o.condition);
  return out;
}

/** The `happened` conditions inside `conds` (through `all`, `any` and `not`), in order. */
export function happenedConditions(conds: readonly Cond[]): HappenedCond[] {
  const out: HappenedCond[] = [];
  const visit = (c: Cond): void => {
    if (c.kind === 'all' || c.kind === 'any') for (const x of c.of) visit(x);
    else if (c.kind === 'not') visit(c.of);
    else if (c.kind === 'happened') out.push(c);
  };
  for (const c of conds) visit(c);
  return out;
}
