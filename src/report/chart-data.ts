import { escapeHtml } from './escape.ts';

/** The data behind a chart, as a table: what the page offers for download as CSV and JSON. */
export interface ChartData {
  /** File name without extension. */
  readonly file: string;
  readonly columns: readonly string[];
  /** Numbers exactly as in the JSON report (shares 0–1, not percent). */
  readonly rows: ReadonlyArray<ReadonlyArray<string | number | null>>;
}

/**
 * The data as an inert JSON block (`type="application/json"`, never executed) and the download links
 * the page's script serves from it. `<` is escaped so no text in the data can close the block. Pure.
 */
export function renderChartData(data: ChartData, id: string): string {
  const json = JSON.stringify({ file: data.file, columns: data.columns, rows: data.rows }).replace(/</g, '\\u003c');
  return `<p class="downloads">Data: <button type="button" data-download="${escapeHtml(id)}" data-format="csv">CSV</button> <button type="button" data-download="${escapeHtml(id)}" data-format="json">JSON</button></p>\n<script type="application/json" id="${escapeHtml(id)}">${json}</script>`;
}
