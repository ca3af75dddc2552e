import { own } from './own.ts';
import type { StateNodeDef, TransitionDef } from './schema.ts';

/** One node of an actor's statechart, flattened with its path from the root. */
export interface StateInfo {
  /** Dotted path from the actor's root; `''` is the root. */
  readonly path: string;
  readonly name: string;
  readonly parent: string | undefined;
  readonly kind: 'atomic' | 'compound' | 'parallel';
  readonly children: readonly string[];
  readonly def: StateNodeDef;
  readonly depth: number;
}

/** Flattens a statechart into its nodes in document order (depth first, root first). */
export function flattenStates(root: StateNodeDef): StateInfo[] {
  const out: StateInfo[] = [];
  const visit = (def: StateNodeDef, path: string, name: string, parent: string | undefined, depth: number) => {
    const childNames = Object.keys(def.states ?? {});
    const kind = def.type === 'parallel' ? 'parallel' : childNames.length > 0 ? 'compound' : 'atomic';
    out.push({
      path,
      name,
      parent,
      kind,
      children: childNames.map((c) => (path === '' ? c : `${path}.${c}`)),
      def,
      depth,
    });
    if (depth >= 64) return;
    for (const c of childNames) {
      visit(own(def.states, c) as StateNodeDef, path === '' ? c : `${path}.${c}`, c, path, depth + 1);
    }
  };
  visit(root, '', '(root)', undefined, 0);
  return out;
}

/** The transitions a state declares for an event, as a list. */
export function transitionsOf(def: StateNodeDef, event: string): TransitionDef[] {
  const t = own(def.on, event);
  if (t === undefined) return [];
  return (Array.isArray(t) ? t : [t]) as TransitionDef[];
}

/**
 * Resolves a transition target written in state `from`: a sibling's name first, else a path from the
 * actor's root. Returns undefined when neither exists.
 */
export function resolveTarget(byPath: ReadonlyMap<string, StateInfo>, from: string, target: string): string | undefined {
  const info = byPath.get(from);
  const parent = info?.parent;
  if (parent !== undefined) {
    const sibling = parent === '' ? target : `${parent}.${target}`;
    if (byPath.has(sibling)) return sibling;
  }
  return byPath.has(target) && target !== '' ? target : undefined;
}

/** The path and all its ancestors, root excluded, outermost first. */
export function ancestorsAndSelf(path: string): string[] {
  if (path === '') return [];
  const parts = path.split('.');
  return parts.map((_, i) => parts.slice(0, i + 1).join('.'));
}

/** Adds a state's ancestors and its default (initial) descendants to `into`. */
export function closeOver(byPath: ReadonlyMap<string, StateInfo>, path: string, into: Set<string>): void {
  into.add('');
  for (const a of ancestorsAndSelf(path)) into.add(a);
  const enter = (p: string) => {
    const info = byPath.get(p);
    if (info === undefined) return;
    into.add(p);
    if (info.kind === 'parallel') for (const c of info.children) enter(c);
    else if (info.kind === 'compound') {
      const initial = info.def.initial;
      if (initial !== undefined) enter(p === '' ? initial : `${p}.${initial}`);
    }
  };
  enter(path);
}

/** States that no sequence of transitions can enter (guards ignored). */
export function unreachableStates(states: readonly StateInfo[]): string[] {
  const byPath = new Map(states.map((s) => [s.path, s]));
  const reached = new Set<string>();
  closeOver(byPath, '', reached);
  let changed = true;
  while (changed) {
    changed = false;
    for (const s of states) {
      if (!reached.has(s.path)) continue;
      for (const event of Object.keys(s.def.on ?? {})) {
        for (const t of transitionsOf(s.def, event)) {
          if (t.target === undefined) continue;
          const target = resolveTarget(byPath, s.path, t.target);
          if (target === undefined || reached.has(target)) continue;
          const before = reached.size;
          closeOver(byPath, target, reached);
          if (reached.size !== before) changed = true;
        }
      }
    }
  }
  return states.filter((s) => !reached.has(s.path)).map((s) => s.path);
}

/** What a rule cites: its claims and its assumption. */
export interface Citation {
  readonly source?: string[] | undefined;
  readonly assumption?: string | undefined;
}

/**
 * The citation a rule declared in state `path` carries when it has none of its own: the nearest one
 * on the state, its ancestors, then the actor (issue 12: sources carry down). Undefined when none has one.
 */
export function inheritedCitation(byPath: ReadonlyMap<string, StateInfo>, path: string, actor: Citation): Citation | undefined {
  // At most one step per state: paths built from hostile names (a key with dots, an empty key) can make a parent chain loop.
  let steps = 0;
  for (let p: string | undefined = path; p !== undefined && steps <= byPath.size; p = byPath.get(p)?.parent, steps++) {
    const def = byPath.get(p)?.def;
    if (def !== undefined && (def.source !== undefined || def.assumption !== undefined)) return def;
  }
  return actor.source !== undefined || actor.assumption !== undefined ? actor : undefined;
}
