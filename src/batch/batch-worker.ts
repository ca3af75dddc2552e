/**
 * A batch worker thread: rebuilds the model(s) from the resolved scenario(s), then plays the chunks of
 * run indices it is sent and answers each with its aggregates (one message per chunk, not per run).
 * A batch job plays one scenario; a comparison job plays a base and its variants on the same seeds.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EngineError } from '../engine/run.ts';
import { buildModel } from '../model/build-model.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { AggregateData } from '../analysis/aggregate.ts';
import { type EngineName, playChunk, type RunLine } from './chunk.ts';
import { playCompareChunk } from './compare-chunk.ts';
import { type BranchPlan, type BranchTally, playBranchUnits } from './branch.ts';
import { type CheckJob, judgeFromJob } from './check-runs.ts';
import type { InvariantTallyData } from '../analysis/invariants.ts';
import type { PairedAggregateData } from '../analysis/paired-aggregate.ts';

export type WorkerSetup =
  | {
      readonly kind: 'batch';
      readonly scenario: Scenario;
      readonly engine: EngineName;
      readonly seed: string;
      /** Check the scenario's invariants on each run. */
      readonly invariants: boolean;
    }
  | { readonly kind: 'compare'; readonly base: Scenario; readonly variants: readonly Scenario[]; readonly engine: EngineName; readonly seed: string }
  | { readonly kind: 'check'; readonly job: CheckJob }
  /** A debrief's counterfactual branches: units are job × replication (src/batch/branch.ts). */
  | { readonly kind: 'branch'; readonly scenario: Scenario; readonly plan: BranchPlan };

export type ToWorker =
  | { readonly kind: 'chunk'; readonly from: number; readonly count: number; readonly lines: boolean }
  | { readonly kind: 'check-block'; readonly from: number; readonly count: number };

/** A block of a check's runs judged: `hits[i * sides + s]` (batch/check-runs.ts). */
export interface CheckBlockDone {
  readonly kind: 'check-done';
  readonly from: number;
  readonly count: number;
  readonly hits: Uint8Array;
}

/** A chunk's results. */
export interface ChunkDone {
  readonly kind: 'done';
  readonly from: number;
  readonly count: number;
  /** The (base) scenario's aggregate (absent for branches). */
  readonly data: AggregateData | undefined;
  readonly lines: readonly RunLine[] | undefined;
  readonly invariants: InvariantTallyData | undefined;
  /** A comparison's paired aggregates, one per variant. */
  readonly paired: readonly PairedAggregateData[] | undefined;
  /** Branch tallies, one per job the chunk touched. */
  readonly branches?: readonly BranchTally[] | undefined;
}

export type FromWorker =
  | ChunkDone
  | CheckBlockDone
  | { readonly kind: 'engine-error'; readonly code: string; readonly message: string; readonly seed: string; readonly turn: number }
  | { readonly kind: 'crash'; readonly message: string };

function player(setup: WorkerSetup): (msg: ToWorker) => ChunkDone | CheckBlockDone {
  if (setup.kind === 'check') {
    const judge = judgeFromJob(setup.job);
    return (msg) => ({ kind: 'check-done', from: msg.from, count: msg.count, hits: judge(msg.from, msg.count) });
  }
  if (setup.kind === 'branch') {
    const play = playBranchUnits(buildModel(setup.scenario), setup.plan);
    return (msg) => ({ kind: 'done', from: msg.from, count: msg.count, data: undefined, lines: undefined, invariants: undefined, paired: undefined, branches: play(msg.from, msg.count) });
  }
  if (setup.kind === 'compare') {
    const play = playCompareChunk(buildModel(setup.base), setup.variants.map(buildModel), setup.engine, setup.seed);
    return (msg) => {
      if (msg.kind !== 'chunk') throw new Error('a comparison worker plays chunks');
      const { base, paired } = play(msg.from, msg.count);
      return { kind: 'done', from: msg.from, count: msg.count, data: base.toData(), lines: undefined, invariants: undefined, paired: paired.map((p) => p.toData()) };
    };
  }
  const play = playChunk(buildModel(setup.scenario), setup.engine, setup.seed, { invariants: setup.invariants });
  return (msg) => {
    if (msg.kind !== 'chunk') throw new Error('a batch worker plays chunks');
    const { aggregate, lines, invariants } = play(msg.from, msg.count, msg.lines);
    return { kind: 'done', from: msg.from, count: msg.count, data: aggregate.toData(), lines, invariants: invariants?.toData(), paired: undefined };
  };
}

const port = parentPort;
if (port !== null) {
  const play = player(workerData as WorkerSetup);
  port.on('message', (msg: ToWorker) => {
    try {
      port.postMessage(play(msg) satisfies FromWorker);
    } catch (e) {
      const reply: FromWorker =
        e instanceof EngineError
          ? { kind: 'engine-error', code: e.code, message: e.message, seed: e.seed, turn: e.turn }
          : { kind: 'crash', message: (e as Error).stack ?? String(e) };
      port.postMessage(reply);
    }
  });
}
