import { escapeJsonControls, escapeMarkdown, escapeTerminal } from './escape.ts';
import type { Comparison, PathwayChange, PairedRung, ScopeComparison, VariantComparison } from '../batch/compare.ts';
import type { Difference } from '../analysis/paired-difference.ts';
import { pct, table } from './format.ts';
import { mdTable } from './markdown.ts';

/** `-19.5 pts [-22.0, -17.0]`: a difference of proportions in percentage points, with its interval. */
export function pointsInterval(d: Difference): string {
  return `${points(d.estimate)} pts [${points(d.low)}, ${points(d.high)}]`;
}

function points(x: number): string {
  const s = (x * 100).toFixed(1);
  return s === '-0.0' ? '0.0' : x > 0 && s !== '0.0' ? `+${s}` : s;
}

/** The rungs a report lists for a scope: those either side reached, except rungs every run of both reached. */
function shownRungs(sc: ScopeComparison): PairedRung[] {
  return sc.rungs.filter((r) => (r.base.count > 0 || r.variant.count > 0) && !(r.base.p === 1 && r.variant.p === 1));
}

const steps = (p: PathwayChange) => (p.steps.length === 0 ? '(no escalation)' : p.steps.join(' → '));

/** Renders a comparison as plain text for a terminal. Pure: same comparison, same text. */
export function renderComparisonText(c: Comparison): string {
  const m = c.meta;
  const out = [
    `Comparison: ${c.base.title} (${c.base.id}) against ${c.variants.length} variant${c.variants.length === 1 ? '' : 's'}`,
    `Brink ${m.version} · seed ${m.seed} · ${m.runs} paired run${m.runs === 1 ? '' : 's'} (common random numbers) · engine ${m.engine}`,
    `Base: ${c.base.label} · ${c.base.hash.slice(0, 19) || '—'}`,
    '',
  ];
  c.variants.forEach((v, n) => {
    out.push(`Variant ${n + 1}: ${v.scenario.label} (${v.scenario.id}) · ${v.scenario.hash.slice(0, 19) || '—'}`);
    out.push('  P(peak ≥ rung), base → variant; paired difference with 95% Wald interval; runs where only one side reached it');
    const rows: string[][] = [['scope', 'rung', 'base', 'variant', 'difference', 'only base', 'only variant']];
    for (const sc of v.scopes)
      for (const r of shownRungs(sc)) rows.push([sc.name, `≥ ${r.rung}`, pct(r.base.p), pct(r.variant.p), pointsInterval(r.difference), String(r.baseOnly), String(r.variantOnly)]);
    if (rows.length === 1) out.push('  (every run of both reached every shared rung, or none did)');
    else out.push(...table(rows, ['l', 'l', 'r', 'r', 'l', 'r', 'r']).map((l) => `  ${l}`));
    if (v.unpaired.theatres.length + v.unpaired.rungs.length > 0) out.push(`  Not paired (one side only): ${[...v.unpaired.theatres, ...v.unpaired.rungs].join(', ')}`);
    if (v.outcomes !== undefined) {
      out.push('', '  Outcomes: share of runs that reached each, base → variant; paired difference with 95% Wald interval');
      const orows = v.outcomes.map((o) => [o.id, pct(o.base.p), pct(o.variant.p), pointsInterval(o.difference), String(o.baseOnly), String(o.variantOnly)]);
      if (orows.length === 0) out.push('    (no outcome is declared by both)');
      else out.push(...table([['outcome', 'base', 'variant', 'difference', 'only base', 'only variant'], ...orows], ['l', 'r', 'r', 'l', 'r', 'r']).map((l) => `  ${l}`));
      if ((v.unpairedOutcomes ?? []).length > 0) out.push(`  Outcomes not paired (one side only): ${(v.unpairedOutcomes ?? []).join(', ')}`);
    }
    out.push('', `  Pathways that appear: ${v.appearedDistinct} (${pct(v.appearedShare)} of the variant's runs)`);
    for (const p of v.appeared) out.push(`    ${pct(p.share)} (${p.count} runs) · seed ${p.seed} · ${steps(p)}`);
    out.push(`  Pathways that vanish: ${v.vanishedDistinct} (${pct(v.vanishedShare)} of the base's runs)`);
    for (const p of v.vanished) out.push(`    ${pct(p.share)} (${p.count} runs) · seed ${p.seed} · ${steps(p)}`);
    out.push('', `  Rules whose frequency changes most (${v.rulesChanged} changed): share of runs it fired in, base → variant`);
    if (v.rules.length === 0) out.push('    (none)');
    else
      out.push(
        ...table(
          v.rules.map((r) => [r.id, `${pct(r.base)} → ${pct(r.variant)}`, pointsInterval(r.difference), r.in === 'both' ? '' : `(${r.in} only)`]),
          ['l', 'r', 'l', 'l'],
        ).map((l) => `    ${l}`),
      );
    out.push('');
  });
  if (c.stopped) out.push(`Stopped after ${m.runs} runs.`, '');
  out.push('Each variant plays run i on the same seed as the base, so differences are the variant\'s effect, not noise;');
  out.push('the Wald interval for paired proportions uses only the runs where the two sides disagree.');
  return escapeTerminal(`${out.join('\n')}\n`);
}

