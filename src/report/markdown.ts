import type { RunReport } from '../analysis/run-report.ts';
import type { StateChart } from '../analysis/state-chart.ts';
import type { BatchSummary } from '../analysis/summary.ts';
import { escapeMarkdown, escapeMarkdownCell, escapeMarkdownText } from './escape.ts';
import { chanceText, pct, pctInterval, reactionText } from './format.ts';
import { renderViolationsMarkdown } from './violations.ts';
import { OUTCOME_HEADER, outcomeRows, runOutcomeLines } from './outcomes-view.ts';
import { influenceCaption, ratioInterval, selectInfluence } from './influence-view.ts';
import { renderPathwayFlowchart, renderStateDiagram } from './mermaid.ts';

/** A GFM table: header, alignment row, rows; each cell kept one cell (escapeMarkdownCell). */
export function mdTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, right: ReadonlySet<number> = new Set()): string[] {
  const esc = escapeMarkdownCell;
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `| ${header.map((_, i) => (right.has(i) ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ];
}

function metaLines(m: BatchSummary['meta']): string[] {
  return [
    `# ${escapeMarkdown(m.scenario.title)}`,
    '',
    mdTable(
      ['scenario', 'content hash', 'seed', 'runs', 'engine', 'turns', 'Brink'],
      [[m.scenario.id, `\`${m.scenario.hash.slice(0, 19)}\``, m.seed, String(m.runs), m.engine, `${m.turns} (${m.firstDate} – ${m.lastDate})`, m.version]],
    ).join('\n'),
  ];
}

export interface BatchMarkdownOptions {
  /** The actors' statecharts: drawn as Mermaid `stateDiagram-v2` blocks when given. */
  readonly charts?: readonly StateChart[];
}

/**
 * Renders a batch summary as GitHub-flavoured Markdown: tables, a Mermaid flowchart of the top
 * pathways and, when charts are given, a Mermaid state diagram per actor. Pure.
 */
export function renderBatchMarkdown(s: BatchSummary, options: BatchMarkdownOptions = {}): string {
  const out: string[] = [...metaLines(s.meta), ''];
  out.push('## P(peak ≥ rung), 95% Wilson intervals', '');
  const rows = s.ladder
    .map((r, i) => [`${r.id} ${r.name}`, ...s.peaks.map((p) => pctInterval(p.exceedance[i] as { p: number; low: number; high: number }))])
    .filter((_, i) => s.peaks.some((p) => (p.exceedance[i]?.count ?? 0) > 0));
  out.push(...mdTable(['rung', ...s.peaks.map((p) => p.name)], rows), '');
  if (s.thresholds.length > 0) {
    out.push('## Thresholds', '');
    const th = s.thresholds.flatMap((t) =>
      t.scopes.map((sc) => [
        `${t.id} ${t.name} (≥ ${t.rung})`,
        sc.scope,
        pctInterval(sc.crossed),
        sc.date === undefined ? '—' : `${sc.date.median} [${sc.date.q1} – ${sc.date.q3}]`,
      ]),
    );
    out.push(...mdTable(['threshold', 'scope', 'crossed', 'first crossing: median [quartiles]'], th), '');
  }
  if (s.outcomes !== undefined) {
    out.push('## Outcomes', '', 'Share of runs that reached each outcome (95% Wilson intervals), and the first turn its condition held.', '');
    out.push(...mdTable(OUTCOME_HEADER, outcomeRows(s.outcomes).map((r) => [`\`${r[0]}\``, r[1] as string, r[2] as string, r[3] as string, `\`${r[4]}\``]), new Set([2])), '');
  }
  out.push(`## Top pathways (${s.distinctPathways} distinct)`, '');
  out.push(
    ...mdTable(
      ['#', 'share', 'runs', 'pathway', 'replay seed'],
      s.pathways.map((p) => [String(p.rank), pct(p.share), String(p.count), p.steps.length === 0 ? '(no escalation)' : p.steps.join(' → '), `\`${p.seed}\``]),
      new Set([1, 2]),
    ),
    '',
  );
  if (s.pathways.length > 0) out.push('```mermaid', renderPathwayFlowchart(s.pathways, s.meta.runs).trimEnd(), '```', '');
  if (s.dyads.length > 0) {
    out.push('## Dyads', '');
    out.push(
      ...mdTable(
        ['from → to', 'max', 'median', ...s.thresholds.map((t) => `P(≥ ${t.rung})`)],
        s.dyads.map((d) => [`${d.from} → ${d.to}`, d.max, d.median ?? '—', ...s.thresholds.map((t) => pct(d.atLeast[t.id] ?? 0))]),
      ),
      '',
    );
  }
  out.push(...influenceMarkdown(s));
  out.push(`## Rules that never fired (${s.neverFired.length} of ${s.rules.length})`, '');
  for (const r of s.neverFired) out.push(`- \`${r.id}\``);
  if (s.invariants !== undefined) out.push('', renderViolationsMarkdown(s.invariants, { file: s.meta.scenario.files[0] ?? '<scenario>' }).trimEnd());
  if (options.charts !== undefined && options.charts.length > 0) {
    out.push('', '## State diagrams');
    for (const c of options.charts) out.push('', `### ${c.actor} — ${escapeMarkdown(c.name)}`, '', '```mermaid', renderStateDiagram(c).trimEnd(), '```');
  }
  return `${out.join('\n')}\n`;
}

