import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GameStart, Result } from '../classroom/game-entry.ts';
import { type DecodedLog, GameLogFile, readGameLog } from './game-log-file.ts';

const ID = /^[a-z0-9]{8,64}$/;

/**
 * Many games in one directory, one log file each (`<id>.game`): what `brink serve` keeps. Node-only.
 * Ids are random (not guessable); each game's log is a GameLogFile, durable on every append.
 */
export class GameStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Creates a game with a fresh random id; its log holds the start entry when this returns. */
  create(start: GameStart): Result<{ id: string; log: GameLogFile }> {
    const id = randomBytes(10).toString('hex');
    const made = GameLogFile.create(this.path(id), start);
    return made.ok ? { ok: true, value: { id, log: made.value } } : made;
  }

  /** Opens a game's log for appending (a torn last entry is cut off; `decoded.tornBytes` says so). */
  open(id: string): Result<{ log: GameLogFile; decoded: DecodedLog }> {
    if (!ID.test(id)) return { ok: false, problem: { code: 'store/unknown_game', message: `no game "${id}"` } };
    return GameLogFile.open(this.path(id));
  }

  /** Reads a game's log without opening it for writing. */
  read(id: string): Result<DecodedLog> {
    if (!ID.test(id)) return { ok: false, problem: { code: 'store/unknown_game', message: `no game "${id}"` } };
    return readGameLog(this.path(id));
  }

  /** The ids of the stored games, sorted. */
  list(): string[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.game') && ID.test(f.slice(0, -5)))
      .map((f) => f.slice(0, -5))
      .sort();
  }

  private path(id: string): string {
    return join(this.dir, `${id}.game`);
  }
}
