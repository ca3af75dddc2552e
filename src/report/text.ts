import type { NarratedAct, RunReport } from '../analysis/run-report.ts';
import { escapeTerminal } from './escape.ts';
import type { BatchSummary } from '../analysis/summary.ts';
import { chanceText, headline, pct, pctInterval, reactionText, table } from './format.ts';
import { renderViolations } from './violations.ts';
import { OUTCOME_HEADER, outcomeRows, runOutcomeLines } from './outcomes-view.ts';
import { influenceCaption, ratioInterval, selectInfluence } from './influence-view.ts';

/** Renders a batch summary as plain text for a terminal. Pure: same summary, same text. */
export function renderBatchText(s: BatchSummary): string {
  const out: string[] = [...headline(s.meta), ''];
  const rungName = new Map(s.ladder.map((r) => [r.id, r.name]));

  out.push('Peak rung reached (share of runs)');
  const dist: string[][] = [['', ...s.peaks.map((p) => p.name)]];
  const rows = [null, ...s.ladder.map((r) => r.id)];
  rows.forEach((rung, i) => {
    if (s.peaks.every((p) => (p.distribution[i]?.count ?? 0) === 0)) return;
    dist.push([rung === null ? 'no escalation' : `${rung} ${rungName.get(rung)}`, ...s.peaks.map((p) => pct(p.distribution[i]?.share ?? 0))]);
  });
  out.push(...table(dist, ['l', ...s.peaks.map(() => 'r' as const)]).map((l) => `  ${l}`), '');

  out.push('P(peak ≥ rung), with 95% Wilson intervals');
  const exc: string[][] = [['', ...s.peaks.map((p) => p.name)]];
  s.ladder.forEach((r, i) => {
    if (s.peaks.every((p) => (p.exceedance[i]?.count ?? 0) === 0)) return;
    exc.push([`≥ ${r.id} ${r.name}`, ...s.peaks.map((p) => pctInterval(p.exceedance[i] as { p: number; low: number; high: number }))]);
  });
  out.push(...table(exc).map((l) => `  ${l}`), '');

  if (s.thresholds.length > 0) {
    out.push('Thresholds: share of runs that crossed, and when (median [quartiles])');
    const th: string[][] = [];
    for (const t of s.thresholds) {
      for (const sc of t.scopes) {
        if (sc.crossed.count === 0 && sc.scope !== 'overall') continue;
        th.push([
          sc.scope === 'overall' ? `${t.id} ${t.name} (≥ ${t.rung})` : '',
          sc.scope,
          pctInterval(sc.crossed),
          sc.date === undefined ? '—' : `${sc.date.median} [${sc.date.q1} – ${sc.date.q3}]`,
        ]);
      }
    }
    out.push(...table(th).map((l) => `  ${l}`), '');
  }

  if (s.outcomes !== undefined) {
    out.push('Outcomes: share of runs that reached each, with 95% Wilson intervals');
    out.push(...table([[...OUTCOME_HEADER], ...outcomeRows(s.outcomes)], ['l', 'l', 'r']).map((l) => `  ${l}`), '');
  }

  out.push(`Top pathways (${s.distinctPathways} distinct); replay one with --seed`);
  for (const p of s.pathways) {
    out.push(`  ${p.rank}. ${pct(p.share)} (${p.count} runs) · seed ${p.seed}`);
    out.push(`     ${p.steps.length === 0 ? '(no escalation)' : p.steps.join(' → ')}`);
  }
  out.push('');

  if (s.dyads.length > 0) {
    const ths = s.thresholds;
    out.push(`Dyads: highest rung reached, median peak${ths.length > 0 ? ', and P(peak ≥ threshold)' : ''}`);
    const dy: string[][] = [['from → to', 'max', 'median', ...ths.map((t) => `≥${t.rung}`)]];
    for (const d of s.dyads) dy.push([`${d.from} → ${d.to}`, d.max, d.median ?? '—', ...ths.map((t) => pct(d.atLeast[t.id] ?? 0))]);
    out.push(...table(dy, ['l', 'l', 'l', ...ths.map(() => 'r' as const)]).map((l) => `  ${l}`), '');
  }

  out.push(...influenceText(s));

  out.push(`Rules that never fired: ${s.neverFired.length} of ${s.rules.length}`);
  for (const r of s.neverFired) out.push(`  ${r.id}`);
  if (s.invariants !== undefined) out.push('', renderViolations(s.invariants, { file: s.meta.scenario.files[0] ?? '<scenario>' }).trimEnd());
  return escapeTerminal(`${out.join('\n')}\n`);
}

