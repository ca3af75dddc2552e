import { type RunRecord, reachedOutcome } from '../engine/run.ts';
import type { Model } from '../model/types.ts';
import { deriveSignature } from './pathway.ts';
import { deriveStateVisitPlan, type StateVisitPlan } from './state-visits.ts';

/** One signature's tally: how many runs climbed that way, and the earliest run that did. */
export interface SignatureTally {
  count: number;
  /** Index in the batch of the earliest run with this signature. */
  index: number;
  seed: string;
}

/**
 * A streaming aggregate of a batch: fixed-size counters plus one tally per distinct signature. Memory
 * does not grow with the number of runs. Merging aggregates of disjoint runs gives the aggregate of
 * all of them, whatever the order (so a batch does not depend on how it was split).
 */
export class BatchAggregate {
  runs = 0;
  /** Peak histogram: slot 0 overall, slot t+1 theatre t; `slot * (rungs + 1) + peak + 1`. */
  readonly peaks: Uint32Array;
  /** Dyad peak histogram: `(from * actors + to) * (rungs + 1) + peak + 1`. */
  readonly dyads: Uint32Array;
  /** Turn each threshold was first crossed (0 = never): `(slot * thresholds + k) * (turns + 1) + turn`. */
  readonly thresholdTurns: Uint32Array;
  /** Runs in which each rule fired at least once. */
  readonly ruleRuns: Uint32Array;
  /** Times each rule fired, over all runs. */
  readonly ruleFires: Float64Array;
  /** Overall peak histogram of the runs in which each rule fired: `rule * (rungs + 1) + peak + 1`. */
  readonly rulePeaks: Uint32Array;
  /** Runs in which each state was active at some point, states numbered as in `deriveStateVisitPlan`. */
  readonly stateRuns: Uint32Array;
  readonly signatures = new Map<string, SignatureTally>();
  /** Runs that reached each outcome (model.outcomes). */
  readonly outcomeRuns: Uint32Array;
  /** First turn each outcome's condition held (0 = never): `k * (turns + 1) + turn`. */
  readonly outcomeTurns: Uint32Array;
  /** Runs in which rule r fired and outcome k was reached: `r * outcomes + k`. */
  readonly ruleOutcomes: Uint32Array;
  /** Per outcome, the earliest run (by index) that reached it, or null. */
  readonly outcomeFirst: Array<{ index: number; seed: string } | null>;
  private readonly width: number;
  private readonly visits: StateVisitPlan;
  private readonly visited: Uint8Array;

  constructor(private readonly model: Model) {
    const slots = model.theatres.length + 1;
    this.width = model.rungs.length + 1;
    const n = model.actors.length;
    this.peaks = new Uint32Array(slots * this.width);
    this.dyads = new Uint32Array(n * n * this.width);
    this.thresholdTurns = new Uint32Array(slots * model.thresholds.length * (model.turns + 1));
    this.ruleRuns = new Uint32Array(model.rules.length);
    this.ruleFires = new Float64Array(model.rules.length);
    this.rulePeaks = new Uint32Array(model.rules.length * this.width);
    this.visits = deriveStateVisitPlan(model);
    this.stateRuns = new Uint32Array(this.visits.total);
    this.visited = new Uint8Array(this.visits.total);
    const K = model.outcomes.length;
    this.outcomeRuns = new Uint32Array(K);
    this.outcomeTurns = new Uint32Array(K * (model.turns + 1));
    this.ruleOutcomes = new Uint32Array(model.rules.length * K);
    this.outcomeFirst = model.outcomes.map(() => null);
    this.reached = new Uint8Array(K);
  }

  /** Scratch: which outcomes the run being added reached. */
  private readonly reached: Uint8Array;

