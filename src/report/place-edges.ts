import type { StateChart, StateChartEdge } from '../analysis/state-chart.ts';

/**
 * A transition as a diagram can draw it: between two children of one composite state (`scope`), or
 * as a loop on one state. `scope` is the path of the composite the edge is drawn in; `null` when the
 * edge is a loop on the actor's root itself.
 */
export interface PlacedEdge {
  readonly scope: string | null;
  readonly from: string;
  readonly to: string;
  /** The event, for diagrams that only have room for it. */
  readonly event: string;
  /** The event with what the drawing hides: `(guarded)`, `(stays)`, the real source and target. */
  readonly label: string;
}

const parentOf = (path: string): string | null => (path === '' ? null : path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '');

const isWithin = (path: string, ancestor: string) => ancestor === '' || path === ancestor || path.startsWith(`${ancestor}.`);

/** The child of `ancestor` on the way down to `path` (`path` lies strictly inside `ancestor`). */
const childTowards = (ancestor: string, path: string): string => {
  const rest = ancestor === '' ? path : path.slice(ancestor.length + 1);
  const first = rest.split('.')[0] as string;
  return ancestor === '' ? first : `${ancestor}.${first}`;
};

const commonAncestor = (a: string, b: string): string => {
  let c: string | null = a;
  while (c !== null && !isWithin(b, c)) c = parentOf(c);
  return c ?? '';
};

/**
 * Places every transition of a chart so that it joins two siblings. Diagram tools (Mermaid among them)
 * cannot draw an edge between states of different composites, so a transition that crosses a boundary
 * is drawn between the ancestors that are siblings, and its label names the real source and target.
 * A transition with no target is a loop labelled `(stays)`. Pure; edges keep the chart's order.
 */
export function placeEdges(chart: StateChart, kindOf: (path: string) => 'atomic' | 'compound' | 'parallel'): PlacedEdge[] {
  return chart.edges.map((e) => placeEdge(e, kindOf));
}

function placeEdge(e: StateChartEdge, kindOf: (path: string) => 'atomic' | 'compound' | 'parallel'): PlacedEdge {
  const guard = e.guarded ? ' (guarded)' : '';
  const loop = (on: string, label: string): PlacedEdge => ({ scope: parentOf(on), from: on, to: on, event: e.event, label });
  if (e.to === null) return loop(e.from, `${e.event}${guard} (stays)`);
  if (e.to === e.from) return loop(e.from, `${e.event}${guard}`);
  const lca = commonAncestor(e.from, e.to);
  if (lca === e.from) return loop(lca, `${e.event}${guard} → ${e.to}`);
  if (lca === e.to) return loop(lca, `${e.event}${guard} (from ${e.from})`);
  if (kindOf(lca) === 'parallel') return loop(lca, `${e.event}${guard} (${e.from} → ${e.to})`);
  const from = childTowards(lca, e.from);
  const to = childTowards(lca, e.to);
  const label = `${e.event}${guard}${to === e.to ? '' : ` → ${e.to}`}${from === e.from ? '' : ` (from ${e.from})`}`;
  return { scope: lca, from, to, event: e.event, label };
}
