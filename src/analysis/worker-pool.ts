import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { EngineError } from '../engine/run.ts';
import type { Model } from '../model/types.ts';
import { BatchAggregate } from './aggregate.ts';
import { InvariantTally } from './invariants.ts';
import type { FromWorker, ToWorker, WorkerSetup } from './batch-worker.ts';
import type { EngineName, RunLine } from './chunk.ts';
import type { PlayBatchOptions, PlayedBatch } from './play-batch.ts';
import { workerScript } from './worker-bundle.ts';

/** The number of cores: the default size of a batch's worker pool. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}


/**
 * Plays a batch on a pool of worker threads, one pool per batch. Chunks of run indices are handed out
 * in order as workers free up; each chunk comes back as one aggregate, and merging is order-free, so
 * the result is the same whatever the number of workers. Runs lines, when asked for, are passed on in
 * run order. Stopping waits for the chunks already handed out, so the runs done are always 0 … k-1.
 */
export async function playBatchInWorkers(model: Model, options: PlayBatchOptions & { engine: EngineName }): Promise<PlayedBatch> {
  const size = Math.min(options.workers ?? defaultWorkers(), Math.max(1, Math.ceil(options.runs / 100)));
  const chunk = Math.max(100, Math.min(20_000, Math.ceil(options.runs / (size * 8))));
  const script = workerScript();
  const checking = options.invariants === true && model.invariants.length > 0;
  const setup: WorkerSetup = { scenario: model.scenario, engine: options.engine, seed: options.seed, invariants: checking };
  const invariants = checking ? new InvariantTally(model) : undefined;
  const workers = Array.from({ length: size }, () => new Worker(script, { workerData: setup }));
  const aggregate = new BatchAggregate(model);
  const wantLines = options.onRun !== undefined;
  const pendingLines = new Map<number, readonly RunLine[]>();
  let nextToEmit = 0;
  let nextFrom = 0;
  let done = 0;
  let stopped = false;
  let failure: Error | undefined;

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
              const msg: ToWorker = { kind: 'chunk', from: nextFrom, count, lines: wantLines };
              nextFrom += count;
              worker.postMessage(msg);
            };
            worker.on('message', (msg: FromWorker) => {
              void (async () => {
                if (msg.kind === 'done') {
                  aggregate.merge(msg.data);
                  if (msg.invariants !== undefined) invariants?.merge(msg.invariants);
                  done += msg.count;
                  if (msg.lines !== undefined) {
                    pendingLines.set(msg.from, msg.lines);
                    await emitLines();
                  }
                  options.onProgress?.(done, options.runs);
                } else if (msg.kind === 'engine-error') {
                  failure ??= new EngineError(msg.code, msg.message, msg.seed, msg.turn);
                } else {
                  failure ??= new Error(`batch worker crashed: ${msg.message}`);
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
  return { aggregate, runs: done, engine: options.engine, stopped, invariants };
}
