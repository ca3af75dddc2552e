import { createKernel, type EngineName } from '../engine/kernels.ts';
import { createRandom, deriveRunSeed, type Random } from '../engine/rng.ts';
import { Runner } from '../engine/run.ts';
import type { Model, WorldView } from '../model/types.ts';
import { betaRegularized, normalQuantile } from '../analysis/special.ts';

/** What splitting estimates: P(peak ≥ rung in a scope by turn `by`). */
export interface SplittingTarget {
  /** -1 = overall. */
  readonly theatre: number;
  readonly rung: number;
  readonly by: number;
}

export interface SplittingOptions {
  readonly seed: string;
  /**
   * Intermediate levels (rung indices, ascending, below the target's rung). Default: chosen by a pilot
   * of `effort` plain runs — every rung up to the target that at most 90% of the pilot reached by the
   * turn (the rungs nearly every run reaches cost a stage and gain nothing). The pilot only picks the
   * levels, so the estimate stays unbiased; its runs count in `runs`.
   */
  readonly levels?: readonly number[];
  /** Runs per stage (fixed effort). Default 1,000. */
  readonly effort?: number;
  /** Independent replications, for the interval. Default 10. */
  readonly replications?: number;
  /** Index of the first replication (each has its own seeds, so replications 0…9 and 10…19 together are 0…19). Default 0. */
  readonly from?: number;
  /** Default 0.95. */
  readonly confidence?: number;
  readonly engine?: EngineName;
}

/** One stage of one replication: runs started, and how many crossed the stage's level by the turn. */
export interface SplittingStage {
  readonly level: number;
  readonly runs: number;
  readonly hits: number;
}

/** What splitting found. */
export interface SplittingResult {
  /** The mean of the replications' estimates: unbiased. */
  readonly estimate: number;
  /** Interval from the replications' spread (Student t), at `confidence`; the low end is at least 0. */
  readonly low: number;
  readonly high: number;
  readonly confidence: number;
  readonly levels: readonly number[];
  readonly replications: ReadonlyArray<{ readonly estimate: number; readonly stages: readonly SplittingStage[] }>;
  /** Runs started (each stage's effort), over all replications. */
  readonly runs: number;
  /** Turns played, the replayed prefixes included: the work done. */
  readonly runTurns: number;
}

/** A world where a run first crossed a level: the draws that lead there from the start, and the turn. */
interface Entrance {
  readonly draws: Float64Array;
  readonly turn: number;
}

/** A uniform source that replays `prefix` and then draws from `fresh`, recording every number it hands out. */
class ReplaySource {
  readonly drawn: number[] = [];
  private i = 0;
  constructor(
    private readonly prefix: Float64Array,
    private readonly fresh: Random,
  ) {}
  readonly random: Random = () => {
    const u = this.i < this.prefix.length ? (this.prefix[this.i] as number) : this.fresh();
    this.i++;
    this.drawn.push(u);
    return u;
  };
}

/**
 * Which entrance each of `effort` runs starts from: every entrance ⌊effort/m⌋ times, and the remainder
 * on distinct entrances drawn uniformly (random assignment, which keeps the product estimator unbiased).
 */
function assign(m: number, effort: number, random: Random): number[] {
  const out: number[] = [];
  const base = Math.floor(effort / m);
  for (let e = 0; e < m; e++) for (let j = 0; j < base; j++) out.push(e);
  const pool = Array.from({ length: m }, (_, e) => e);
  for (let j = 0; out.length < effort; j++) {
    const pick = j + Math.floor(random() * (m - j));
    const chosen = pool[pick] as number;
    pool[pick] = pool[j] as number;
    pool[j] = chosen;
    out.push(chosen);
  }
  return out;
}

/** Student's t quantile by bisection on its CDF (through the incomplete beta). */
function tQuantile(p: number, df: number): number {
  if (df > 200) return normalQuantile(p);
  // P(T ≤ t) for t ≥ 0 is 1 − I_{df/(df+t²)}(df/2, 1/2)/2.
  let lo = 0;
  let hi = 100;
  for (let i = 0; i < 100; i++) {
    const t = (lo + hi) / 2;
    const cdf = 1 - 0.5 * betaRegularized(df / (df + t * t), df / 2, 0.5);
    if (cdf < p) lo = t;
    else hi = t;
  }
  return (lo + hi) / 2;
}

