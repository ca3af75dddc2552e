import type { PathwayNarrative } from '../analysis/narratives.ts';
import type { NarratedAct, RunReport } from '../analysis/run-report.ts';
import type { StateChart } from '../analysis/state-chart.ts';
import type { BatchSummary, ReportMeta } from '../analysis/summary.ts';
import { crossingChart, dyadChart, exceedanceChart, pathwayChart } from './chart-options.ts';
import { renderChartSvgs } from './echarts-svg.ts';
import { escapeHtml as esc } from './escape.ts';
import { pct, pctInterval } from './format.ts';
import { OUTCOME_HEADER, outcomeRows, runOutcomeLines } from './outcomes-view.ts';
import { influenceCaption, ratioInterval, selectInfluence } from './influence-view.ts';
import { renderStateDiagram } from './mermaid.ts';
import { renderStateSvg } from './state-svg.ts';

/** What the HTML report shows beyond the summary. */
export interface BatchHtmlExtras {
  /** The actors' statecharts (`deriveStateCharts`). */
  readonly charts: readonly StateChart[];
  /** The top pathways told act by act (`deriveNarratives`). */
  readonly narratives: readonly PathwayNarrative[];
  /** The turns' dates, `turnLabels[t - 1]` for turn t; default `turn t`. */
  readonly turnLabels?: readonly string[];
}

/**
 * Renders a batch as one self-contained HTML page: no script, no font, no request of any kind (a
 * Content-Security-Policy forbids them), charts drawn to SVG on the server by ECharts. Same summary
 * and extras, same bytes. Async only because ECharts is loaded lazily.
 */
