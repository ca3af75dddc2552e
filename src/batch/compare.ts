import type { AggregateData } from '../analysis/aggregate.ts';
import type { Model, RuleKind } from '../model/types.ts';
import { VERSION } from '../version.ts';
import { BatchAggregate, type SignatureTally } from '../analysis/aggregate.ts';
import { PairedAggregate } from '../analysis/paired-aggregate.ts';
import { type Difference, pairedDifference } from '../analysis/paired-difference.ts';
import { playCompareChunk } from './compare-chunk.ts';
import type { EngineName } from '../engine/kernels.ts';
import { playInWorkers } from './worker-pool.ts';
import { type Proportion, wilson } from '../analysis/stats.ts';

/** A scenario to compare: its model and, for the report, what identifies it. */
export interface ComparedScenario {
  readonly model: Model;
  /** Content hash (`LoadedScenario.hash`). */
  readonly hash?: string;
  readonly files?: readonly string[];
  /** A short name for reports (e.g. `p=0.05`); default the first file, else the scenario id. */
  readonly label?: string;
}

/** How many paired runs, from which seed, and what the report lists. */
export interface CompareOptions {
  readonly runs: number;
  /** Base seed: run i of every scenario plays `deriveRunSeed(seed, i)`. */
  readonly seed: string;
  /** Default `compiled`. */
  readonly engine?: EngineName;
  /** How many appearing and vanishing pathways to list per variant. Default 10. */
  readonly topPathways?: number;
  /** How many rules to list per variant. Default 10. */
  readonly topRules?: number;
  /** Called now and then with the number of run indices done. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Polled between run indices (between chunks on workers): true stops, keeping the pairs done so far. */
  readonly shouldStop?: () => boolean;
  /** Worker threads; default 1 (this thread). The result is the same whatever the number. */
  readonly workers?: number;
}

/** What identifies a compared scenario in the report. */
export interface ScenarioRef {
  readonly id: string;
  readonly title: string;
  readonly hash: string;
  readonly files: readonly string[];
  readonly label: string;
}

/** One rung of one scope, base against variant, from paired runs. */
export interface PairedRung {
  readonly rung: string;
  readonly name: string;
  readonly base: Proportion;
  readonly variant: Proportion;
  /** Runs where only the base, or only the variant, reached the rung: all the information the difference has. */
  readonly baseOnly: number;
  readonly variantOnly: number;
  /** P(variant peak ≥ rung) − P(base peak ≥ rung), 95% Wald interval for paired proportions. */
  readonly difference: Difference;
}

/** Overall or one theatre: every shared rung, base against variant. */
export interface ScopeComparison {
  readonly scope: string;
  readonly name: string;
  readonly rungs: readonly PairedRung[];
}

/** A pathway found on one side only; `seed` replays it on that side. */
export interface PathwayChange {
  readonly signature: string;
  readonly steps: readonly string[];
  readonly count: number;
  readonly share: number;
  readonly seed: string;
}

/** How often a rule fired (share of runs with at least one firing), base against variant. */
export interface RuleChange {
  readonly id: string;
  readonly kind: RuleKind;
  readonly base: number;
  readonly variant: number;
  readonly baseOnly: number;
  readonly variantOnly: number;
  readonly difference: Difference;
  /** Whether the rule exists in each scenario. */
  readonly in: 'both' | 'base' | 'variant';
}

/** One outcome both scenarios declare, base against variant, from paired runs. */
export interface PairedOutcome {
  readonly id: string;
  /** The base's condition in words. */
  readonly text: string;
  readonly base: Proportion;
  readonly variant: Proportion;
  readonly baseOnly: number;
  readonly variantOnly: number;
  /** P(variant reached it) − P(base reached it), 95% Wald interval for paired proportions. */
  readonly difference: Difference;
}

/** One variant against the base. */
export interface VariantComparison {
  readonly scenario: ScenarioRef;
  /** Overall and every theatre both scenarios have, over every rung both ladders have. */
  readonly scopes: readonly ScopeComparison[];
  /** Theatres and rungs that only one side has, so could not be paired. */
  readonly unpaired: { readonly theatres: readonly string[]; readonly rungs: readonly string[] };
  /** Pathways of the variant that the base never took, commonest first. */
  readonly appeared: readonly PathwayChange[];
  readonly appearedDistinct: number;
  /** Share of the variant's runs that took a pathway the base never took. */
  readonly appearedShare: number;
  /** Pathways of the base that the variant never took. */
  readonly vanished: readonly PathwayChange[];
  readonly vanishedDistinct: number;
  readonly vanishedShare: number;
  /** Rules whose share of runs changed, largest absolute change first (unchanged rules are left out). */
  readonly rules: readonly RuleChange[];
  readonly rulesChanged: number;
  /** Outcomes both declare (present when either scenario declares outcomes). */
  readonly outcomes?: readonly PairedOutcome[];
  /** Outcomes only one side declares, so could not be paired (present with `outcomes`). */
  readonly unpairedOutcomes?: readonly string[];
}

