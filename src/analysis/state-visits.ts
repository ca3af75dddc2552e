import type { ActorModel, Model } from '../model/types.ts';

/**
 * Which states each fired transition makes active, so a batch can count the runs that visited each
 * state from the rule counts alone. States are numbered across actors: `offsets[actor] + state`.
 */
export interface StateVisitPlan {
  readonly offsets: readonly number[];
  readonly total: number;
  /** The states active before the first turn (each actor's root and its default descendants). */
  readonly initial: readonly number[];
  /** Rule index → the states its transition enters (none for other rules). */
  readonly entered: ReadonlyMap<number, readonly number[]>;
}

/**
 * Derives the plan from the statecharts. A transition enters the states below the common ancestor of
 * its source and target, down to the target, then the target's default descendants (the initial child
 * of a compound state, every region of a parallel one, also for parallel states crossed on the way). A
 * transition to the source itself, an ancestor of it or nowhere enters nothing new. Pure.
 */
export function deriveStateVisitPlan(model: Model): StateVisitPlan {
  const offsets: number[] = [];
  let total = 0;
  for (const a of model.actors) {
    offsets.push(total);
    total += a.states.length;
  }
  const initial: number[] = [];
  const entered = new Map<number, number[]>();
  model.actors.forEach((a, ai) => {
    const base = offsets[ai] as number;
    const out = new Set<number>();
    enterDefault(a, 0, out);
    initial.push(...[...out].sort((x, y) => x - y).map((s) => base + s));
    for (const t of a.transitions) {
      if (t.target < 0 || isAncestorOrSelf(a, t.target, t.state)) continue;
      const path = pathTo(a, t.target);
      const domain = lowestCommon(a, t.state, t.target);
      const set = new Set<number>();
      const below = path.slice(path.indexOf(domain) + 1);
      below.forEach((s, i) => {
        set.add(s);
        const st = a.states[s] as ActorModel['states'][number];
        if (st.kind === 'parallel') for (const c of st.children) if (c !== below[i + 1]) enterDefault(a, c, set);
      });
      enterDefault(a, t.target, set);
      entered.set(t.rule, [...set].sort((x, y) => x - y).map((s) => base + s));
    }
  });
  return { offsets, total, initial, entered };
}

/** Adds `state` and its default descendants to `out`. */
function enterDefault(a: ActorModel, state: number, out: Set<number>): void {
  out.add(state);
  const st = a.states[state] as ActorModel['states'][number];
  if (st.kind === 'compound') enterDefault(a, st.children[st.initial] as number, out);
  else if (st.kind === 'parallel') for (const c of st.children) enterDefault(a, c, out);
}

/** Root first, `state` last. */
function pathTo(a: ActorModel, state: number): number[] {
  const path: number[] = [];
  for (let s = state; s >= 0; s = (a.states[s] as ActorModel['states'][number]).parent) path.unshift(s);
  return path;
}

function isAncestorOrSelf(a: ActorModel, ancestor: number, state: number): boolean {
  return pathTo(a, state).includes(ancestor);
}

function lowestCommon(a: ActorModel, x: number, y: number): number {
  const px = pathTo(a, x);
  const py = pathTo(a, y);
  let common = 0;
  for (let i = 0; i < Math.min(px.length, py.length) && px[i] === py[i]; i++) common = px[i] as number;
  return common;
}
