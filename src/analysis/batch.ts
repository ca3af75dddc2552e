import type { Kernel } from '../engine/kernel.ts';
import { deriveRunSeed } from '../engine/rng.ts';
import { Runner } from '../engine/run.ts';
import type { Model } from '../model/types.ts';
import { BatchAggregate } from './aggregate.ts';

export interface BatchOptions {
  readonly runs: number;
  /** Base seed: run i plays `deriveRunSeed(seed, i)`. */
  readonly seed: string;
  /** First run index (for a slice of a larger batch). Default 0. */
  readonly from?: number;
  /** Called every `progressEvery` runs with the number done. */
  readonly onProgress?: (done: number) => void;
  readonly progressEvery?: number;
  /** Checked between runs: when it returns true the batch stops with the runs done so far. */
  readonly shouldStop?: () => boolean;
}

/**
 * Plays runs `from … from+runs-1` of a batch and aggregates them as a stream: no trace is kept, so
 * memory does not grow with the number of runs.
 */
export function aggregateBatch(model: Model, kernel: Kernel, options: BatchOptions): BatchAggregate {
  const agg = new BatchAggregate(model);
  const runner = new Runner(model, kernel);
  const from = options.from ?? 0;
  const every = options.progressEvery ?? 100;
  for (let i = 0; i < options.runs; i++) {
    if (options.shouldStop?.() === true) break;
    const index = from + i;
    agg.add(runner.run(deriveRunSeed(options.seed, index)), index);
    if (options.onProgress !== undefined && (i + 1) % every === 0) options.onProgress(i + 1);
  }
  return agg;
}
