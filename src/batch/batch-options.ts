import type { BatchAggregate } from '../analysis/aggregate.ts';
import type { InvariantTally } from '../analysis/invariants.ts';
import type { EngineName, RunLine } from './chunk.ts';

/** What `playBatch` is asked to do (its own file, so the single-thread loop and the worker pool share it without importing each other). */
export interface PlayBatchOptions {
  /** Runs to play: `from … from+runs-1`. */
  readonly runs: number;
  readonly seed: string;
  /** First run index (a shard of a larger batch plays a slice of its indices). Default 0. */
  readonly from?: number;
  /** Default `compiled`. */
  readonly engine?: EngineName;
  /** Worker threads; default 1 (this thread). */
  readonly workers?: number;
  /** Called now and then with the number of runs done. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Polled between runs: true stops the batch, keeping the runs done so far. */
  readonly shouldStop?: () => boolean;
  /** Called for every run, in run order; a returned promise is awaited (backpressure). */
  readonly onRun?: (line: RunLine) => void | Promise<void>;
  /**
   * Check the scenario's invariants on every run, in the batch's own pass (on its workers too); the
   * runs are traced when an invariant reads states. Default false.
   */
  readonly invariants?: boolean;
}

export interface PlayedBatch {
  readonly aggregate: BatchAggregate;
  /** Runs actually done (`from … from+runs-1`): fewer than asked when stopped. */
  readonly runs: number;
  readonly engine: EngineName;
  readonly stopped: boolean;
  /** The invariant tally of the runs done, when asked for and the scenario declares invariants. */
  readonly invariants: InvariantTally | undefined;
}

/**
 * Checks a batch's options where a library caller may pass anything: a clear TypeError (naming the
 * entry point and the option) instead of a crash or a report of "-1 runs".
 */
export function checkBatchOptions(who: string, options: unknown): void {
  if (options === null || typeof options !== 'object') throw new TypeError(`${who}: expected options { runs, seed, … }; found ${describe(options)}`);
  const o = options as Record<string, unknown>;
  const count = (key: string, min: number, required: boolean) => {
    const v = o[key];
    if (v === undefined && !required) return;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min)
      throw new TypeError(`${who}: expected options.${key} to be a whole number of at least ${min}; found ${describe(v)}`);
  };
  count('runs', 0, true);
  count('from', 0, false);
  count('workers', 1, false);
  if (typeof o['seed'] !== 'string' || o['seed'].length === 0)
    throw new TypeError(`${who}: expected options.seed to be a non-empty string (e.g. '1'); found ${describe(o['seed'])}`);
  const engine = o['engine'];
  if (engine !== undefined && engine !== 'compiled' && engine !== 'reference')
    throw new TypeError(`${who}: expected options.engine to be "compiled" or "reference"; found ${describe(engine)}`);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : typeof v;
}
