/**
 * A batch worker thread: rebuilds the model from the resolved scenario, then plays the chunks of run
 * indices it is sent and answers each with its aggregate (one message per chunk, not per run).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EngineError } from '../engine/run.ts';
import { buildModel } from '../model/build-model.ts';
import type { Scenario } from '../scenario/schema.ts';
import { type EngineName, playChunk, type RunLine } from './chunk.ts';
import type { AggregateData } from './aggregate.ts';
import type { InvariantTallyData } from './invariants.ts';

export interface WorkerSetup {
  readonly scenario: Scenario;
  readonly engine: EngineName;
  readonly seed: string;
  /** Check the scenario's invariants on each run. */
  readonly invariants: boolean;
}

export type ToWorker = { readonly kind: 'chunk'; readonly from: number; readonly count: number; readonly lines: boolean };

export type FromWorker =
  | {
      readonly kind: 'done';
      readonly from: number;
      readonly count: number;
      readonly data: AggregateData;
      readonly lines: readonly RunLine[] | undefined;
      readonly invariants: InvariantTallyData | undefined;
    }
  | { readonly kind: 'engine-error'; readonly code: string; readonly message: string; readonly seed: string; readonly turn: number }
  | { readonly kind: 'crash'; readonly message: string };

const port = parentPort;
if (port !== null) {
  const setup = workerData as WorkerSetup;
  const model = buildModel(setup.scenario);
  const play = playChunk(model, setup.engine, setup.seed, { invariants: setup.invariants });
  port.on('message', (msg: ToWorker) => {
    try {
      const { aggregate, lines, invariants } = play(msg.from, msg.count, msg.lines);
      const data = aggregate.toData();
      const reply: FromWorker = {
        kind: 'done',
        from: msg.from,
        count: msg.count,
        data: { ...data, signatures: [...data.signatures] },
        lines,
        invariants: invariants?.toData(),
      };
      port.postMessage(reply);
    } catch (e) {
      const reply: FromWorker =
        e instanceof EngineError
          ? { kind: 'engine-error', code: e.code, message: e.message, seed: e.seed, turn: e.turn }
          : { kind: 'crash', message: (e as Error).stack ?? String(e) };
      port.postMessage(reply);
    }
  });
}
