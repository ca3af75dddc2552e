/** Writing tables: CSV streamed to standard output or a file, Parquet built in memory and written whole. */
import { extname } from 'node:path';
import { renderParquet, type ParquetMetadata } from '../report/parquet.ts';
import { type Cell, type Column, renderCsvHeader, renderCsvRow } from '../report/table.ts';
import { fileSink, stdoutSink } from './line-sink.ts';
import { writeOutputFile } from './output.ts';
import { CliFailure, EXIT, type Io } from './shared.ts';

export type TableFormat = 'csv' | 'parquet';

/** A table being written: rows in order, then close (or abort, which leaves nothing behind). */
export interface TableWriter {
  add(row: readonly Cell[]): Promise<void> | undefined;
  close(): Promise<void>;
  abort(): void;
}

/**
 * The format an `--out` file's extension implies when `--format` was not given: `.parquet` → parquet,
 * `.csv` → csv. Arrow IPC files are refused with what to use instead.
 */
export function formatFromOut(out: string | undefined): TableFormat | undefined {
  const ext = extname(out ?? '').toLowerCase();
  if (ext === '.arrow' || ext === '.feather' || ext === '.ipc') {
    throw new CliFailure(
      `error: option '--out ${out}': Brink writes Apache Parquet (--out x.parquet), not Arrow IPC files; pyarrow, pandas, polars and R's arrow read Parquet (docs/data.md)`,
      EXIT.usage,
    );
  }
  return ext === '.parquet' ? 'parquet' : ext === '.csv' ? 'csv' : undefined;
}

/** Opens a table for writing; Parquet needs a file (`--out`). */
export function openTable(format: TableFormat, columns: readonly Column[], out: string | undefined, io: Io, metadata: ParquetMetadata = []): TableWriter {
  if (format === 'csv') {
    const sink = out === undefined ? stdoutSink(io) : fileSink(out);
    let header = false;
    return {
      add(row) {
        if (!header) {
          header = true;
          const h = sink.write(renderCsvHeader(columns));
          if (h !== undefined) return h.then(() => sink.write(renderCsvRow(row)));
        }
        return sink.write(renderCsvRow(row));
      },
      async close() {
        if (!header) await sink.write(renderCsvHeader(columns));
        await sink.close();
      },
      abort: () => sink.abort(),
    };
  }
  if (out === undefined) throw new CliFailure(`error: option '--format parquet' writes a binary file: give --out FILE.parquet`, EXIT.usage);
  const rows: (readonly Cell[])[] = [];
  return {
    add(row) {
      rows.push(row);
      return undefined;
    },
    async close() {
      writeOutputFile(out, await renderParquet(columns, rows, metadata));
    },
    abort() {},
  };
}
