import type { PathwaySummary } from '../analysis/summary.ts';
import type { StateChart, StateChartNode } from '../analysis/state-chart.ts';
import { escapeMermaidLabel } from './escape.ts';
import { pct } from './format.ts';
import { type PlacedEdge, placeEdges } from './place-edges.ts';

// Words Mermaid's state grammar reserves; a state named so gets a trailing underscore in its id.
const RESERVED = new Set(['state', 'note', 'end', 'as', 'direction', 'class', 'classdef', 'style', 'click', 'left', 'right', 'of', 'hide', 'scale', 'default']);

/**
 * Mermaid `stateDiagram-v2` text of one actor's statechart (no fences) that Mermaid 11 parses and lays
 * out: compound states as composite states, parallel states as composites labelled `· parallel` whose
 * regions are sibling composites, `[*]` at each initial state, one edge per pair of states (a transition
 * crossing composite boundaries is drawn between the sibling ancestors and labelled with its real ends;
 * a loop on a region is drawn on its parallel state). Ids are the state paths made safe; labels are the
 * state names. Pure: same chart, same text.
 */
export function renderStateDiagram(chart: StateChart): string {
  const nodes = new Map<string, StateChartNode>();
  const collect = (n: StateChartNode) => {
    nodes.set(n.path, n);
    for (const c of n.children) collect(c);
  };
  collect(chart.root);
  const ids = new Map<string, string>();
  const used = new Set<string>(['root']);
  for (const path of nodes.keys()) {
    let base = (path === '' ? chart.actor : path).replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z]/.test(base)) base = `s_${base}`;
    if (RESERVED.has(base.toLowerCase())) base = `${base}_`;
    let id = base;
    for (let k = 2; used.has(id); k++) id = `${base}_${k}`;
    used.add(id);
    ids.set(path, id);
  }
  const idOf = (path: string) => ids.get(path) as string;
  const kindOf = (path: string) => (nodes.get(path) as StateChartNode).kind;
  const edges = forMermaid(placeEdges(chart, kindOf), kindOf);
  const out = ['stateDiagram-v2'];
  const label = (n: StateChartNode) => {
    const name = n.path === '' ? `${chart.name} (${chart.actor})` : n.name;
    return n.kind === 'parallel' ? `${name} · parallel` : name;
  };
  const declare = (n: StateChartNode, indent: string) => {
    const id = idOf(n.path);
    const name = label(n);
    if (n.children.length === 0) {
      out.push(name === id ? `${indent}${id}` : `${indent}state "${quote(name)}" as ${id}`);
      return;
    }
    if (name !== id) out.push(`${indent}state "${quote(name)}" as ${id}`);
    out.push(`${indent}state ${id} {`);
    body(n, `${indent}  `);
    out.push(`${indent}}`);
  };
  const body = (n: StateChartNode, indent: string) => {
    // Regions of a parallel state are drawn as sibling composites, not separated by `--`: in Mermaid 11
    // an edge to or from a composite inside any region but the last breaks the layout (#16).
    if (n.kind === 'parallel') for (const c of n.children) declare(c, indent);
    else {
      if (n.initial !== null) out.push(`${indent}[*] --> ${idOf(n.initial)}`);
      for (const c of n.children) declare(c, indent);
    }
    for (const e of edges) if (e.scope === n.path) out.push(`${indent}${idOf(e.from)} --> ${idOf(e.to)} : ${edgeLabel(e.label)}`);
  };
  // Mermaid accepts `--` only inside a composite, so a parallel root is always drawn as one (#16).
  const rootDrawn = chart.root.kind !== 'compound' || edges.some((e) => e.scope === null);
  if (rootDrawn) {
    out.push(`  [*] --> ${idOf('')}`);
    declare(chart.root, '  ');
    for (const e of edges) if (e.scope === null) out.push(`  ${idOf(e.from)} --> ${idOf(e.to)} : ${edgeLabel(e.label)}`);
  } else body(chart.root, '  ');
  return `${out.join('\n')}\n`;
}

/**
 * Mermaid `flowchart LR` text of the top pathways (no fences): a start node, one node per distinct
 * ladder step, one node per final peak, and edges weighted by the runs that took them (labels give
 * the share of runs). Steps raise the rung strictly, so the graph has no cycle. Pure.
 */
export function renderPathwayFlowchart(pathways: readonly PathwaySummary[], runs: number): string {
  const nodeIds = new Map<string, string>();
  const out = ['flowchart LR', '  start(["start"])'];
  const node = (key: string, text: string, shape: 'step' | 'end'): string => {
    let id = nodeIds.get(key);
    if (id === undefined) {
      id = `${shape === 'step' ? 's' : 'p'}${nodeIds.size + 1}`;
      nodeIds.set(key, id);
      out.push(shape === 'step' ? `  ${id}["${quote(text)}"]` : `  ${id}(["${quote(text)}"])`);
    }
    return id;
  };
  const edges = new Map<string, number>();
  for (const p of pathways) {
    let prev = 'start';
    for (const step of p.steps) {
      const id = node(`step:${step}`, step, 'step');
      edges.set(`${prev} ${id}`, (edges.get(`${prev} ${id}`) ?? 0) + p.count);
      prev = id;
    }
    const last = p.steps[p.steps.length - 1];
    const peak = last === undefined ? 'no escalation' : `peak ${last.split(' ')[0]}`;
    const end = node(`end:${peak}`, peak, 'end');
    edges.set(`${prev} ${end}`, (edges.get(`${prev} ${end}`) ?? 0) + p.count);
  }
  for (const [key, count] of edges) {
    const [from, to] = key.split(' ') as [string, string];
    out.push(`  ${from} -->|"${runs === 0 ? '0' : pct(count / runs)}"| ${to}`);
  }
  return `${out.join('\n')}\n`;
}

const parentOf = (path: string): string | null => (path === '' ? null : path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '');

/**
 * Edges as Mermaid can draw them (#16): a loop on a region of a parallel state breaks Mermaid 11's
 * layout ("No such shape: divider"), so it is lifted to the parallel state and its label names the
 * region; edges between the same two states are merged into one, their labels listed once each.
 */
function forMermaid(edges: readonly PlacedEdge[], kindOf: (path: string) => 'atomic' | 'compound' | 'parallel'): PlacedEdge[] {
  const merged = new Map<string, { edge: PlacedEdge; labels: string[] }>();
  for (const e of edges) {
    let edge = e;
    const region = e.from;
    while (edge.from === edge.to && edge.scope !== null && kindOf(edge.scope) === 'parallel') {
      edge = { ...edge, from: edge.scope, to: edge.scope, scope: parentOf(edge.scope) };
    }
    const label = edge === e ? e.label : `${e.label} in ${region}`;
    const key = `${edge.scope ?? ''}\u0000${edge.from}\u0000${edge.to}`;
    const m = merged.get(key);
    if (m === undefined) merged.set(key, { edge, labels: [label] });
    else if (!m.labels.includes(label)) m.labels.push(label);
  }
  return [...merged.values()].map((m) => ({ ...m.edge, label: m.labels.join(', ') }));
}

function quote(text: string): string {
  return escapeMermaidLabel(text);
}

function edgeLabel(text: string): string {
  // `:` would end the label early in some Mermaid versions; `;` ends a statement.
  return escapeMermaidLabel(text.replace(/[:;]/g, ' '));
}
