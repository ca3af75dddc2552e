import type { EngineName } from '../engine/kernels.ts';
import { CHECK_DEFAULTS, CheckDecider, type CheckSettings, type SampledAnswer } from '../analysis/check-decider.ts';
import type { Query } from '../analysis/query.ts';
import type { QuerySubject, ResolvedEvent, ResolvedProb } from '../analysis/resolve-query.ts';
import { explore } from '../explore/explore.ts';
import { ExploreError } from '../explore/step.ts';
import type { ExploreTarget } from '../explore/goal.ts';
import { type BlockSource, blockSizes, threadBlocks, workerBlocks } from './check-pool.ts';
import { createRunJudge } from './check-runs.ts';
import { estimateBySplitting, summarize } from './splitting.ts';

export { CHECK_DEFAULTS, type CheckSettings, defaultDelta, type SampledAnswer, type Witness } from '../analysis/check-decider.ts';

/** How `check` answers: exhaustive explore when it fits its budget (`auto`), or always sampling, exact only, or multilevel splitting (rare events). */
export type CheckMode = 'auto' | 'exact' | 'sample' | 'splitting';

export interface CheckOptions extends CheckSettings {
  /** Default `auto`. */
  readonly method?: CheckMode;
  /** Most joint outcomes explore may play for an exact answer (auto and exact). Default 100,000: about a second here. */
  readonly exploreMaxOutcomes?: number;
  /** Worker threads for sampling. Default 1 (this thread). The answer does not depend on it. */
  readonly workers?: number;
  /** Default `compiled`. */
  readonly engine?: EngineName;
  /** Most runs per block handed to a thread (on this thread blocks start at 64 and double); the answer does not depend on it. Default 4,096 on this thread, 2,000 per worker. */
  readonly block?: number;
  /** Polled between blocks: true stops with the answer so far (undecided). */
  readonly shouldStop?: () => boolean;
  readonly onProgress?: (runs: number) => void;
  /** Splitting: runs per stage (default 1,000) and replications per round (default 10). */
  readonly effort?: number;
  readonly replications?: number;
}

/** What multilevel splitting found (an estimate). */
export interface SplittingAnswer {
  readonly method: 'splitting';
  /** `undecided` when the runs ran out before the interval was as narrow as asked. */
  readonly verdict: 'estimated' | 'undecided';
  readonly estimate: number;
  readonly interval: { readonly low: number; readonly high: number; readonly confidence: number };
  /** Rung indices of the levels, the target's last. */
  readonly levels: readonly string[];
  readonly replications: number;
  readonly effort: number;
  readonly runs: number;
  readonly runTurns: number;
}

/** An exact answer from exhaustive exploration. */
export interface ExactAnswer {
  readonly method: 'exact';
  /** One exact probability per `P(…)`. */
  readonly probabilities: readonly number[];
  readonly verdict: 'holds' | 'fails' | 'estimated';
  /** Distinct states explored, summed over every exploration. */
  readonly states: number;
  readonly outcomes: number;
  /** The most probable pathway to each side's event (null: none, or a negated event). */
  readonly pathways: ReadonlyArray<{ readonly probability: number; readonly steps: readonly string[] } | null>;
}

export type CheckAnswer = ExactAnswer | SampledAnswer | SplittingAnswer;

/** Why an exact answer was not given, when `auto` sampled instead (null when it was, or not tried). */
export interface CheckResult {
  readonly answer: CheckAnswer;
  readonly texts: readonly string[];
  readonly exactSkipped: string | null;
  readonly stopped: boolean;
}

/** The explore target and whether the event is its negation, when exploring can answer the event exactly. */
function exploreTargetOf(e: ResolvedEvent): { target: ExploreTarget; negate: boolean } | undefined {
  switch (e.kind) {
    case 'peak':
      return { target: { kind: 'rung', rung: e.rung, theatre: e.theatre }, negate: false };
    case 'act':
      return e.from < 0 ? { target: { kind: 'act', event: e.event }, negate: false } : undefined;
    case 'violation':
      return { target: { kind: 'invariant', invariant: e.invariant }, negate: false };
    case 'outcome':
      return { target: { kind: 'outcome', outcome: e.outcome }, negate: false };
    case 'not': {
      const inner = exploreTargetOf(e.of);
      return inner === undefined ? undefined : { target: inner.target, negate: !inner.negate };
    }
    default:
      return undefined;
  }
}

