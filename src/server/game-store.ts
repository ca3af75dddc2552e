import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';

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

/** A game as read back from the store. `log` holds raw entries, validated by the classroom when replayed. */
export interface StoredGame {
  readonly meta: GameMeta;
  readonly log: readonly unknown[];
  readonly members: readonly Member[];
  /** Bytes of a torn last line dropped from the log (a crash mid-write), or 0. */
  readonly tornBytes: number;
}

/**
 * The store of many games: a folder per game under `<dir>/games/`, holding
 * - `meta.json`, written whole through a rename;
 * - `log.ndjson`, the game log (issue 14's entries, one JSON object a line), append-only;
 * - `members.ndjson`, the students who joined, append-only.
 * Every append is written and fsync'd before it returns, so what the server acknowledged survives a
 * SIGKILL or a power cut; a line torn by a crash is never valid JSON (an object needs its closing
 * brace and the newline), and is dropped on reading.
 */
export class GameStore {
  private readonly fds = new Map<string, number>();

  constructor(readonly dir: string) {
    mkdirSync(join(dir, 'games'), { recursive: true });
  }

  private gameDir(id: string): string {
    return join(this.dir, 'games', id);
  }

  /** The ids of every stored game, sorted. */
  list(): string[] {
    return readdirSync(join(this.dir, 'games'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && /^[a-z0-9]+$/.test(d.name) && existsSync(join(this.gameDir(d.name), 'meta.json')))
      .map((d) => d.name)
      .sort();
  }

  /** Reads a game back, cutting a line torn by a crash off its files so appends continue cleanly. */
  load(id: string): StoredGame {
    const dir = this.gameDir(id);
    const meta = GameMeta.parse(JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')));
    const log = readLines(join(dir, 'log.ndjson'));
    const members = readLines(join(dir, 'members.ndjson'));
    return { meta, log: log.values, members: members.values.map((m) => Member.parse(m)), tornBytes: log.tornBytes };
  }

  /** Creates a game: its folder, its meta and the log's first entry, all durable before it returns. */
  create(meta: GameMeta, start: unknown): void {
    const dir = this.gameDir(meta.id);
    mkdirSync(dir, { recursive: false });
    this.append(meta.id, 'log.ndjson', start);
    this.writeMeta(meta);
  }

  /** Appends one entry to the game's log, durably. */
  appendEntry(id: string, entry: unknown): void {
    this.append(id, 'log.ndjson', entry);
  }

  /** Records a member, durably. */
  addMember(id: string, member: Member): void {
    this.append(id, 'members.ndjson', member);
  }

  /** Replaces the game's meta through a temporary file and a rename. */
  writeMeta(meta: GameMeta): void {
    const file = join(this.gameDir(meta.id), 'meta.json');
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

  private append(id: string, name: string, value: unknown): void {
    const key = `${id}/${name}`;
    let fd = this.fds.get(key);
    if (fd === undefined) {
      fd = openSync(join(this.gameDir(id), name), 'a');
      this.fds.set(key, fd);
    }
    writeSync(fd, `${JSON.stringify(value)}\n`);
    fsyncSync(fd);
  }

  /** Closes every open file. */
  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}

function readLines(file: string): { values: unknown[]; tornBytes: number } {
  if (!existsSync(file)) return { values: [], tornBytes: 0 };
  const bytes = readFileSync(file);
  const end = bytes.lastIndexOf(0x0a) + 1;
  if (end < bytes.length) truncateSync(file, end);
  const text = bytes.subarray(0, end).toString('utf8');
  const values: unknown[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    values.push(JSON.parse(text.slice(start, nl)));
    start = nl + 1;
  }
  return { values, tornBytes: bytes.length - end };
}