  /** Adds run `index` of the batch. */
  add(record: RunRecord, index: number): void {
    const { model, width } = this;
    this.runs++;
    const inc = (a: Uint32Array, i: number) => {
      a[i] = (a[i] as number) + 1;
    };
    inc(this.peaks, record.overallPeak + 1);
    for (let t = 0; t < model.theatres.length; t++) inc(this.peaks, (t + 1) * width + (record.theatrePeaks[t] as number) + 1);
    for (let d = 0; d < record.dyadPeaks.length; d++) inc(this.dyads, d * width + (record.dyadPeaks[d] as number) + 1);
    const turnsWidth = model.turns + 1;
    for (let k = 0; k < record.thresholdTurns.length; k++) inc(this.thresholdTurns, k * turnsWidth + (record.thresholdTurns[k] as number));
    const K = model.outcomes.length;
    let reachedAny = false;
    for (let k = 0; k < K; k++) {
      inc(this.outcomeTurns, k * turnsWidth + (record.outcomeTurns[k] as number));
      const hit = reachedOutcome(model, record, k);
      this.reached[k] = hit ? 1 : 0;
      if (!hit) continue;
      reachedAny = true;
      inc(this.outcomeRuns, k);
      this.firstOf(k, index, record.seed);
    }
    for (let r = 0; r < record.ruleCounts.length; r++) {
      const c = record.ruleCounts[r] as number;
      if (c === 0) continue;
      inc(this.ruleRuns, r);
      this.ruleFires[r] = (this.ruleFires[r] as number) + c;
      inc(this.rulePeaks, r * width + record.overallPeak + 1);
      if (reachedAny) for (let k = 0; k < K; k++) if (this.reached[k] === 1) inc(this.ruleOutcomes, r * K + k);
    }
    const { visited, visits } = this;
    visited.fill(0);
    for (const st of visits.initial) visited[st] = 1;
    for (const [rule, states] of visits.entered) if ((record.ruleCounts[rule] as number) > 0) for (const st of states) visited[st] = 1;
    for (let st = 0; st < visited.length; st++) this.stateRuns[st] = (this.stateRuns[st] as number) + (visited[st] as number);
    const signature = deriveSignature(model, record);
    const tally = this.signatures.get(signature);
    if (tally === undefined) this.signatures.set(signature, { count: 1, index, seed: record.seed });
    else {
      tally.count++;
      if (index < tally.index) {
        tally.index = index;
        tally.seed = record.seed;
      }
    }
  }

  /** Adds another aggregate of disjoint runs of the same model. */
  merge(other: AggregateData): void {
    this.runs += other.runs;
    addInto(this.peaks, other.peaks);
    addInto(this.dyads, other.dyads);
    addInto(this.thresholdTurns, other.thresholdTurns);
    addInto(this.ruleRuns, other.ruleRuns);
    addInto(this.ruleFires, other.ruleFires);
    addInto(this.rulePeaks, other.rulePeaks);
    addInto(this.stateRuns, other.stateRuns);
    addInto(this.outcomeRuns, other.outcomeRuns);
    addInto(this.outcomeTurns, other.outcomeTurns);
    addInto(this.ruleOutcomes, other.ruleOutcomes);
    other.outcomeFirst.forEach((f, k) => {
      if (f !== null) this.firstOf(k, f.index, f.seed);
    });
    for (const [sig, t] of other.signatures) {
      const mine = this.signatures.get(sig);
      if (mine === undefined) this.signatures.set(sig, { ...t });
      else {
        mine.count += t.count;
        if (t.index < mine.index) {
          mine.index = t.index;
          mine.seed = t.seed;
        }
      }
    }
  }

  /** Plain data, for a worker's message. */
  toData(): AggregateData {
    return {
      runs: this.runs,
      peaks: this.peaks,
      dyads: this.dyads,
      thresholdTurns: this.thresholdTurns,
      ruleRuns: this.ruleRuns,
      ruleFires: this.ruleFires,
      rulePeaks: this.rulePeaks,
      stateRuns: this.stateRuns,
      signatures: [...this.signatures],
      outcomeRuns: this.outcomeRuns,
      outcomeTurns: this.outcomeTurns,
      ruleOutcomes: this.ruleOutcomes,
      outcomeFirst: this.outcomeFirst.map((f) => (f === null ? null : { ...f })),
    };
  }

  private firstOf(k: number, index: number, seed: string): void {
    const f = this.outcomeFirst[k];
    if (f === null || f === undefined || index < f.index) this.outcomeFirst[k] = { index, seed };
  }
}

/** What an aggregate is made of, as structured-cloneable data. */
export interface AggregateData {
  readonly runs: number;
  readonly peaks: Uint32Array;
  readonly dyads: Uint32Array;
  readonly thresholdTurns: Uint32Array;
  readonly ruleRuns: Uint32Array;
  readonly ruleFires: Float64Array;
  readonly rulePeaks: Uint32Array;
  readonly stateRuns: Uint32Array;
  readonly signatures: Iterable<readonly [string, SignatureTally]>;
  readonly outcomeRuns: Uint32Array;
  readonly outcomeTurns: Uint32Array;
  readonly ruleOutcomes: Uint32Array;
  readonly outcomeFirst: ReadonlyArray<{ readonly index: number; readonly seed: string } | null>;
}

function addInto(a: Uint32Array | Float64Array, b: Uint32Array | Float64Array): void {
  if (a.length !== b.length) throw new Error('BatchAggregate.merge: aggregates of different models');
  for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) + (b[i] as number);
}
