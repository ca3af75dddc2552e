import { turnDate } from '../model/calendar.ts';
import type { Model, RuleKind } from '../model/types.ts';
import { VERSION } from '../version.ts';
import type { BatchAggregate } from './aggregate.ts';
import type { InvariantTallyData } from './invariants.ts';
import { deriveInfluence, type Influence, type InfluenceOptions } from './influence.ts';
import { histogramQuartiles, type Proportion, wilson } from './stats.ts';

/** What every report states: enough to reproduce it. */
export interface ReportMeta {
  readonly scenario: { readonly id: string; readonly title: string; readonly hash: string; readonly files: readonly string[] };
  readonly seed: string;
  readonly runs: number;
  readonly engine: string;
  readonly version: string;
  readonly turns: number;
  readonly firstDate: string;
  readonly lastDate: string;
}

export interface MetaInput {
  readonly hash: string;
  readonly files: readonly string[];
  readonly seed: string;
  readonly runs: number;
  readonly engine: string;
}

export function deriveMeta(model: Model, input: MetaInput): ReportMeta {
  const s = model.scenario;
  return {
    scenario: { id: s.metadata.id, title: s.metadata.title, hash: input.hash, files: input.files },
    seed: input.seed,
    runs: input.runs,
    engine: input.engine,
    version: VERSION,
    turns: model.turns,
    firstDate: turnDate(s.time, 1),
    lastDate: turnDate(s.time, model.turns),
  };
}

export interface PeakScope {
  /** `overall` or a theatre id. */
  readonly scope: string;
  readonly name: string;
  /** How many runs peaked at each rung; `rung: null` is a run where nothing escalated. */
  readonly distribution: ReadonlyArray<{ readonly rung: string | null; readonly count: number; readonly share: number }>;
  /** P(peak ≥ rung) with its 95% Wilson interval. */
  readonly exceedance: ReadonlyArray<{ readonly rung: string } & Proportion>;
}

export interface ThresholdCrossing {
  readonly scope: string;
  readonly crossed: Proportion;
  /** Turn of first crossing among the runs that crossed: quartiles (nearest rank). */
  readonly turn: { readonly q1: number; readonly median: number; readonly q3: number } | undefined;
  readonly date: { readonly q1: string; readonly median: string; readonly q3: string } | undefined;
  /** Share of all runs that had crossed by each turn: `byTurn[t - 1]` for turn t (cumulative, non-decreasing). */
  readonly byTurn: readonly number[];
}

export interface PathwaySummary {
  readonly rank: number;
  readonly signature: string;
  readonly steps: readonly string[];
  readonly count: number;
  readonly share: number;
  /** The seed that replays the earliest run with this pathway: `brink run <file> --seed <seed>`. */
  readonly seed: string;
}

export interface DyadSummary {
  readonly from: string;
  readonly to: string;
  /** Highest rung the dyad reached in any run. */
  readonly max: string;
  /** Median peak over all runs (null when most runs never touched the dyad). */
  readonly median: string | null;
  /** P(dyad peak ≥ threshold rung), per threshold id. */
  readonly atLeast: Readonly<Record<string, number>>;
}

export interface RuleFrequency {
  readonly id: string;
  readonly kind: RuleKind;
  /** Share of runs in which the rule fired at least once. */
  readonly share: number;
  readonly runs: number;
  /** Mean firings per run. */
  readonly perRun: number;
}

/** How often a batch reached one of the scenario's outcomes, and when its condition first held. */
export interface OutcomeSummary {
  readonly id: string;
  /** The condition in words. */
  readonly text: string;
  readonly description: string | null;
  /** The turn it must hold by; null: at the end of the run. */
  readonly by: number | null;
  /** Runs that reached it, with the 95% Wilson interval. */
  readonly reached: Proportion;
  /** First turn the condition held, among the runs where it ever did: quartiles (nearest rank). */
  readonly turn: { readonly q1: number; readonly median: number; readonly q3: number } | undefined;
  readonly date: { readonly q1: string; readonly median: string; readonly q3: string } | undefined;
  /** Share of all runs whose condition had held by each turn: `byTurn[t - 1]` (cumulative). */
  readonly byTurn: readonly number[];
  /** The earliest run that reached it: `brink run <file> --seed <seed>` replays it. */
  readonly seed: string | null;
}

