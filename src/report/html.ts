import type { PathwayNarrative } from '../analysis/narratives.ts';
import type { NarratedAct, RunReport } from '../analysis/run-report.ts';
import type { StateChart } from '../analysis/state-chart.ts';
import type { BatchSummary, ReportMeta } from '../analysis/summary.ts';
import { renderChartData } from './chart-data.ts';
import { type ChartSpec, crossingChart, dyadChart, exceedanceChart, pathwayChart } from './chart-options.ts';
import { renderChartSvgs } from './echarts-svg.ts';
import { PAGE_SCRIPT, PAGE_SCRIPT_HASH } from './html-script.ts';
import { escapeHtml as esc } from './escape.ts';
import { chanceText, pct, pctInterval, reactionText } from './format.ts';
import { OUTCOME_HEADER, outcomeRows, runOutcomeLines } from './outcomes-view.ts';
import { influenceCaption, ratioInterval, selectInfluence } from './influence-view.ts';
import { renderStateDiagram } from './mermaid.ts';
import { renderStateSvg, type StateVisits } from './state-svg.ts';
import { renderTimelineSvg } from './timeline-svg.ts';

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
 * Renders a batch as one self-contained HTML page that makes no request: charts drawn to SVG on the
 * server (ECharts; state diagrams laid out by ELK), one inline script allowed by its hash in the
 * Content-Security-Policy for tooltips, legends and downloads of each chart's data, sections that
 * fold. Same summary and extras, same bytes. Async because ECharts and ELK are loaded lazily.
 */
