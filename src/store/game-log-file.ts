/**
 * A game log on disk: an append-only text file, one entry a line, each line `<checksum> <json>\n`
 * where the checksum is the first 16 hex digits of the SHA-256 of the JSON. Every append is written
 * and fsync'd before it returns, so an acknowledged command survives a crash (SIGKILL, power loss
 * after the fsync). A crash mid-write leaves at most one torn last line: reading drops it and says
 * so, and opening for append cuts it off before writing. A bad line anywhere but at the end is damage,
 * not a crash, and the log is refused. Node-only (files); the entries are src/classroom's.
 *
 * Why a file and not SQLite: no native module to compile (better-sqlite3 takes ≈140 s per install
 * here), a log a teacher can copy, mail and read, and the kill test (test/e2e/play-kill.test.ts)
 * holds it to "no acknowledged decision lost" across 50 SIGKILLs.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { type GameEntry, type GameStart, parseGameEntry, type Result } from '../classroom/game-entry.ts';

/** What reading a log found. */
export interface DecodedLog {
  readonly entries: readonly GameEntry[];
  /** Bytes of the complete entries (where an append goes). */
  readonly validBytes: number;
  /** A torn last line (a write cut by a crash), dropped: its length in bytes; 0 when none. */
  readonly tornBytes: number;
}

/** One entry as a log line, newline included. */
export function encodeEntry(entry: GameEntry): string {
  const json = JSON.stringify(entry);
  return `${checksum(json)} ${json}\n`;
}

/**
 * Reads a log's bytes. Pure. A last line without its newline, or whose checksum or entry is bad, is a
 * torn write and is dropped (`tornBytes`); a bad line before the last is a problem (`store/corrupt`), as
 * is a file whose first line is not a game's `start` (`store/not_a_game_log`).
 */
export function decodeLog(bytes: Uint8Array, file = '<log>'): Result<DecodedLog> {
  const entries: GameEntry[] = [];
  let offset = 0;
  let lineNo = 0;
  while (offset < bytes.length) {
    lineNo++;
    const nl = bytes.indexOf(10, offset);
    const end = nl < 0 ? bytes.length : nl;
    const line = Buffer.from(bytes.buffer, bytes.byteOffset + offset, end - offset).toString('utf8');
    const entry = nl < 0 ? undefined : decodeLine(line);
    if (entry === undefined || (entries.length === 0 && entry.kind !== 'start')) {
      const last = nl < 0 || nl === bytes.length - 1;
      if (!last || entries.length === 0) {
        if (entries.length === 0) {
          return fail('store/not_a_game_log', `${file} is not a Brink game log (its first line is not a game's start entry)`);
        }
        return fail('store/corrupt', `${file}:${lineNo}: damaged entry (bad checksum or content) before the end of the log; the log cannot be trusted past entry ${entries.length}`);
      }
      return { ok: true, value: { entries, validBytes: offset, tornBytes: bytes.length - offset } };
    }
    entries.push(entry);
    offset = end + 1;
  }
  if (entries.length === 0) return fail('store/not_a_game_log', `${file} is empty: not a Brink game log`);
  return { ok: true, value: { entries, validBytes: offset, tornBytes: 0 } };
}

function decodeLine(line: string): GameEntry | undefined {
  const m = /^([0-9a-f]{16}) (.*)$/s.exec(line);
  if (m === null || checksum(m[2] as string) !== m[1]) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(m[2] as string);
  } catch {
    return undefined;
  }
  const r = parseGameEntry(value);
  return r.ok ? r.value : undefined;
}

function checksum(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

function fail(code: string, message: string): { ok: false; problem: { code: string; message: string } } {
  return { ok: false, problem: { code, message } };
}

/** Reads a log file. A missing or unreadable file is a problem (`store/unreadable`). */
export function readGameLog(file: string): Result<DecodedLog> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail('store/unreadable', `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a file' : (e as Error).message}`);
  }
  return decodeLog(bytes, file);
}

/** A log open for appending. Appends are durable when they return. */
export class GameLogFile {
  private constructor(
    readonly file: string,
    private fd: number,
  ) {}

  /** Creates a new log holding the start entry (durable on return). Refuses to overwrite a file (`store/exists`). */
  static create(file: string, start: GameStart): Result<GameLogFile> {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return fail('store/exists', `${file} already exists: resume it with --resume ${file}, or choose another --game file`);
      return fail('store/unwritable', `cannot create ${file}: ${code ?? (e as Error).message}`);
    }
    const log = new GameLogFile(file, fd);
    log.append(start);
    syncDirectory(file);
    return { ok: true, value: log };
  }

  /**
   * Opens an existing log for appending: reads it, cuts off a torn last line (durably), and returns the
   * entries. `tornBytes` says whether a torn line was dropped.
   */
  static open(file: string): Result<{ log: GameLogFile; decoded: DecodedLog }> {
    const read = readGameLog(file);
    if (!read.ok) return read;
    let fd: number;
    try {
      fd = openSync(file, 'r+');
    } catch (e) {
      return fail('store/unwritable', `cannot open ${file} for writing: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (read.value.tornBytes > 0) {
      ftruncateSync(fd, read.value.validBytes);
      fsyncSync(fd);
    }
    return { ok: true, value: { log: new GameLogFile(file, fd), decoded: read.value } };
  }

  /** Appends an entry and fsyncs: when this returns, the entry survives a crash. */
  append(entry: GameEntry): void {
    const bytes = Buffer.from(encodeEntry(entry), 'utf8');
    const at = fstatSync(this.fd).size;
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, at + done);
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** Makes a new file's directory entry durable (where the platform allows fsync on a directory). */
function syncDirectory(file: string): void {
  let fd = -1;
  try {
    fd = openSync(dirname(file), 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a directory; the file's own fsync still holds its contents.
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