export async function renderBatchHtml(s: BatchSummary, extras: BatchHtmlExtras): Promise<string> {
  const turnLabels = extras.turnLabels ?? Array.from({ length: s.meta.turns }, (_, i) => `turn ${i + 1}`);
  const specs = [exceedanceChart(s), ...(s.pathways.length > 0 ? [pathwayChart(s)] : []), ...(s.dyads.length > 0 ? [dyadChart(s)] : [])];
  const crossingSpecs = s.thresholds.map((t) => crossingChart(s, t, turnLabels));
  const svgs = await renderChartSvgs([...specs, ...crossingSpecs]);
  let next = 0;
  const take = () => svgs[next++] as string;
  const exceedanceSvg = take();
  const pathwaySvg = s.pathways.length > 0 ? take() : '';
  const dyadSvg = s.dyads.length > 0 ? take() : '';
  const crossingSvgs = s.thresholds.map(() => take());

  const body: string[] = [];
  body.push(header(s.meta, `${s.meta.runs} run${s.meta.runs === 1 ? '' : 's'}`));
  body.push(
    `<nav><a href="#peaks">Peaks</a> · <a href="#thresholds">Thresholds</a> · ${s.outcomes !== undefined ? '<a href="#outcomes">Outcomes</a> · ' : ''}<a href="#pathways">Pathways</a> · <a href="#dyads">Dyads</a> · <a href="#influence">Decisions</a> · <a href="#actors">Actors</a> · <a href="#narratives">Narratives</a></nav>`,
  );

  const reached = s.ladder.map((_, i) => s.peaks.some((p) => (p.exceedance[i]?.count ?? 0) > 0));
  body.push(
    section(
      'peaks',
      'How high it climbs: P(peak ≥ rung)',
      `<p>Share of runs whose peak reached each rung or higher, overall and per theatre; bands and brackets are 95% Wilson intervals.</p>`,
      figure(exceedanceSvg, 'P(peak ≥ rung) per scope, with 95% intervals', 'chart-exceedance'),
      table(
        ['rung', ...s.peaks.map((p) => p.name)],
        s.ladder.filter((_, i) => reached[i]).map((r) => {
          const i = s.ladder.indexOf(r);
          return [`${r.id} ${r.name}`, ...s.peaks.map((p) => pctInterval(p.exceedance[i] as { p: number; low: number; high: number }))];
        }),
        [false, ...s.peaks.map(() => true)],
      ),
    ),
  );

  if (s.thresholds.length > 0) {
    body.push(
      section(
        'thresholds',
        'When thresholds are crossed',
        '<p>Cumulative share of runs that had crossed each threshold by each turn.</p>',
        `<div class="grid">${crossingSvgs.map((svg, i) => figure(svg, `Crossing of ${s.thresholds[i]?.id} by turn`, 'chart-crossing')).join('\n')}</div>`,
        table(
          ['threshold', 'scope', 'crossed', 'first crossing: median [quartiles]'],
          s.thresholds.flatMap((t) =>
            t.scopes.map((sc) => [
              `${t.id} ${t.name} (≥ ${t.rung})`,
              sc.scope,
              pctInterval(sc.crossed),
              sc.date === undefined ? '—' : `${sc.date.median} [${sc.date.q1} – ${sc.date.q3}]`,
            ]),
          ),
          [false, false, true, false],
        ),
      ),
    );
  }

  if (s.outcomes !== undefined) {
    body.push(
      section(
        'outcomes',
        'Outcomes',
        '<p>Share of runs that reached each of the scenario’s outcomes, with 95% Wilson intervals, and the first turn its condition held among the runs where it ever did.</p>',
        table([...OUTCOME_HEADER], outcomeRows(s.outcomes), [false, false, true, false, false]),
      ),
    );
  }

  const covered = s.pathways.reduce((n, p) => n + p.count, 0);
  body.push(
    section(
      'pathways',
      `Top pathways (${s.distinctPathways} distinct)`,
      `<p>The ladder steps of the ${s.pathways.length} commonest pathways, covering ${pct(s.meta.runs === 0 ? 0 : covered / s.meta.runs)} of runs; each node shows the share of all runs that passed through it.</p>`,
      pathwaySvg === '' ? '' : figure(pathwaySvg, 'Top pathways as a flow', 'chart-pathways'),
      table(
        ['#', 'share', 'runs', 'pathway', 'replay seed'],
        s.pathways.map((p) => [String(p.rank), pct(p.share), String(p.count), p.steps.length === 0 ? '(no escalation)' : p.steps.join(' → '), p.seed]),
        [true, true, true, false, false],
      ),
    ),
  );

  if (s.dyads.length > 0) {
    body.push(
      section(
        'dyads',
        'Dyads: peak rung per ordered pair',
        '<p>Rows act against columns. Colour and first line: the median peak over all runs; second line: the highest rung reached in any run.</p>',
        figure(dyadSvg, 'Dyad matrix', 'chart-dyads'),
        table(
          ['from → to', 'max', 'median', ...s.thresholds.map((t) => `P(≥ ${t.rung})`)],
          s.dyads.map((d) => [`${d.from} → ${d.to}`, d.max, d.median ?? '—', ...s.thresholds.map((t) => pct(d.atLeast[t.id] ?? 0))]),
          [false, false, false, ...s.thresholds.map(() => true)],
        ),
      ),
    );
  }

  body.push(influenceSection(s));

  body.push(
    section(
      'actors',
      'Actors’ state machines',
      '<p>Each actor’s statechart: boxes are states (composites hold their children; parallel regions are stacked), a dot marks the initial state, arcs are transitions (forward above, backward below), ↻ lists transitions that stay in or return to the same state, and “moves” are the acts the actor may choose on its own in that state.</p>',
      ...extras.charts.map(
        (c, i) =>
          `<article class="actor"><h3>${esc(c.actor)} — ${esc(c.name)}</h3>\n<div class="scroll">${renderStateSvg(c, `sd${i}`)}</div>\n<details><summary>Mermaid source</summary><pre>${esc(renderStateDiagram(c))}</pre></details></article>`,
      ),
    ),
  );

  const file = s.meta.scenario.files[0] ?? '<scenario>';
  body.push(
    section(
      'narratives',
      'Top pathways, told',
      '<p>Each top pathway replayed from its seed: the acts that raised the peak (▲) and what led to them.</p>',
      ...extras.narratives.map(
        (n) =>
          `<article class="narrative"><h3>#${n.rank} · ${pct(n.share)} of runs (${n.count})</h3>\n<p class="sig">${esc(n.signature.split(" > ").join(" → "))}</p>\n<p>Replay: <code>brink run ${esc(file)} --seed ${esc(n.seed)}</code></p>\n${actsTable(n.report.pathway)}</article>`,
      ),
    ),
  );

  body.push(
    section(
      'coverage',
      `Rules that never fired (${s.neverFired.length} of ${s.rules.length})`,
      s.neverFired.length === 0 ? '<p>Every rule fired in at least one run.</p>' : `<ul class="rules">${s.neverFired.map((r) => `<li><code>${esc(r.id)}</code></li>`).join('')}</ul>`,
    ),
  );
  return page(s.meta, body);
}

