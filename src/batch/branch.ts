/**
 * Counterfactual branches of a played game: from the start of turn `turn` (the game as played up to
 * then), each arm changes that turn one way and plays on by the policy, N times, every arm on the same
 * N random streams (common random numbers). A batch of policy runs from the start is the branch at
 * turn 1 with one arm and no change. Runs on the batch's worker threads (`kind: 'branch'`).
 */
import { ActsView } from '../analysis/objectives.ts';
import { type CompiledCondition, compileCondition } from '../engine/compile-condition.ts';
import { CompiledKernel } from '../engine/compiled-kernel.ts';
import { createRandom, deriveRunSeed } from '../engine/rng.ts';
import { type RunSnapshot, Runner, type TurnOverride } from '../engine/run.ts';
import type { Model } from '../model/types.ts';

/** One branch point and its arms. */
export interface BranchJob {
  /** The turn whose change the arms compare (1 … turns). */
  readonly turn: number;
  /** The game's changes of turns 1 … turn-1 (index = turn; the rest of the array is ignored). */
  readonly prefix: ReadonlyArray<TurnOverride | null>;
  /** Each arm's change of `turn` (null: the policy's turn); arm 0 is the one the others are paired with. */
  readonly arms: ReadonlyArray<TurnOverride | null>;
}

/** What every branch of a debrief shares. */
export interface BranchPlan {
  /** The game's seed: its turns before each branch point. */
  readonly gameSeed: string;
  /** Replication i of every arm draws from `alea(deriveRunSeed(runSeed, i))` from its branch turn on. */
  readonly runSeed: string;
  /** Replications per arm. */
  readonly runs: number;
  /** The actors (indices) whose objectives are scored, in order. */
  readonly objectiveActors: readonly number[];
  readonly jobs: readonly BranchJob[];
}

/**
 * One arm's tallies over its replications. Measures are, in order: for each scope (overall, then each
 * theatre) and each rung r, "peak ≥ r"; then each objective, "holds". `b[m]`/`c[m]` count the
 * replications where measure m holds in this arm but not in arm 0, and the reverse (McNemar's pairs).
 */
export interface ArmTally {
  /** `peaks[scope * (rungs + 1) + peak + 1]`: replications by peak (-1: nothing escalated). */
  readonly peaks: number[];
  readonly objectives: number[];
  readonly b: number[];
  readonly c: number[];
}

/** A job's tallies: `runs` replications of each arm. */
export interface BranchTally {
  readonly job: number;
  readonly runs: number;
  readonly arms: ArmTally[];
}

/** The number of measures: scopes × rungs, then objectives. */
export function measureCount(model: Model, objectives: number): number {
  return (model.theatres.length + 1) * model.rungs.length + objectives;
}

/** An empty tally for a job. */
export function emptyTally(model: Model, plan: BranchPlan, job: number): BranchTally {
  const objectives = objectiveCount(model, plan.objectiveActors);
  const m = measureCount(model, objectives);
  const peaks = (model.theatres.length + 1) * (model.rungs.length + 1);
  const arms = (plan.jobs[job] as BranchJob).arms.map(() => ({ peaks: new Array<number>(peaks).fill(0), objectives: new Array<number>(objectives).fill(0), b: new Array<number>(m).fill(0), c: new Array<number>(m).fill(0) }));
  return { job, runs: 0, arms };
}

/** Adds `from` into `into` (same job). Order-free: merging chunks in any order gives the same tally. */
export function mergeTally(into: BranchTally, from: BranchTally): BranchTally {
  const arms = into.arms.map((a, k) => {
    const f = from.arms[k] as ArmTally;
    return { peaks: add(a.peaks, f.peaks), objectives: add(a.objectives, f.objectives), b: add(a.b, f.b), c: add(a.c, f.c) };
  });
  return { job: into.job, runs: into.runs + from.runs, arms };
}

function add(a: readonly number[], b: readonly number[]): number[] {
  return a.map((x, i) => x + (b[i] as number));
}

export function objectiveCount(model: Model, actors: readonly number[]): number {
  return actors.reduce((n, a) => n + (model.actors[a]?.objectives.length ?? 0), 0);
}

/**
 * Plays replications `from … from+count-1` of every job's arms, where unit u is job `⌊u / runs⌋`,
 * replication `u mod runs`. Returns a tally per job touched. Deterministic: the same plan and units
 * give the same tallies, whichever thread plays them.
 */
export function playBranchUnits(model: Model, plan: BranchPlan): (from: number, count: number) => BranchTally[] {
  const runner = new Runner(model, new CompiledKernel(model), { specialise: 0 });
  const snapshots = new Map<number, RunSnapshot>();
  const snapshotOf = (job: number): RunSnapshot => {
    let snap = snapshots.get(job);
    if (snap !== undefined) return snap;
    const j = plan.jobs[job] as BranchJob;
    const prefix = new Runner(model, new CompiledKernel(model), { specialise: false });
    prefix.begin(plan.gameSeed);
    for (let t = 1; t < j.turn; t++) prefix.step(j.prefix[t] ?? undefined);
    snap = prefix.save() as RunSnapshot;
    snapshots.set(job, snap);
    return snap;
  };
  const scopes = model.theatres.length + 1;
  const rungs = model.rungs.length;
  // The objectives' conditions as closures, read through one reusable view whose acts are swapped per run.
  const conditions = plan.objectiveActors.flatMap((a) => (model.actors[a]?.objectives ?? []).map((o) => compileCondition(o.when)));
  const view = new ActsView(runner.view);
  const width = scopes * rungs + conditions.length;
  const holds = new Uint8Array(width);
  const base = new Uint8Array(width);
  return (from, count) => {
    const out: BranchTally[] = [];
    let u = from;
    const end = from + count;
    while (u < end) {
      const job = Math.floor(u / plan.runs);
      const first = u;
      const last = Math.min(end, (job + 1) * plan.runs);
      const tally = emptyTally(model, plan, job);
      const j = plan.jobs[job] as BranchJob;
      const snap = snapshotOf(job);
      for (; u < last; u++) {
        const seed = deriveRunSeed(plan.runSeed, u % plan.runs);
        for (let k = 0; k < j.arms.length; k++) {
          const rec = runner.playFrom(snap, createRandom(seed), j.arms[k] ?? undefined);
          const arm = tally.arms[k] as ArmTally;
          const out = k === 0 ? base : holds;
          let m = 0;
          for (let sc = 0; sc < scopes; sc++) {
            const peak = sc === 0 ? rec.overallPeak : (rec.theatrePeaks[sc - 1] as number);
            arm.peaks[sc * (rungs + 1) + peak + 1] = (arm.peaks[sc * (rungs + 1) + peak + 1] as number) + 1;
            for (let r = 0; r < rungs; r++) out[m++] = peak >= r ? 1 : 0;
          }
          view.events = rec.events;
          for (let o = 0; o < conditions.length; o++) {
            const h = (conditions[o] as CompiledCondition)(view, undefined);
            out[m++] = h ? 1 : 0;
            if (h) arm.objectives[o] = (arm.objectives[o] as number) + 1;
          }
          if (k === 0) continue;
          for (let x = 0; x < width; x++) {
            if (holds[x] === 1 && base[x] === 0) arm.b[x] = (arm.b[x] as number) + 1;
            else if (holds[x] === 0 && base[x] === 1) arm.c[x] = (arm.c[x] as number) + 1;
          }
        }
      }
      out.push({ ...tally, runs: last - first });
    }
    return out;
  };
}