export async function renderBatchHtml(s: BatchSummary, extras: BatchHtmlExtras): Promise<string> {
  const turnLabels = extras.turnLabels ?? Array.from({ length: s.meta.turns }, (_, i) => `turn ${i + 1}`);
  const exceedance = exceedanceChart(s);
  const pathway = s.pathways.length > 0 ? pathwayChart(s) : undefined;
  const dyad = s.dyads.length > 0 ? dyadChart(s) : undefined;
  const crossings = s.thresholds.map((t) => crossingChart(s, t, turnLabels));
  const specs = [exceedance, ...(pathway === undefined ? [] : [pathway]), ...(dyad === undefined ? [] : [dyad]), ...crossings];
  const svgs = await renderChartSvgs(specs);
  const svgOf = new Map(specs.map((spec, i) => [spec, svgs[i] as string]));
  const chart = (spec: ChartSpec, caption: string, cls: string) => figure(svgOf.get(spec) as string, caption, cls, spec);

  const body: string[] = [];
  body.push(header(s.meta, `${s.meta.runs} run${s.meta.runs === 1 ? '' : 's'}`), summaryCards(s));
  body.push(
    `<nav><a href="#peaks">Peaks</a> · <a href="#thresholds">Thresholds</a> · ${s.outcomes !== undefined ? '<a href="#outcomes">Outcomes</a> · ' : ''}<a href="#pathways">Pathways</a> · <a href="#dyads">Dyads</a> · <a href="#influence">Decisions</a> · <a href="#actors">Actors</a> · <a href="#narratives">Narratives</a> <span class="fold"><button type="button" data-details="open">expand all</button> <button type="button" data-details="close">collapse all</button></span></nav>`,
  );

  const reached = s.ladder.map((_, i) => s.peaks.some((p) => (p.exceedance[i]?.count ?? 0) > 0));
  body.push(
    section(
      'peaks',
      'How high it climbs: P(peak ≥ rung)',
      true,
      `<p>Share of runs whose peak reached each rung or higher, overall and per theatre, on a log scale so rare rungs stand apart from zero; dotted lines and brackets are 95% Wilson intervals. Hover for exact values; click a legend entry to hide its line.</p>`,
      chart(exceedance, 'P(peak ≥ rung) per scope, with 95% intervals (log scale)', 'chart-exceedance'),
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
        true,
        '<p>Cumulative share of runs that had crossed each threshold by each turn; each chart has its own scale.</p>',
        `<div class="grid">${crossings.map((spec, i) => chart(spec, `Crossing of ${s.thresholds[i]?.id} by turn`, 'chart-crossing')).join('\n')}</div>`,
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
        true,
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
      true,
      `<p>The ladder steps of the ${s.pathways.length} commonest pathways, covering ${pct(s.meta.runs === 0 ? 0 : covered / s.meta.runs)} of runs; each node shows the share of all runs that passed through it.</p>`,
      pathway === undefined ? '' : chart(pathway, 'Top pathways as a flow', 'chart-pathways wide'),
      table(
        ['#', 'share', 'runs', 'pathway', 'replay seed'],
        s.pathways.map((p) => [String(p.rank), pct(p.share), String(p.count), p.steps.length === 0 ? '(no escalation)' : p.steps.join(' → '), p.seed]),
        [true, true, true, false, false],
      ),
    ),
  );

  if (dyad !== undefined) {
    body.push(
      section(
        'dyads',
        'Dyads: peak rung per ordered pair',
        true,
        '<p>Rows act against columns. Colour (light = low rungs, dark = high) and first line: the median peak over all runs; second line: the highest rung reached in any run.</p>',
        chart(dyad, 'Dyad matrix', 'chart-dyads'),
        table(
          ['from → to', 'max', 'median', ...s.thresholds.map((t) => `P(≥ ${t.rung})`)],
          s.dyads.map((d) => [`${d.from} → ${d.to}`, d.max, d.median ?? '—', ...s.thresholds.map((t) => pct(d.atLeast[t.id] ?? 0))]),
          [false, false, false, ...s.thresholds.map(() => true)],
        ),
      ),
    );
  }

  body.push(influenceSection(s));

  const visits = (actor: string): StateVisits => new Map(s.states.filter((v) => v.actor === actor).map((v) => [v.path, { runs: v.runs, share: v.share }]));
  const diagrams = await Promise.all(extras.charts.map((c, i) => renderStateSvg(c, `sd${i}`, visits(c.actor))));
  body.push(
    section(
      'actors',
      'Actors’ state machines',
      false,
      '<p>Each actor’s statechart, laid out by ELK: boxes are states (composites hold their children; a dashed box holds parallel regions), a dot marks the initial state, arrows are transitions (each event listed once), ↻ lists transitions that stay in the same state, “moves” are the acts the actor may choose on its own there. Each state says the share of runs that visited it; leaf states are shaded by it (white: never; blue: every run).</p>',
      ...extras.charts.map(
        (c, i) =>
          `<details class="actor" open><summary><h3>${esc(c.actor)} — ${esc(c.name)}</h3></summary>\n<div class="scroll diagram">${diagrams[i]}</div>\n<details><summary>Mermaid source</summary><pre>${esc(renderStateDiagram(c))}</pre></details></details>`,
      ),
    ),
  );

  const file = s.meta.scenario.files[0] ?? '<scenario>';
  const actorIds = s.actors.map((a) => a.id);
  body.push(
    section(
      'narratives',
      'Top pathways, told',
      false,
      '<p>Each top pathway replayed from its seed: a timeline of every act of that run by actor (colour: rung; outlined: on the pathway; ▲: raised the peak), then the acts that raised the peak and what led to them.</p>',
      ...extras.narratives.map(
        (n) =>
          `<article class="narrative"><h3>#${n.rank} · ${pct(n.share)} of runs (${n.count})</h3>\n<p class="sig">${esc(n.signature.split(' > ').join(' → '))}</p>\n<p>Replay: <code>brink run ${esc(file)} --seed ${esc(n.seed)}</code></p>\n<div class="scroll">${renderTimelineSvg(n.report, actorIds, s.ladder, s.meta.turns, turnLabels)}</div>\n<details><summary>The pathway’s ${n.report.pathway.length} acts</summary>${actsTable(n.report.pathway)}</details></article>`,
      ),
    ),
  );

  body.push(
    section(
      'coverage',
      `Rules that never fired (${s.neverFired.length} of ${s.rules.length})`,
      false,
      s.neverFired.length === 0 ? '<p>Every rule fired in at least one run.</p>' : `<ul class="rules">${s.neverFired.map((r) => `<li><code>${esc(r.id)}</code></li>`).join('')}</ul>`,
    ),
  );
  return page(s.meta, body);
}

/** The three figures a reader wants first: the typical peak, the highest firebreak crossed, the highest rung reached. */
function summaryCards(s: BatchSummary): string {
  const overall = s.peaks[0];
  if (overall === undefined || s.meta.runs === 0) return '';
  let cumulative = 0;
  const median = overall.distribution.find((d) => (cumulative += d.share) >= 0.5)?.rung ?? null;
  const name = (id: string | null) => (id === null ? 'no escalation' : `${id} ${s.ladder.find((r) => r.id === id)?.name ?? ''}`);
  const crossed = [...s.thresholds].reverse().find((t) => (t.scopes[0]?.crossed.count ?? 0) > 0);
  const top = [...overall.exceedance].reverse().find((e) => e.count > 0);
  const card = (label: string, value: string, detail: string) =>
    `<div class="card"><div class="card-label">${esc(label)}</div><div class="card-value">${esc(value)}</div><div class="card-detail">${esc(detail)}</div></div>`;
  return `<div class="cards">${[
    card('Typical peak (median run)', name(median), `half the runs peaked here or lower`),
    crossed === undefined
      ? card('Highest threshold crossed', 'none', 'no run crossed a threshold')
      : card(`Crossed ${crossed.id} ${crossed.name}`, pctInterval(crossed.scopes[0]?.crossed as { p: number; low: number; high: number }), `${crossed.scopes[0]?.crossed.count ?? 0} runs reached ${crossed.rung} or higher (95% interval)`),
    top === undefined ? card('Highest rung reached', 'none', 'no run escalated') : card('Highest rung reached', name(top.rung), `in ${pct(top.p)} of runs (${top.count})`),
  ].join('')}</div>`;
}

