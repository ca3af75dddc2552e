import { randomBytes } from 'node:crypto';
import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import { CliFailure, EXIT, type Io } from './shared.ts';

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

/** A file written through a temporary file and a rename, streamed with backpressure. */
export function fileSink(file: string): LineSink {
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const stream: WriteStream = createWriteStream(tmp);
  let failure: NodeJS.ErrnoException | undefined;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    failure ??= e;
  });
  const fail = (e: NodeJS.ErrnoException) => {
    rmSync(tmp, { force: true });
    return new CliFailure(`cannot write ${file}: ${e.code ?? e.message}`, EXIT.failure);
  };
  return {
    write(text) {
      if (failure !== undefined) return Promise.reject(fail(failure));
      if (stream.write(text)) return undefined;
      return new Promise<void>((resolve, reject) => {
        const onDrain = () => {
          stream.off('error', onError);
          resolve();
        };
        const onError = (e: NodeJS.ErrnoException) => {
          stream.off('drain', onDrain);
          reject(fail(e));
        };
        stream.once('drain', onDrain);
        stream.once('error', onError);
      });
    },
    async close() {
      if (failure === undefined) {
        stream.end();
        await new Promise<void>((resolve) => {
          stream.once('close', resolve);
        });
      }
      if (failure !== undefined) throw fail(failure);
      try {
        renameSync(tmp, file);
      } catch (e) {
        throw fail(e as NodeJS.ErrnoException);
      }
    },
    abort() {
      stream.destroy();
      rmSync(tmp, { force: true });
    },
  };
}