/** What a comparison reports: plain data, rendered by the report module. */
export interface Comparison {
  readonly kind: 'comparison';
  readonly meta: {
    readonly seed: string;
    /** Run indices done (each played by every scenario). */
    readonly runs: number;
    readonly engine: EngineName;
    readonly version: string;
    /** `deriveRunSeed(seed, i)` for run i: the same seeds for every scenario (common random numbers). */
    readonly pairing: 'common random numbers';
    readonly interval: 'Wald, paired proportions, 95%';
  };
  readonly base: ScenarioRef;
  readonly variants: readonly VariantComparison[];
  /** True when stopped (Ctrl-C) before all runs were done. */
  readonly stopped: boolean;
}

/**
 * Runs a base scenario and its variants on the same run seeds (common random numbers) and reports,
 * per variant, the paired difference in P(peak ≥ rung) for every shared scope and rung with a 95%
 * interval, the pathways that appear or vanish, and the rules whose frequency changes most.
 * Deterministic: the result depends only on the models, the seed and the number of runs; a variant
 * identical to the base gives exactly zero differences with [0, 0] intervals. Streams: no trace kept.
 */
export async function compare(base: ComparedScenario, variants: readonly ComparedScenario[], options: CompareOptions): Promise<Comparison> {
  const played = await playComparison(base.model, variants.map((v) => v.model), options);
  return summarizeComparison(base, played.base, variants, played.paired, { runs: played.runs, seed: options.seed, engine: played.engine, stopped: played.stopped }, options);
}

/** The aggregates of a comparison's paired runs, before they are summarised. */
export interface PlayedComparison {
  readonly base: BatchAggregate;
  readonly paired: readonly PairedAggregate[];
  /** Run indices done (`from … from+runs-1`): fewer than asked when stopped. */
  readonly runs: number;
  readonly engine: EngineName;
  readonly stopped: boolean;
}

/**
 * Plays run indices `from … from+runs-1` of a comparison (a shard plays a slice of them) and keeps the
 * mergeable aggregates: the base's and one paired aggregate per variant. Same result on any number of
 * workers.
 */
