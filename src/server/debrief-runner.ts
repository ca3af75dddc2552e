import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { debriefGame } from '../classroom/debrief.ts';
import { renderDebriefHtml } from '../report/debrief.ts';
import type { LiveGame } from './live-game.ts';

/** Options of a {@link DebriefRunner}. */
export interface DebriefRunnerOptions {
  /** The data folder, where a finished debrief is kept as `<id>.debrief.html`. */
  readonly dir: string;
  /** Replications per comparison (the classroom core's `runs`). */
  readonly runs: number;
  /** Worker threads. */
  readonly workers: number;
  readonly now: () => number;
}

/**
 * Computes a game's debrief once it has ended — the classroom core's `debriefGame` on the batch's
 * worker threads — showing its progress on every page of the game (at most four times a second), and
 * keeps the page on disk so a restarted server does not compute it again. One debrief at a time; the
 * others wait their turn.
 */
export class DebriefRunner {
  private queue: Promise<void> = Promise.resolve();
  private readonly started = new Set<string>();

  constructor(private readonly options: DebriefRunnerOptions) {}

  private file(id: string): string {
    return join(this.options.dir, `${id}.debrief.html`);
  }

  /** Starts (or restores) the debrief of an ended game; does nothing for a game still being played. */
  consider(game: LiveGame): void {
    if (game.session.phase !== 'ended' || this.started.has(game.id)) return;
    this.started.add(game.id);
    const file = this.file(game.id);
    if (existsSync(file)) {
      game.debriefHtml = readFileSync(file, 'utf8');
      game.debrief = { state: 'ready' };
      game.queueFlush();
      return;
    }
    game.debrief = { state: 'running', done: 0, total: 1 };
    game.queueFlush();
    this.queue = this.queue.then(() => this.run(game));
  }

  private async run(game: LiveGame): Promise<void> {
    let shown = 0;
    try {
      const d = await debriefGame(game.session, {
        runs: this.options.runs,
        workers: this.options.workers,
        onProgress: (done, total) => {
          game.debrief = { state: 'running', done, total };
          const t = this.options.now();
          if (t - shown >= 250 || done === total) {
            shown = t;
            game.changed(false);
          }
        },
      });
      const html = renderDebriefHtml([d]);
      const file = this.file(game.id);
      writeFileSync(`${file}.tmp`, html);
      renameSync(`${file}.tmp`, file);
      game.debriefHtml = html;
      game.debrief = { state: 'ready' };
    } catch (e) {
      game.debrief = { state: 'failed', message: (e as Error).message };
    }
    game.changed(false);
  }
}
