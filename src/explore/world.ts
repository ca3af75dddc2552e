import type { Kernel } from '../engine/kernel.ts';
import { RunWorld } from '../engine/world.ts';
import type { EventInstance, Model, Scalar } from '../model/types.ts';
import type { HappenedTable } from './history.ts';

/**
 * The engine's world for one turn of exploration. Variables, peaks and states are RunWorld's own; its
 * log holds only the turn being played (cleared by `restore`), and `history` summarises the finished
 * turns as far as the model's `happened` conditions can read them (history.ts). So
 * `countHappened` gives the engine's answer: this turn's matching acts plus the finished turns' share.
 */
export class ExploreWorld extends RunWorld {
  readonly history: Uint16Array;

  constructor(
    model: Model,
    kernel: Kernel,
    private readonly table: HappenedTable,
  ) {
    super(model, kernel);
    this.history = new Uint16Array(table.size);
  }

  /** Sets the world to the start of `turn` with these variables, peaks and history; the log is emptied. */
  restore(turn: number, vars: Float64Array, dyad: Int8Array, theatrePeak: Int8Array, overall: number, history: Uint16Array): void {
    this.turn = turn;
    this.vars.set(vars);
    this.dyad.set(dyad);
    this.theatrePeak.set(theatrePeak);
    this.overall = overall;
    this.history.set(history);
    this.log.length = 0;
  }

  /** Records a delivered act of this turn (the log is all a turn needs: it is short). */
  override record(e: EventInstance): void {
    this.log.push(e);
  }

  override countHappened(event: number, from: number, to: number, data: ReadonlyArray<readonly [string, Scalar]>, withinTurns: number): number {
    // The same test as RunWorld.countHappened, over this turn's acts (every window includes the current turn).
    let now = 0;
    for (const e of this.log) {
      if (e.type !== event || (from >= 0 && e.from !== from) || (to >= 0 && !e.to.includes(to))) continue;
      let ok = true;
      for (const [k, v] of data) if (e.data?.[k] !== v) ok = false;
      if (ok) now++;
    }
    return now + this.table.past(this.history, this.table.find(event, from, to, data), withinTurns);
  }
}
