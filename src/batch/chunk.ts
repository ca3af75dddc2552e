import { type RunRecord, Runner, reachedOutcome } from '../engine/run.ts';
import type { Model } from '../model/types.ts';
import type { BatchAggregate } from '../analysis/aggregate.ts';
import { aggregateRuns } from './batch.ts';
import { InvariantTally, needsTrace } from '../analysis/invariants.ts';
import { createKernel, type EngineName } from '../engine/kernels.ts';
import { deriveSignature } from '../analysis/pathway.ts';

export { createKernel, type EngineName } from '../engine/kernels.ts';

/** One run, in brief: what `--format ndjson` prints per run. */
export interface RunLine {
  readonly index: number;
  readonly seed: string;
  /** Rung ids (null = nothing escalated). */
  readonly peak: string | null;
  readonly theatres: Readonly<Record<string, string | null>>;
  /** The peak of each dyad that escalated at all, by `FROM>TO` (over all theatres; absent = nothing). */
  readonly dyads: Readonly<Record<string, string>>;
  readonly signature: string;
  /** First turn each threshold was crossed overall, by threshold id (null = never). */
  readonly thresholds: Readonly<Record<string, number | null>>;
  /** Per outcome id, whether the run reached it (present when the scenario declares outcomes). */
  readonly outcomes?: Readonly<Record<string, boolean>>;
}


/** The brief of one run, for NDJSON. */
export function toRunLine(model: Model, record: RunRecord, index: number): RunLine {
  const rung = (i: number) => (i < 0 ? null : (model.rungs[i] as { id: string }).id);
  const theatres: Record<string, string | null> = {};
  model.theatres.forEach((t, i) => {
    theatres[t.id] = rung(record.theatrePeaks[i] as number);
  });
  const dyads: Record<string, string> = {};
  const n = model.actors.length;
  for (let d = 0; d < n * n; d++) {
    const peak = record.dyadPeaks[d] as number;
    if (peak >= 0) dyads[`${(model.actors[Math.floor(d / n)] as { id: string }).id}>${(model.actors[d % n] as { id: string }).id}`] = rung(peak) as string;
  }
  const thresholds: Record<string, number | null> = {};
  model.thresholds.forEach((t, k) => {
    const turn = record.thresholdTurns[k] as number;
    thresholds[t.id] = turn === 0 ? null : turn;
  });
  const line = { index, seed: record.seed, peak: rung(record.overallPeak), theatres, dyads, signature: deriveSignature(model, record), thresholds };
  if (model.outcomes.length === 0) return line;
  const outcomes: Record<string, boolean> = {};
  model.outcomes.forEach((o, k) => {
    outcomes[o.id] = reachedOutcome(model, record, k);
  });
  return { ...line, outcomes };
}

/** What a chunk of a batch produced. */
export interface PlayedChunk {
  readonly aggregate: BatchAggregate;
  readonly lines: RunLine[] | undefined;
  /** The chunk's invariant tally, when the batch checks invariants. */
  readonly invariants: InvariantTally | undefined;
}

/**
 * A player of chunks of a batch on this thread: runs `from … from+count-1`, aggregated, with their
 * brief lines if asked, and with the scenario's invariants checked on each run if `invariants` (the
 * runs are then traced when an invariant reads states). Keeps one runner (and its buffers) across chunks.
 */
export function playChunk(model: Model, engine: EngineName, seed: string, options: { readonly invariants?: boolean } = {}) {
  const runner = new Runner(model, createKernel(model, engine));
  const checking = options.invariants === true && model.invariants.length > 0;
  const trace = checking && needsTrace(model);
  return (from: number, count: number, wantLines: boolean): PlayedChunk => {
    const lines: RunLine[] | undefined = wantLines ? [] : undefined;
    const invariants = checking ? new InvariantTally(model) : undefined;
    const onRecord =
      lines === undefined && invariants === undefined
        ? undefined
        : (record: RunRecord, i: number) => {
            invariants?.add(record, i);
            lines?.push(toRunLine(model, record, i));
          };
    const aggregate = aggregateRuns(model, runner, seed, from, count, onRecord, trace);
    return { aggregate, lines, invariants };
  };
}