function influenceText(s: BatchSummary): string[] {
  const inf = s.influence;
  const out = ['Which decisions matter', ...wrap(influenceCaption(inf), 100).map((l) => `  ${l}`)];
  if (inf.rung === null && inf.outcome === undefined) return [...out, ''];
  const view = selectInfluence(inf);
  const label = inf.outcome?.id ?? `≥${inf.rung}`;
  const header = ['rule', 'fired in', `P(${label} | fired)`, `P(${label} | not)`, 'risk ratio'];
  const row = (r: (typeof inf.rules)[number]) => [r.id, pct(r.fired.total / Math.max(1, inf.reached.total)), pctInterval(r.fired), pctInterval(r.notFired), ratioInterval(r.riskRatio)];
  const rarer = view.rarer.length > 0 ? [['rarer after:'], ...view.rarer.map(row)] : [];
  if (view.likelier.length === 0) out.push('  (no rule has enough support)');
  else out.push(...table([header, ...view.likelier.map(row), ...rarer], ['l', 'r']).map((l) => `  ${l}`));
  if (inf.unsupported > 0) out.push(`  (${inf.unsupported} more rule${inf.unsupported === 1 ? '' : 's'} fired too rarely or too often to rank)`);
  return [...out, ''];
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * Renders one run as a narrative a student can follow: turn, actor, act, rung and why. `all` tells
 * every act instead of the pathway; `brief` gives each act its line and its why only (no description,
 * claims or assumption), as a failing test prints it.
 */
export function renderRunText(r: RunReport, options: { all?: boolean; brief?: boolean } = {}): string {
  const out: string[] = [...headline(r.meta), ''];
  const theatres = r.peak.theatres.map((t) => `${t.name} ${t.peak ?? 'none'}`).join(' · ');
  out.push(`Peak: ${r.peak.overall ?? 'no escalation'}${theatres === '' ? '' : ` (${theatres})`}`);
  const crossed = r.thresholds.filter((t) => t.turn !== null);
  if (crossed.length > 0) out.push(`Thresholds crossed: ${crossed.map((t) => `${t.id} ${t.name} on ${t.date}`).join('; ')}`);
  if (r.outcomes !== undefined) out.push('Outcomes:', ...runOutcomeLines(r.outcomes).map((l) => `  ${l}`));
  out.push(`Signature: ${r.signature}`, '');
  const acts = options.all === true ? r.acts : r.pathway;
  out.push(options.all === true ? 'Every act, in order' : 'Pathway: the acts that raised the peak, with what led to them');
  let turn = -1;
  for (const a of acts) {
    if (a.turn !== turn) {
      turn = a.turn;
      out.push('', `Turn ${a.turn} · ${a.date}`);
    }
    out.push(...narrateAct(a, options.brief === true));
  }
  if (r.undelivered !== undefined) {
    out.push('', 'In transit when the run ended (sent with a delay, never delivered):');
    for (const u of r.undelivered) out.push(`  ${u.actor} ${u.act} to ${u.to.join(', ')} — sent turn ${u.sent}, due turn ${u.due} (${u.rule})`);
  }
  if (r.invariants !== undefined) out.push('', renderViolations(r.invariants, { file: r.meta.scenario.files[0] ?? '<scenario>' }).trimEnd());
  out.push('', `Replay: brink run ${r.meta.scenario.files[0] ?? '<scenario>'} --seed ${r.meta.seed}`);
  return escapeTerminal(`${out.join('\n')}\n`);
}

function narrateAct(a: NarratedAct, brief = false): string[] {
  const mark = a.step ? '▲' : '·';
  const targets = a.against.length > 0 ? ` against ${a.against.join(', ')}` : '';
  const data = a.data === null ? '' : ` (${Object.entries(a.data).map(([k, v]) => `${k}: ${String(v)}`).join(', ')})`;
  const head = `${a.actor} ${a.act}${data}${targets} — ${a.rung} ${a.rungName}${a.theatre === null ? '' : `, ${a.theatre}`}`;
  const lines = [`  ${mark} ${brief ? `#${a.id} ` : ''}${head}`];
  const why: string[] = [];
  switch (a.origin) {
    case 'script':
      why.push(`scripted (${a.rule.id.replace(/^inject:/, '')})`);
      break;
    case 'shock':
      why.push(`shock ${a.rule.id.replace(/^shock:/, '')}`);
      break;
    case 'move':
      why.push(`${a.actor} chose this move (${[a.rule.id.replace(/^move:/, ''), chanceText(a.chance)].filter((x) => x !== '').join('; ')})`);
      break;
    case 'reaction':
      why.push(reactionText(a.cause, a.chance));
      break;
  }
  if (a.sent !== undefined) why.push(`sent turn ${a.sent}, delivered turn ${a.turn}`);
  if (brief) return [...lines, `      why: ${why.join('; ')}`];
  lines.push(`      #${a.id} ${a.description}`);
  lines.push(`      why: ${why.join('; ')}`);
  for (const c of a.claims) lines.push(`      ${c.id}: ${c.text}${c.page === undefined ? '' : ` (p. ${c.page})`}${c.disputed === true ? ' [disputed]' : ''}`);
  if (a.rule.assumption !== null) lines.push(`      assumption: ${a.rule.assumption}`);
  return lines;
}
