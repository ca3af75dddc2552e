import { Worker } from 'node:worker_threads';
import { EngineError } from '../engine/run.ts';
import type { FromWorker, ToWorker } from './batch-worker.ts';
import type { CheckJob, RunJudge } from './check-runs.ts';
import { workerScript } from './worker-bundle.ts';

/** The judged runs of a check, block by block in run order: block k holds runs k·size … (k+1)·size − 1. */
export interface BlockSource {
  readonly size: number;
  /** The next block, in order. */
  next(): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Blocks judged on this thread, one at a time (the caller yields between them). */
export function threadBlocks(judge: RunJudge, size: number): BlockSource {
  let k = 0;
  return {
    size,
    next: async () => judge(size * k++, size),
    close: async () => {},
  };
}

/**
 * Blocks judged on a pool of worker threads: up to two blocks per worker are in flight ahead of the
 * one asked for, and blocks are handed back strictly in order, so what the caller reads does not
 * depend on which worker finished first. Blocks played past the caller's stopping point are dropped.
 */
export function workerBlocks(job: CheckJob, workers: number, size: number): BlockSource {
  const script = workerScript();
  const pool = Array.from({ length: workers }, () => new Worker(script, { workerData: { kind: 'check', job } }));
  const done = new Map<number, Uint8Array>();
  const waiting = new Map<number, (hits: Uint8Array) => void>();
  let failure: Error | undefined;
  let failed: ((e: Error) => void) | undefined;
  let dispatched = 0;
  let consumed = 0;
  const idle: Worker[] = [...pool];
  const fail = (e: Error) => {
    failure ??= e;
    failed?.(failure);
  };
  const pump = () => {
    while (idle.length > 0 && dispatched < consumed + 2 * workers && failure === undefined) {
      const w = idle.pop() as Worker;
      const msg: ToWorker = { kind: 'check-block', from: dispatched * size, count: size };
      dispatched++;
      w.postMessage(msg);
    }
  };
  for (const w of pool) {
    w.on('message', (msg: FromWorker) => {
      if (msg.kind === 'check-done') {
        const k = msg.from / size;
        const resolve = waiting.get(k);
        if (resolve !== undefined) {
          waiting.delete(k);
          resolve(msg.hits);
        } else done.set(k, msg.hits);
        idle.push(w);
        pump();
      } else if (msg.kind === 'engine-error') fail(new EngineError(msg.code, msg.message, msg.seed, msg.turn));
      else fail(new Error(msg.kind === 'crash' ? `check worker crashed: ${msg.message}` : `check worker: unexpected ${msg.kind}`));
    });
    w.on('error', (e) => fail(e));
  }
  return {
    size,
    next: () => {
      const k = consumed++;
      pump();
      if (failure !== undefined) return Promise.reject(failure);
      const ready = done.get(k);
      if (ready !== undefined) {
        done.delete(k);
        return Promise.resolve(ready);
      }
      return new Promise<Uint8Array>((resolve, reject) => {
        waiting.set(k, resolve);
        failed = reject;
      });
    },
    close: async () => {
      await Promise.all(pool.map((w) => w.terminate()));
    },
  };
}
