/** A sweep's report: text, Markdown, HTML (self-contained, charts as inline SVG), JSON, and a table row per point. Pure. */
import type { RungProbability, SweepResult } from '../batch/sweep.ts';
import { escapeHtml as esc } from './escape.ts';
import { pct, pctInterval, table } from './format.ts';
import { mdTable } from './markdown.ts';
import type { Cell, Column } from './table.ts';

/**
 * The rungs worth a column: those whose probability is neither 0 everywhere nor 1 everywhere, the
 * highest `max` of them (the top of the ladder is where variants differ).
 */
export function sweepRungs(s: SweepResult, max = 5): string[] {
  const all = s.points.flatMap((p) => p.exceedance);
  const varies = s.ladder.filter((r) => {
    const ps = all.filter((e) => e.rung === r.id).map((e) => e.p);
    return ps.some((p) => p > 0) && ps.some((p) => p < 1);
  });
  return varies.slice(-max).map((r) => r.id);
}

const show = (v: number | string) => (typeof v === 'number' ? String(v) : v);
const cell = (e: RungProbability | undefined) => (e === undefined ? '—' : pctInterval(e));
const find = (list: readonly RungProbability[], rung: string) => list.find((e) => e.rung === rung);

function headLines(s: SweepResult): string[] {
  const m = s.meta;
  return [
    `Sweep: ${m.scenario.title} (${m.scenario.id}) · ${s.points.length} point${s.points.length === 1 ? '' : 's'}${s.stopped ? ` of ${s.planned} (stopped)` : ''} over ${s.axes.map((a) => a.name).join(' × ')}`,
    `Brink ${m.version} · scenario ${m.scenario.hash.slice(0, 19)} · seed ${m.seed} · ${m.runs} run${m.runs === 1 ? '' : 's'} a point (the same seeds at every point: common random numbers) · engine ${m.engine}`,
  ];
}

/** Plain text for a terminal. */
export function renderSweepText(s: SweepResult): string {
  const rungs = sweepRungs(s);
  const out = [...headLines(s), ''];
  for (const e of s.effects) {
    out.push(`Along ${e.axis}: P(overall peak ≥ rung), 95% interval, pooled over the points with each value`);
    out.push(...table([[e.axis, 'points', ...rungs.map((r) => `≥ ${r}`)], ...e.rows.map((r) => [show(r.value), String(r.points), ...rungs.map((g) => cell(find(r.exceedance, g)))])], ['l', 'r']).map((l) => `  ${l}`));
    out.push('');
  }
  out.push('Points');
  out.push(
    ...table(
      [
        ['#', ...s.axes.map((a) => a.name), ...rungs.map((r) => `≥ ${r}`), 'top pathway'],
        ...s.points.map((p) => [String(p.index), ...p.values.map(show), ...rungs.map((g) => cell(find(p.exceedance, g))), p.topPathway === null ? '—' : `${pct(p.topPathway.share)} ${p.topPathway.signature}`]),
      ],
      ['r'],
    ).map((l) => `  ${l}`),
  );
  return `${out.join('\n')}\n`;
}

/** GitHub-flavoured Markdown. */
export function renderSweepMarkdown(s: SweepResult): string {
  const rungs = sweepRungs(s);
  const out = [`# ${headLines(s)[0]}`, '', headLines(s)[1] as string, ''];
  for (const e of s.effects) {
    out.push(`## Along \`${e.axis}\``, '', 'P(overall peak ≥ rung) with its 95% interval, pooled over the points with each value.', '');
    out.push(...mdTable([e.axis, 'points', ...rungs.map((r) => `≥ ${r}`)], e.rows.map((r) => [show(r.value), String(r.points), ...rungs.map((g) => cell(find(r.exceedance, g)))]), new Set([1])));
    out.push('');
  }
  out.push('## Points', '');
  out.push(...mdTable(['#', ...s.axes.map((a) => `\`${a.name}\``), ...rungs.map((r) => `≥ ${r}`), 'top pathway'], s.points.map((p) => [String(p.index), ...p.values.map(show), ...rungs.map((g) => cell(find(p.exceedance, g))), p.topPathway === null ? '—' : `${pct(p.topPathway.share)} ${p.topPathway.signature}`])));
  return `${out.join('\n')}\n`;
}

/** JSON: the whole result. */
export function renderSweepJson(s: SweepResult): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];

