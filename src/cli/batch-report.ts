/** A batch's report in every format but NDJSON: what `brink run --runs N` and `brink merge` print. */
import type { InvariantTally } from '../analysis/invariants.ts';
import { deriveNarratives } from '../analysis/narratives.ts';
import { deriveStateCharts } from '../analysis/state-chart.ts';
import type { BatchSummary } from '../analysis/summary.ts';
import { createKernel, type EngineName } from '../batch/play-batch.ts';
import { turnDate } from '../model/calendar.ts';
import type { Model } from '../model/types.ts';
import { renderBatchHtml } from '../report/html.ts';
import { renderJson } from '../report/json.ts';
import { renderBatchMarkdown } from '../report/markdown.ts';
import { renderBatchText } from '../report/text.ts';

/** The report formats of a batch that a summary alone can render. */
export type SummaryFormat = 'text' | 'json' | 'md' | 'html';

/** Adds the invariants' verdicts to a report, when the scenario declares any. */
export function withInvariants<T extends object>(report: T, model: Model, tally: () => InvariantTally): T {
  return model.invariants.length === 0 ? report : { ...report, invariants: tally().toData() };
}

/** A batch summary rendered in one of the summary formats. */
export async function renderBatch(format: SummaryFormat, model: Model, summary: BatchSummary, engine: EngineName): Promise<string> {
  switch (format) {
    case 'text':
      return renderBatchText(summary);
    case 'json':
      return renderJson(summary);
    case 'md':
      return renderBatchMarkdown(summary, { charts: deriveStateCharts(model) });
    case 'html':
      return renderBatchHtml(summary, {
        charts: deriveStateCharts(model),
        narratives: deriveNarratives(model, summary, createKernel(model, engine)),
        turnLabels: Array.from({ length: model.turns }, (_, i) => turnDate(model.scenario.time, i + 1)),
      });
    default: {
      const never: never = format;
      throw new Error(`unhandled format ${String(never)}`);
    }
  }
}
