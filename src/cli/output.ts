import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, lstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliFailure, EXIT } from './failure.ts';

/**
 * The one output writer of the CLI (issue 18, item 6). A report goes to a temporary file beside the
 * target, every write is checked, and only a file written whole is renamed into place; a target that
 * is not a regular file (a symbolic link, a FIFO, a device, a directory) is never replaced; the
 * temporary file is removed on every exit path — an error, `process.exit`, SIGTERM, SIGHUP or an
 * unhandled SIGINT.
 */
export interface OutputFile {
  /** Appends text; throws a CliFailure (and removes the temporary file) if the write fails. */
  write(text: string | Uint8Array): void;
  /** Flushes, closes and renames into place: the target is whole, or unchanged. */
  commit(): void;
  /** Drops what was written; the target is unchanged. */
  abort(): void;
}

/** The file-system calls the writer makes: injected by tests to fail like a full disk. */
export interface OutputFs {
  readonly openSync: (path: string, flags: number, mode: number) => number;
  readonly writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number) => number;
  readonly fsyncSync: (fd: number) => void;
  readonly closeSync: (fd: number) => void;
  readonly renameSync: (from: string, to: string) => void;
}

const REAL_FS: OutputFs = {
  openSync: (p, f, m) => openSync(p, f, m),
  writeSync: (fd, b, o, l) => writeSync(fd, b, o, l),
  fsyncSync,
  closeSync,
  renameSync,
};

/** Temporary files being written, removed if the process ends before they are renamed. */
const pending = new Set<string>();
let hooked = false;

function removePending(): void {
  for (const tmp of pending) rmSync(tmp, { force: true });
  pending.clear();
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', removePending);
  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    const onSignal = () => {
      // Another SIGINT handler (a batch's "stop and report") owns Ctrl-C; if it exits, 'exit' cleans up.
      if (signal === 'SIGINT' && process.listenerCount('SIGINT') > 1) return;
      removePending();
      process.off(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/** Why `target` cannot be replaced, or undefined when it is absent or a regular file. */
function refuseTarget(target: string): string | undefined {
  let kind: string;
  try {
    const st = lstatSync(target);
    if (st.isFile()) return undefined;
    kind = st.isSymbolicLink()
      ? 'a symbolic link'
      : st.isDirectory()
        ? 'a directory'
        : st.isFIFO()
          ? 'a named pipe (FIFO)'
          : st.isCharacterDevice() || st.isBlockDevice()
            ? 'a device'
            : st.isSocket()
              ? 'a socket'
              : 'not a regular file';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return undefined;
  }
  return `it is ${kind}; Brink replaces only regular files (write to standard output and redirect it, or choose another name)`;
}

/** Words for an errno code in a message: `no space left on device (ENOSPC)`. */
export function describeWriteError(e: unknown): string {
  const err = e as NodeJS.ErrnoException | null;
  const code = err?.code;
  const words: Record<string, string> = {
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOENT: 'no such folder',
    EROFS: 'read-only file system',
    EISDIR: 'it is a directory',
    EFBIG: 'file too large',
    EIO: 'input/output error',
  };
  if (code !== undefined) return `${Object.hasOwn(words, code) ? words[code] : 'the system refused it'} (${code})`;
  return err instanceof Error ? err.message : String(e);
}

/** Opens `target` for a report written through a temporary file. */
export function openOutputFile(target: string, fs: OutputFs = REAL_FS): OutputFile {
  const refused = refuseTarget(target);
  if (refused !== undefined) throw new CliFailure(`cannot write ${target}: ${refused}`, EXIT.failure);
  const tmp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  hookExit();
  let fd: number | undefined;
  const fail = (e: unknown): CliFailure => {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing: the first error is the one reported
      }
      fd = undefined;
    }
    rmSync(tmp, { force: true });
    pending.delete(tmp);
    return new CliFailure(`cannot write ${target}: ${describeWriteError(e)}; nothing was written`, EXIT.failure);
  };
  try {
    pending.add(tmp);
    fd = fs.openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o666);
  } catch (e) {
    throw fail(e);
  }
  let done = false;
  return {
    write(text) {
      if (done || fd === undefined) throw new Error('openOutputFile: write after commit or abort');
      const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
      let at = 0;
      try {
        while (at < bytes.length) {
          const n = fs.writeSync(fd, bytes, at, bytes.length - at);
          if (n <= 0) throw Object.assign(new Error('short write'), { code: 'EIO' });
          at += n;
        }
      } catch (e) {
        done = true;
        throw fail(e);
      }
    },
    commit() {
      if (done || fd === undefined) throw new Error('openOutputFile: commit after commit or abort');
      done = true;
      try {
        fs.fsyncSync(fd);
        fs.closeSync(fd);
        fd = undefined;
        // Checked again just before the rename: something may have appeared at the target meanwhile.
        const late = refuseTarget(target);
        if (late !== undefined) {
          rmSync(tmp, { force: true });
          pending.delete(tmp);
          throw new CliFailure(`cannot write ${target}: ${late}`, EXIT.failure);
        }
        fs.renameSync(tmp, target);
        pending.delete(tmp);
      } catch (e) {
        if (e instanceof CliFailure) throw e;
        throw fail(e);
      }
    },
    abort() {
      if (done) return;
      done = true;
      if (fd !== undefined) {
        try {
          fs.closeSync(fd);
        } catch {
          // dropping the file anyway
        }
        fd = undefined;
      }
      rmSync(tmp, { force: true });
      pending.delete(tmp);
    },
  };
}

/** Writes a whole report to `target`: whole, or not at all. */
export function writeOutputFile(target: string, text: string | Uint8Array, fs: OutputFs = REAL_FS): void {
  const out = openOutputFile(target, fs);
  out.write(text);
  out.commit();
}

/**
 * Standard output, with every write's outcome checked: after a failed write (`> /dev/full`, a closed
 * pipe) further writes throw, and `finish()` says what failed so the process never reports success.
 */
export interface CheckedStream {
  readonly write: (text: string) => void;
  /** Waits for what was written to be handed to the system; the first error not yet reported, if any. */
  finish(): Promise<NodeJS.ErrnoException | undefined>;
}

export function checkedStream(stream: NodeJS.WritableStream, name: string): CheckedStream {
  let failure: NodeJS.ErrnoException | undefined;
  let reported = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    failure ??= e;
  });
  return {
    write(text) {
      if (failure !== undefined) {
        if (failure.code === 'EPIPE' || reported) return;
        reported = true;
        throw new CliFailure(`brink: cannot write to ${name}: ${describeWriteError(failure)}`, EXIT.failure);
      }
      stream.write(text, (e) => {
        if (e) failure ??= e as NodeJS.ErrnoException;
      });
    },
    finish() {
      if (reported) return Promise.resolve(undefined);
      if (failure !== undefined) return Promise.resolve(failure);
      return new Promise((resolve) => {
        stream.write('', (e) => resolve(failure ?? (e as NodeJS.ErrnoException | null | undefined) ?? undefined));
      });
    },
  };
}