/** Renders a comparison as GitHub-flavoured Markdown. Pure. */
export function renderComparisonMarkdown(c: Comparison): string {
  const m = c.meta;
  const out = [
    `# Comparison: ${escapeMarkdown(c.base.title)}`,
    '',
    ...mdTable(
      ['base', 'content hash', 'seed', 'paired runs', 'engine', 'Brink'],
      [[`${c.base.label} (${c.base.id})`, `\`${c.base.hash.slice(0, 19) || '—'}\``, m.seed, String(m.runs), m.engine, m.version]],
    ),
    '',
    `Every scenario plays run *i* on the same seed (common random numbers). Differences are variant − base in percentage points, with the 95% Wald interval for paired proportions.${c.stopped ? ` Stopped after ${m.runs} runs.` : ''}`,
    '',
  ];
  c.variants.forEach((v: VariantComparison, n) => {
    out.push(`## Variant ${n + 1}: ${escapeMarkdown(v.scenario.label)}`, '', `\`${v.scenario.hash.slice(0, 19) || '—'}\` · ${escapeMarkdown(v.scenario.title)} (${v.scenario.id})`, '');
    const rows = v.scopes.flatMap((sc) =>
      shownRungs(sc).map((r) => [sc.name, `≥ ${r.rung} ${r.name}`, pct(r.base.p), pct(r.variant.p), pointsInterval(r.difference), String(r.baseOnly), String(r.variantOnly)]),
    );
    if (rows.length === 0) out.push('Every run of both reached every shared rung, or none did.', '');
    else out.push(...mdTable(['scope', 'rung', 'base', 'variant', 'difference', 'only base', 'only variant'], rows, new Set([2, 3, 5, 6])), '');
    if (v.unpaired.theatres.length + v.unpaired.rungs.length > 0) out.push(`Not paired (one side only): ${[...v.unpaired.theatres, ...v.unpaired.rungs].join(', ')}`, '');
    if (v.outcomes !== undefined) {
      out.push('### Outcomes', '');
      if (v.outcomes.length === 0) out.push('No outcome is declared by both.', '');
      else
        out.push(
          ...mdTable(
            ['outcome', 'base', 'variant', 'difference', 'only base', 'only variant'],
            v.outcomes.map((o) => [`\`${o.id}\``, pct(o.base.p), pct(o.variant.p), pointsInterval(o.difference), String(o.baseOnly), String(o.variantOnly)]),
            new Set([1, 2, 4, 5]),
          ),
          '',
        );
      if ((v.unpairedOutcomes ?? []).length > 0) out.push(`Outcomes not paired (one side only): ${(v.unpairedOutcomes ?? []).join(', ')}`, '');
    }
    const pathways = (title: string, list: readonly PathwayChange[], distinct: number, share: number, side: string) => {
      out.push(`### ${title}: ${distinct} (${pct(share)} of the ${side}'s runs)`, '');
      if (list.length > 0) out.push(...mdTable(['share', 'runs', 'pathway', 'replay seed'], list.map((p) => [pct(p.share), String(p.count), steps(p), `\`${p.seed}\``]), new Set([0, 1])), '');
    };
    pathways('Pathways that appear', v.appeared, v.appearedDistinct, v.appearedShare, 'variant');
    pathways('Pathways that vanish', v.vanished, v.vanishedDistinct, v.vanishedShare, 'base');
    out.push(`### Rules whose frequency changes most (${v.rulesChanged} changed)`, '');
    if (v.rules.length > 0)
      out.push(
        ...mdTable(
          ['rule', 'base', 'variant', 'difference', 'in'],
          v.rules.map((r) => [`\`${r.id}\``, pct(r.base), pct(r.variant), pointsInterval(r.difference), r.in]),
          new Set([1, 2]),
        ),
        '',
      );
  });
  return `${out.join('\n').trimEnd()}\n`;
}

/** Renders a comparison as JSON (2-space indent, fixed key order). Pure. */
export function renderComparisonJson(c: Comparison): string {
  return escapeJsonControls(`${JSON.stringify(c, null, 2)}\n`);
}