/** Renders one run as a self-contained HTML page: its pathway, every act, and the actors' state machines. Same report, same bytes. */
export async function renderRunHtml(r: RunReport, charts: readonly StateChart[]): Promise<string> {
  const diagrams = await Promise.all(charts.map((c, i) => renderStateSvg(c, `sd${i}`)));
  const body: string[] = [header(r.meta, `run seed ${r.meta.seed}`)];
  const theatres = r.peak.theatres.map((t) => `${t.name}: ${t.peak ?? 'none'}`).join(' · ');
  body.push(
    section(
      'pathway',
      'Pathway',
      true,
      `<p><strong>Peak:</strong> ${esc(r.peak.overall ?? 'no escalation')}${theatres === '' ? '' : ` (${esc(theatres)})`}</p>`,
      r.outcomes === undefined ? '' : `<ul class="outcomes">${runOutcomeLines(r.outcomes).map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`,
      `<p class="sig">${esc(r.signature)}</p>`,
      `<p>Replay: <code>brink run ${esc(r.meta.scenario.files[0] ?? '<scenario>')} --seed ${esc(r.meta.seed)}</code></p>`,
      actsTable(r.pathway),
    ),
    section('acts', 'Every act', true, actsTable(r.acts)),
    section(
      'actors',
      'Actors’ state machines',
      true,
      ...charts.map((c, i) => `<details class="actor" open><summary><h3>${esc(c.actor)} — ${esc(c.name)}</h3></summary>\n<div class="scroll diagram">${diagrams[i]}</div></details>`),
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
  return section('influence', 'Which decisions matter', false, ...parts);
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
      return `${a.actor} chose this move (${[a.rule.id.replace(/^move:/, ''), chanceText(a.chance)].filter((x) => x !== '').join('; ')})`;
    case 'reaction':
      return reactionText(a.cause, a.chance);
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

/** A section that folds (`<details>`), open or closed at first. */
function section(id: string, title: string, open: boolean, ...parts: string[]): string {
  return `<details class="section" id="${id}"${open ? ' open' : ''}>\n<summary><h2>${esc(title)}</h2></summary>\n${parts.filter((p) => p !== '').join('\n')}\n</details>`;
}

function figure(svg: string, caption: string, cls: string, spec: ChartSpec): string {
  const id = `data-${spec.data.file}`;
  const groups = spec.groups === undefined ? '' : ` data-groups="${esc(JSON.stringify(spec.groups))}"`;
  return `<figure class="${cls}"${groups}><div class="chart">${svg}</div><figcaption>${esc(caption)}</figcaption>\n${renderChartData(spec.data, id)}</figure>`;
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, right: readonly boolean[] = []): string {
  const cell = (tag: 'th' | 'td', text: string, i: number) => `<${tag}${right[i] === true ? ' class="num"' : ''}>${esc(text)}</${tag}>`;
  return `<div class="table-wrap"><table>\n<thead><tr>${header.map((h, i) => cell('th', h, i)).join('')}</tr></thead>\n<tbody>\n${rows.map((r) => `<tr>${r.map((c, i) => cell('td', c, i)).join('')}</tr>`).join('\n')}\n</tbody>\n</table></div>`;
}

function page(m: ReportMeta, body: readonly string[]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src ${PAGE_SCRIPT_HASH}">
<meta name="generator" content="Brink ${esc(m.version)}">
<title>${esc(m.scenario.title)} — Brink report</title>
<style>
${CSS}
</style>
</head>
<body>
${body.join('\n')}
<script>${PAGE_SCRIPT}</script>
<footer>Brink ${esc(m.version)} · scenario ${esc(m.scenario.hash || '—')} · seed ${esc(m.seed)} · ${m.runs} run${m.runs === 1 ? '' : 's'}. The same scenario and seed give this same file, byte for byte.</footer>
</body>
</html>
`;
}

const CSS = `:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1f2328; background: #fff; margin: 0 auto; padding: 24px 32px 48px; max-width: 1180px; line-height: 1.45; overflow-wrap: anywhere; }
h1 { font-size: 1.7rem; margin: 0 0 4px; overflow-wrap: normal; }
h2 { font-size: 1.3rem; display: inline; margin: 0; }
h3 { font-size: 1.05rem; margin: 20px 0 6px; }
details.section { border-top: 1px solid #d0d7de; margin-top: 22px; padding-top: 6px; }
details.section > summary { cursor: pointer; padding: 6px 0; }
details.actor > summary, details.actor > summary h3 { display: inline; cursor: pointer; }
details.actor { margin: 14px 0; }
summary::marker { color: #57606a; }
p.what { color: #57606a; margin: 0 0 12px; }
dl.meta { display: flex; flex-wrap: wrap; gap: 4px 20px; margin: 0; font-size: 0.85rem; }
dl.meta div { display: flex; gap: 6px; min-width: 0; }
dl.meta dt { color: #57606a; white-space: nowrap; }
dl.meta dd { margin: 0; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 12px; margin: 18px 0 4px; }
.card { border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 14px; background: #f6f8fa; }
.card-label { font-size: 0.8rem; color: #57606a; text-transform: uppercase; letter-spacing: 0.03em; }
.card-value { font-size: 1.35rem; font-weight: 600; margin: 2px 0; font-variant-numeric: tabular-nums; }
.card-detail { font-size: 0.85rem; color: #57606a; }
nav { margin: 16px 0 0; font-size: 0.9rem; }
nav .fold { white-space: nowrap; }
button { font: inherit; font-size: 0.8rem; padding: 1px 8px; border: 1px solid #d0d7de; border-radius: 5px; background: #f6f8fa; color: #1f2328; cursor: pointer; }
button:hover { background: #eaeef2; }
a { color: #0969da; }
.table-wrap { max-width: 100%; overflow-x: auto; margin: 12px 0; }
table { border-collapse: collapse; font-size: 0.86rem; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; overflow-wrap: normal; }
th { background: #f6f8fa; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 12px 0; min-width: 0; }
figure .chart svg { display: block; max-width: 100%; height: auto; }
figure.wide .chart svg { width: 100%; }
figcaption { font-size: 0.8rem; color: #57606a; }
p.downloads { font-size: 0.8rem; color: #57606a; margin: 2px 0 0; }
.scroll { max-width: 100%; overflow-x: auto; }
.diagram svg { display: block; max-width: none; }
.timeline { display: block; max-width: 100%; height: auto; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 8px 24px; }
.grid figure svg { width: 100%; }
.hover-col { fill: #000; fill-opacity: 0; pointer-events: all; }
.hover-col:hover { fill-opacity: 0.06; }
[ecmeta_ssr_type="legend"] { cursor: pointer; }
figure svg text { pointer-events: none; }
.tl-band { fill: #f6f8fa; }
.tl-actor { font: 12px sans-serif; fill: #1f2328; }
.tl-turn { font: 10px sans-serif; fill: #57606a; }
.tl-tick { stroke: #d0d7de; stroke-width: 1; }
.tl-act { stroke: #6e7781; stroke-width: 0.6; }
.tl-act.path { stroke: #1f2328; stroke-width: 1.4; }
.tl-act:hover { stroke-width: 2.5; }
.tip { position: fixed; z-index: 10; display: none; max-width: min(360px, 90vw); padding: 6px 9px; border-radius: 6px; background: rgba(31, 35, 40, 0.94); color: #fff; font-size: 0.8rem; line-height: 1.35; white-space: pre-line; pointer-events: none; box-shadow: 0 2px 8px rgba(0, 0, 0, 0.25); }
code, pre, .sig { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85rem; }
.sig { background: #f6f8fa; padding: 4px 8px; border-radius: 4px; }
pre { background: #f6f8fa; padding: 8px; overflow-x: auto; }
ul.rules { columns: 2; font-size: 0.85rem; }
footer { margin-top: 48px; font-size: 0.8rem; color: #57606a; border-top: 1px solid #d0d7de; padding-top: 8px; }
@media (max-width: 640px) {
  body { padding: 12px 12px 32px; }
  h1 { font-size: 1.35rem; }
  h2 { font-size: 1.1rem; }
  ul.rules { columns: 1; }
  .grid { grid-template-columns: 1fr; }
  figure .chart { overflow-x: auto; }
  figure .chart svg { min-width: 560px; }
  figure.wide .chart svg { min-width: 860px; }
  td:first-child { white-space: nowrap; }
  .grid figure .chart svg { min-width: 380px; }
}`;
