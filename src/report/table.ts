/**
 * Tables for data frames: a row per run of a batch, and the long per-turn series. Pure: the columns
 * depend only on the model, the rows only on the data, so CSV files of shards can be concatenated.
 */
import type { SeriesRow } from '../analysis/series.ts';
import type { RunLine } from '../batch/play-batch.ts';
import type { Model } from '../model/types.ts';

/** A column's type: `string` (UTF-8), `int` (32-bit), `double`. Every column may hold nulls. */
export type ColumnType = 'string' | 'int' | 'double';

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
}

export type Cell = string | number | null;

/**
 * The columns of the run table: `run`, `seed` (a string: run seeds are 53-bit integers that a float
 * column would round), `peak`, `peak.<theatre>`, `dyad.<from>.<to>` for every ordered pair of actors,
 * `threshold.<id>` (turn first crossed overall, null = never) and `signature`. Peaks are rung ids, null
 * when nothing escalated.
 */
export function runColumns(model: Model): Column[] {
  return [
    { name: 'run', type: 'int' },
    { name: 'seed', type: 'string' },
    { name: 'peak', type: 'string' },
    ...model.theatres.map((t) => ({ name: `peak.${t.id}`, type: 'string' as const })),
    ...model.actors.flatMap((a, f) => model.actors.flatMap((b, t) => (f === t ? [] : [{ name: `dyad.${a.id}.${b.id}`, type: 'string' as const }]))),
    ...model.thresholds.map((t) => ({ name: `threshold.${t.id}`, type: 'int' as const })),
    { name: 'signature', type: 'string' },
  ];
}

/** One run's row, in `runColumns` order. */
export function runRow(model: Model, line: RunLine): Cell[] {
  return [
    line.index,
    line.seed,
    line.peak,
    ...model.theatres.map((t) => line.theatres[t.id] ?? null),
    ...model.actors.flatMap((a, f) => model.actors.flatMap((b, t) => (f === t ? [] : [line.dyads[`${a.id}>${b.id}`] ?? null]))),
    ...model.thresholds.map((t) => line.thresholds[t.id] ?? null),
    line.signature,
  ];
}

/** The columns of the long series: `run`, `seed`, `turn`, `metric`, `value` (number), `label` (text). */
export const SERIES_COLUMNS: readonly Column[] = [
  { name: 'run', type: 'int' },
  { name: 'seed', type: 'string' },
  { name: 'turn', type: 'int' },
  { name: 'metric', type: 'string' },
  { name: 'value', type: 'double' },
  { name: 'label', type: 'string' },
];

export function seriesRow(r: SeriesRow): Cell[] {
  return [r.run, r.seed, r.turn, r.metric, r.value, r.label];
}

/** One CSV line (RFC 4180: fields with a comma, quote or line break are quoted; null is empty), ending in `\n`. */
export function renderCsvRow(cells: readonly Cell[]): string {
  return `${cells.map(csvField).join(',')}\n`;
}

/** The header line of a table. */
export function renderCsvHeader(columns: readonly Column[]): string {
  return renderCsvRow(columns.map((c) => c.name));
}

function csvField(cell: Cell): string {
  if (cell === null) return '';
  const s = typeof cell === 'number' ? String(cell) : cell;
  return /[",\n\r]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s;
}
