/**
 * Merging parts of a batch (or of a comparison) played apart: the merged part holds the union of their
 * runs and the sum of their aggregates. Merging is order-free and associative, so merged parts merge
 * again; a part that covers every run of its batch gives the report of the batch played on one machine.
 */
import { BatchAggregate } from '../analysis/aggregate.ts';
import { InvariantTally, type InvariantTallyData } from '../analysis/invariants.ts';
import { PairedAggregate } from '../analysis/paired-aggregate.ts';
import { buildModel } from '../model/build-model.ts';
import type { Model } from '../model/types.ts';
import {
  type AggregateJson,
  type BatchPart,
  type ComparePart,
  fromAggregateJson,
  fromPairedJson,
  type PairedJson,
  type Part,
  type PartScenario,
  type RunRange,
  type SweepPart,
} from './part.ts';
import { buildPointScenario } from './sweep-spec.ts';
import type { PlayedPoint } from './sweep.ts';
import { hashScenario, PartShapeError } from './part.ts';

/** A part and the name it is reported by (its file). */
export interface NamedPart {
  readonly name: string;
  readonly part: Part;
}

/** Merging: the merged part, or why the parts do not belong together (a message naming the files). */
export type MergeResult = { readonly ok: true; readonly part: Part } | { readonly ok: false; readonly message: string };

/** `runs 500–999` (inclusive, as people count). */
export function describeRange([from, to]: RunRange): string {
  return to - from === 1 ? `run ${from}` : `runs ${from}–${to - 1}`;
}

/**
 * Merges parts of one batch or comparison. Refuses parts of different kinds, Brink versions, scenarios
 * (by content hash), seeds, batch sizes or engines, and parts that hold a run in common. Pure; the
 * result does not depend on the order of `parts`. Files and labels come from the part holding the
 * lowest run index.
 */
export function mergeParts(parts: readonly NamedPart[]): MergeResult {
  const first = parts[0];
  if (first === undefined) return { ok: false, message: 'no parts to merge' };
  for (const { name, part } of parts.slice(1)) {
    const a = first.part;
    const differ = (what: string, x: string | number, y: string | number) => ({
      ok: false as const,
      message: `${name} is a part of a different ${what} from ${first.name} (${y} vs ${x}): only parts of the same batch merge`,
    });
    if (part.kind !== a.kind) return differ('kind of batch', a.kind, part.kind);
    if (part.brink !== a.brink) return { ok: false, message: `${name} was written by Brink ${part.brink} and ${first.name} by Brink ${a.brink}: play every shard with the same version` };
    if (part.seed !== a.seed) return differ('seed', a.seed, part.seed);
    if (part.runs !== a.runs) return differ('batch size (--runs)', a.runs, part.runs);
    if (part.engine !== a.engine) return differ('engine', a.engine, part.engine);
    const hashes = (p: Part) =>
      p.kind === 'batch' ? [p.scenario.hash] : p.kind === 'compare' ? p.scenarios.map((s) => s.hash) : [p.scenario.hash, ...p.points.map((q) => q.hash)];
    const ha = hashes(a);
    const hb = hashes(part);
    if (ha.length !== hb.length) return differ(a.kind === 'compare' ? 'comparison (number of variants)' : 'sweep (number of points)', ha.length - 1, hb.length - 1);
    const k = ha.findIndex((h, i) => h !== hb[i]);
    if (k >= 0) {
      const which = a.kind === 'batch' ? 'scenario' : k === 0 ? 'base scenario' : a.kind === 'compare' ? `variant ${k}` : `sweep point ${k - 1}`;
      return differ(`${which} (content hash)`, (ha[k] as string).slice(0, 19), (hb[k] as string).slice(0, 19));
    }
  }
  // The union of the ranges, refusing any run held twice.
  const owned = parts.flatMap(({ name, part }) => part.ranges.map((r) => ({ name, range: r })));
  owned.sort((x, y) => x.range[0] - y.range[0] || x.range[1] - y.range[1]);
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < owned.length; i++) {
    const cur = owned[i] as (typeof owned)[number];
    const prev = owned[i - 1];
    if (prev !== undefined && cur.range[0] < prev.range[1]) {
      const overlap: RunRange = [cur.range[0], Math.min(prev.range[1], cur.range[1])];
      if (prev.name === cur.name) return { ok: false, message: `${cur.name} is given twice: each run must be in one part only` };
      return { ok: false, message: `${prev.name} and ${cur.name} both hold ${describeRange(overlap)}: each run must be in one part only` };
    }
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last[1] === cur.range[0]) last[1] = cur.range[1];
    else ranges.push([cur.range[0], cur.range[1]]);
  }
  // Names come from the part holding the lowest run, so the order of the parts does not matter.
  const lead = owned.length === 0 ? first : (parts.find((p) => p.name === owned[0]?.name) ?? first);
  const all = parts.map((p) => p.part);
  const headOf = { ...lead.part, ranges };
  try {
  if (lead.part.kind === 'batch') {
    const batches = all as BatchPart[];
    return {
      ok: true,
      part: {
        ...(headOf as BatchPart),
        aggregate: mergeAggregates(batches.map((p) => p.aggregate)),
        invariants: mergeInvariants(batches.map((p) => p.invariants)),
      },
    };
  }
  if (lead.part.kind === 'sweep') {
    const sweeps = all as SweepPart[];
    return {
      ok: true,
      part: {
        ...(headOf as SweepPart),
        points: lead.part.points.map((p, k) => ({ values: p.values, hash: p.hash, aggregate: mergeAggregates(sweeps.map((s) => (s.points[k] as SweepPart['points'][number]).aggregate)) })),
      },
    };
  }
  const compares = all as ComparePart[];
  const lp = lead.part;
  return {
    ok: true,
    part: {
      ...(headOf as ComparePart),
      scenarios: lp.scenarios,
      base: mergeAggregates(compares.map((p) => p.base)),
      paired: lp.paired.map((_, k) => mergePaired(compares.map((p) => p.paired[k] as PairedJson))),
    },
  };
  } catch (e) {
    if (!(e instanceof ShapeMismatch)) throw e;
    return { ok: false, message: `the parts' aggregates differ in shape (${e.message}): they were written by different builds of Brink ${first.part.brink}; play every shard with the same build` };
  }
}

