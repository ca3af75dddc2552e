import { deriveRunSeed } from '../engine/rng.ts';
import { Runner } from '../engine/run.ts';
import type { Model } from '../model/types.ts';
import { BatchAggregate } from '../analysis/aggregate.ts';
import { createKernel, type EngineName } from '../engine/kernels.ts';
import { PairedAggregate } from '../analysis/paired-aggregate.ts';

/** What a chunk of a comparison produced: the base's aggregate and one paired aggregate per variant. */
export interface ComparedChunk {
  readonly base: BatchAggregate;
  readonly paired: readonly PairedAggregate[];
  /** Runs played: fewer than asked when `shouldStop` said so. */
  readonly count: number;
}

/**
 * A player of chunks of a comparison on this thread: runs `from … from+count-1` of the base and of
 * every variant on the same run seeds (common random numbers). Keeps one runner per scenario across
 * chunks. Used on this thread and by the worker threads alike.
 */
export function playCompareChunk(base: Model, variants: readonly Model[], engine: EngineName, seed: string) {
  const baseRunner = new Runner(base, createKernel(base, engine));
  const runners = variants.map((v) => new Runner(v, createKernel(v, engine)));
  return (from: number, count: number, shouldStop?: () => boolean): ComparedChunk => {
    const baseAgg = new BatchAggregate(base);
    const paired = variants.map((v) => new PairedAggregate(base, v));
    let i = from;
    for (; i < from + count; i++) {
      if (shouldStop?.() === true) break;
      const runSeed = deriveRunSeed(seed, i);
      // Transient records: the base's stays valid while the variants' runners play (their own buffers).
      const record = baseRunner.run(runSeed, { transient: true });
      baseAgg.add(record, i);
      for (let k = 0; k < runners.length; k++) (paired[k] as PairedAggregate).add(record, (runners[k] as Runner).run(runSeed, { transient: true }), i);
    }
    return { base: baseAgg, paired, count: i - from };
  };
}
