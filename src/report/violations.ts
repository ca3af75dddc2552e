import { escapeMarkdownCell } from './escape.ts';
import type { InvariantTallyData } from '../analysis/invariants.ts';
import { pct } from './format.ts';

export interface ViolationsTextOptions {
  /** The scenario file, for the replay command. Default `<scenario>`. */
  readonly file?: string;
}

/**
 * Renders the scenario's invariants and the runs that broke them as plain text: for each broken one,
 * how many runs, the first breach in words and the command that replays it. Empty when the scenario
 * declares no invariants. Pure.
 */
export function renderViolations(data: InvariantTallyData, options: ViolationsTextOptions = {}): string {
  if (data.invariants.length === 0) return '';
  const file = options.file ?? '<scenario>';
  const broken = data.invariants.filter((c) => c.violations > 0).length;
  const total = data.invariants.length;
  const scope = data.runs === 1 ? 'in this run' : `in ${data.runs} runs`;
  const out = [broken === 0 ? `Invariants: all ${total} held ${scope}` : `Invariants: ${broken} of ${total} broken ${scope}`];
  for (const c of data.invariants) {
    const title = c.description === null ? c.text : `${c.description} (${c.text})`;
    if (c.violations === 0 || c.first === null) {
      out.push(`  ✓ ${c.id}: ${title}`);
      continue;
    }
    out.push(`  ✗ ${c.id}: ${title}`);
    if (data.runs > 1) {
      out.push(`      broken in ${c.violations} of ${data.runs} runs (${pct(c.violations / data.runs)}); first in run ${c.first.index}, seed ${c.first.seed}`);
    }
    out.push(`      turn ${c.first.turn}: ${c.first.message}`);
    out.push(`      replay: brink run ${file} --seed ${c.first.seed}`);
  }
  return `${out.join('\n')}\n`;
}

/** The same as `renderViolations`, as a Markdown section with a table. Empty without invariants. Pure. */
export function renderViolationsMarkdown(data: InvariantTallyData, options: ViolationsTextOptions = {}): string {
  if (data.invariants.length === 0) return '';
  const file = options.file ?? '<scenario>';
  const cell = escapeMarkdownCell;
  const out = ['## Invariants', '', '| invariant | rule | runs that broke it | first breach | replay |', '|---|---|---:|---|---|'];
  for (const c of data.invariants) {
    const rule = c.description === null ? c.text : `${c.description} (${c.text})`;
    const broken = `${c.violations} of ${data.runs}${data.runs > 1 ? ` (${pct(c.violations / data.runs)})` : ''}`;
    const first = c.first === null ? '—' : `turn ${c.first.turn}: ${c.first.message}`;
    const replay = c.first === null ? '—' : `\`brink run ${file} --seed ${c.first.seed}\``;
    out.push(`| ${c.violations > 0 ? '✗' : '✓'} \`${c.id}\` | ${cell(rule)} | ${broken} | ${cell(first)} | ${replay} |`);
  }
  return `${out.join('\n')}\n`;
}
