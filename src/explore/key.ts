import { Buffer } from 'node:buffer';
import type { RunWorld } from '../engine/world.ts';
import { type Cond, type Effect, type Model, SENDER } from '../model/types.ts';
import { type Cone, cutsOf, deriveCone } from './cone.ts';
import { OPEN } from './goal.ts';
import type { HappenedTable } from './history.ts';

/** A world state at a turn boundary, decoded from its key. */
export interface Snapshot {
  /** Each actor's active-state flags (1 = active), indexed like the actor's state table. */
  readonly active: readonly Uint8Array[];
  readonly vars: Float64Array;
  readonly dyad: Int8Array;
  readonly theatrePeak: Int8Array;
  overall: number;
  readonly history: Uint16Array;
  /**
   * For each state some `forTurns` condition reads (`StateKeyCodec.timed`): how many turns it had been
   * active at the end of the turn (the turn minus the turn it was entered), capped; 0 while inactive.
   */
  readonly elapsed: Uint16Array;
  /**
   * Acts in transit (`delay`) at the end of the turn, as pairs `[act index, turns until delivery]`
   * (indices into the stepper's table of delayed acts), ordered by turns until delivery, then as sent.
   */
  readonly pending: number[];
  /**
   * For each inject timed `after` an act (in file order): 0 before a matching act was delivered, then
   * the turns since the turn of the first one, counting that turn as 1, capped at the inject's `turns` + 1.
   */
  readonly anchors: Uint16Array;
  /** The target monitor's status (goal.ts). */
  status: number;
}

/**
 * The canonical key of a world at a turn boundary: a fixed-length string, one byte per character.
 * Layout: each actor's active-state flags (a bit per state), the variables some effect can change
 * and some condition reads (64-bit floats), the dyad peak cells some declared act can raise and some
 * condition reads, each as the index of the cut points its tests distinguish (cone.ts), the theatre
 * peaks, the overall peak (rungs stored +1), the capped `happened` history (history.ts; one byte a
 * slot, two when a cap passes 255), for each state a `forTurns` condition reads the turns it has been
 * active (two bytes, capped past the last value its tests tell apart), with a target, its status, and
 * then a variable-length tail: the acts in transit, two bytes for the act and two for the turns left
 * each, in delivery order (so equal sets in transit give equal keys). What is left out cannot differ
 * between runs (constant variables, cells that stay -1) or is read by no condition. With `full`, every
 * changeable variable and raisable cell is kept exactly: the key before the reduction.
 */
export class StateKeyCodec {
  /** Bytes per key, before the tail of acts in transit. */
  readonly length: number;
  private readonly flagBytes: readonly number[];
  private readonly liveVars: readonly number[];
  private readonly liveCells: readonly number[];
  private readonly cuts: ReadonlyArray<readonly number[]>;
  /** What the key keeps of the variables and dyad cells. */
  readonly cone: Cone;
  private readonly wide: boolean;
  /** The states some `forTurns` condition reads, each with the cap past which its tests answer alike. */
  readonly timed: ReadonlyArray<{ readonly actor: number; readonly state: number; readonly cap: number }>;
  private readonly overallOffset: number;
  /** Injects timed `after` an act: two bytes each. */
  readonly anchorCount: number;
  private readonly bytes: Uint8Array;
  /** A view of `bytes` that decodes as Latin-1: each byte becomes one character. */
  private readonly text: Buffer;
  private readonly f64 = new Float64Array(1);
  private readonly f64Bytes = new Uint8Array(this.f64.buffer);

  constructor(
    private readonly model: Model,
    table: HappenedTable,
    private readonly withStatus: boolean,
    others: (actor: number) => readonly number[],
    conds: readonly Cond[] = [],
    full = true,
  ) {
    this.flagBytes = model.actors.map((a) => Math.ceil(a.states.length / 8));
    this.cone = deriveCone(model, conds, raisableCells(model, others), full);
    this.liveVars = this.cone.vars;
    this.liveCells = this.cone.cells.map((c) => c.cell);
    this.cuts = this.cone.cells.map((c) => c.cuts);
    this.wide = table.largestCap > 255;
    const flags = this.flagBytes.reduce((x, y) => x + y, 0);
    this.overallOffset = flags + 8 * this.liveVars.length + this.liveCells.length + model.theatres.length;
    this.timed = timedStates(conds);
    this.anchorCount = model.injects.filter((inj) => inj.after !== undefined).length;
    this.length = this.overallOffset + 1 + table.size * (this.wide ? 2 : 1) + 2 * this.timed.length + 2 * this.anchorCount + (withStatus ? 1 : 0);
    this.bytes = new Uint8Array(this.length);
    this.text = Buffer.from(this.bytes.buffer, 0, this.length);
  }

