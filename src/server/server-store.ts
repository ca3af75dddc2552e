import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import type { GameEntry, GameStart, Result } from '../classroom/index.ts';
import type { GameLogFile } from '../store/game-log-file.ts';
import { GameStore } from '../store/game-store.ts';

/** What the server keeps about a game besides its log: the keys and the classroom's settings. */
export const GameMeta = z.strictObject({
  id: z.string(),
  /** sha256 of the facilitator's secret (the secret itself is only in the facilitator's link). */
  secretHash: z.string(),
  /** Join code per team actor. */
  codes: z.record(z.string(), z.string()),
  /** Seconds a turn stays open before the deadline plays it; null: the facilitator plays it. */
  deadlineSeconds: z.number().int().nullable(),
  /** When the game was created (epoch ms; informative). */
  created: z.number(),
});
export type GameMeta = z.infer<typeof GameMeta>;

/** A student who joined a team: the sha256 of their token, the team, the name they gave. */
export const Member = z.strictObject({ tokenHash: z.string(), actor: z.string(), name: z.string() });
export type Member = z.infer<typeof Member>;

/** A game as read back: its log's entries (a torn last one cut off) and the server's sidecar files. */
export interface StoredGame {
  readonly meta: GameMeta;
  readonly entries: readonly GameEntry[];
  readonly members: readonly Member[];
  /** Bytes of a log entry torn by a crash and cut off, or 0. */
  readonly tornBytes: number;
}

/**
 * The server's store of many games, in one folder: each game's log is issue 14's game log file
 * (`<id>.game`: checksummed lines, every append fsync'd before it returns, so `brink replay` and
 * `brink debrief` read it as they read a terminal game's), beside the server's own two files:
 * `<id>.meta.json` (keys and settings, replaced whole through a rename) and `<id>.members` (the
 * students who joined, one JSON line each, fsync'd, a torn last line dropped).
 */
export class ServerStore {
  private readonly logs = new Map<string, GameLogFile>();
  private readonly memberFds = new Map<string, number>();
  private readonly games: GameStore;

  constructor(readonly dir: string) {
    this.games = new GameStore(dir);
  }

  /** The ids of every game with both a log and a meta file, sorted. */
  list(): string[] {
    return this.games.list().filter((id) => existsSync(this.file(id, 'meta.json')));
  }

  /** Creates a game's log (its start entry) and then its meta: durable when this returns. */
  create(start: GameStart, meta: (id: string) => GameMeta): Result<GameMeta> {
    const made = this.games.create(start);
    if (!made.ok) return made;
    this.logs.set(made.value.id, made.value.log);
    const m = meta(made.value.id);
    this.writeMeta(m);
    return { ok: true, value: m };
  }

  /** Opens a stored game for appending, cutting off a log entry or member line torn by a crash. */
  open(id: string): Result<StoredGame> {
    const opened = this.games.open(id);
    if (!opened.ok) return opened;
    this.logs.set(id, opened.value.log);
    let meta: GameMeta;
    try {
      meta = GameMeta.parse(JSON.parse(readFileSync(this.file(id, 'meta.json'), 'utf8')));
    } catch (e) {
      return { ok: false, problem: { code: 'server/bad_meta', message: `${this.file(id, 'meta.json')}: ${(e as Error).message}` } };
    }
    return { ok: true, value: { meta, entries: opened.value.decoded.entries, members: readMembers(this.file(id, 'members')), tornBytes: opened.value.decoded.tornBytes } };
  }

  /** Appends an accepted entry to the game's log; durable when this returns. */
  appendEntry(id: string, entry: GameEntry): void {
    const log = this.logs.get(id);
    if (log === undefined) throw new Error(`ServerStore: game ${id} is not open`);
    log.append(entry);
  }

  /** Records a member; durable when this returns. */
  addMember(id: string, member: Member): void {
    let fd = this.memberFds.get(id);
    if (fd === undefined) {
      fd = openSync(this.file(id, 'members'), 'a');
      this.memberFds.set(id, fd);
    }
    writeSync(fd, `${JSON.stringify(member)}\n`);
    fsyncSync(fd);
  }

  /** Replaces the game's meta through a temporary file and a rename. */
  writeMeta(meta: GameMeta): void {
    const file = this.file(meta.id, 'meta.json');
    const tmp = `${file}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(meta));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  }

  /** The path of a game's log (for `brink replay` and `brink debrief`). */
  logFile(id: string): string {
    return join(this.dir, `${id}.game`);
  }

  private file(id: string, suffix: string): string {
    return join(this.dir, `${id}.${suffix}`);
  }

  /** Closes every open file. */
  close(): void {
    for (const log of this.logs.values()) log.close();
    this.logs.clear();
    for (const fd of this.memberFds.values()) closeSync(fd);
    this.memberFds.clear();
  }
}

function readMembers(file: string): Member[] {
  if (!existsSync(file)) return [];
  const bytes = readFileSync(file);
  const end = bytes.lastIndexOf(0x0a) + 1;
  if (end < bytes.length) truncateSync(file, end);
  const out: Member[] = [];
  for (const line of bytes.subarray(0, end).toString('utf8').split('\n')) {
    if (line === '') continue;
    const m = Member.safeParse(JSON.parse(line));
    if (m.success) out.push(m.data);
  }
  return out;
}