function influenceMarkdown(s: BatchSummary): string[] {
  const inf = s.influence;
  const out = ['## Which decisions matter', '', escapeMarkdownText(influenceCaption(inf)), ''];
  if (inf.rung === null && inf.outcome === undefined) return out;
  const view = selectInfluence(inf);
  const label = inf.outcome?.id ?? `≥ ${inf.rung}`;
  const header = ['rule', 'kind', 'fired in', `P(${label} | fired)`, `P(${label} | not fired)`, 'risk ratio'];
  const row = (r: (typeof inf.rules)[number]) => [
    `\`${r.id}\``,
    r.kind,
    pct(r.fired.total / Math.max(1, inf.reached.total)),
    pctInterval(r.fired),
    pctInterval(r.notFired),
    ratioInterval(r.riskRatio),
  ];
  if (view.likelier.length === 0) out.push('No rule has enough support.', '');
  else out.push(...mdTable(header, view.likelier.map(row), new Set([2])), '');
  if (view.rarer.length > 0) out.push('Rarer after:', '', ...mdTable(header, view.rarer.map(row), new Set([2])), '');
  if (inf.unsupported > 0) out.push(`${inf.unsupported} more rule${inf.unsupported === 1 ? '' : 's'} fired too rarely or too often to rank.`, '');
  return out;
}

/** Renders one run as Markdown: the pathway as a table of acts with their reasons. Pure. */
export function renderRunMarkdown(r: RunReport): string {
  const out: string[] = [...metaLines(r.meta), ''];
  out.push(`**Peak:** ${r.peak.overall ?? 'no escalation'} · ${r.peak.theatres.map((t) => `${escapeMarkdown(t.name)}: ${t.peak ?? 'none'}`).join(' · ')}`, '');
  if (r.outcomes !== undefined) out.push('**Outcomes:**', '', ...runOutcomeLines(r.outcomes).map((l) => `- ${escapeMarkdown(l)}`), '');
  out.push(`**Signature:** ${r.signature}`, '', '## Pathway', '');
  out.push(
    ...mdTable(
      ['turn', 'date', 'actor', 'act', 'rung', 'why', 'sources'],
      r.pathway.map((a) => [
        String(a.turn),
        a.date,
        a.actor,
        `${a.step ? '▲ ' : ''}${a.act}`,
        a.rung,
        (a.cause !== null ? reactionText(a.cause, a.chance) : a.chance === undefined ? a.origin : `move (${chanceText(a.chance)})`) +
          (a.sent === undefined ? '' : `; sent turn ${a.sent}, delivered turn ${a.turn}`),
        [...a.rule.source, ...(a.rule.assumption === null ? [] : [`assumption: ${a.rule.assumption}`])].join(', '),
      ]),
    ),
    '',
  );
  if (r.undelivered !== undefined)
    out.push(
      '**In transit when the run ended** (sent with a delay, never delivered):',
      '',
      ...r.undelivered.map((u) => `- ${u.actor} ${u.act} to ${u.to.join(', ')}: sent turn ${u.sent}, due turn ${u.due}`),
      '',
    );
  if (r.invariants !== undefined) out.push(renderViolationsMarkdown(r.invariants, { file: r.meta.scenario.files[0] ?? '<scenario>' }).trimEnd(), '');
  return `${out.join('\n')}\n`;
}
