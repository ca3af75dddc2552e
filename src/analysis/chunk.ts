import type { Kernel } from '../engine/kernel.ts';
import { CompiledKernel } from '../engine/compiled-kernel.ts';
import { ReferenceKernel } from '../engine/reference-kernel.ts';
import { type RunRecord, Runner } from '../engine/run.ts';
import type { Model } from '../model/types.ts';
import type { BatchAggregate } from './aggregate.ts';
import { aggregateRuns } from './batch.ts';
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
 * A player of chunks of a batch on this thread: runs `from … from+count-1`, aggregated, with their
 * brief lines if asked. Keeps one runner (and its buffers) across chunks.
 */
export function playChunk(model: Model, engine: EngineName, seed: string) {
  const runner = new Runner(model, createKernel(model, engine));
  return (from: number, count: number, wantLines: boolean): { aggregate: BatchAggregate; lines: RunLine[] | undefined } => {
    const lines: RunLine[] | undefined = wantLines ? [] : undefined;
    const aggregate = aggregateRuns(model, runner, seed, from, count, lines === undefined ? undefined : (record, i) => lines.push(toRunLine(model, record, i)));
    return { aggregate, lines };
  };
}