/** Renders one run as a self-contained HTML page: its pathway, every act, and the actors' state machines. Pure. */
export function renderRunHtml(r: RunReport, charts: readonly StateChart[]): string {
  const body: string[] = [header(r.meta, `run seed ${r.meta.seed}`)];
  const theatres = r.peak.theatres.map((t) => `${t.name}: ${t.peak ?? 'none'}`).join(' · ');
  body.push(
    section(
      'pathway',
      'Pathway',
      `<p><strong>Peak:</strong> ${esc(r.peak.overall ?? 'no escalation')}${theatres === '' ? '' : ` (${esc(theatres)})`}</p>`,
      r.outcomes === undefined ? '' : `<ul class="outcomes">${runOutcomeLines(r.outcomes).map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`,
      `<p class="sig">${esc(r.signature)}</p>`,
      `<p>Replay: <code>brink run ${esc(r.meta.scenario.files[0] ?? '<scenario>')} --seed ${esc(r.meta.seed)}</code></p>`,
      actsTable(r.pathway),
    ),
    section('acts', 'Every act', actsTable(r.acts)),
    section(
      'actors',
      'Actors’ state machines',
      ...charts.map((c, i) => `<article class="actor"><h3>${esc(c.actor)} — ${esc(c.name)}</h3>\n<div class="scroll">${renderStateSvg(c, `sd${i}`)}</div></article>`),
    ),
  );
  return page(r.meta, body);
}

function influenceSection(s: BatchSummary): string {
  const inf = s.influence;
  const parts = [`<p>${esc(influenceCaption(inf))}</p>`];
  if (inf.rung !== null || inf.outcome !== undefined) {
    const view = selectInfluence(inf);
    const label = inf.outcome?.id ?? `≥ ${inf.rung}`;
    const header = ['rule', 'kind', 'fired in', `P(${label} | fired)`, `P(${label} | not fired)`, 'risk ratio'];
    const row = (r: (typeof inf.rules)[number]) => [r.id, r.kind, pct(r.fired.total / Math.max(1, inf.reached.total)), pctInterval(r.fired), pctInterval(r.notFired), ratioInterval(r.riskRatio)];
    const right = [false, false, true, true, true, true];
    parts.push(view.likelier.length === 0 ? '<p>No rule has enough support.</p>' : table(header, view.likelier.map(row), right));
    if (view.rarer.length > 0) parts.push('<h3>Rarer after</h3>', table(header, view.rarer.map(row), right));
    if (inf.unsupported > 0) parts.push(`<p>${inf.unsupported} more rule${inf.unsupported === 1 ? '' : 's'} fired too rarely or too often to rank.</p>`);
  }
  return section('influence', 'Which decisions matter', ...parts);
}

function actsTable(acts: readonly NarratedAct[]): string {
  return table(
    ['turn', 'date', 'actor', 'act', 'rung', 'why', 'sources'],
    acts.map((a) => [
      String(a.turn),
      a.date,
      a.actor,
      `${a.step ? '▲ ' : ''}${a.act}${a.against.length > 0 ? ` → ${a.against.join(', ')}` : ''}`,
      `${a.rung} ${a.rungName}`,
      why(a),
      [...a.claims.map((c) => `${c.text === '' ? c.id : `${c.id}: ${c.text}`}${c.page === undefined ? '' : ` (p. ${c.page})`}${c.disputed === true ? ' [disputed]' : ''}`), ...(a.rule.assumption === null ? [] : [`assumption: ${a.rule.assumption}`])].join(' · '),
    ]),
    [true, false, false, false, false, false, false],
  );
}

