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