function holdsExactly(comparison: '<' | '<=' | '>' | '>=', a: number, b: number): boolean {
  switch (comparison) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** Tries to answer exactly by exploring every pathway within the outcome budget; a reason when it cannot. Deterministic. */
export function checkExactly(subjects: readonly QuerySubject[], query: Query, probs: readonly ResolvedProb[], maxOutcomes: number): ExactAnswer | string {
  const probabilities: number[] = [];
  const pathways: Array<ExactAnswer['pathways'][number]> = [];
  let states = 0;
  let outcomes = 0;
  for (const p of probs) {
    const t = exploreTargetOf(p.event);
    if (t === undefined) return 'explore answers a single rung (overall or in a theatre), act type or invariant, or its negation';
    const model = (subjects[p.subject] as QuerySubject).model;
    let r: ReturnType<typeof explore>;
    try {
      r = explore(model, { turns: p.by, maxOutcomes, maxStates: 1_000_000, target: t.target });
    } catch (e) {
      // A scenario fault found while exploring: sampling meets it too, and reports it with its seed.
      if (e instanceof ExploreError) return `exploring met a scenario fault (${e.code} on turn ${e.turn})`;
      throw e;
    }
    states += r.states;
    outcomes += r.transitions;
    if (!r.complete || r.target === null || r.target.probability === null)
      return `exploring every pathway would take more than ${maxOutcomes.toLocaleString('en-US')} joint outcomes by turn ${r.exhausted?.turn ?? p.by}`;
    probabilities.push(t.negate ? 1 - r.target.probability : r.target.probability);
    const likeliest = r.target.likeliest;
    pathways.push(
      likeliest === null || t.negate
        ? null
        : { probability: likeliest.probability, steps: likeliest.narrative.flatMap((turn) => turn.acts.filter((a) => a.step).map((a) => `turn ${turn.turn}: ${a.actor} ${a.act} (${a.rung})`)) },
    );
  }
  const [a, b] = probabilities as [number, number | undefined];
  const verdict =
    query.kind === 'estimate' ? 'estimated' : query.kind === 'hypothesis' ? (holdsExactly(query.comparison, a, query.threshold) ? 'holds' : 'fails') : holdsExactly(query.comparison, a, b as number) ? 'holds' : 'fails';
  return { method: 'exact', probabilities, verdict, states, outcomes, pathways };
}

function texts(probs: readonly ResolvedProb[]): string[] {
  return probs.map((p) => p.text);
}

/**
 * Answers a query on its scenarios (`subjects[0]` is the base): exactly by exhaustive explore when
 * that fits the budget and the method allows, otherwise by sampling runs 0, 1, 2, … of the seed in
 * order until the query's sequential procedure decides (CheckDecider). The same seed gives the same
 * answer on any number of workers: the runs are judged in fixed blocks and read in run order.
 */
export async function check(subjects: readonly QuerySubject[], query: Query, probs: readonly ResolvedProb[], options: CheckOptions): Promise<CheckResult> {
  const method = options.method ?? 'auto';
  let exactSkipped: string | null = null;
  if (method === 'auto' || method === 'exact') {
    const exact = checkExactly(subjects, query, probs, options.exploreMaxOutcomes ?? 100_000);
    if (typeof exact !== 'string') return { answer: exact, texts: texts(probs), exactSkipped: null, stopped: false };
    if (method === 'exact') throw new CheckError(`no exact answer: ${exact}`);
    exactSkipped = exact;
  }
  if (method === 'splitting') return { answer: checkBySplitting(subjects, query, probs, options), texts: texts(probs), exactSkipped, stopped: false };
  const workers = Math.max(1, options.workers ?? 1);
  const engine = options.engine ?? 'compiled';
  const decider = new CheckDecider(query, texts(probs), options);
  const source: BlockSource =
    workers > 1
      ? workerBlocks({ scenarios: subjects.map((s) => s.model.scenario), names: subjects.map((s) => s.name), query, engine, seed: options.seed }, workers, options.block ?? 2000)
      : threadBlocks(createRunJudge(subjects, probs, engine, options.seed), options.block ?? 4096);
  let stopped = false;
  try {
    while (!decider.done) {
      if (options.shouldStop?.() === true) {
        stopped = true;
        break;
      }
      const block = await source.next();
      decider.feed(block.hits, block.first, block.count);
      options.onProgress?.(decider.runs);
      if (workers === 1) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    await source.close();
  }
  return { answer: decider.answer(), texts: texts(probs), exactSkipped, stopped };
}

/** The same on this thread, synchronously (for `assertProbability`). */
export function checkSync(subjects: readonly QuerySubject[], query: Query, probs: readonly ResolvedProb[], options: Omit<CheckOptions, 'workers' | 'shouldStop'>): CheckResult {
  const method = options.method ?? 'auto';
  let exactSkipped: string | null = null;
  if (method === 'auto' || method === 'exact') {
    const exact = checkExactly(subjects, query, probs, options.exploreMaxOutcomes ?? 100_000);
    if (typeof exact !== 'string') return { answer: exact, texts: texts(probs), exactSkipped: null, stopped: false };
    if (method === 'exact') throw new CheckError(`no exact answer: ${exact}`);
    exactSkipped = exact;
  }
  const decider = new CheckDecider(query, texts(probs), options);
  const judge = createRunJudge(subjects, probs, options.engine ?? 'compiled', options.seed);
  const sizes = blockSizes(options.block ?? 4096);
  for (let first = 0; !decider.done; ) {
    const count = sizes.next().value as number;
    decider.feed(judge(first, count), first, count);
    first += count;
    options.onProgress?.(decider.runs);
  }
  return { answer: decider.answer(), texts: texts(probs), exactSkipped, stopped: false };
}

/**
 * An estimate of P(peak ≥ rung in a scope by T) by fixed-effort multilevel splitting (splitting.ts),
 * in rounds of `replications` independent replications until the interval's half-width meets the
 * query's precision (relative or absolute) or `maxRuns` runs were started.
 */
function checkBySplitting(subjects: readonly QuerySubject[], query: Query, probs: readonly ResolvedProb[], options: CheckOptions): SplittingAnswer {
  const p = probs[0] as ResolvedProb;
  if (query.kind !== 'estimate' || p.event.kind !== 'peak') throw new CheckError('splitting estimates P(peak [scope] >= RUNG by T) = ?; the levels are the rungs');
  const model = (subjects[p.subject] as QuerySubject).model;
  const precision = query.precision ?? options.precision ?? CHECK_DEFAULTS.precision;
  const confidence = options.confidence ?? CHECK_DEFAULTS.confidence;
  const maxRuns = options.maxRuns ?? CHECK_DEFAULTS.maxRuns;
  const round = options.replications ?? 10;
  const effort = options.effort ?? 1000;
  const estimates: number[] = [];
  let runs = 0;
  let runTurns = 0;
  let levels: readonly number[] = [];
  for (;;) {
    const r = estimateBySplitting(model, { theatre: p.event.theatre, rung: p.event.rung, by: p.by }, {
      seed: options.seed,
      effort,
      replications: round,
      from: estimates.length,
      confidence,
      // The first round's pilot picked the levels; later rounds reuse them.
      ...(levels.length > 0 ? { levels: levels.slice(0, -1) } : {}),
      ...(options.engine === undefined ? {} : { engine: options.engine }),
    });
    levels = r.levels;
    runs += r.runs;
    runTurns += r.runTurns;
    for (const x of r.replications) estimates.push(x.estimate);
    const s = summarize(estimates, confidence);
    const half = (s.high - s.low) / 2;
    const precise = s.estimate > 0 && (precision.kind === 'absolute' ? half <= precision.value : half <= precision.value * s.estimate);
    if (precise || runs >= maxRuns || options.shouldStop?.() === true)
      return {
        method: 'splitting',
        verdict: precise ? 'estimated' : 'undecided',
        estimate: s.estimate,
        interval: { low: s.low, high: s.high, confidence },
        levels: levels.map((l) => (model.rungs[l] as { id: string }).id),
        replications: estimates.length,
        effort,
        runs,
        runTurns,
      };
  }
}

/** A check that cannot be done as asked (e.g. `--method exact` beyond explore's reach). */
export class CheckError extends Error {
  override name = 'CheckError';
}