/** The run ranges of `0 … runs-1` that no range holds. */
export function missingRanges(part: Part): RunRange[] {
  const out: RunRange[] = [];
  let at = 0;
  for (const [from, to] of part.ranges) {
    if (from > at) out.push([at, from]);
    at = to;
  }
  if (at < part.runs) out.push([at, part.runs]);
  return out;
}

/** Parts whose aggregates differ in shape although their scenarios and versions agree: written by different builds. */
class ShapeMismatch extends Error {}

function addArrays(a: readonly number[], b: readonly number[], what: string): number[] {
  if (a.length !== b.length) throw new ShapeMismatch(`${what} of different lengths (${a.length} vs ${b.length})`);
  return a.map((x, i) => x + (b[i] as number));
}

function mergeAggregates(list: readonly AggregateJson[]): AggregateJson {
  const [head, ...rest] = list as [AggregateJson, ...AggregateJson[]];
  let runs = head.runs;
  const arrays: Record<string, number[]> = Object.fromEntries(Object.entries(head.arrays).map(([k, v]) => [k, [...v]]));
  const sigs = new Map<string, [string, number, number, string]>(head.signatures.map((s) => [s[0], [...s]]));
  const keys = Object.keys(head.arrays).sort().join(',');
  for (const agg of rest) {
    if (Object.keys(agg.arrays).sort().join(',') !== keys) throw new ShapeMismatch(`aggregates with different fields (${Object.keys(agg.arrays).sort().join(', ')} vs ${keys.replace(/,/g, ', ')})`);
    runs += agg.runs;
    for (const [k, v] of Object.entries(agg.arrays)) arrays[k] = addArrays(arrays[k] ?? [], v, `aggregate.${k}`);
    for (const [sig, count, index, seed] of agg.signatures) {
      const mine = sigs.get(sig);
      if (mine === undefined) sigs.set(sig, [sig, count, index, seed]);
      else {
        mine[1] += count;
        if (index < mine[2]) {
          mine[2] = index;
          mine[3] = seed;
        }
      }
    }
  }
  const signatures = [...sigs.values()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  if (head.outcomeFirst === undefined) return { runs, arrays, signatures };
  // Per outcome, the earliest run that reached it over all parts.
  const outcomeFirst = head.outcomeFirst.map((_, k) => {
    let best: readonly [number, string] | null = null;
    for (const agg of list) {
      const f = agg.outcomeFirst?.[k] ?? null;
      if (f !== null && (best === null || f[0] < best[0])) best = f;
    }
    return best;
  });
  return { runs, arrays, signatures, outcomeFirst };
}

function mergePaired(list: readonly PairedJson[]): PairedJson {
  return {
    runs: list.reduce((n, p) => n + p.runs, 0),
    peakCells: list.slice(1).reduce((acc, p) => addArrays(acc, p.peakCells, 'peakCells'), [...(list[0] as PairedJson).peakCells]),
    ruleCells: list.slice(1).reduce((acc, p) => addArrays(acc, p.ruleCells, 'ruleCells'), [...(list[0] as PairedJson).ruleCells]),
    ...((list[0] as PairedJson).outcomeCells === undefined
      ? {}
      : { outcomeCells: list.slice(1).reduce((acc, p) => addArrays(acc, p.outcomeCells ?? [], 'outcomeCells'), [...((list[0] as PairedJson).outcomeCells ?? [])]) }),
    variant: mergeAggregates(list.map((p) => p.variant)),
  };
}

function mergeInvariants(list: ReadonlyArray<InvariantTallyData | null>): InvariantTallyData | null {
  const present = list.filter((t): t is InvariantTallyData => t !== null);
  const [head, ...rest] = present;
  if (head === undefined) return null;
  return {
    runs: present.reduce((n, t) => n + t.runs, 0),
    invariants: head.invariants.map((c, k) => {
      let violations = c.violations;
      let first = c.first;
      for (const t of rest) {
        const o = t.invariants[k];
        if (o === undefined) continue;
        violations += o.violations;
        if (o.first !== null && (first === null || o.first.index < first.index)) first = o.first;
      }
      return { ...c, violations, first };
    }),
  };
}

/** A merged batch, ready to summarise: the model rebuilt from the part, and its aggregates. */
export interface MergedBatch {
  readonly model: Model;
  readonly scenario: PartScenario;
  readonly aggregate: BatchAggregate;
  /** The invariant tally, or undefined when the scenario declares no invariants. */
  readonly invariants: InvariantTally | undefined;
}

/** Rebuilds a batch part's model and aggregates. Throws PartShapeError when they do not fit. */
export function toMergedBatch(part: BatchPart): MergedBatch {
  const model = buildModel(part.scenario.scenario);
  const aggregate = new BatchAggregate(model);
  aggregate.merge(fromAggregateJson(model, part.aggregate));
  let invariants: InvariantTally | undefined;
  if (part.invariants !== null) {
    invariants = new InvariantTally(model);
    invariants.merge(part.invariants);
  }
  return { model, scenario: part.scenario, aggregate, invariants };
}

/** A merged comparison, ready to summarise. */
export interface MergedComparison {
  readonly models: readonly [Model, ...Model[]];
  readonly scenarios: readonly PartScenario[];
  readonly base: BatchAggregate;
  readonly paired: readonly PairedAggregate[];
}

/** Rebuilds a comparison part's models and aggregates. Throws PartShapeError when they do not fit. */
export function toMergedComparison(part: ComparePart): MergedComparison {
  const models = part.scenarios.map((s) => buildModel(s.scenario)) as [Model, ...Model[]];
  const [baseModel, ...variantModels] = models;
  const base = new BatchAggregate(baseModel);
  base.merge(fromAggregateJson(baseModel, part.base));
  const paired = variantModels.map((v, k) => {
    const p = new PairedAggregate(baseModel, v);
    p.merge(fromPairedJson(baseModel, v, part.paired[k] as PairedJson));
    return p;
  });
  return { models, scenarios: part.scenarios, base, paired };
}

/** A merged sweep, ready to summarise. */
export interface MergedSweep {
  readonly base: Model;
  readonly played: PlayedPoint[];
}

/** Rebuilds a sweep part's models (each point's scenario from the base or its variant, checked against its hash) and aggregates. */
export function toMergedSweep(part: SweepPart): MergedSweep {
  const base = buildModel(part.scenario.scenario);
  const variants = new Map(Object.entries(part.variants).map(([k, v]) => [k, v.scenario]));
  const played = part.points.map((p, k): PlayedPoint => {
    const built = buildPointScenario(part.scenario.scenario, variants, part.axes, p.values, `point ${k}`);
    if (!built.ok || hashScenario(built.scenario) !== p.hash) throw new PartShapeError(`sweep point ${k} does not rebuild to the scenario it was played on`);
    const model = buildModel(built.scenario);
    const aggregate = new BatchAggregate(model);
    aggregate.merge(fromAggregateJson(model, p.aggregate));
    return { input: { values: p.values, model, hash: p.hash }, aggregate };
  });
  return { base, played };
}
