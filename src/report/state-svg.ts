import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { StateChart, StateChartNode } from '../analysis/state-chart.ts';
import { escapeHtml } from './escape.ts';
import { pct } from './format.ts';
import { type PlacedEdge, placeEdges } from './place-edges.ts';
import { textWidth } from './text-width.ts';

const NAME = 13;
const SMALL = 11;
const LINE = 15;
const PAD = 10;

/** How often the batch visited each state: share of runs by state path (absent: no shading). */
export type StateVisits = ReadonlyMap<string, { readonly runs: number; readonly share: number }>;

/**
 * An actor's statechart as SVG, laid out by ELK (layered, compound nodes): states as boxes that
 * contain their children, parallel regions side by side in a dashed box, transitions between
 * siblings as routed edges labelled with their distinct events, each listed once; under a state's
 * name the moves the actor may choose there and its loops (`↻`); a dot marks initial states. With
 * `visits`, each state is shaded by the share of runs that visited it and says so. Text is sized by a
 * per-character estimate and held to it with `textLength`, so labels never overrun their boxes. Same
 * chart, same bytes; `idPrefix` keeps ids unique within a page.
 */
export async function renderStateSvg(chart: StateChart, idPrefix = 'sd', visits?: StateVisits): Promise<string> {
  const nodes = new Map<string, StateChartNode>();
  const collect = (n: StateChartNode) => {
    nodes.set(n.path, n);
    for (const c of n.children) collect(c);
  };
  collect(chart.root);
  const edges = placeEdges(chart, (p) => (nodes.get(p) as StateChartNode).kind);
  const loopsOn = new Map<string, PlacedEdge[]>();
  const inScope = new Map<string, PlacedEdge[]>();
  for (const e of edges) {
    const bucket = e.from === e.to ? loopsOn : inScope;
    const key = e.from === e.to ? e.from : (e.scope as string);
    (bucket.get(key) ?? bucket.set(key, []).get(key))?.push(e);
  }
  const ids = new Map<string, string>();
  [...nodes.keys()].forEach((p, i) => ids.set(p, `${idPrefix}-n${i}`));
  const title = (n: StateChartNode) => (n.path === '' ? `${chart.name} (${chart.actor})` : n.name);
  const visitLine = (n: StateChartNode) => {
    const v = visits?.get(n.path);
    return v === undefined ? [] : [`visited in ${pct(v.share)} of runs`];
  };
  const extraLines = (n: StateChartNode) => {
    const lines: string[] = [];
    const moves = [...new Set(n.moves)];
    if (moves.length > 0) lines.push(`moves: ${moves.join(', ')}`);
    const loops = distinct(loopsOn.get(n.path) ?? []);
    if (loops.length > 0) lines.push(`↻ ${loops.join(', ')}`);
    return lines;
  };

  const toElk = (n: StateChartNode, initial = false): ElkNode => {
    const lines = [...visitLine(n), ...extraLines(n)];
    const textW = Math.max(textWidth(title(n), NAME), ...lines.map((l) => textWidth(l, SMALL)));
    const headH = 20 + lines.length * LINE;
    const first = initial ? { layoutOptions: { 'elk.layered.layering.layerConstraint': 'FIRST' } } : {};
    if (n.children.length === 0) return { id: ids.get(n.path) as string, width: Math.ceil(textW + 2 * PAD), height: headH + 8, ...first };
    const merged = new Map<string, PlacedEdge[]>();
    for (const e of inScope.get(n.path) ?? []) {
      const key = `${e.from}\u0000${e.to}`;
      (merged.get(key) ?? merged.set(key, []).get(key))?.push(e);
    }
    const elkEdges: ElkExtendedEdge[] = [...merged.values()].map((group, i) => {
      const label = distinct(group).join(', ');
      return {
        id: `${ids.get(n.path)}-e${i}`,
        sources: [ids.get((group[0] as PlacedEdge).from) as string],
        targets: [ids.get((group[0] as PlacedEdge).to) as string],
        labels: [{ id: `${ids.get(n.path)}-l${i}`, text: label, width: Math.ceil(textWidth(label, SMALL)) + 4, height: 14 }],
      };
    });
    const parallel = n.kind === 'parallel';
    return {
      id: ids.get(n.path) as string,
      layoutOptions: {
        'elk.algorithm': 'layered',
        'elk.direction': parallel ? 'DOWN' : 'RIGHT',
        'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
        'elk.padding': `[top=${headH + 6},left=${PAD + (n.initial === null ? 0 : 10)},bottom=${PAD},right=${PAD}]`,
        'elk.spacing.nodeNode': parallel ? '14' : '22',
        'elk.layered.spacing.nodeNodeBetweenLayers': '46',
        'elk.spacing.edgeLabel': '3',
        'elk.spacing.edgeNode': '12',
        'elk.layered.spacing.edgeNodeBetweenLayers': '12',
        'elk.edgeRouting': 'ORTHOGONAL',
        'elk.edgeLabels.placement': 'CENTER',
        'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
        'elk.nodeSize.minimum': `(${Math.ceil(textW + 2 * PAD)},${headH + 8})`,
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
      },
      children: n.children.map((c) => toElk(c, c.path === n.initial)),
      ...first,
      edges: elkEdges,
    };
  };

  const elk = await loadElk();
  const laid = await elk.layout({ id: `${idPrefix}-graph`, layoutOptions: { 'elk.algorithm': 'layered', 'elk.padding': '[top=4,left=4,bottom=4,right=4]' }, children: [toElk(chart.root)] });

  const byId = new Map([...nodes.values()].map((n) => [ids.get(n.path) as string, n]));
  const out: string[] = [];
  const edgeOut: string[] = [];
  const arrow = `${idPrefix}-arrow`;
  const num = (x: number) => String(Math.round(x * 10) / 10);
  const text = (x: number, y: number, s: string, cls: string, size: number, anchor: 'start' | 'middle' = 'start') =>
    `<text x="${num(x)}" y="${num(y)}" text-anchor="${anchor}" class="${cls}" textLength="${num(textWidth(s, size))}" lengthAdjust="spacingAndGlyphs">${escapeHtml(s)}</text>`;

  const draw = (g: ElkNode, ox: number, oy: number) => {
    const n = byId.get(g.id) as StateChartNode;
    const x = ox + (g.x ?? 0);
    const y = oy + (g.y ?? 0);
    const w = g.width ?? 0;
    const h = g.height ?? 0;
    const atomic = n.children.length === 0;
    const v = visits?.get(n.path);
    const fill = v === undefined ? '' : ` style="fill:${visitColour(v.share)}"`;
    const loops = loopsOn.get(n.path) ?? [];
    const tip = [
      `${chart.actor} ${n.path === '' ? '(root)' : n.path}`,
      ...(v === undefined ? [] : [`visited in ${pct(v.share)} of runs (${v.runs})`]),
      ...(n.moves.length > 0 ? [`moves: ${[...new Set(n.moves)].join(', ')}`] : []),
      ...loops.map((l) => `↻ ${l.label}`),
    ].join('\n');
    const cls = atomic ? 'state' : n.kind === 'parallel' ? 'state parallel' : 'state composite';
    out.push(`<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" rx="${atomic ? 7 : 9}" class="${cls}"${fill} data-tip="${escapeHtml(tip)}"/>`);
    const lines = [...visitLine(n), ...extraLines(n)];
    out.push(text(x + PAD, y + 16, title(n), atomic ? 'state-name' : 'state-title', NAME));
    lines.forEach((line, i) => out.push(text(x + PAD, y + 16 + (i + 1) * LINE, line, i === 0 && v !== undefined ? 'state-visits' : 'state-moves', SMALL)));
    for (const c of g.children ?? []) draw(c, x, y);
    if (n.initial !== null) {
      const first = (g.children ?? []).find((c) => byId.get(c.id)?.path === n.initial);
      if (first !== undefined) {
        const cy = y + (first.y ?? 0) + 12;
        const tx = x + (first.x ?? 0);
        out.push(`<circle cx="${num(tx - 11)}" cy="${num(cy)}" r="3.5" class="initial"/>`, `<path d="M${num(tx - 7.5)} ${num(cy)}H${num(tx)}" class="edge" marker-end="url(#${arrow})"/>`);
      }
    }
    for (const e of g.edges ?? []) {
      for (const s of e.sections ?? []) {
        const pts = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p) => `${num(x + p.x)} ${num(y + p.y)}`);
        const label = e.labels?.[0];
        edgeOut.push(`<path d="M${pts.join('L')}" class="edge" marker-end="url(#${arrow})" data-tip="${escapeHtml(label?.text ?? '')}"/>`);
      }
      for (const l of e.labels ?? []) {
        const lx = x + (l.x ?? 0);
        const ly = y + (l.y ?? 0);
        edgeOut.push(
          `<rect x="${num(lx)}" y="${num(ly)}" width="${num(l.width ?? 0)}" height="${num(l.height ?? 0)}" class="edge-label-bg"/>`,
          text(lx + 2, ly + 11, l.text ?? '', 'edge-label', SMALL),
        );
      }
    }
  };
  for (const c of laid.children ?? []) draw(c, 0, 0);
  const width = Math.ceil(laid.width ?? 0);
  const height = Math.ceil(laid.height ?? 0);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="State diagram of ${escapeHtml(chart.name)}" class="state-diagram">`,
    `<style>${STYLE}</style>`,
    `<defs><marker id="${arrow}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#444"/></marker></defs>`,
    ...out,
    ...edgeOut,
    '</svg>',
  ].join('\n');
}

type ElkInstance = { layout(graph: ElkNode): Promise<ElkNode> };
let elkInstance: Promise<ElkInstance> | undefined;

/** ELK is loaded lazily (only the HTML reports pay for it), once; CommonJS, so its default export is the constructor. */
function loadElk(): Promise<ElkInstance> {
  elkInstance ??= import('elkjs/lib/elk.bundled.js').then((m) => {
    const mod = m as unknown as { default: (new () => ElkInstance) | { default: new () => ElkInstance } };
    const Elk = typeof mod.default === 'function' ? mod.default : mod.default.default;
    return new Elk();
  });
  return elkInstance;
}

/** Distinct labels of a group of edges, in order: each event listed once. */
function distinct(edges: readonly PlacedEdge[]): string[] {
  return [...new Set(edges.map((e) => e.label.replace(/ \(stays\)$/, '')))];
}

/** White to blue by the share of runs that visited a state (sequential, colour-blind safe). */
function visitColour(share: number): string {
  const t = Math.sqrt(Math.max(0, Math.min(1, share)));
  const mix = (a: number, b: number) => Math.round(a + (b - a) * t);
  return `rgb(${mix(250, 146)},${mix(251, 197)},${mix(253, 222)})`;
}

const STYLE = [
  '.state{fill:#f8fafc;stroke:#64748b;stroke-width:1.2}',
  '.state.composite{fill:#eef2f7}',
  '.state.parallel{fill:#f3f0f9;stroke-dasharray:6 3}',
  '.state:hover{stroke:#0f172a;stroke-width:2}',
  '.state-name{font:13px sans-serif;fill:#1f2328}',
  '.state-title{font:bold 13px sans-serif;fill:#1f2328}',
  '.state-moves{font:11px sans-serif;fill:#475569}',
  '.state-visits{font:11px sans-serif;fill:#1e3a8a}',
  '.edge{fill:none;stroke:#475569;stroke-width:1.2}',
  '.edge:hover{stroke:#0f172a;stroke-width:2.4}',
  '.edge-label-bg{fill:#fff;fill-opacity:.85}',
  '.edge-label{font:11px sans-serif;fill:#24292f}',
  '.initial{fill:#1f2328}',
  'text{pointer-events:none}',
].join('');
