import { checkBatchOptions } from './batch-options.ts';
import type { Model } from '../model/types.ts';
import { BatchAggregate } from '../analysis/aggregate.ts';
import type { PlayBatchOptions, PlayedBatch } from './batch-options.ts';
import { type EngineName, playChunk, type RunLine } from './chunk.ts';
import { InvariantTally } from '../analysis/invariants.ts';
import { playBatchInWorkers } from './worker-pool.ts';

export { createKernel, type EngineName, type RunLine, toRunLine } from './chunk.ts';

export type { PlayBatchOptions, PlayedBatch } from './batch-options.ts';

/**
 * Plays a batch (or the slice `from … from+runs-1` of one) and aggregates it as a stream. The aggregate
 * depends only on the model, the seed and the run indices — not on the engine or the number of workers.
 */
export async function playBatch(model: Model, options: PlayBatchOptions): Promise<PlayedBatch> {
  checkBatchOptions('playBatch', options);
  const engine = options.engine ?? 'compiled';
  if ((options.workers ?? 1) > 1) return playBatchInWorkers(model, { ...options, engine });
  // Slices of the batch on this thread: between slices, progress, backpressure and signal handlers.
  const play = playChunk(model, engine, options.seed, { invariants: options.invariants === true });
  const agg = new BatchAggregate(model);
  const tally = options.invariants === true && model.invariants.length > 0 ? new InvariantTally(model) : undefined;
  const slice = Math.max(1, Math.min(1000, Math.floor(options.runs / 100)));
  const from = options.from ?? 0;
  let stopped = false;
  let i = 0;
  while (i < options.runs) {
    if (options.shouldStop?.() === true) {
      stopped = true;
      break;
    }
    const count = Math.min(slice, options.runs - i);
    const { aggregate, lines, invariants } = play(from + i, count, options.onRun !== undefined);
    agg.merge(aggregate.toData());
    if (invariants !== undefined) tally?.merge(invariants.toData());
    i += count;
    for (const line of lines ?? []) {
      const pending = options.onRun?.(line);
      if (pending !== undefined) await pending;
    }
    options.onProgress?.(i, options.runs);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { aggregate: agg, runs: i, engine, stopped, invariants: tally };
}
