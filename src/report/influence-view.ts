import type { Influence, RuleInfluence } from '../analysis/influence.ts';
import { pctInterval } from './format.ts';

/** What the reports list of an influence ranking: the rules after which the top rungs are likeliest, and those after which they are clearly rarer. */
export interface InfluenceView {
  /** The first `top` rules of the ranking. */
  readonly likelier: readonly RuleInfluence[];
  /** Up to `top / 2` rules, not already listed, whose interval lies wholly below 1, lowest ratio first. */
  readonly rarer: readonly RuleInfluence[];
}

/** Picks the rows a report shows. Pure; keeps the ranking's order. */
export function selectInfluence(influence: Influence, top = 10): InfluenceView {
  const likelier = influence.rules.slice(0, top);
  const rarer = influence.rules
    .slice(top)
    .filter((r) => r.riskRatio.high < 1)
    .reverse()
    .slice(0, Math.max(1, Math.floor(top / 2)));
  return { likelier, rarer };
}

/** `2.31 [1.80–2.95]` */
export function ratioInterval(r: { estimate: number; low: number; high: number }): string {
  return `${ratio(r.estimate)} [${ratio(r.low)}–${ratio(r.high)}]`;
}

function ratio(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** The heading sentence every format uses for the influence section. */
export function influenceCaption(influence: Influence): string {
  if (influence.outcome !== undefined)
    return `Outcome: ${influence.outcome.id} (${influence.outcome.text}), reached in ${pctInterval(influence.reached)} of runs. For each rule that fired in at least ${influence.minRuns} runs and did not fire in as many: P(outcome | fired), P(outcome | not fired) and their risk ratio with a 95% log-method interval. Association, not causation.`;
  if (influence.rung === null) return 'No run climbed the ladder, so no rule can be ranked.';
  const pick = influence.chosen === 'auto' ? 'the highest rung reached by at least 5% of runs' : 'as asked';
  return `Outcome: peak ≥ ${influence.rung} ${influence.rungName} (${pick}), reached in ${pctInterval(influence.reached)} of runs. For each rule that fired in at least ${influence.minRuns} runs and did not fire in as many: P(outcome | fired), P(outcome | not fired) and their risk ratio with a 95% log-method interval. Association, not causation.`;
}

