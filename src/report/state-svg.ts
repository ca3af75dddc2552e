import type { StateChart, StateChartNode } from '../analysis/state-chart.ts';
import { escapeHtml } from './escape.ts';
import { type PlacedEdge, placeEdges } from './place-edges.ts';

// Text is measured by an estimate (no font metrics on the server): generous widths per character.
const CHAR = 7.6;
const SMALL_CHAR = 6.4;
const PAD = 12;
const GAP = 64;
const TITLE = 24;
const BOX_H = 30;
const LINE_H = 15;
const LABEL_H = 16;

interface Laid {
  readonly node: StateChartNode;
  readonly width: number;
  readonly height: number;
  /** Children with their offsets inside this box. */
  readonly children: ReadonlyArray<{ readonly laid: Laid; readonly x: number; readonly y: number }>;
  /** Compound: the row's top edge inside the box, and the arcs drawn above and below it. */
  readonly rowY: number;
  readonly rowH: number;
  readonly arcs: readonly Arc[];
}

interface Arc {
  readonly from: number;
  readonly to: number;
  /** The distinct events, drawn on the arc. */
  readonly label: string;
  /** Every transition in full, as the arc's tooltip. */
  readonly detail: string;
  readonly height: number;
}

/** Distinct events for the drawing; the full labels for the tooltip. */
const summarize = (edges: readonly PlacedEdge[]) => ({
  label: [...new Set(edges.map((e) => e.event))].join(', '),
  detail: edges.map((e) => e.label).join('; '),
});

/**
 * An actor's statechart as a standalone SVG: states as boxes (composites contain their children, in a
 * row; parallel regions stacked and divided by dashed lines), under each state's name the moves the
 * actor may choose there and its loops (`↻`), a dot at each initial state, and the other transitions as
 * arcs — forward above the row, backward below. Same chart, same bytes; `idPrefix` keeps ids unique within a page.
 */
