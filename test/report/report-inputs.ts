import { aggregateBatch } from '../../src/batch/batch.ts';
import { deriveNarratives } from '../../src/analysis/narratives.ts';
import { deriveStateCharts } from '../../src/analysis/state-chart.ts';
import { type BatchSummary, deriveMeta, summarizeBatch } from '../../src/analysis/summary.ts';
import { ReferenceKernel } from '../../src/engine/reference-kernel.ts';
import { turnDate } from '../../src/model/calendar.ts';
import type { Model } from '../../src/model/types.ts';
import type { BatchHtmlExtras } from '../../src/report/html.ts';

/** A batch summary and everything the HTML report needs besides, as `brink run --format html` builds them. */
export function batchInputs(
  model: Model,
  identity: { hash: string; files: readonly string[] },
  runs: number,
  seed: string,
): { summary: BatchSummary; extras: BatchHtmlExtras } {
  const agg = aggregateBatch(model, new ReferenceKernel(model), { runs, seed });
  const summary = summarizeBatch(model, agg, deriveMeta(model, { ...identity, seed, runs, engine: 'reference' }));
  return {
    summary,
    extras: {
      charts: deriveStateCharts(model),
      narratives: deriveNarratives(model, summary, new ReferenceKernel(model)),
      turnLabels: Array.from({ length: model.turns }, (_, i) => turnDate(model.scenario.time, i + 1)),
    },
  };
}