/** A line chart of P(≥ rung) along a numeric axis, with interval bands: inline SVG, no script. */
function axisChart(e: SweepResult['effects'][number], rungs: readonly string[]): string {
  const rows = e.rows.filter((r) => typeof r.value === 'number');
  if (rows.length < 2) return '';
  const W = 560;
  const H = 260;
  const L = 48;
  const B = 34;
  const xs = rows.map((r) => r.value as number);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const ymax = Math.min(1, Math.max(0.01, ...rows.flatMap((r) => r.exceedance.filter((x) => rungs.includes(x.rung)).map((x) => x.high))) * 1.1);
  const px = (x: number) => (L + ((x - x0) / (x1 - x0 || 1)) * (W - L - 12)).toFixed(1);
  const py = (y: number) => (H - B - (y / ymax) * (H - B - 24)).toFixed(1);
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="P(peak ≥ rung) along ${esc(e.axis)}">`];
  for (let k = 0; k <= 4; k++) {
    const y = (ymax * k) / 4;
    parts.push(`<line x1="${L}" x2="${W - 12}" y1="${py(y)}" y2="${py(y)}" stroke="#ddd"/><text x="${L - 6}" y="${py(y)}" font-size="11" text-anchor="end" dominant-baseline="middle">${pct(y, 0)}</text>`);
  }
  for (const x of xs) parts.push(`<text x="${px(x)}" y="${H - B + 16}" font-size="11" text-anchor="middle">${esc(String(x))}</text>`);
  parts.push(`<text x="${(W + L) / 2}" y="${H - 4}" font-size="12" text-anchor="middle">${esc(e.axis)}</text>`);
  rungs.forEach((g, i) => {
    const c = COLOURS[i % COLOURS.length] as string;
    const pts = rows.map((r) => ({ x: r.value as number, e: find(r.exceedance, g) as RungProbability }));
    const band = [...pts.map((p) => `${px(p.x)},${py(p.e.high)}`), ...[...pts].reverse().map((p) => `${px(p.x)},${py(p.e.low)}`)].join(' ');
    parts.push(`<polygon points="${band}" fill="${c}" fill-opacity="0.15"/>`);
    parts.push(`<polyline points="${pts.map((p) => `${px(p.x)},${py(p.e.p)}`).join(' ')}" fill="none" stroke="${c}" stroke-width="2"/>`);
    const last = pts[pts.length - 1] as (typeof pts)[number];
    parts.push(`<text x="${Number(px(last.x)) - 4}" y="${Number(py(last.e.p)) - 6}" font-size="11" text-anchor="end" fill="${c}">≥ ${esc(g)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** One self-contained HTML page: per axis a chart and a table, then the table of points. */
export function renderSweepHtml(s: SweepResult): string {
  const rungs = sweepRungs(s);
  const [title, sub] = headLines(s);
  const tableHtml = (head: readonly string[], rows: ReadonlyArray<readonly string[]>) =>
    `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  const body = [`<h1>${esc(title as string)}</h1>`, `<p class="meta">${esc(sub as string)}</p>`];
  for (const e of s.effects) {
    body.push(`<h2>Along <code>${esc(e.axis)}</code></h2>`, '<p>P(overall peak ≥ rung) with its 95% interval, pooled over the points with each value.</p>');
    body.push(axisChart(e, rungs));
    body.push(tableHtml([e.axis, 'points', ...rungs.map((r) => `≥ ${r}`)], e.rows.map((r) => [show(r.value), String(r.points), ...rungs.map((g) => cell(find(r.exceedance, g)))])));
  }
  body.push('<h2>Points</h2>');
  body.push(tableHtml(['#', ...s.axes.map((a) => a.name), ...rungs.map((r) => `≥ ${r}`), 'top pathway', 'replay seed'], s.points.map((p) => [String(p.index), ...p.values.map(show), ...rungs.map((g) => cell(find(p.exceedance, g))), p.topPathway === null ? '—' : `${pct(p.topPathway.share)} ${p.topPathway.signature}`, p.topPathway?.seed ?? '—'])));
  const css =
    'body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:13px}th,td{border-bottom:1px solid #e3e3e3;padding:.25rem .6rem;text-align:left;white-space:nowrap}th{background:#f6f6f6}.meta{color:#555}code{background:#f3f3f3;padding:0 .2rem}';
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(title as string)}</title><style>${css}</style></head><body>\n${body.join('\n')}\n</body></html>\n`;
}

/** The columns of the point table: `point`, `axis.<name>` (numbers as double, variants as string), `runs`, and `p.<rung>`, `low.<rung>`, `high.<rung>` for every rung. */
export function sweepColumns(s: SweepResult): Column[] {
  return [
    { name: 'point', type: 'int' },
    ...s.axes.map((a, i) => ({ name: `axis.${a.name}`, type: s.points.some((p) => typeof p.values[i] === 'string') ? ('string' as const) : ('double' as const) })),
    { name: 'runs', type: 'int' },
    ...s.ladder.flatMap((r) => [
      { name: `p.${r.id}`, type: 'double' as const },
      { name: `low.${r.id}`, type: 'double' as const },
      { name: `high.${r.id}`, type: 'double' as const },
    ]),
  ];
}

/** The point table's rows, in `sweepColumns` order. */
export function sweepRows(s: SweepResult): Cell[][] {
  return s.points.map((p) => [
    p.index,
    ...p.values,
    s.meta.runs,
    ...s.ladder.flatMap((r) => {
      const e = find(p.exceedance, r.id);
      return e === undefined ? [null, null, null] : [e.p, e.low, e.high];
    }),
  ]);
}
