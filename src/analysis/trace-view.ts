import type { RunRecord, StateChange } from '../engine/run.ts';
import { RunWorld } from '../engine/world.ts';
import type { ActorModel, EventInstance, Model } from '../model/types.ts';

/** The atomic states an actor starts in, as dotted paths in document order (none for a bare root). */
export function initialLeaves(actor: ActorModel): string[] {
  const out: string[] = [];
  const enter = (i: number) => {
    const st = actor.states[i];
    if (st === undefined) return;
    if (st.kind === 'atomic') {
      if (st.path !== '') out.push(st.path);
    } else if (st.kind === 'parallel') for (const c of st.children) enter(c);
    else enter(st.children[st.initial] as number);
  };
  enter(0);
  return out;
}

/** True when `path` (a state's dotted path) is active given the active atomic states. */
export function isActivePath(leaves: readonly string[], path: string): boolean {
  if (path === '') return true;
  for (const l of leaves) if (l === path || l.startsWith(`${path}.`)) return true;
  return false;
}

/**
 * The world of a finished run as it stood at the end of a turn, rebuilt from its record: the engine's
 * own RunWorld (its accounting, peaks and `happened` counts), fed the run's acts, with actors' states
 * taken from the state changes. Variables are not in a trace: `vars` keep their initial values, so do
 * not evaluate `var` conditions on it; and a run played without `{ trace: true }` has no state
 * changes, so its actors stay in their initial states here.
 */
export class TraceView extends RunWorld {
  private readonly leaves: string[][];
  private nextEvent = 0;
  private nextChange = 0;

  constructor(
    model: Model,
    private readonly run: RunRecord,
  ) {
    // Every act type is indexed: invariants may count types the scenario's own conditions never do.
    super(model, { inState: () => false, enteredAt: () => 0 }, { countAllTypes: true });
    this.leaves = model.actors.map(initialLeaves);
    this.actors = model.actors;
  }

  private readonly actors: readonly ActorModel[];

  /** Moves to the end of `turn`: every act and state change up to it applied. Turns only go forward. */
  advanceTo(turn: number): void {
    this.turn = turn;
    const events = this.run.events;
    for (; this.nextEvent < events.length && (events[this.nextEvent] as EventInstance).turn <= turn; this.nextEvent++) {
      const e = events[this.nextEvent] as EventInstance;
      this.account(e);
      this.record(e);
    }
    const changes = this.run.stateChanges ?? [];
    for (; this.nextChange < changes.length && (changes[this.nextChange] as StateChange).turn <= turn; this.nextChange++) {
      const c = changes[this.nextChange] as StateChange;
      this.leaves[c.actor] = c.to === '' ? [] : c.to.split(', ');
    }
  }

  override inState(actor: number, state: number): boolean {
    const path = this.actors[actor]?.states[state]?.path;
    return path !== undefined && isActivePath(this.leaves[actor] ?? [], path);
  }
}
