/**
 * A table as an Apache Parquet file, through hyparquet-writer (pure JavaScript, loaded on first use so
 * that other commands do not pay for it). Deterministic: the same table gives the same bytes.
 */
import type { Cell, Column } from './table.ts';

/** Key-value metadata stored in the file's footer (e.g. the report's meta as JSON). */
export type ParquetMetadata = ReadonlyArray<{ readonly key: string; readonly value: string }>;

const PARQUET_TYPE = { string: 'STRING', int: 'INT32', double: 'DOUBLE' } as const;

/** Renders rows (in `columns` order) as a Parquet file. */
export async function renderParquet(columns: readonly Column[], rows: readonly (readonly Cell[])[], metadata: ParquetMetadata = []): Promise<Uint8Array> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const columnData = columns.map((c, k) => ({
    name: c.name,
    type: PARQUET_TYPE[c.type],
    nullable: true,
    data: rows.map((r) => r[k] ?? null),
  }));
  const buffer = parquetWriteBuffer({ columnData, kvMetadata: metadata.map((m) => ({ key: m.key, value: m.value })), createdBy: 'brink' });
  return new Uint8Array(buffer);
}
