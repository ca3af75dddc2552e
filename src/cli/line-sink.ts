import { once } from 'node:events';
import { openOutputFile } from './output.ts';
import type { Io } from './shared.ts';

/** Where streamed output (NDJSON) goes, with backpressure. */
export interface LineSink {
  /** Writes text; the promise, when there is one, resolves once the stream has drained. */
  write(text: string): Promise<void> | undefined;
  /** Ends the output: a file is renamed into place only now, so it is whole or absent. */
  close(): Promise<void>;
  /** Drops a file that was being written. */
  abort(): void;
}

/**
 * Standard output through the CLI's writer; waits for 'drain' when process.stdout's buffer is full.
 * A closed pipe (`| head -1`) ends the process with code 0 in main.ts.
 */
export function stdoutSink(io: Io): LineSink {
  return {
    write(text) {
      io.stdout(text);
      return process.stdout.writableNeedDrain ? once(process.stdout, 'drain').then(() => undefined) : undefined;
    },
    close: () => Promise.resolve(),
    abort() {},
  };
}

/** A file written through the CLI's output writer (./output.ts): whole at the end, or absent. */
export function fileSink(file: string): LineSink {
  const out = openOutputFile(file);
  return {
    write(text) {
      out.write(text);
      return undefined;
    },
    close() {
      out.commit();
      return Promise.resolve();
    },
    abort() {
      out.abort();
    },
  };
}