export async function playComparison(base: Model, variants: readonly Model[], options: CompareOptions & { readonly from?: number }): Promise<PlayedComparison> {
  const engine = options.engine ?? 'compiled';
  const from = options.from ?? 0;
  const baseAgg = new BatchAggregate(base);
  const paired = variants.map((v) => new PairedAggregate(base, v));
  const merge = (data: { base: Parameters<BatchAggregate['merge']>[0]; paired: ReadonlyArray<Parameters<PairedAggregate['merge']>[0]> }) => {
    baseAgg.merge(data.base);
    data.paired.forEach((p, k) => (paired[k] as PairedAggregate).merge(p));
  };
  let runs = 0;
  let stopped = false;
  if ((options.workers ?? 1) > 1) {
    const setup = { kind: 'compare', base: base.scenario, variants: variants.map((v) => v.scenario), engine, seed: options.seed } as const;
    const played = await playInWorkers(
      setup,
      { runs: options.runs, from, workers: options.workers, lines: false, onProgress: options.onProgress, shouldStop: options.shouldStop },
      (chunk) => merge({ base: chunk.data as AggregateData, paired: chunk.paired ?? [] }),
    );
    runs = played.runs;
    stopped = played.stopped;
  } else {
    // Slices of the comparison on this thread: between slices, progress and signal handlers.
    const play = playCompareChunk(base, variants, engine, options.seed);
    const slice = Math.max(1, Math.min(1000, Math.floor(options.runs / 100)));
    while (runs < options.runs) {
      const count = Math.min(slice, options.runs - runs);
      const chunk = play(from + runs, count, options.shouldStop);
      merge({ base: chunk.base.toData(), paired: chunk.paired.map((p) => p.toData()) });
      runs += chunk.count;
      if (chunk.count < count) {
        stopped = true;
        break;
      }
      options.onProgress?.(runs, options.runs);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return { base: baseAgg, paired, runs, engine, stopped };
}

/** Turns paired aggregates into a comparison report. Pure; ordering is fixed. */
export function summarizeComparison(
  base: ComparedScenario,
  baseAgg: BatchAggregate,
  variants: readonly ComparedScenario[],
  paired: readonly PairedAggregate[],
  run: { readonly runs: number; readonly seed: string; readonly engine: EngineName; readonly stopped: boolean },
  options: Pick<CompareOptions, 'topPathways' | 'topRules'> = {},
): Comparison {
  const topPathways = options.topPathways ?? 10;
  const topRules = options.topRules ?? 10;
  const runs = run.runs;
  return {
    kind: 'comparison',
    meta: { seed: run.seed, runs, engine: run.engine, version: VERSION, pairing: 'common random numbers', interval: 'Wald, paired proportions, 95%' },
    base: ref(base),
    variants: variants.map((v, n): VariantComparison => {
      const p = paired[n] as PairedAggregate;
      const scopes = p.scopes.map((sc, s) => ({
        scope: sc.scope,
        name: sc.name,
        rungs: p.rungs.map((r, k) => {
          const c = p.peakCounts(s, k);
          return {
            rung: r.id,
            name: r.name,
            base: wilson(c.both + c.baseOnly, runs),
            variant: wilson(c.both + c.variantOnly, runs),
            baseOnly: c.baseOnly,
            variantOnly: c.variantOnly,
            difference: pairedDifference(c),
          };
        }),
      }));
      const vAgg = p.variantAggregate;
      const appearedAll = onlyIn(vAgg.signatures, baseAgg.signatures);
      const vanishedAll = onlyIn(baseAgg.signatures, vAgg.signatures);
      const change = (list: ReadonlyArray<readonly [string, SignatureTally]>): PathwayChange[] =>
        list.slice(0, topPathways).map(([signature, t]) => ({
          signature,
          steps: signature === '(no escalation)' ? [] : signature.split(' > '),
          count: t.count,
          share: runs === 0 ? 0 : t.count / runs,
          seed: t.seed,
        }));
      const share = (list: ReadonlyArray<readonly [string, SignatureTally]>) => (runs === 0 ? 0 : list.reduce((a, [, t]) => a + t.count, 0) / runs);
      const rules = p.rules
        .map((rule, r): RuleChange => {
          const c = p.ruleCounts(r);
          return {
            id: rule.id,
            kind: rule.kind,
            base: runs === 0 ? 0 : (c.both + c.baseOnly) / runs,
            variant: runs === 0 ? 0 : (c.both + c.variantOnly) / runs,
            baseOnly: c.baseOnly,
            variantOnly: c.variantOnly,
            difference: pairedDifference(c),
            in: rule.base < 0 ? 'variant' : rule.variant < 0 ? 'base' : 'both',
          };
        })
        .filter((r) => r.difference.estimate !== 0);
      rules.sort((a, b) => Math.abs(b.difference.estimate) - Math.abs(a.difference.estimate) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const vm = v.model;
      const bm = base.model;
      return {
        scenario: ref(v),
        scopes,
        unpaired: {
          theatres: [
            ...bm.theatres.filter((t) => !vm.theatres.some((u) => u.id === t.id)).map((t) => `${t.id} (base only)`),
            ...vm.theatres.filter((t) => !bm.theatres.some((u) => u.id === t.id)).map((t) => `${t.id} (variant only)`),
          ],
          rungs: [
            ...bm.rungs.filter((r) => !vm.rungs.some((u) => u.id === r.id)).map((r) => `${r.id} (base only)`),
            ...vm.rungs.filter((r) => !bm.rungs.some((u) => u.id === r.id)).map((r) => `${r.id} (variant only)`),
          ],
        },
        appeared: change(appearedAll),
        appearedDistinct: appearedAll.length,
        appearedShare: share(appearedAll),
        vanished: change(vanishedAll),
        vanishedDistinct: vanishedAll.length,
        vanishedShare: share(vanishedAll),
        rules: rules.slice(0, topRules),
        rulesChanged: rules.length,
        ...(bm.outcomes.length + vm.outcomes.length === 0
          ? {}
          : {
              outcomes: p.outcomes.map((o, k): PairedOutcome => {
                const c = p.outcomeCounts(k);
                return {
                  id: o.id,
                  text: o.text,
                  base: wilson(c.both + c.baseOnly, runs),
                  variant: wilson(c.both + c.variantOnly, runs),
                  baseOnly: c.baseOnly,
                  variantOnly: c.variantOnly,
                  difference: pairedDifference(c),
                };
              }),
              unpairedOutcomes: [
                ...bm.outcomes.filter((o) => !vm.outcomes.some((u) => u.id === o.id)).map((o) => `${o.id} (base only)`),
                ...vm.outcomes.filter((o) => !bm.outcomes.some((u) => u.id === o.id)).map((o) => `${o.id} (variant only)`),
              ],
            }),
      };
    }),
    stopped: run.stopped,
  };
}

function ref(s: ComparedScenario): ScenarioRef {
  const files = s.files ?? [];
  const m = s.model.scenario.metadata;
  return { id: m.id, title: m.title, hash: s.hash ?? '', files, label: s.label ?? files[0] ?? m.id };
}

/** Signatures tallied in `a` and not in `b`, commonest first, then earliest. */
function onlyIn(a: ReadonlyMap<string, SignatureTally>, b: ReadonlyMap<string, SignatureTally>): Array<readonly [string, SignatureTally]> {
  return [...a].filter(([sig]) => !b.has(sig)).sort((x, y) => y[1].count - x[1].count || x[1].index - y[1].index);
}
