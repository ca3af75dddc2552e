import { escapeJsonControls } from './escape.ts';
import type { RunReport } from '../analysis/run-report.ts';
import type { BatchSummary } from '../analysis/summary.ts';

/** Renders a report as JSON (2-space indent, fixed key order). Pure: same report, same bytes. */
export function renderJson(report: BatchSummary | RunReport): string {
  return escapeJsonControls(`${JSON.stringify(report, null, 2)}\n`);
}
