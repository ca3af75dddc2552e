import { expect } from 'vitest';
import { BatchAggregate } from '../src/analysis/aggregate.ts';
import { aggregateBatch } from '../src/batch/batch.ts';
import { deriveRunReport } from '../src/analysis/run-report.ts';
import { deriveMeta, summarizeBatch } from '../src/analysis/summary.ts';
import { ReferenceKernel } from '../src/engine/reference-kernel.ts';
import { deriveRunSeed } from '../src/engine/rng.ts';
import { CompiledKernel } from '../src/engine/compiled-kernel.ts';
import type { Kernel } from '../src/engine/kernel.ts';
import { EngineError, Runner, type RunnerOptions, runOnce } from '../src/engine/run.ts';
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

/**
 * What a run produced on one engine path, or the clean engine error it stopped with, as one
 * comparable string (traced and transient). Anything but an EngineError is rethrown: an internal error.
 */
export function engineOutcome(model: Model, kernel: Kernel, seed: string, options: RunnerOptions = {}): string {
  const runner = new Runner(model, kernel, options);
  const attempt = (f: () => string): string => {
    try {
      return f();
    } catch (e) {
      if (e instanceof EngineError) return `error ${e.code} ${e.turn} ${e.message}`;
      throw e;
    }
  };
  const traced = attempt(() => {
    const r = runner.run(seed, { trace: true });
    return JSON.stringify({ events: r.events, states: r.stateChanges, rules: [...r.ruleCounts], steps: r.steps, thresholds: [...r.thresholdTurns] });
  });
  const untraced = attempt(() => {
    const b = runner.run(seed, { transient: true });
    return JSON.stringify({ events: b.events, rules: [...b.ruleCounts], peaks: [b.overallPeak, ...b.theatrePeaks, ...b.dyadPeaks] });
  });
  return `${traced}\n${untraced}`;
}

/**
 * Law: the XState reference, the compiled kernel's general algorithm and the code generated for the
 * model give identical runs, or stop with the same engine error.
 */
export function assertEnginesAgree(model: Model, seeds: readonly string[]): void {
  for (const seed of seeds) {
    const expected = engineOutcome(model, new ReferenceKernel(model), seed);
    expect(engineOutcome(model, new CompiledKernel(model), seed, { specialise: false }), `seed ${seed}, general algorithm`).toBe(expected);
    expect(engineOutcome(model, new CompiledKernel(model), seed, { specialise: 0 }), `seed ${seed}, generated code`).toBe(expected);
  }
}
