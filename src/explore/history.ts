import { actMatches } from '../engine/world.ts';
import { happenedConditions } from '../model/conditions.ts';
import type { Cond, EventInstance, Scalar } from '../model/types.ts';

/**
 * One act pattern that some `happened` condition counts, and how much of its history exploration keeps:
 * an all-time count capped at the largest `atLeast` of the conditions without a window, and per-turn
 * counts of the last `window - 1` finished turns, each capped at the largest `atLeast` of the windowed
 * conditions. A count capped at `cap` answers `count ≥ a` exactly for every `a ≤ cap`, and so does a sum
 * of capped counts; that is why the caps lose nothing a condition can read.
 */
export interface HappenedPattern {
  readonly event: number;
  readonly from: number;
  readonly to: number;
  readonly data: ReadonlyArray<readonly [string, Scalar]>;
  /** Cap of the all-time count; 0 when no condition reads it. */
  readonly everCap: number;
  /** Largest `withinTurns` of the windowed conditions (0 = none). */
  readonly window: number;
  readonly windowCap: number;
  /** Index of the pattern's first slot in a history array. */
  readonly offset: number;
}

/**
 * The `happened` patterns of a model (plus any extra conditions, such as an invariant's), with a flat
 * history layout: `[ever?] [1 turn ago, 2 turns ago, … window-1 turns ago]` per pattern.
 */
export class HappenedTable {
  readonly patterns: readonly HappenedPattern[];
  /** Number of slots in a history array. */
  readonly size: number;
  /** Largest cap of any slot: the key stores one byte per slot when it is at most 255. */
  readonly largestCap: number;
  private readonly byData: Map<object, HappenedPattern[]>;

  constructor(conds: readonly Cond[]) {
    const found = new Map<string, { event: number; from: number; to: number; data: ReadonlyArray<readonly [string, Scalar]>; ever: number; window: number; windowCap: number; arrays: object[] }>();
    for (const c of happenedConditions(conds)) {
      const id = `${c.event}|${c.from}|${c.to}|${JSON.stringify(c.data)}`;
      let p = found.get(id);
      if (p === undefined) {
        p = { event: c.event, from: c.from, to: c.to, data: c.data, ever: 0, window: 0, windowCap: 0, arrays: [] };
        found.set(id, p);
      }
      const cap = Math.max(1, c.atLeast);
      if (c.withinTurns > 0) {
        p.window = Math.max(p.window, c.withinTurns);
        p.windowCap = Math.max(p.windowCap, cap);
      } else p.ever = Math.max(p.ever, cap);
      p.arrays.push(c.data);
    }
    const patterns: HappenedPattern[] = [];
    this.byData = new Map();
    let offset = 0;
    let largestCap = 0;
    for (const p of found.values()) {
      const pattern: HappenedPattern = { event: p.event, from: p.from, to: p.to, data: p.data, everCap: p.ever, window: p.window, windowCap: p.windowCap, offset };
      offset += (p.ever > 0 ? 1 : 0) + Math.max(0, p.window - 1);
      largestCap = Math.max(largestCap, p.ever, p.window > 1 ? p.windowCap : 0);
      patterns.push(pattern);
      for (const a of p.arrays) {
        const list = this.byData.get(a) ?? [];
        if (!list.includes(pattern)) list.push(pattern);
        this.byData.set(a, list);
      }
    }
    if (largestCap > 0xffff) throw new Error(`explore: a "happened" condition counts to ${largestCap}; at most 65535 is supported`);
    this.patterns = patterns;
    this.size = offset;
    this.largestCap = largestCap;
  }

  /** The pattern a condition's arguments stand for; throws for a condition the table was not built from. */
  find(event: number, from: number, to: number, data: ReadonlyArray<readonly [string, Scalar]>): HappenedPattern {
    const list = this.byData.get(data);
    if (list !== undefined) for (const p of list) if (p.event === event && p.from === from && p.to === to) return p;
    throw new Error(`explore: a "happened" condition on event ${event} was not collected from the model (a bug)`);
  }

  /** What the finished turns contribute to a count with this window (`withinTurns`, 0 = all time). */
  past(history: Uint16Array, p: HappenedPattern, withinTurns: number): number {
    if (withinTurns <= 0) return p.everCap > 0 ? (history[p.offset] as number) : 0;
    const base = p.offset + (p.everCap > 0 ? 1 : 0);
    const kept = Math.min(withinTurns, p.window) - 1;
    let sum = 0;
    for (let k = 0; k < kept; k++) sum += history[base + k] as number;
    return sum;
  }

  /** Writes into `out` the history after a turn with these acts, from the history before it. Pure. */
  advance(before: Uint16Array, acts: readonly EventInstance[], out: Uint16Array): void {
    for (const p of this.patterns) {
      let c = 0;
      for (const e of acts) if (matches(p, e)) c++;
      let slot = p.offset;
      if (p.everCap > 0) {
        out[slot] = Math.min(p.everCap, (before[slot] as number) + c);
        slot++;
      }
      const kept = p.window - 1;
      for (let k = kept - 1; k >= 1; k--) out[slot + k] = before[slot + k - 1] as number;
      if (kept >= 1) out[slot] = Math.min(p.windowCap, c);
    }
  }
}

/** The engine's `countHappened` test, applied to one act. */
function matches(p: HappenedPattern, e: EventInstance): boolean {
  return e.type === p.event && actMatches(e, p.from, p.to, p.data);
}