  /** A snapshot to decode into. */
  createSnapshot(dyadLength: number, historySize: number): Snapshot {
    const m = this.model;
    return {
      active: m.actors.map((a) => new Uint8Array(a.states.length)),
      vars: new Float64Array(m.variables.length),
      dyad: new Int8Array(dyadLength),
      theatrePeak: new Int8Array(m.theatres.length),
      overall: -1,
      history: new Uint16Array(historySize),
      elapsed: new Uint16Array(this.timed.length),
      pending: [],
      anchors: new Uint16Array(this.anchorCount),
      status: OPEN,
    };
  }

  /**
   * The key of the live world at the end of turn `world.turn`: the kernel's active states (and the turns
   * they were entered), the world's variables and peaks, and the given history and status.
   */
  write(
    activeFlags: (actor: number) => Uint8Array,
    world: RunWorld,
    history: Uint16Array,
    status: number,
    entered?: (actor: number) => Int32Array,
    pending: readonly number[] = [],
    anchors?: Uint16Array,
  ): string {
    const { bytes } = this;
    let pos = 0;
    for (let a = 0; a < this.flagBytes.length; a++) {
      const flags = activeFlags(a);
      for (let st = 0; st < flags.length; st += 8) {
        let byte = 0;
        const end = Math.min(8, flags.length - st);
        for (let b = 0; b < end; b++) byte |= (flags[st + b] as number) << b;
        bytes[pos++] = byte;
      }
    }
    for (const v of this.liveVars) {
      this.f64[0] = world.vars[v] as number;
      bytes.set(this.f64Bytes, pos);
      pos += 8;
    }
    for (let i = 0; i < this.liveCells.length; i++) {
      const v = world.dyad[this.liveCells[i] as number] as number;
      const cuts = this.cuts[i] as readonly number[];
      let k = 0;
      while (k < cuts.length && (cuts[k] as number) <= v) k++;
      bytes[pos++] = k;
    }
    for (let t = 0; t < world.theatrePeak.length; t++) bytes[pos++] = (world.theatrePeak[t] as number) + 1;
    bytes[pos++] = world.overall + 1;
    for (let h = 0; h < history.length; h++) {
      const x = history[h] as number;
      bytes[pos++] = x & 0xff;
      if (this.wide) bytes[pos++] = x >> 8;
    }
    for (const { actor, state, cap } of this.timed) {
      const d = activeFlags(actor)[state] === 1 && entered !== undefined ? Math.min(cap, world.turn - (entered(actor)[state] as number)) : 0;
      bytes[pos++] = d & 0xff;
      bytes[pos++] = d >> 8;
    }
    for (let i = 0; i < this.anchorCount; i++) {
      const x = anchors?.[i] ?? 0;
      bytes[pos++] = x & 0xff;
      bytes[pos++] = x >> 8;
    }
    if (this.withStatus) bytes[pos++] = status;
    const fixed = this.text.toString('latin1');
    if (pending.length === 0) return fixed;
    const tail: number[] = [];
    for (const x of pending) tail.push(x & 0xff, x >> 8);
    return fixed + String.fromCharCode(...tail);
  }

