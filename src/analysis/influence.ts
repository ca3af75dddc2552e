import type { Model, RuleKind } from '../model/types.ts';
import type { BatchAggregate } from './aggregate.ts';
import { type RiskRatio, riskRatio } from './risk-ratio.ts';
import { type Proportion, wilson } from './stats.ts';

/** What "which decisions matter" measures, and how much support a rule needs to be ranked. */
export interface InfluenceOptions {
  /** The rung whose reach is the outcome (`peak ≥ rung`, overall). Default: {@link chooseInfluenceRung}. */
  readonly rung?: string;
  /** A rule must fire in at least this share of runs, and fail to fire in as many. Default 0.01. */
  readonly minShare?: number;
  /** …and in at least this many runs (and fail to fire in as many). Default 20. */
  readonly minRuns?: number;
  /** An outcome id (scenario `outcomes:`): rank by that outcome instead of a rung. */
  readonly outcome?: string;
}

/** How the top rungs of a batch go with one rule having fired. */
export interface RuleInfluence {
  readonly id: string;
  readonly kind: RuleKind;
  /** P(peak ≥ rung | the rule fired in the run), with its Wilson interval (`total` = runs it fired in). */
  readonly fired: Proportion;
  /** P(peak ≥ rung | the rule did not fire). */
  readonly notFired: Proportion;
  /** fired.p / notFired.p, with its 95% log-method interval. */
  readonly riskRatio: RiskRatio;
}

/** "Which decisions matter": every rule with enough support, ranked by how much likelier the top rungs are after it. */
export interface Influence {
  /** The outcome rung (null when no run climbed at all). */
  readonly rung: string | null;
  readonly rungName: string | null;
  /** `auto` when chosen by {@link chooseInfluenceRung}, `given` when asked for. */
  readonly chosen: 'auto' | 'given';
  /** P(overall peak ≥ rung) over the batch. */
  readonly reached: Proportion;
  /** The support each listed rule has: it fired in at least this many runs, and did not in as many. */
  readonly minRuns: number;
  /** Ranked: risk ratio descending, then its lower bound descending, then id. */
  readonly rules: readonly RuleInfluence[];
  /** Rules that fired in some run but lack the support to be listed (too rare, or near-universal). */
  readonly unsupported: number;
  /** Present when ranked by one of the scenario's outcomes (`rung` is then null): its id and condition in words. */
  readonly outcome?: { readonly id: string; readonly text: string };
}

/** The share of runs a rung must be reached in to be chosen automatically. */
export const AUTO_RUNG_SHARE = 0.05;

/**
 * The "top rung" of a batch: the highest rung that at least 5% of runs reached overall. P(peak ≥ rung)
 * falls as the rung rises, so whenever some rung is reached by 5–50% of runs this picks the highest of
 * them; otherwise it picks the rarest rung still reached by 5%, or, if none is, the highest rung reached.
 * Returns the rung index, or -1 when no run climbed. Pure.
 */
export function chooseInfluenceRung(atLeast: readonly number[], runs: number): number {
  if (runs === 0) return -1;
  let reached = -1;
  for (let r = atLeast.length - 1; r >= 0; r--) {
    const n = atLeast[r] as number;
    if (n > 0 && reached < 0) reached = r;
    if (n / runs >= AUTO_RUNG_SHARE) return r;
  }
  return reached;
}

/**
 * For each rule (transition, entry, move, shock, inject), the risk ratio P(peak ≥ rung | fired) /
 * P(peak ≥ rung | not fired) over the batch, from the aggregate's per-rule peak histograms. Rules that
 * fired in fewer than `max(minRuns, minShare · runs)` runs, or failed to fire in fewer, are not listed.
 * Pure. Association, not causation: a rule that fires late in escalating runs scores high too.
 */
export function deriveInfluence(model: Model, agg: BatchAggregate, options: InfluenceOptions = {}): Influence {
  const width = model.rungs.length + 1;
  const runs = agg.runs;
  const atLeast = (hist: ArrayLike<number>, offset: number, rung: number) => {
    let n = 0;
    for (let i = rung + 1; i < width; i++) n += hist[offset + i] as number;
    return n;
  };
  const overall = model.rungs.map((r) => atLeast(agg.peaks, 0, r.index));
  let rung: number;
  if (options.rung === undefined) rung = chooseInfluenceRung(overall, runs);
  else {
    rung = model.rungs.findIndex((r) => r.id === options.rung);
    if (rung < 0) throw new Error(`deriveInfluence: unknown rung "${options.rung}" (known: ${model.rungs.map((r) => r.id).join(', ')})`);
  }
  const minRuns = Math.max(options.minRuns ?? 20, Math.ceil((options.minShare ?? 0.01) * runs));
  if (options.outcome !== undefined) return outcomeInfluence(model, agg, options.outcome, minRuns);
  const chosen = options.rung === undefined ? 'auto' : 'given';
  if (rung < 0) return { rung: null, rungName: null, chosen, reached: wilson(0, runs), minRuns, rules: [], unsupported: 0 };

  const top = overall[rung] as number;
  const rules: RuleInfluence[] = [];
  let unsupported = 0;
  for (const rule of model.rules) {
    const n1 = agg.ruleRuns[rule.index] as number;
    if (n1 === 0) continue;
    const n2 = runs - n1;
    if (n1 < minRuns || n2 < minRuns) {
      unsupported++;
      continue;
    }
    const a = atLeast(agg.rulePeaks, rule.index * width, rung);
    const c = top - a;
    const rr = riskRatio(a, n1, c, n2) as RiskRatio;
    rules.push({ id: rule.id, kind: rule.kind, fired: wilson(a, n1), notFired: wilson(c, n2), riskRatio: rr });
  }
  const r = model.rungs[rung] as { id: string; name: string };
  return { rung: r.id, rungName: r.name, chosen, reached: wilson(top, runs), minRuns, rules: ranked(rules), unsupported };
}

function ranked(rules: RuleInfluence[]): RuleInfluence[] {
  return rules.sort(
    (x, y) =>
      y.riskRatio.estimate - x.riskRatio.estimate || y.riskRatio.low - x.riskRatio.low || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0),
  );
}

/** The ranking for one of the scenario's outcomes, from the aggregate's rule × outcome counts. */
function outcomeInfluence(model: Model, agg: BatchAggregate, id: string, minRuns: number): Influence {
  const k = model.outcomes.findIndex((o) => o.id === id);
  if (k < 0) throw new Error(`deriveInfluence: unknown outcome "${id}" (known: ${model.outcomes.map((o) => o.id).join(', ') || 'none'})`);
  const K = model.outcomes.length;
  const runs = agg.runs;
  const top = agg.outcomeRuns[k] as number;
  const rules: RuleInfluence[] = [];
  let unsupported = 0;
  for (const rule of model.rules) {
    const n1 = agg.ruleRuns[rule.index] as number;
    if (n1 === 0) continue;
    const n2 = runs - n1;
    if (n1 < minRuns || n2 < minRuns) {
      unsupported++;
      continue;
    }
    const a = agg.ruleOutcomes[rule.index * K + k] as number;
    const c = top - a;
    rules.push({ id: rule.id, kind: rule.kind, fired: wilson(a, n1), notFired: wilson(c, n2), riskRatio: riskRatio(a, n1, c, n2) as RiskRatio });
  }
  const o = model.outcomes[k] as { id: string; text: string };
  return { rung: null, rungName: null, chosen: 'given', reached: wilson(top, runs), minRuns, rules: ranked(rules), unsupported, outcome: { id: o.id, text: o.text } };
}
