import { availableParallelism } from 'node:os';
import { EngineError } from '../engine/run.ts';
import type { Model } from '../model/types.ts';
import { BatchAggregate } from '../analysis/aggregate.ts';
import { InvariantTally } from '../analysis/invariants.ts';
import type { ChunkDone, FromWorker, ToWorker, WorkerSetup } from './batch-worker.ts';
import type { EngineName, RunLine } from './chunk.ts';
import type { PlayBatchOptions, PlayedBatch } from './batch-options.ts';
import { startWorker } from './worker-script.ts';

/** The number of cores: the default size of a batch's worker pool. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}


/** How a pool plays a job's runs `from … from+runs-1`. */
export interface PoolOptions {
  readonly runs: number;
  /** First run index: the job plays `from … from+runs-1`. Default 0. */
  readonly from?: number | undefined;
  readonly workers?: number | undefined;
  /** Ask workers for per-run lines. */
  readonly lines: boolean;
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
  readonly shouldStop?: (() => boolean) | undefined;
}

/**
 * Plays a job on a pool of worker threads, one pool per job. Chunks of run indices are handed out in
 * order as workers free up; each chunk comes back as one message, passed to `onChunk` (awaited, in the
 * order chunks arrive — merging is order-free). Stopping waits for the chunks already handed out, so
 * the runs done are always from … from+k-1. An engine error in a worker stops the job and is thrown.
 */
export async function playInWorkers(setup: WorkerSetup, options: PoolOptions, onChunk: (chunk: ChunkDone) => Promise<void> | void): Promise<{ runs: number; stopped: boolean }> {
  const size = Math.min(options.workers ?? defaultWorkers(), Math.max(1, Math.ceil(options.runs / 100)));
  const chunk = Math.max(100, Math.min(20_000, Math.ceil(options.runs / (size * 8))));
  const workers = Array.from({ length: size }, () => startWorker(setup));
  let nextFrom = 0;
  let done = 0;
  let stopped = false;
  let failure: Error | undefined;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            const dispatch = () => {
              if (failure !== undefined || nextFrom >= options.runs) return resolve();
              if (options.shouldStop?.() === true) {
                stopped = true;
                return resolve();
              }
              const count = Math.min(chunk, options.runs - nextFrom);
              const msg: ToWorker = { kind: 'chunk', from: (options.from ?? 0) + nextFrom, count, lines: options.lines };
              nextFrom += count;
              worker.postMessage(msg);
            };
            worker.on('message', (msg: FromWorker) => {
              void (async () => {
                if (msg.kind === 'done') {
                  await onChunk(msg);
                  done += msg.count;
                  options.onProgress?.(done, options.runs);
                } else if (msg.kind === 'engine-error') {
                  failure ??= new EngineError(msg.code, msg.message, msg.seed, msg.turn);
                } else {
                  failure ??= new Error(msg.kind === 'crash' ? `batch worker crashed: ${msg.message}` : `batch worker: unexpected ${msg.kind}`);
                }
                dispatch();
              })();
            });
            worker.on('error', (e) => {
              failure ??= e;
              resolve();
            });
            dispatch();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  if (failure !== undefined) throw failure;
  return { runs: done, stopped };
}

/**
 * Plays a batch on a pool of worker threads: the aggregate (and invariant tally) is the same whatever
 * the number of workers; per-run lines, when asked for, are passed on in run order.
 */
export async function playBatchInWorkers(model: Model, options: PlayBatchOptions & { engine: EngineName }): Promise<PlayedBatch> {
  const checking = options.invariants === true && model.invariants.length > 0;
  const setup: WorkerSetup = { kind: 'batch', scenario: model.scenario, engine: options.engine, seed: options.seed, invariants: checking };
  const aggregate = new BatchAggregate(model);
  const invariants = checking ? new InvariantTally(model) : undefined;
  const pendingLines = new Map<number, readonly RunLine[]>();
  let nextToEmit = options.from ?? 0;
  const emitLines = async () => {
    for (let lines = pendingLines.get(nextToEmit); lines !== undefined; lines = pendingLines.get(nextToEmit)) {
      pendingLines.delete(nextToEmit);
      nextToEmit += lines.length;
      for (const line of lines) {
        const pending = options.onRun?.(line);
        if (pending !== undefined) await pending;
      }
    }
  };
  const played = await playInWorkers(
    setup,
    { runs: options.runs, from: options.from, workers: options.workers, lines: options.onRun !== undefined, onProgress: options.onProgress, shouldStop: options.shouldStop },
    async (msg) => {
      if (msg.data !== undefined) aggregate.merge(msg.data);
      if (msg.invariants !== undefined) invariants?.merge(msg.invariants);
      if (msg.lines !== undefined) {
        pendingLines.set(msg.from, msg.lines);
        await emitLines();
      }
    },
  );
  return { aggregate, runs: played.runs, engine: options.engine, stopped: played.stopped, invariants };
}
