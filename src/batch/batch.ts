import { checkBatchOptions } from './batch-options.ts';
import type { Kernel } from '../engine/kernel.ts';
import { deriveRunSeed } from '../engine/rng.ts';
import { type RunRecord, Runner } from '../engine/run.ts';
import type { Model } from '../model/types.ts';
import { BatchAggregate } from '../analysis/aggregate.ts';

export interface BatchOptions {
  readonly runs: number;
  /** Base seed: run i plays `deriveRunSeed(seed, i)`. */
  readonly seed: string;
  /** First run index (for a slice of a larger batch). Default 0. */
  readonly from?: number;
}

/**
 * Plays runs `from … from+count-1` of a batch on `runner` and aggregates them as a stream: each
 * record is read once (by `onRecord` too, if given) and not kept, so memory does not grow with the
 * number of runs. The one batch loop: single-threaded batches, worker chunks and the library use it.
 */
export function aggregateRuns(
  model: Model,
  runner: Runner,
  seed: string,
  from: number,
  count: number,
  onRecord?: (record: RunRecord, index: number) => void,
  trace = false,
): BatchAggregate {
  const agg = new BatchAggregate(model);
  for (let index = from; index < from + count; index++) {
    const record = runner.run(deriveRunSeed(seed, index), { transient: true, trace });
    agg.add(record, index);
    onRecord?.(record, index);
  }
  return agg;
}

/** Plays runs `from … from+runs-1` of a batch on a kernel and aggregates them. */
export function aggregateBatch(model: Model, kernel: Kernel, options: BatchOptions): BatchAggregate {
  checkBatchOptions('aggregateBatch', options);
  return aggregateRuns(model, new Runner(model, kernel), options.seed, options.from ?? 0, options.runs);
}
