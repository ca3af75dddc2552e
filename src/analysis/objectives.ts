import { evaluate } from '../model/evaluate.ts';
import type { EventInstance, Model, Scalar, WorldView } from '../model/types.ts';

/** An objective of an actor and whether it holds on a world. */
export interface ObjectiveStatus {
  readonly actor: string;
  readonly id: string;
  readonly description: string;
  readonly source: readonly string[];
  /** True when its condition holds on the world (at the end of the game: met). */
  readonly holds: boolean;
}

/**
 * A world view whose `happened` counts read every act of `events` (the engine's own world indexes only
 * the event types its scenario's rules count; objectives may count others). Everything else is `world`'s.
 */
export function objectiveWorld(world: WorldView, events: readonly EventInstance[]): WorldView {
  return {
    get turn() {
      return world.turn;
    },
    vars: world.vars,
    inState: (actor, state) => world.inState(actor, state),
    enteredAt: (actor, state) => world.enteredAt(actor, state),
    peak: (from, to, theatre) => world.peak(from, to, theatre),
    countHappened: (event, from, to, data, withinTurns) => countActs(events, world.turn, event, from, to, data, withinTurns),
  };
}

/** Each objective of the actor (index) and whether it holds on `world`, in document order. Pure. */
export function deriveObjectives(model: Model, actor: number, world: WorldView): ObjectiveStatus[] {
  const a = model.actors[actor];
  if (a === undefined) return [];
  return a.objectives.map((o) => ({ actor: a.id, id: o.id, description: o.description, source: o.source, holds: evaluate(o.when, world, undefined) }));
}

function countActs(
  events: readonly EventInstance[],
  turn: number,
  event: number,
  from: number,
  to: number,
  data: ReadonlyArray<readonly [string, Scalar]>,
  withinTurns: number,
): number {
  const oldest = withinTurns > 0 ? turn - withinTurns + 1 : -Infinity;
  let count = 0;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as EventInstance;
    if (e.turn < oldest) break;
    if (e.type !== event || (from >= 0 && e.from !== from) || (to >= 0 && !e.to.includes(to))) continue;
    if (data.every(([k, v]) => e.data?.[k] === v)) count++;
  }
  return count;
}

/** Each objective of each of `actors` (indices) in order: whether it holds on `world`. Pure. */
export function objectivesHold(model: Model, actors: readonly number[], world: WorldView): boolean[] {
  const out: boolean[] = [];
  for (const a of actors) for (const o of model.actors[a]?.objectives ?? []) out.push(evaluate(o.when, world, undefined));
  return out;
}

/** A world view like `objectiveWorld`'s whose acts can be swapped (one per run, no allocation): for batches. */
export class ActsView implements WorldView {
  events: readonly EventInstance[] = [];
  constructor(private readonly world: WorldView) {}
  get turn(): number {
    return this.world.turn;
  }
  get vars(): Float64Array {
    return this.world.vars;
  }
  inState(actor: number, state: number): boolean {
    return this.world.inState(actor, state);
  }
  enteredAt(actor: number, state: number): number {
    return this.world.enteredAt(actor, state);
  }
  peak(from: number, to: number, theatre: number): number {
    return this.world.peak(from, to, theatre);
  }
  countHappened(event: number, from: number, to: number, data: ReadonlyArray<readonly [string, Scalar]>, withinTurns: number): number {
    return countActs(this.events, this.world.turn, event, from, to, data, withinTurns);
  }
}
