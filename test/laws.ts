import { expect } from 'vitest';
import { BatchAggregate } from '../src/analysis/aggregate.ts';
import { aggregateBatch } from '../src/batch/batch.ts';
import { deriveRunReport } from '../src/analysis/run-report.ts';
import { deriveMeta, summarizeBatch } from '../src/analysis/summary.ts';
import { ReferenceKernel } from '../src/engine/reference-kernel.ts';
import { deriveRunSeed } from '../src/engine/rng.ts';
import { runOnce } from '../src/engine/run.ts';
import type { Model } from '../src/model/types.ts';
import { renderJson } from '../src/report/json.ts';

const META = { hash: 'sha256:test', files: ['test.yaml'] };

/** The JSON report of one run, from fresh machines. */
export function runJson(model: Model, seed: string): string {
  const record = runOnce(model, new ReferenceKernel(model), seed, { trace: true });
  return renderJson(deriveRunReport(model, record, deriveMeta(model, { ...META, seed, runs: 1, engine: 'reference' })));
}

/** The JSON report of a batch. */
export function batchJson(model: Model, seed: string, runs: number): string {
  const agg = aggregateBatch(model, new ReferenceKernel(model), { runs, seed });
  return renderJson(summarizeBatch(model, agg, deriveMeta(model, { ...META, seed, runs, engine: 'reference' })));
}

/** Law: the same scenario and seed give byte-identical reports. */
export function assertSameReportGivenSameSeed(model: Model, seed: string): void {
  expect(runJson(model, seed)).toBe(runJson(model, seed));
}

/**
 * Law: a batch's aggregate equals the aggregate of its runs computed one at a time on fresh machines,
 * and the merge of any split of it.
 */
export function assertBatchEqualsItsRuns(model: Model, seed: string, runs: number, split: number): void {
  const whole = aggregateBatch(model, new ReferenceKernel(model), { runs, seed });
  const oneByOne = new BatchAggregate(model);
  for (let i = 0; i < runs; i++) oneByOne.add(runOnce(model, new ReferenceKernel(model), deriveRunSeed(seed, i)), i);
  const k = split % (runs + 1);
  const parts = new BatchAggregate(model);
  parts.merge(aggregateBatch(model, new ReferenceKernel(model), { runs: runs - k, seed, from: k }).toData());
  parts.merge(aggregateBatch(model, new ReferenceKernel(model), { runs: k, seed }).toData());
  const summary = (a: BatchAggregate) => renderJson(summarizeBatch(model, a, deriveMeta(model, { ...META, seed, runs, engine: 'reference' })));
  expect(summary(oneByOne)).toBe(summary(whole));
  expect(summary(parts)).toBe(summary(whole));
}
