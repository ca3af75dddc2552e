/**
 * A parameter sweep: every point of a grid (or sample) of variants of a scenario, each played as a
 * plain batch on the same run seeds (common random numbers), summarised as the probability of each
 * rung per point and along each axis.
 */
import { BatchAggregate } from '../analysis/aggregate.ts';
import { type Proportion, wilson } from '../analysis/stats.ts';
import type { EngineName } from '../engine/kernels.ts';
import type { Model } from '../model/types.ts';
import { VERSION } from '../version.ts';
import { playBatch } from './play-batch.ts';
import type { Axis, PointValues } from './sweep-spec.ts';

/** A point to play: its axis values and its model (the variant the values make). */
export interface SweepPointInput {
  readonly values: PointValues;
  readonly model: Model;
  /** The content hash of the point's resolved scenario. */
  readonly hash: string;
}

export interface SweepOptions {
  /** Runs per point: run i of every point plays `deriveRunSeed(seed, i)`. */
  readonly runs: number;
  readonly seed: string;
  /** First run index of every point (a shard plays runs `from … from+runs-1` of each). Default 0. */
  readonly from?: number;
  readonly engine?: EngineName;
  readonly workers?: number;
  /** Called with runs done over all points. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Polled between runs; the points already done are kept, the one being played is dropped. */
  readonly shouldStop?: () => boolean;
}

/** One rung's probability at a point, or pooled over the points with one axis value. */
export type RungProbability = { readonly rung: string } & Proportion;

export interface SweepPoint {
  readonly index: number;
  readonly values: PointValues;
  readonly hash: string;
  /** P(overall peak ≥ rung) for every rung of the base ladder, with its 95% Wilson interval. */
  readonly exceedance: readonly RungProbability[];
  /** The most common pathway and its share. */
  readonly topPathway: { readonly signature: string; readonly share: number; readonly seed: string } | null;
}

/** How the rung probabilities move along one axis: pooled over the points with each of its values. */
export interface AxisEffect {
  readonly axis: string;
  readonly rows: ReadonlyArray<{ readonly value: number | string; readonly points: number; readonly exceedance: readonly RungProbability[] }>;
}

/** What a sweep reports: plain data, rendered by the report module. */
export interface SweepResult {
  readonly kind: 'sweep';
  readonly meta: {
    readonly scenario: { readonly id: string; readonly title: string; readonly hash: string; readonly files: readonly string[] };
    readonly seed: string;
    /** Runs per point. */
    readonly runs: number;
    readonly engine: EngineName;
    readonly version: string;
    readonly pairing: 'common random numbers';
    readonly interval: 'Wilson, 95%';
  };
  readonly axes: ReadonlyArray<{ readonly name: string; readonly values: readonly (number | string)[] }>;
  readonly ladder: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  readonly points: readonly SweepPoint[];
  readonly effects: readonly AxisEffect[];
  /** Points asked for; `points.length` is fewer when stopped. */
  readonly planned: number;
  readonly stopped: boolean;
}

/** A played point's aggregate, before it is summarised. */
export interface PlayedPoint {
  readonly input: SweepPointInput;
  readonly aggregate: BatchAggregate;
}

/**
 * Plays every point as a plain batch of `runs` on the same seeds (so a point's numbers are exactly
 * `brink run` of its variant), one point after another, each on the worker pool when asked.
 */
export async function playSweep(points: readonly SweepPointInput[], options: SweepOptions): Promise<{ readonly played: PlayedPoint[]; readonly stopped: boolean; readonly engine: EngineName }> {
  const played: PlayedPoint[] = [];
  const engine = options.engine ?? 'compiled';
  const total = points.length * options.runs;
  for (const input of points) {
    const before = played.length * options.runs;
    const batch = await playBatch(input.model, {
      runs: options.runs,
      from: options.from ?? 0,
      seed: options.seed,
      engine,
      workers: options.workers ?? 1,
      ...(options.onProgress === undefined ? {} : { onProgress: (done: number) => options.onProgress?.(before + done, total) }),
      ...(options.shouldStop === undefined ? {} : { shouldStop: options.shouldStop }),
    });
    if (batch.stopped) return { played, stopped: true, engine };
    played.push({ input, aggregate: batch.aggregate });
  }
  return { played, stopped: false, engine };
}

function exceedance(base: Model, model: Model, agg: BatchAggregate): RungProbability[] {
  const width = model.rungs.length + 1;
  return base.rungs.map((r) => {
    const k = model.rungs.findIndex((m) => m.id === r.id);
    let atLeast = 0;
    if (k >= 0) for (let i = k + 1; i < width; i++) atLeast += agg.peaks[i] as number;
    return { rung: r.id, ...wilson(atLeast, agg.runs) };
  });
}

/** Summarises played points: per point and, pooled, per value of each axis. Pure; order fixed. */
export function summarizeSweep(
  base: { readonly model: Model; readonly hash: string; readonly files: readonly string[] },
  axes: readonly Axis[],
  planned: number,
  played: readonly PlayedPoint[],
  run: { readonly seed: string; readonly runs: number; readonly engine: EngineName; readonly stopped: boolean },
): SweepResult {
  const m = base.model.scenario.metadata;
  const points: SweepPoint[] = played.map((p, index) => {
    const top = [...p.aggregate.signatures].sort((a, b) => b[1].count - a[1].count || a[1].index - b[1].index)[0];
    return {
      index,
      values: p.input.values,
      hash: p.input.hash,
      exceedance: exceedance(base.model, p.input.model, p.aggregate),
      topPathway: top === undefined ? null : { signature: top[0], share: top[1].count / p.aggregate.runs, seed: top[1].seed },
    };
  });
  const effects: AxisEffect[] = axes.map((axis, a) => {
    const values: Array<number | string> = [];
    for (const p of points) if (!values.includes(p.values[a] as number | string)) values.push(p.values[a] as number | string);
    values.sort((x, y) => (typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0));
    return {
      axis: axis.name,
      rows: values.map((value) => {
        const at = played.filter((p) => p.input.values[a] === value);
        const pooled = base.model.rungs.map((r, k) => {
          let count = 0;
          let runs = 0;
          for (const p of at) {
            const e = exceedance(base.model, p.input.model, p.aggregate)[k] as RungProbability;
            count += e.count;
            runs += e.total;
          }
          return { rung: r.id, ...wilson(count, runs) };
        });
        return { value, points: at.length, exceedance: pooled };
      }),
    };
  });
  return {
    kind: 'sweep',
    meta: { scenario: { id: m.id, title: m.title, hash: base.hash, files: base.files }, seed: run.seed, runs: run.runs, engine: run.engine, version: VERSION, pairing: 'common random numbers', interval: 'Wilson, 95%' },
    axes: axes.map((axis, a) => ({ name: axis.name, values: [...new Set(points.map((p) => p.values[a] as number | string))] })),
    ladder: base.model.rungs.map((r) => ({ id: r.id, name: r.name })),
    points,
    effects,
    planned,
    stopped: run.stopped,
  };
}