  /** Decodes a key into `into` (every field is overwritten) and returns it. */
  decode(key: string, into: Snapshot): Snapshot {
    let pos = 0;
    this.model.actors.forEach((a, i) => {
      const flags = into.active[i] as Uint8Array;
      for (let st = 0; st < a.states.length; st++) flags[st] = (key.charCodeAt(pos + (st >> 3)) >> (st & 7)) & 1;
      pos += this.flagBytes[i] as number;
    });
    this.model.variables.forEach((v, i) => {
      into.vars[i] = v.initial;
    });
    for (const v of this.liveVars) {
      for (let b = 0; b < 8; b++) this.f64Bytes[b] = key.charCodeAt(pos++);
      into.vars[v] = this.f64[0] as number;
    }
    into.dyad.fill(-1);
    for (let i = 0; i < this.liveCells.length; i++) {
      const k = key.charCodeAt(pos++);
      // Index k decodes as the smallest value with that index: every test the cone kept answers alike.
      into.dyad[this.liveCells[i] as number] = k === 0 ? -1 : ((this.cuts[i] as readonly number[])[k - 1] as number);
    }
    for (let t = 0; t < into.theatrePeak.length; t++) into.theatrePeak[t] = key.charCodeAt(pos++) - 1;
    into.overall = key.charCodeAt(pos++) - 1;
    for (let h = 0; h < into.history.length; h++) {
      into.history[h] = this.wide ? key.charCodeAt(pos) | (key.charCodeAt(pos + 1) << 8) : key.charCodeAt(pos);
      pos += this.wide ? 2 : 1;
    }
    for (let i = 0; i < this.timed.length; i++) {
      into.elapsed[i] = key.charCodeAt(pos) | (key.charCodeAt(pos + 1) << 8);
      pos += 2;
    }
    for (let i = 0; i < this.anchorCount; i++) {
      into.anchors[i] = key.charCodeAt(pos) | (key.charCodeAt(pos + 1) << 8);
      pos += 2;
    }
    into.status = this.withStatus ? key.charCodeAt(pos) : OPEN;
    into.pending.length = 0;
    for (let at = this.length; at + 1 < key.length; at += 2) into.pending.push(key.charCodeAt(at) | (key.charCodeAt(at + 1) << 8));
    return into;
  }

  /** The overall peak (-1 = none) in a key. */
  overallOf(key: string): number {
    return key.charCodeAt(this.overallOffset) - 1;
  }

  /** A theatre's peak (-1 = none) in a key. */
  theatrePeakOf(key: string, theatre: number): number {
    return key.charCodeAt(this.overallOffset - this.model.theatres.length + theatre) - 1;
  }

  /** The target's status in a key (OPEN without a target). */
  statusOf(key: string): number {
    return this.withStatus ? key.charCodeAt(this.length - 1) : OPEN;
  }
}

/**
 * The states some `forTurns` condition among `conds` reads, in first-seen order, each with its cap: the
 * largest cut point of its tests (cone.ts's `cutsOf`), at and past which every test answers alike.
 * The time in a state only grows until the state is left, so a capped count loses nothing.
 */
function timedStates(conds: readonly Cond[]): Array<{ actor: number; state: number; cap: number }> {
  const out: Array<{ actor: number; state: number; cap: number }> = [];
  const visit = (c: Cond): void => {
    if (c.kind === 'all' || c.kind === 'any') for (const x of c.of) visit(x);
    else if (c.kind === 'not') visit(c.of);
    else if (c.kind === 'stateFor') {
      const cap = Math.max(0, ...c.tests.flatMap(cutsOf));
      const found = out.find((x) => x.actor === c.actor && x.state === c.state);
      if (found === undefined) out.push({ actor: c.actor, state: c.state, cap });
      else found.cap = Math.max(found.cap, cap);
    }
  };
  for (const c of conds) visit(c);
  return out;
}

/**
 * Dyad peak cells (`slot*n*n + from*n + to`) that some declared act can raise, ascending: every act
 * comes from a move, shock, inject or emit effect with a fixed sender, targets and theatre. The others
 * stay -1 in every run.
 */
function raisableCells(model: Model, others: (actor: number) => readonly number[]): number[] {
  const n = model.actors.length;
  const out = new Set<number>();
  const add = (type: number, from: number, to: readonly number[] | undefined, against: readonly number[] | undefined, theatre: number | undefined) => {
    const th = theatre ?? (model.events[type] as { theatre: number }).theatre;
    for (const x of against ?? to ?? others(from)) {
      // `$sender` (an emit answering the act it handles) may be any actor.
      for (const t of x === SENDER ? model.actors.map((a) => a.index) : [x]) {
        if (t === from) continue;
        out.add(from * n + t);
        if (th >= 0) out.add((th + 1) * n * n + from * n + t);
      }
    }
  };
  const scan = (actor: number, effects: readonly Effect[]) => {
    for (const e of effects) if (e.kind === 'emit') add(e.event, actor, e.to, e.against, e.theatre);
  };
  for (const a of model.actors) {
    for (const m of a.moves) add(m.event, a.index, m.to, m.against, m.theatre);
    for (const s of a.states) scan(a.index, s.entry);
    for (const t of a.transitions) scan(a.index, t.effects);
  }
  for (const s of model.shocks) add(s.event, s.from, s.to, s.against, s.theatre);
  for (const i of model.injects) add(i.event, i.from, i.to, i.against, i.theatre);
  return [...out].sort((x, y) => x - y);
}
