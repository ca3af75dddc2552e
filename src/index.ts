/**
 * Brink's library API. Everything here is exported by name; a test pins the list.
 *
 * @example
 * const loaded = loadScenario('scenarios/russia-dprk-2024.yaml');
 * if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
 * const model = buildModel(loaded.scenario);
 * const summary = runBatch(model, { runs: 1000, seed: '1' });
 * const report = await renderBatchHtml(summary, { charts: deriveStateCharts(model), narratives: [] });
 * const diff = await compare({ model }, [{ model: variantModel, label: 'variant' }], { runs: 1000, seed: '1' });
 */
import { aggregateBatch, type BatchOptions } from './batch/batch.ts';
import { checkBatchOptions } from './batch/batch-options.ts';
import { deriveRunReport, type RunReport } from './analysis/run-report.ts';
import { deriveMeta, summarizeBatch, type BatchSummary, type SummaryOptions } from './analysis/summary.ts';
import { createKernel, type EngineName } from './batch/chunk.ts';
import { runOnce as runWithKernel, type RunRecord } from './engine/run.ts';
import type { Model } from './model/types.ts';

export { BatchAggregate } from './analysis/aggregate.ts';
/** Exhaustive search of a scenario's joint state space: reachability, shortest and most probable pathways, exact probabilities. */
export { explore } from './explore/explore.ts';
export { check } from './batch/check.ts';
export { estimateBySplitting } from './batch/splitting.ts';
export { parseQuery } from './analysis/query.ts';
export { resolveQuery } from './analysis/resolve-query.ts';
export { InvariantTally, checkInvariants, tallyInvariants } from './analysis/invariants.ts';
export { aggregateBatch } from './batch/batch.ts';
/** Paired comparison of a base scenario and its variants on common random numbers (`brink compare`). */
export { compare, summarizeComparison } from './batch/compare.ts';
/** "Which decisions matter": per-rule risk ratios of reaching the batch's top rung. */
export { chooseInfluenceRung, deriveInfluence } from './analysis/influence.ts';
export { deriveNarratives } from './analysis/narratives.ts';
export { PairedAggregate } from './analysis/paired-aggregate.ts';
export { pairedDifference } from './analysis/paired-difference.ts';
export { riskRatio } from './analysis/risk-ratio.ts';
export { deriveStateChart, deriveStateCharts } from './analysis/state-chart.ts';
export { derivePathway, deriveSignature } from './analysis/pathway.ts';
export { deriveRunReport } from './analysis/run-report.ts';
export { wilson } from './analysis/stats.ts';
export { deriveMeta, summarizeBatch } from './analysis/summary.ts';
export { ReferenceKernel } from './engine/reference-kernel.ts';
export { createRandom, deriveRunSeed } from './engine/rng.ts';
export { EngineError, Runner, type RunnerOptions } from './engine/run.ts';
export { buildMachine } from './model/build-machine.ts';
export { buildModel } from './model/build-model.ts';
export { turnDate } from './model/calendar.ts';
/** Renderers: data in, string out; the same input gives the same bytes. */
export { renderComparisonJson, renderComparisonMarkdown, renderComparisonText } from './report/comparison.ts';
export { renderBatchHtml, renderRunHtml } from './report/html.ts';
export { renderJson } from './report/json.ts';
export { renderBatchMarkdown, renderRunMarkdown } from './report/markdown.ts';
export { renderPathwayFlowchart, renderStateDiagram } from './report/mermaid.ts';
export { renderRunLine, renderSummaryLine } from './report/ndjson.ts';
export { renderStateSvg } from './report/state-svg.ts';
export { renderBatchText, renderRunText } from './report/text.ts';
export { loadScenarioFile as loadScenario, parseScenarioText } from './scenario/load.ts';
export { overlay } from './scenario/merge.ts';
export { formatProblem } from './scenario/problem.ts';
export { Scenario as ScenarioSchema } from './scenario/schema.ts';

export type { BatchOptions } from './batch/batch.ts';
export type { ExploreOptions, ExploreResult } from './explore/explore.ts';
export type { CheckAnswer, CheckOptions, CheckResult } from './batch/check.ts';
export type { SplittingOptions, SplittingResult } from './batch/splitting.ts';
export type { Query, QueryParse, QueryProblem } from './analysis/query.ts';
export type { QuerySubject, ResolvedProb } from './analysis/resolve-query.ts';
export type { InvariantTallyData } from './analysis/invariants.ts';
export type {
  Comparison,
  ComparedScenario,
  CompareOptions,
  PairedRung,
  PathwayChange,
  RuleChange,
  ScenarioRef,
  ScopeComparison,
  VariantComparison,
} from './batch/compare.ts';
export type { Influence, InfluenceOptions, RuleInfluence } from './analysis/influence.ts';
export type { PathwayNarrative } from './analysis/narratives.ts';
export type { Difference, PairedCounts } from './analysis/paired-difference.ts';
export type { EngineName, RunLine } from './batch/play-batch.ts';
export type { RiskRatio } from './analysis/risk-ratio.ts';
export type { StateChart, StateChartEdge, StateChartNode } from './analysis/state-chart.ts';
export type { Pathway } from './analysis/pathway.ts';
export type { NarratedAct, RunReport } from './analysis/run-report.ts';
export type { Proportion } from './analysis/stats.ts';
export type { BatchSummary, ReportMeta, SummaryOptions } from './analysis/summary.ts';
export type { Kernel } from './engine/kernel.ts';
export type { LadderStep, RunOptions, RunRecord, StateChange } from './engine/run.ts';
export type { EventInstance, Model } from './model/types.ts';
export type { LoadedScenario, LoadOptions, LoadResult } from './scenario/load.ts';
export type { BatchHtmlExtras } from './report/html.ts';
export type { BatchMarkdownOptions } from './report/markdown.ts';
export type { Problem } from './scenario/problem.ts';
export type { Scenario, ScenarioInput } from './scenario/schema.ts';

/** What identifies the scenario in a report. */
export interface ScenarioIdentity {
  readonly hash: string;
  readonly files: readonly string[];
}

/** Plays one run from `seed` (compiled kernel by default; the XState reference gives the same trace) and returns its trace. Deterministic. */
export function runOnce(model: Model, seed: string, engine: EngineName = 'compiled'): RunRecord {
  return runWithKernel(model, createKernel(model, engine), seed, { trace: true });
}

/** Plays one run and tells it: the report `brink run --seed` prints. */
export function reportRun(model: Model, seed: string, identity: ScenarioIdentity = { hash: '', files: [] }): RunReport {
  const record = runOnce(model, seed);
  return deriveRunReport(model, record, deriveMeta(model, { ...identity, seed, runs: 1, engine: 'compiled' }));
}

/** Plays a batch and summarises it: the report `brink run --runs N` prints. Deterministic. */
export function runBatch(
  model: Model,
  options: Pick<BatchOptions, 'runs' | 'seed'> & SummaryOptions & { readonly identity?: ScenarioIdentity; readonly engine?: EngineName },
): BatchSummary {
  checkBatchOptions('runBatch', options);
  const kernel = createKernel(model, options.engine ?? 'compiled');
  const agg = aggregateBatch(model, kernel, { runs: options.runs, seed: options.seed });
  const identity = options.identity ?? { hash: '', files: [] };
  return summarizeBatch(model, agg, deriveMeta(model, { ...identity, seed: options.seed, runs: options.runs, engine: kernel.name }), options);
}
