import type { RunRecord, StateChange } from '../engine/run.ts';
import type { ActorModel, EventInstance, Model, Scalar, WorldView } from '../model/types.ts';

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
 * The world of a finished run as it stood at the end of a turn, rebuilt from its record: actors'
 * states from the state changes, peaks and what happened from the acts. Conditions on states, peaks,
 * acts and the turn evaluate on it as the engine's world evaluates them (engine/world.ts, and the
 * accounting in engine/run.ts). Variables are not in a trace: `vars` is empty, so do not evaluate
 * `var` conditions on it; and a run played without `{ trace: true }` has no state changes, so its
 * actors stay in their initial states here.
 */
export class TraceView implements WorldView {
  turn = 0;
  readonly vars = new Float64Array(0);
  private readonly n: number;
  /** Dyad peaks: slot 0 over all theatres, slot t+1 in theatre t; `slot*n*n + from*n + to`. */
  private readonly dyad: Int8Array;
  private readonly theatrePeak: Int8Array;
  private overall = -1;
  private readonly byType: EventInstance[][];
  private readonly leaves: string[][];
  private nextEvent = 0;
  private nextChange = 0;

  constructor(
    private readonly model: Model,
    private readonly record: RunRecord,
  ) {
    this.n = model.actors.length;
    this.dyad = new Int8Array((model.theatres.length + 1) * this.n * this.n).fill(-1);
    this.theatrePeak = new Int8Array(model.theatres.length).fill(-1);
    this.byType = model.events.map(() => []);
    this.leaves = model.actors.map(initialLeaves);
  }

  /** Moves to the end of `turn`: every act and state change up to it applied. Turns only go forward. */
  advanceTo(turn: number): void {
    this.turn = turn;
    const events = this.record.events;
    for (; this.nextEvent < events.length && (events[this.nextEvent] as EventInstance).turn <= turn; this.nextEvent++) {
      const e = events[this.nextEvent] as EventInstance;
      this.account(e);
      (this.byType[e.type] as EventInstance[]).push(e);
    }
    const changes = this.record.stateChanges ?? [];
    for (; this.nextChange < changes.length && (changes[this.nextChange] as StateChange).turn <= turn; this.nextChange++) {
      const c = changes[this.nextChange] as StateChange;
      this.leaves[c.actor] = c.to === '' ? [] : c.to.split(', ');
    }
  }

  inState(actor: number, state: number): boolean {
    const path = this.model.actors[actor]?.states[state]?.path;
    return path !== undefined && isActivePath(this.leaves[actor] ?? [], path);
  }

  peak(from: number, to: number, theatre: number): number {
    const n = this.n;
    if (from < 0 && to < 0) return theatre < 0 ? this.overall : (this.theatrePeak[theatre] as number);
    const base = (theatre + 1) * n * n;
    if (from >= 0 && to >= 0) return this.dyad[base + from * n + to] as number;
    let best = -1;
    for (let k = 0; k < n; k++) {
      const v = this.dyad[from >= 0 ? base + from * n + k : base + k * n + to] as number;
      if (v > best) best = v;
    }
    return best;
  }

  countHappened(event: number, from: number, to: number, data: ReadonlyArray<readonly [string, Scalar]>, withinTurns: number): number {
    const oldest = withinTurns > 0 ? this.turn - withinTurns + 1 : -Infinity;
    let count = 0;
    const list = this.byType[event] ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const e = list[i] as EventInstance;
      if (e.turn < oldest) break;
      if ((from >= 0 && e.from !== from) || (to >= 0 && !e.to.includes(to))) continue;
      let ok = true;
      for (const [k, v] of data) if (e.data?.[k] !== v) ok = false;
      if (ok) count++;
    }
    return count;
  }

  /** The engine's escalation accounting for one delivered act. */
  private account(e: EventInstance): void {
    const n = this.n;
    let raised = false;
    for (const t of e.against) {
      if (t === e.from) continue;
      const i = e.from * n + t;
      if ((this.dyad[i] as number) < e.rung) this.dyad[i] = e.rung;
      if (e.theatre >= 0) {
        const j = (e.theatre + 1) * n * n + i;
        if ((this.dyad[j] as number) < e.rung) this.dyad[j] = e.rung;
      }
      raised = true;
    }
    if (!raised) return;
    if (e.rung > this.overall) this.overall = e.rung;
    if (e.theatre >= 0 && e.rung > (this.theatrePeak[e.theatre] as number)) this.theatrePeak[e.theatre] = e.rung;
  }
}