export function renderStateSvg(chart: StateChart, idPrefix = 'sd'): string {
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
    if (e.from === e.to) (loopsOn.get(e.from) ?? loopsOn.set(e.from, []).get(e.from))?.push(e);
    else if (e.scope !== null) (inScope.get(e.scope) ?? inScope.set(e.scope, []).get(e.scope))?.push(e);
  }
  const title = (n: StateChartNode) => (n.path === '' ? `${chart.name} (${chart.actor})` : n.name);
  // Under a state's name: the moves it may choose, then its loops (transitions back to itself).
  const extraLines = (n: StateChartNode) => {
    const lines: string[] = [];
    if (n.moves.length > 0) lines.push(`moves: ${n.moves.join(', ')}`);
    const loops = loopsOn.get(n.path) ?? [];
    if (loops.length > 0) lines.push(`↻ ${summarize(loops).label}`);
    return lines;
  };

  const lay = (n: StateChartNode): Laid => {
    const lines = extraLines(n);
    const ownWidth = Math.max(title(n).length * CHAR, ...lines.map((l) => l.length * SMALL_CHAR)) + 2 * PAD;
    if (n.children.length === 0) {
      return { node: n, width: ownWidth, height: BOX_H + lines.length * LINE_H, children: [], rowY: 0, rowH: 0, arcs: [] };
    }
    const kids = n.children.map(lay);
    const head = TITLE + lines.length * LINE_H;
    if (n.kind === 'parallel') {
      let y = head;
      const children = kids.map((laid) => {
        const at = { laid, x: PAD, y: y + PAD };
        y += laid.height + 2 * PAD;
        return at;
      });
      const width = Math.max(ownWidth, ...kids.map((k) => k.width + 2 * PAD));
      return { node: n, width, height: y, children, rowY: 0, rowH: 0, arcs: [] };
    }
    const index = new Map(n.children.map((c, i) => [c.path, i]));
    const merged = new Map<string, { from: number; to: number; edges: PlacedEdge[] }>();
    for (const e of inScope.get(n.path) ?? []) {
      const from = index.get(e.from) as number;
      const to = index.get(e.to) as number;
      const key = `${from}>${to}`;
      const m = merged.get(key) ?? merged.set(key, { from, to, edges: [] }).get(key);
      m?.edges.push(e);
    }
    const arcs: Arc[] = [...merged.values()].map((m) => ({ from: m.from, to: m.to, ...summarize(m.edges), height: 16 + 14 * (Math.abs(m.to - m.from) - 1) }));
    const above = Math.max(0, ...arcs.filter((a) => a.to > a.from).map((a) => a.height + LABEL_H));
    const below = Math.max(0, ...arcs.filter((a) => a.to < a.from).map((a) => a.height + LABEL_H));
    const rowH = Math.max(...kids.map((k) => k.height));
    const rowY = head + PAD + above;
    let x = PAD + 14;
    const children = kids.map((laid) => {
      const at = { laid, x, y: rowY };
      x += laid.width + GAP;
      return at;
    });
    const labelsWidth = Math.max(0, ...arcs.map((a) => a.label.length * SMALL_CHAR));
    const width = Math.max(ownWidth, x - GAP + PAD, labelsWidth + 2 * PAD);
    return { node: n, width, height: rowY + rowH + below + PAD, children, rowY, rowH, arcs };
  };

  const root = lay(chart.root);
  const margin = 8;
  const top = margin;
  const width = root.width + 2 * margin;
  const height = root.height + top + margin;
  const out: string[] = [];
  const arrow = `${idPrefix}-arrow`;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="State diagram of ${escapeHtml(chart.name)}" class="state-diagram">`,
    `<style>${STYLE}</style>`,
    `<defs><marker id="${arrow}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#444"/></marker></defs>`,
  );
  const text = (x: number, y: number, s: string, cls: string, anchor = 'middle') =>
    out.push(`<text x="${x}" y="${y}" text-anchor="${anchor}" class="${cls}">${escapeHtml(s)}</text>`);

  const draw = (l: Laid, x: number, y: number) => {
    const n = l.node;
    const atomic = n.children.length === 0;
    const loops = loopsOn.get(n.path) ?? [];
    const tip = loops.length === 0 ? '' : `<title>${escapeHtml(`${n.path === '' ? chart.actor : n.path}: ${summarize(loops).detail}`)}</title>`;
    out.push(
      `<rect x="${x}" y="${y}" width="${l.width}" height="${l.height}" rx="${atomic ? 8 : 10}" class="${atomic ? 'state' : n.kind === 'parallel' ? 'state parallel' : 'state composite'}">${tip}</rect>`,
    );
    const lines = extraLines(n);
    if (atomic) {
      text(x + l.width / 2, y + 19, title(n), 'state-name');
      lines.forEach((line, i) => text(x + l.width / 2, y + 19 + (i + 1) * LINE_H, line, 'state-moves'));
    } else {
      text(x + PAD, y + 16, title(n), 'state-title', 'start');
      if (n.kind === 'parallel') text(x + l.width - PAD, y + 16, 'parallel', 'state-moves', 'end');
      lines.forEach((line, i) => text(x + PAD, y + 16 + (i + 1) * LINE_H, line, 'state-moves', 'start'));
    }
    if (n.kind === 'parallel') {
      l.children.forEach((c, i) => {
        if (i > 0) out.push(`<line x1="${x}" y1="${y + c.y - PAD}" x2="${x + l.width}" y2="${y + c.y - PAD}" class="region-divider"/>`);
        draw(c.laid, x + c.x, y + c.y);
      });
      return;
    }
    for (const c of l.children) draw(c.laid, x + c.x, y + c.y);
    const initial = l.children.find((c) => c.laid.node.path === n.initial);
    if (initial !== undefined) {
      const cy = y + initial.y + 14;
      const cx = x + initial.x - 14;
      out.push(`<circle cx="${cx}" cy="${cy}" r="4" class="initial"/>`, `<path d="M${cx + 4} ${cy}L${x + initial.x} ${cy}" class="edge" marker-end="url(#${arrow})"/>`);
    }
    for (const a of l.arcs) {
      const from = l.children[a.from] as { laid: Laid; x: number; y: number };
      const to = l.children[a.to] as { laid: Laid; x: number; y: number };
      const forward = a.to > a.from;
      const x1 = x + from.x + from.laid.width / 2 + (forward ? 6 : -6);
      const x2 = x + to.x + to.laid.width / 2 + (forward ? -6 : 6);
      const yy = forward ? y + l.rowY : y + l.rowY + Math.max(from.laid.height, to.laid.height);
      const y1 = forward ? yy : y + from.y + from.laid.height;
      const y2 = forward ? yy : y + to.y + to.laid.height;
      const c = forward ? yy - a.height * 1.33 : yy + a.height * 1.33;
      out.push(`<path d="M${x1} ${y1}C${x1} ${c} ${x2} ${c} ${x2} ${y2}" class="edge" marker-end="url(#${arrow})"><title>${escapeHtml(a.detail)}</title></path>`);
      text((x1 + x2) / 2, forward ? yy - a.height - 4 : yy + a.height + 13, a.label, 'edge-label');
    }
  };
  draw(root, margin, top);
  out.push('</svg>');
  return out.join('\n');
}

const STYLE = [
  '.state{fill:#f8fafc;stroke:#64748b;stroke-width:1.2}',
  '.state.composite{fill:#eef2f7}',
  '.state.parallel{fill:#f3f0f9;stroke-dasharray:6 3}',
  '.region-divider{stroke:#8b7fb0;stroke-dasharray:4 3}',
  '.state-name{font:13px sans-serif;fill:#1f2328}',
  '.state-title{font:bold 13px sans-serif;fill:#1f2328}',
  '.state-moves{font:11px sans-serif;fill:#57606a}',
  '.edge{fill:none;stroke:#444;stroke-width:1.2}',
  '.edge-label{font:11px sans-serif;fill:#24292f}',
  '.initial{fill:#1f2328}',
].join('');
