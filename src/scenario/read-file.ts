import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** Why a file was not read: worded for a message, never quoting the file's content. */
export class FileRefusal extends Error {
  constructor(
    message: string,
    /** `no_such_file`, `not_regular`, `too_large`, `symlink_loop`, `denied` or `unreadable`. */
    readonly reason: 'no_such_file' | 'not_regular' | 'too_large' | 'symlink_loop' | 'denied' | 'unreadable',
  ) {
    super(message);
  }
}

const CHUNK = 64 * 1024;

/**
 * The one way Brink reads a scenario file: regular files only (a FIFO, a device, a directory or a
 * socket is refused at once, without reading or blocking), at most `maxBytes` — checked on the size
 * before reading and again while reading, so a file that grows or lies about its size is cut off.
 * Decoded as UTF-8. Throws a FileRefusal, never anything else for a file it cannot use.
 */
export function readRegularFile(path: string, maxBytes: number): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting forever.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    throw refusal(e);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new FileRefusal(`expected a regular file; found ${kindOf(stat)}`, 'not_regular');
    if (stat.size > maxBytes) throw tooLarge(maxBytes, stat.size);
    const buffer = Buffer.allocUnsafe(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) throw tooLarge(maxBytes, undefined);
      const n = readSync(fd, buffer, length, Math.min(CHUNK, buffer.length - length), null);
      if (n === 0) break;
      length += n;
      if (length > maxBytes) throw tooLarge(maxBytes, undefined);
    }
    return buffer.toString('utf8', 0, length);
  } catch (e) {
    throw e instanceof FileRefusal ? e : refusal(e);
  } finally {
    closeSync(fd);
  }
}

/** `5.0 MiB`, `12.3 KiB`. */
export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

function tooLarge(maxBytes: number, size: number | undefined): FileRefusal {
  const found = size === undefined ? 'more (it grew while being read)' : formatBytes(size);
  return new FileRefusal(`expected a scenario file of at most ${formatBytes(maxBytes)}; found ${found}`, 'too_large');
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'something else';
}

function refusal(e: unknown): FileRefusal {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new FileRefusal('no such file', 'no_such_file');
    case 'ELOOP':
      return new FileRefusal('too many levels of symbolic links (a symlink loop?)', 'symlink_loop');
    case 'EACCES':
    case 'EPERM':
      return new FileRefusal('permission denied', 'denied');
    case 'EISDIR':
      return new FileRefusal('expected a regular file; found a directory', 'not_regular');
    default:
      return new FileRefusal(code === undefined ? 'cannot read the file' : `cannot read the file (${code})`, 'unreadable');
  }
}
