import type { RunReport } from '../analysis/run-report.ts';
import type { OutcomeSummary } from '../analysis/summary.ts';
import { pctInterval } from './format.ts';

/** The outcomes table's header, the same in every format. */
export const OUTCOME_HEADER = ['outcome', 'reached when', 'runs', 'first held: median [quartiles]', 'replay seed'] as const;

/** `by turn 6` or `at the end`. */
export function outcomeWhen(o: { readonly by: number | null }): string {
  return o.by === null ? 'at the end' : `by turn ${o.by}`;
}

/** A condition's words without the parentheses around the whole: `A in calm and B in calm`. */
function bare(text: string): string {
  if (!text.startsWith('(') || !text.endsWith(')')) return text;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    depth += text[i] === '(' ? 1 : text[i] === ')' ? -1 : 0;
    if (depth === 0 && i < text.length - 1) return text;
  }
  return text.slice(1, -1);
}

/** One row per outcome: id, its condition and when it counts, share of runs reached, first turn held, replay seed. Pure. */
export function outcomeRows(outcomes: readonly OutcomeSummary[]): string[][] {
  return outcomes.map((o) => [
    o.id,
    `${bare(o.text)}, ${outcomeWhen(o)}`,
    pctInterval(o.reached),
    o.date === undefined ? '—' : `${o.date.median} [${o.date.q1} – ${o.date.q3}]`,
    o.seed ?? '—',
  ]);
}

/** One run's outcomes in a line each: `✓ settled (… holds at the end) — first held on 2024-09`. Pure. */
export function runOutcomeLines(outcomes: NonNullable<RunReport['outcomes']>): string[] {
  return outcomes.map(
    (o) => `${o.reached ? '✓' : '✗'} ${o.id}: ${bare(o.text)}, ${outcomeWhen(o)}${o.date === null ? ' — never held' : ` — first held on turn ${o.firstTurn} (${o.date})`}`,
  );
}
