import type { EChartsOption } from 'echarts';
import type { ChartSpec } from './chart-options.ts';
import { escapeHtml } from './escape.ts';

/**
 * Renders ECharts options to SVG strings on the server (no DOM, no animation). ECharts (the part of
 * it in echarts-lib.ts) is imported here, lazily, so only the HTML report pays for loading it. ECharts
 * names its CSS classes and ids after a process-wide counter; they are renumbered per chart (`<prefix><chart>-<n>`, in order of first
 * appearance), so the same specs give the same bytes in any process, and ids stay unique in a page.
 * Each chart gets what the page's script reads: `data-tip` on the elements and hover columns the spec
 * describes.
 */
export async function renderChartSvgs(specs: readonly ChartSpec[], prefix = 'ec'): Promise<string[]> {
  if (specs.length === 0) return [];
  const { init } = await import('./echarts-lib.ts');
  return specs.map((spec, index) => {
    const chart = init(null, null, { renderer: 'svg', ssr: true, width: spec.width, height: spec.height });
    try {
      chart.setOption({ animation: false, ...(guardTexts(spec.option) as EChartsOption) });
      return decorate(renumber(chart.renderToSVGString(), `${prefix}${index}`), spec);
    } finally {
      chart.dispose();
    }
  });
}

function renumber(svg: string, prefix: string): string {
  const names = new Map<string, string>();
  return svg.replace(/zr\d+-[A-Za-z]*-?\d+/g, (token) => {
    let name = names.get(token);
    if (name === undefined) {
      name = `${prefix}-${names.size}`;
      names.set(token, name);
    }
    return name;
  });
}

/** Adds tooltips to series 0's elements (by data index; a new phase each time the index starts over) and the hover columns. */
function decorate(svg: string, spec: ChartSpec): string {
  let out = svg;
  const tips = spec.elementTips;
  if (tips !== undefined && tips.length > 0) {
    let phase = 0;
    let last = -1;
    out = out.replace(/ecmeta_series_index="0" ecmeta_data_index="(\d+)" ecmeta_ssr_type="chart"/g, (match, d: string) => {
      const i = Number(d);
      if (i < last) phase++;
      last = i;
      const tip = (tips[Math.min(phase, tips.length - 1)] as readonly string[])[i];
      return tip === undefined ? match : `${match} data-tip="${escapeHtml(tip)}"`;
    });
  }
  const c = spec.columns;
  if (c !== undefined && c.tips.length > 0) {
    const plotW = spec.width - c.left - c.right;
    const step = c.tips.length > 1 ? plotW / (c.tips.length - 1) : plotW;
    const cols = c.tips.map((tip, i) => {
      const x0 = Math.max(c.left, c.left + (i - 0.5) * step);
      const x1 = Math.min(spec.width - c.right, c.left + (i + 0.5) * step);
      return `<rect class="hover-col" x="${round(x0)}" y="${c.top}" width="${round(x1 - x0)}" height="${spec.height - c.top - c.bottom}" data-tip="${escapeHtml(tip)}"/>`;
    });
    out = out.replace(/<\/svg>\s*$/, `${cols.join('')}</svg>`);
  }
  return out;
}

const round = (x: number) => Math.round(x * 10) / 10;
// zrender caches text widths in a plain object keyed by each line of a label: a line such as
// `__proto__` or `constructor` reaches Object.prototype there, and `__proto__` pollutes it (issue 18).
const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * The option with every text line that names an Object.prototype property followed by a zero-width
 * space (invisible in the chart), and line breaks in labels kept. Other values are returned as they are.
 */
function guardTexts(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    return value
      .split('\n')
      .map((line) => (PROTOTYPE_NAMES.has(line) ? `${line}\u200b` : line))
      .join('\n');
  }
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => guardTexts(v, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = guardTexts(v, depth + 1);
  return out;
}