function why(a: NarratedAct): string {
  switch (a.origin) {
    case 'script':
      return `scripted (${a.rule.id.replace(/^inject:/, '')})`;
    case 'shock':
      return `shock ${a.rule.id.replace(/^shock:/, '')}`;
    case 'move':
      return `${a.actor} chose this move (${a.rule.id.replace(/^move:/, '')})`;
    case 'reaction':
      return a.cause === null ? 'a reaction' : `reaction to #${a.cause.id} ${a.cause.actor} ${a.cause.act}`;
    default: {
      const never: never = a.origin;
      return never;
    }
  }
}

function header(m: ReportMeta, what: string): string {
  const rows: Array<[string, string]> = [
    ['scenario', `${m.scenario.id} (${m.scenario.files.join(', ') || 'in memory'})`],
    ['content hash', m.scenario.hash || '—'],
    ['seed', m.seed],
    ['runs', String(m.runs)],
    ['engine', m.engine],
    ['turns', `${m.turns} (${m.firstDate} – ${m.lastDate})`],
    ['Brink', m.version],
  ];
  return `<header><h1>${esc(m.scenario.title)}</h1>\n<p class="what">${esc(what)}</p>\n<dl class="meta">${rows.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl></header>`;
}

function section(id: string, title: string, ...parts: string[]): string {
  return `<section id="${id}">\n<h2>${esc(title)}</h2>\n${parts.filter((p) => p !== '').join('\n')}\n</section>`;
}

function figure(svg: string, caption: string, cls: string): string {
  return `<figure class="${cls}"><div class="scroll">${svg}</div><figcaption>${esc(caption)}</figcaption></figure>`;
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, right: readonly boolean[] = []): string {
  const cell = (tag: 'th' | 'td', text: string, i: number) => `<${tag}${right[i] === true ? ' class="num"' : ''}>${esc(text)}</${tag}>`;
  return `<table>\n<thead><tr>${header.map((h, i) => cell('th', h, i)).join('')}</tr></thead>\n<tbody>\n${rows.map((r) => `<tr>${r.map((c, i) => cell('td', c, i)).join('')}</tr>`).join('\n')}\n</tbody>\n</table>`;
}

function page(m: ReportMeta, body: readonly string[]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="Brink ${esc(m.version)}">
<title>${esc(m.scenario.title)} — Brink report</title>
<style>
${CSS}
</style>
</head>
<body>
${body.join('\n')}
<footer>Brink ${esc(m.version)} · scenario ${esc(m.scenario.hash || '—')} · seed ${esc(m.seed)} · ${m.runs} run${m.runs === 1 ? '' : 's'}. The same scenario and seed give this same file, byte for byte.</footer>
</body>
</html>
`;
}

const CSS = `:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1f2328; background: #fff; margin: 0 auto; padding: 24px 32px 48px; max-width: 1180px; line-height: 1.45; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; margin-top: 36px; }
h3 { font-size: 1.05rem; margin: 20px 0 6px; }
p.what { color: #57606a; margin: 0 0 12px; }
dl.meta { display: flex; flex-wrap: wrap; gap: 8px 24px; margin: 0; font-size: 0.9rem; }
dl.meta div { display: flex; gap: 6px; }
dl.meta dt { color: #57606a; }
dl.meta dd { margin: 0; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
nav { margin: 16px 0 0; font-size: 0.9rem; }
a { color: #0969da; }
table { border-collapse: collapse; margin: 12px 0; font-size: 0.86rem; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 12px 0; }
figcaption { font-size: 0.8rem; color: #57606a; }
.scroll { overflow-x: auto; }
.grid { display: flex; flex-wrap: wrap; gap: 8px 24px; }
code, pre, .sig { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85rem; }
.sig { background: #f6f8fa; padding: 4px 8px; border-radius: 4px; }
pre { background: #f6f8fa; padding: 8px; overflow-x: auto; }
ul.rules { columns: 2; font-size: 0.85rem; }
footer { margin-top: 48px; font-size: 0.8rem; color: #57606a; border-top: 1px solid #d0d7de; padding-top: 8px; }`;
