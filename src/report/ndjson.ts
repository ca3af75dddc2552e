import { escapeJsonControls } from './escape.ts';
import type { RunLine } from '../batch/play-batch.ts';
import type { BatchSummary } from '../analysis/summary.ts';

/**
 * One NDJSON line for one run: `{"kind":"run","index":…,"seed":…,"peak":…,"theatres":{…},
 * "signature":…,"thresholds":{…}}` and a newline. Pure: same line, same bytes.
 */
export function renderRunLine(line: RunLine): string {
  return escapeJsonControls(`${JSON.stringify({ kind: 'run', ...line })}\n`);
}

/** The last NDJSON line of a batch: the whole summary (`"kind":"batch"`) on one line. Pure. */
export function renderSummaryLine(summary: BatchSummary): string {
  return escapeJsonControls(`${JSON.stringify(summary)}\n`);
}
