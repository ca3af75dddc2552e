import type { Worker } from 'node:worker_threads';
import { EngineError } from '../engine/run.ts';
import type { FromWorker, ToWorker } from './batch-worker.ts';
import type { CheckJob, RunJudge } from './check-runs.ts';
import { startWorker } from './worker-script.ts';

/** A block of judged runs: runs `first … first+count-1`, `hits[i * sides + s]`. */
export interface Block {
  readonly first: number;
  readonly count: number;
  readonly hits: Uint8Array;
}

/** The judged runs of a check, block by block in run order, with no gaps. */
export interface BlockSource {
  /** The next block, in order. */
  next(): Promise<Block>;
  close(): Promise<void>;
}

/**
 * Block sizes on this thread: 64 runs, doubling up to `most`, so that a check decided after a few
 * dozen runs does not play hundreds. The answer does not depend on the sizes.
 */
export function* blockSizes(most: number): Generator<number> {
  let size = Math.min(64, most);
  for (;;) {
    yield size;
    size = Math.min(most, size * 2);
  }
}

/** Blocks judged on this thread, one at a time (the caller yields between them). */
export function threadBlocks(judge: RunJudge, most: number): BlockSource {
  let first = 0;
  const sizes = blockSizes(most);
  return {
    next: async () => {
      const count = sizes.next().value as number;
      const block = { first, count, hits: judge(first, count) };
      first += count;
      return block;
    },
    close: async () => {},
  };
}

/**
 * Blocks judged on a pool of worker threads: up to two blocks per worker are in flight ahead of the
 * one asked for, and blocks are handed back strictly in order, so what the caller reads does not
 * depend on which worker finished first. Blocks played past the caller's stopping point are dropped.
 */
export function workerBlocks(job: CheckJob, workers: number, size: number): BlockSource {
  const pool = Array.from({ length: workers }, () => startWorker({ kind: 'check', job }));
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
    next: () => {
      const k = consumed++;
      pump();
      if (failure !== undefined) return Promise.reject(failure);
      const block = (hits: Uint8Array): Block => ({ first: k * size, count: size, hits });
      const ready = done.get(k);
      if (ready !== undefined) {
        done.delete(k);
        return Promise.resolve(block(ready));
      }
      return new Promise<Block>((resolve, reject) => {
        waiting.set(k, (hits) => resolve(block(hits)));
        failed = reject;
      });
    },
    close: async () => {
      await Promise.all(pool.map((w) => w.terminate()));
    },
  };
}