/** The outcomes part of a batch summary. Pure. */
export function summarizeOutcomes(model: Model, agg: BatchAggregate): OutcomeSummary[] {
  const turnsWidth = model.turns + 1;
  const runs = agg.runs;
  return model.outcomes.map((o, k) => {
    const hist = agg.outcomeTurns.subarray(k * turnsWidth, (k + 1) * turnsWidth);
    const q = histogramQuartiles(hist, 1);
    const date = (turn: number) => turnDate(model.scenario.time, turn);
    const byTurn: number[] = [];
    let held = 0;
    for (let turn = 1; turn < turnsWidth; turn++) {
      held += hist[turn] as number;
      byTurn.push(runs === 0 ? 0 : held / runs);
    }
    return {
      id: o.id,
      text: o.text,
      description: o.description ?? null,
      by: o.by === 0 ? null : o.by,
      reached: wilson(agg.outcomeRuns[k] as number, runs),
      turn: q,
      date: q === undefined ? undefined : { q1: date(q.q1), median: date(q.median), q3: date(q.q3) },
      byTurn,
      seed: agg.outcomeFirst[k]?.seed ?? null,
    };
  });
}

/** The aggregate report of a batch: plain data, rendered by the report module. */
export interface BatchSummary {
  readonly kind: 'batch';
  readonly meta: ReportMeta;
  readonly ladder: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  /** The actors, in file order. */
  readonly actors: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  readonly peaks: readonly PeakScope[];
  readonly thresholds: ReadonlyArray<{ readonly id: string; readonly name: string; readonly rung: string; readonly scopes: readonly ThresholdCrossing[] }>;
  readonly pathways: readonly PathwaySummary[];
  readonly distinctPathways: number;
  readonly dyads: readonly DyadSummary[];
  readonly rules: readonly RuleFrequency[];
  readonly neverFired: ReadonlyArray<{ readonly id: string; readonly kind: RuleKind }>;
  /** The scenario's invariants and the runs that broke each (absent when it declares none). */
  readonly invariants?: InvariantTallyData;
  /** Every actor state, in file and document order: the runs in which it was active at some point (the root: every run). */
  readonly states: ReadonlyArray<{ readonly actor: string; readonly path: string; readonly runs: number; readonly share: number }>;
  /** The scenario's outcomes, in file order (absent when it declares none). */
  readonly outcomes?: readonly OutcomeSummary[];
  /** Which decisions matter: rules ranked by how much likelier the batch's top rungs are when they fired. */
  readonly influence: Influence;
}

export interface SummaryOptions {
  /** How many top pathways to list. Default 10. */
  readonly topPathways?: number;
  /** The outcome rung and support of the influence ranking. */
  readonly influence?: InfluenceOptions;
}