/**
 * Estimates a rare P(peak ≥ rung by turn T) by fixed-effort multilevel splitting. The levels are rungs:
 * stage k starts `effort` runs from worlds where earlier runs first crossed level k−1 (the start for
 * k = 0), chosen in turn (balanced), and counts those that cross level k by turn T; the estimate is the
 * product of the stages' fractions, which is unbiased. A world is restarted by replaying the draws
 * that led to it — the engine is deterministic given its draws — and continued with fresh draws from
 * the stage's own seeds, so every construct of the scenario is carried and the estimate replays by
 * seed. The interval comes from independent replications. Deterministic.
 */
export function estimateBySplitting(model: Model, target: SplittingTarget, options: SplittingOptions): SplittingResult {
  const effort = options.effort ?? 1000;
  const replications = options.replications ?? 10;
  const confidence = options.confidence ?? 0.95;
  const runner = new Runner(model, createKernel(model, options.engine ?? 'compiled'));
  const peakOf = (w: WorldView) => w.peak(-1, -1, target.theatre);
  let runs = 0;
  let runTurns = 0;
  let chosen = options.levels;
  if (chosen === undefined) {
    const reached = new Float64Array(model.rungs.length);
    for (let i = 0; i < effort; i++) {
      let peak = -1;
      runner.run(deriveRunSeed(`${options.seed}:pilot`, i), {
        transient: true,
        onTurnEnd: (turn, peaks) => {
          runTurns++;
          peak = peakOf(peaks);
          return turn >= target.by;
        },
      });
      runs++;
      for (let r = 0; r <= peak; r++) reached[r] = (reached[r] as number) + 1;
    }
    chosen = model.rungs.map((_, r) => r).filter((r) => r >= 1 && (reached[r] as number) <= 0.9 * effort);
  }
  const levels = [...chosen, target.rung].filter((r, i, a) => a.indexOf(r) === i && r <= target.rung).sort((a, b) => a - b);
  const reps: Array<{ estimate: number; stages: SplittingStage[] }> = [];
  const first = options.from ?? 0;
  for (let rep = first; rep < first + replications; rep++) {
    let entrances: Entrance[] = [{ draws: new Float64Array(0), turn: 0 }];
    let estimate = 1;
    const stages: SplittingStage[] = [];
    for (let k = 0; k < levels.length; k++) {
      const level = levels[k] as number;
      const next: Entrance[] = [];
      let hits = 0;
      const starts = assign(entrances.length, effort, createRandom(`${options.seed}:assign:${rep}:${k}`));
      for (let i = 0; i < effort; i++) {
        const from = entrances[starts[i] as number] as Entrance;
        const source = new ReplaySource(from.draws, createRandom(deriveRunSeed(`${options.seed}:split:${rep}:${k}`, i)));
        const boundaries: number[] = [];
        let crossed = -1;
        runner.run(`${options.seed}:split:${rep}:${k}:${i}`, {
          random: source.random,
          transient: true,
          onTurnEnd: (turn, peaks) => {
            boundaries[turn] = source.drawn.length;
            runTurns++;
            if (turn >= from.turn && peakOf(peaks) >= level) {
              crossed = turn;
              return true;
            }
            return turn >= target.by;
          },
        });
        runs++;
        if (crossed >= 1) {
          hits++;
          next.push({ draws: Float64Array.from(source.drawn.slice(0, boundaries[crossed] ?? source.drawn.length)), turn: crossed });
        }
      }
      stages.push({ level, runs: effort, hits });
      estimate *= hits / effort;
      if (hits === 0) break;
      entrances = next;
    }
    reps.push({ estimate, stages });
  }
  return { ...summarize(reps.map((r) => r.estimate), confidence), confidence, levels, replications: reps, runs, runTurns };
}

/** The mean of independent replications' estimates and its Student-t interval (the low end at least 0). */
export function summarize(estimates: readonly number[], confidence: number): { estimate: number; low: number; high: number } {
  const n = estimates.length;
  const mean = estimates.reduce((x, y) => x + y, 0) / n;
  if (n < 2) return { estimate: mean, low: 0, high: 1 };
  const sd = Math.sqrt(estimates.reduce((x, y) => x + (y - mean) ** 2, 0) / (n - 1));
  const half = (tQuantile(1 - (1 - confidence) / 2, n - 1) * sd) / Math.sqrt(n);
  return { estimate: mean, low: Math.max(0, mean - half), high: Math.min(1, mean + half) };
}
