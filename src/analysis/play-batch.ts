import type { Kernel } from '../engine/kernel.ts';
import { CompiledKernel } from '../engine/compiled-kernel.ts';
import { ReferenceKernel } from '../engine/reference-kernel.ts';
import { deriveRunSeed } from '../engine/rng.ts';
import { type RunRecord, Runner } from '../engine/run.ts';
import type { Model } from '../model/types.ts';
import { BatchAggregate } from './aggregate.ts';
import { deriveSignature } from './pathway.ts';

export type EngineName = 'reference' | 'compiled';

/** One run, in brief: what `--format ndjson` prints per run. */
export interface RunLine {
  readonly index: number;
  readonly seed: string;
  /** Rung ids (null = nothing escalated). */
  readonly peak: string | null;
  readonly theatres: Readonly<Record<string, string | null>>;
  readonly signature: string;
  /** First turn each threshold was crossed overall, by threshold id (null = never). */
  readonly thresholds: Readonly<Record<string, number | null>>;
}

export interface PlayBatchOptions {
  readonly runs: number;
  readonly seed: string;
  /** Default `reference`. */
  readonly engine?: EngineName;
  /** Worker threads; default 1 (this thread). */
  readonly workers?: number;
  /** Called now and then with the number of runs done. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Polled between runs: true stops the batch, keeping the runs done so far. */
  readonly shouldStop?: () => boolean;
  /** Called for every run, in run order; a returned promise is awaited (backpressure). */
  readonly onRun?: (line: RunLine) => void | Promise<void>;
}

export interface PlayedBatch {
  readonly aggregate: BatchAggregate;
  /** Runs actually done: fewer than asked when stopped. */
  readonly runs: number;
  readonly engine: EngineName;
  readonly stopped: boolean;
}

/** Creates the kernel an engine name stands for. */
export function createKernel(model: Model, engine: EngineName): Kernel {
  switch (engine) {
    case 'reference':
      return new ReferenceKernel(model);
    case 'compiled':
      return new CompiledKernel(model);
  }
}

/** The brief of one run, for NDJSON. */
export function toRunLine(model: Model, record: RunRecord, index: number): RunLine {
  const rung = (i: number) => (i < 0 ? null : (model.rungs[i] as { id: string }).id);
  const theatres: Record<string, string | null> = {};
  model.theatres.forEach((t, i) => {
    theatres[t.id] = rung(record.theatrePeaks[i] as number);
  });
  const thresholds: Record<string, number | null> = {};
  model.thresholds.forEach((t, k) => {
    const turn = record.thresholdTurns[k] as number;
    thresholds[t.id] = turn === 0 ? null : turn;
  });
  return { index, seed: record.seed, peak: rung(record.overallPeak), theatres, signature: deriveSignature(model, record), thresholds };
}

/**
 * Plays a batch and aggregates it as a stream. The aggregate depends only on the model, the seed and
 * the number of runs — not on the engine's speed-ups or the number of workers.
 */
export async function playBatch(model: Model, options: PlayBatchOptions): Promise<PlayedBatch> {
  const engine = options.engine ?? 'reference';
  const runner = new Runner(model, createKernel(model, engine));
  const agg = new BatchAggregate(model);
  const every = Math.max(1, Math.min(1000, Math.floor(options.runs / 100)));
  let stopped = false;
  let i = 0;
  for (; i < options.runs; i++) {
    if (options.shouldStop?.() === true) {
      stopped = true;
      break;
    }
    const record = runner.run(deriveRunSeed(options.seed, i));
    agg.add(record, i);
    if (options.onRun !== undefined) {
      const pending = options.onRun(toRunLine(model, record, i));
      if (pending !== undefined) await pending;
    }
    if (options.onProgress !== undefined && (i + 1) % every === 0) {
      options.onProgress(i + 1, options.runs);
      // Let signal handlers run between slices of a long batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return { aggregate: agg, runs: i, engine, stopped };
}