/** Turns a batch aggregate into its report data. Pure; ordering is fixed, so output is reproducible. */
export function summarizeBatch(model: Model, agg: BatchAggregate, meta: ReportMeta, options: SummaryOptions = {}): BatchSummary {
  const width = model.rungs.length + 1;
  const runs = agg.runs;
  const rungId = (i: number) => (model.rungs[i] as { id: string }).id;
  const scopes = [{ scope: 'overall', name: 'Overall' }, ...model.theatres.map((t) => ({ scope: t.id, name: t.name }))];

  const peaks: PeakScope[] = scopes.map((sc, slot) => {
    const counts = agg.peaks.subarray(slot * width, (slot + 1) * width);
    const distribution = [...counts].map((count, i) => ({ rung: i === 0 ? null : rungId(i - 1), count, share: runs === 0 ? 0 : count / runs }));
    const exceedance = model.rungs.map((r) => {
      let atLeast = 0;
      for (let i = r.index + 1; i < width; i++) atLeast += counts[i] as number;
      return { rung: r.id, ...wilson(atLeast, runs) };
    });
    return { ...sc, distribution, exceedance };
  });

  const turnsWidth = model.turns + 1;
  const K = model.thresholds.length;
  const thresholds = model.thresholds.map((t, k) => ({
    id: t.id,
    name: t.name,
    rung: rungId(t.rung),
    scopes: scopes.map((sc, slot): ThresholdCrossing => {
      const hist = agg.thresholdTurns.subarray((slot * K + k) * turnsWidth, (slot * K + k + 1) * turnsWidth);
      const never = hist[0] as number;
      const q = histogramQuartiles(hist, 1);
      const date = (turn: number) => turnDate(model.scenario.time, turn);
      const byTurn: number[] = [];
      let crossed = 0;
      for (let turn = 1; turn < turnsWidth; turn++) {
        crossed += hist[turn] as number;
        byTurn.push(runs === 0 ? 0 : crossed / runs);
      }
      return {
        scope: sc.scope,
        crossed: wilson(runs - never, runs),
        turn: q,
        date: q === undefined ? undefined : { q1: date(q.q1), median: date(q.median), q3: date(q.q3) },
        byTurn,
      };
    }),
  }));

  const ranked = [...agg.signatures].sort((a, b) => b[1].count - a[1].count || a[1].index - b[1].index);
  const pathways = ranked.slice(0, options.topPathways ?? 10).map(([signature, t], i) => ({
    rank: i + 1,
    signature,
    steps: signature === '(no escalation)' ? [] : signature.split(' > '),
    count: t.count,
    share: runs === 0 ? 0 : t.count / runs,
    seed: t.seed,
  }));

  const n = model.actors.length;
  const dyads: DyadSummary[] = [];
  for (let f = 0; f < n; f++) {
    for (let t = 0; t < n; t++) {
      const counts = agg.dyads.subarray((f * n + t) * width, (f * n + t + 1) * width);
      let max = -1;
      for (let i = width - 1; i > 0; i--) if ((counts[i] as number) > 0) {
        max = i - 1;
        break;
      }
      if (max < 0) continue;
      const q = histogramQuartiles(counts, 0);
      const atLeast: Record<string, number> = {};
      for (const th of model.thresholds) {
        let c = 0;
        for (let i = th.rung + 1; i < width; i++) c += counts[i] as number;
        atLeast[th.id] = runs === 0 ? 0 : c / runs;
      }
      dyads.push({
        from: (model.actors[f] as { id: string }).id,
        to: (model.actors[t] as { id: string }).id,
        max: rungId(max),
        median: q === undefined || q.median === 0 ? null : rungId(q.median - 1),
        atLeast,
      });
    }
  }

  const rules: RuleFrequency[] = model.rules.map((r) => ({
    id: r.id,
    kind: r.kind,
    runs: agg.ruleRuns[r.index] as number,
    share: runs === 0 ? 0 : (agg.ruleRuns[r.index] as number) / runs,
    perRun: runs === 0 ? 0 : (agg.ruleFires[r.index] as number) / runs,
  }));

  return {
    kind: 'batch',
    meta,
    ladder: model.rungs.map((r) => ({ id: r.id, name: r.name })),
    actors: model.actors.map((a) => ({ id: a.id, name: a.name })),
    peaks,
    thresholds,
    pathways,
    distinctPathways: agg.signatures.size,
    dyads,
    rules,
    neverFired: rules.filter((r) => r.runs === 0).map((r) => ({ id: r.id, kind: r.kind })),
    states: model.actors.flatMap((a) => a.states.map((st) => ({ actor: a.id, path: st.path, runs: agg.stateRuns[offsetOf(model, a.index) + st.index] as number, share: runs === 0 ? 0 : (agg.stateRuns[offsetOf(model, a.index) + st.index] as number) / runs }))),
    ...(model.outcomes.length > 0 ? { outcomes: summarizeOutcomes(model, agg) } : {}),
    influence: deriveInfluence(model, agg, options.influence),
  };
}

function offsetOf(model: Model, actor: number): number {
  let offset = 0;
  for (let a = 0; a < actor; a++) offset += (model.actors[a] as { states: readonly unknown[] }).states.length;
  return offset;
}
