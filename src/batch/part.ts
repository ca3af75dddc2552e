/**
 * A part of a batch played on another machine (`--shard i/n`): a versioned JSON document with the
 * scenario(s) it played (resolved, with their content hashes), the seed, the run ranges it holds and the
 * mergeable aggregate state. Pure: the same aggregates give the same document, byte for byte.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { type AggregateData, BatchAggregate, type SignatureTally } from '../analysis/aggregate.ts';
import type { InvariantTallyData } from '../analysis/invariants.ts';
import { PairedAggregate, type PairedAggregateData } from '../analysis/paired-aggregate.ts';
import type { EngineName } from '../engine/kernels.ts';
import type { Model } from '../model/types.ts';
import type { Scenario } from '../scenario/schema.ts';
import { VERSION } from '../version.ts';
import type { Axis, PointValues } from './sweep-spec.ts';

/** The `format` field of every part. */
export const PART_FORMAT = 'brink-part';
/** The version of the part document's layout; a reader refuses any other. */
export const PART_FORMAT_VERSION = 1;

/** Run indices `[from, to)`: `from` included, `to` excluded. */
export type RunRange = readonly [from: number, to: number];

/** A scenario as a part records it: enough to rebuild its model and to name it in the report. */
export interface PartScenario {
  /** The content hash (`LoadedScenario.hash`): sha256 of the resolved scenario's JSON. */
  readonly hash: string;
  readonly files: readonly string[];
  /** The name a comparison gives it (the file as given on the command line). */
  readonly label: string | null;
  /** The resolved scenario (after `extends`), as validated. */
  readonly scenario: Scenario;
}

/** An aggregate as JSON: every typed array of `BatchAggregate.toData()` by name, and the signature tallies sorted by signature. */
export interface AggregateJson {
  readonly runs: number;
  readonly arrays: Readonly<Record<string, readonly number[]>>;
  /** `[signature, count, earliest index, its seed]`, sorted by signature. */
  readonly signatures: ReadonlyArray<readonly [string, number, number, string]>;
  /** Per outcome, `[earliest index, its seed]` of the runs that reached it, or null (absent when the scenario declares no outcomes). */
  readonly outcomeFirst?: ReadonlyArray<readonly [number, string] | null>;
}

export interface PairedJson {
  readonly runs: number;
  readonly peakCells: readonly number[];
  readonly ruleCells: readonly number[];
  /** Present when the two scenarios share outcomes. */
  readonly outcomeCells?: readonly number[];
  readonly variant: AggregateJson;
}

interface PartHead {
  readonly format: typeof PART_FORMAT;
  readonly formatVersion: typeof PART_FORMAT_VERSION;
  /** The Brink version that played it: parts of different versions are not merged. */
  readonly brink: string;
  readonly seed: string;
  /** Runs of the whole batch (indices 0 … runs-1), of which this part holds `ranges`. */
  readonly runs: number;
  readonly engine: EngineName;
  /** Sorted, disjoint, non-adjacent ranges of run indices. */
  readonly ranges: readonly RunRange[];
}

/** A part of `brink run --runs N`. */
export interface BatchPart extends PartHead {
  readonly kind: 'batch';
  readonly scenario: PartScenario;
  readonly aggregate: AggregateJson;
  /** The invariant tally (null when the scenario declares no invariants). */
  readonly invariants: InvariantTallyData | null;
}

/** A part of `brink compare base variant…`. */
export interface ComparePart extends PartHead {
  readonly kind: 'compare';
  /** The base first, then the variants, in command-line order. */
  readonly scenarios: readonly PartScenario[];
  readonly base: AggregateJson;
  readonly paired: readonly PairedJson[];
}

/** A part of `brink sweep`: every point's runs `ranges`, with what rebuilds each point's scenario. */
export interface SweepPart extends PartHead {
  readonly kind: 'sweep';
  /** The base scenario. */
  readonly scenario: PartScenario;
  /** The variant files of a `variant` axis, by the axis value that names each. */
  readonly variants: Readonly<Record<string, PartScenario>>;
  /** The axes, resolved (plain data). */
  readonly axes: readonly Axis[];
  /** Each point: its axis values, the content hash of its scenario, and its aggregate. */
  readonly points: ReadonlyArray<{ readonly values: PointValues; readonly hash: string; readonly aggregate: AggregateJson }>;
}

export type Part = BatchPart | ComparePart | SweepPart;

/** sha256 of a resolved scenario's JSON, as `LoadedScenario.hash` states it. */
export function hashScenario(scenario: Scenario): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(scenario)).digest('hex')}`;
}

function isTypedArray(v: unknown): v is Uint32Array | Float64Array | Int32Array | Uint8Array | Uint16Array {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/** An aggregate as JSON. Deterministic: signatures are sorted, so the bytes do not depend on run order. */
export function toAggregateJson(data: AggregateData): AggregateJson {
  const arrays: Record<string, number[]> = {};
  for (const [key, value] of Object.entries(data)) {
    if (key === 'runs' || key === 'signatures' || key === 'outcomeFirst') continue;
    if (!isTypedArray(value)) throw new Error(`toAggregateJson: field ${key} is not a typed array; teach part.ts to write it`);
    arrays[key] = Array.from(value);
  }
  const signatures = [...data.signatures]
    .map(([sig, t]) => [sig, t.count, t.index, t.seed] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const json = { runs: data.runs, arrays, signatures };
  if (data.outcomeFirst.length === 0) return json;
  return { ...json, outcomeFirst: data.outcomeFirst.map((f) => (f === null ? null : ([f.index, f.seed] as const))) };
}

/**
 * Reads an aggregate of `model` back from JSON; throws a message (not a bug) when its shape does not
 * fit the model (which a verified scenario hash makes impossible short of editing the file).
 */
export function fromAggregateJson(model: Model, json: AggregateJson): AggregateData {
  const template = new BatchAggregate(model).toData() as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { runs: json.runs };
  for (const [key, value] of Object.entries(template)) {
    if (key === 'runs' || key === 'signatures' || key === 'outcomeFirst') continue;
    if (!isTypedArray(value)) throw new Error(`fromAggregateJson: field ${key} is not a typed array`);
    const got = json.arrays[key];
    if (got === undefined || got.length !== value.length) {
      throw new PartShapeError(`aggregate.${key}: expected ${value.length} numbers, found ${got === undefined ? 'none' : got.length}`);
    }
    const Ctor = value.constructor as new (values: readonly number[]) => typeof value;
    out[key] = new Ctor(got);
  }
  for (const key of Object.keys(json.arrays)) if (!(key in template)) throw new PartShapeError(`aggregate.${key}: not part of this version's aggregate`);
  const firsts = json.outcomeFirst ?? [];
  if (firsts.length !== model.outcomes.length) throw new PartShapeError(`aggregate.outcomeFirst: expected ${model.outcomes.length} outcomes, found ${firsts.length}`);
  out.outcomeFirst = firsts.map((f) => (f === null ? null : { index: f[0], seed: f[1] }));
  out.signatures = json.signatures.map(([sig, count, index, seed]): [string, SignatureTally] => [sig, { count, index, seed }]);
  return out as unknown as AggregateData;
}

function toPairedJson(data: PairedAggregateData): PairedJson {
  const json = { runs: data.runs, peakCells: Array.from(data.peakCells), ruleCells: Array.from(data.ruleCells), variant: toAggregateJson(data.variant) };
  return data.outcomeCells.length === 0 ? json : { ...json, outcomeCells: Array.from(data.outcomeCells) };
}

/** Reads a paired aggregate of `base` and `variant` back from JSON. */
export function fromPairedJson(base: Model, variant: Model, json: PairedJson): PairedAggregateData {
  const template = new PairedAggregate(base, variant);
  const outcomeCells = json.outcomeCells ?? [];
  if (json.peakCells.length !== template.peakCells.length || json.ruleCells.length !== template.ruleCells.length || outcomeCells.length !== template.outcomeCells.length) {
    throw new PartShapeError(
      `paired aggregate: expected ${template.peakCells.length} + ${template.ruleCells.length} + ${template.outcomeCells.length} cells, found ${json.peakCells.length} + ${json.ruleCells.length} + ${outcomeCells.length}`,
    );
  }
  return {
    runs: json.runs,
    peakCells: Uint32Array.from(json.peakCells),
    ruleCells: Uint32Array.from(json.ruleCells),
    outcomeCells: Uint32Array.from(outcomeCells),
    variant: fromAggregateJson(variant, json.variant),
  };
}

/** A part whose aggregate does not fit its own scenario. */
export class PartShapeError extends Error {}

/** What identifies a played scenario in a part. */
export interface PartScenarioInput {
  readonly model: Model;
  readonly hash: string;
  readonly files: readonly string[];
  readonly label?: string;
}

function partScenario(s: PartScenarioInput): PartScenario {
  return { hash: s.hash, files: [...s.files], label: s.label ?? null, scenario: s.model.scenario };
}

function head(input: { readonly seed: string; readonly runs: number; readonly engine: EngineName; readonly from: number; readonly played: number }): PartHead {
  return {
    format: PART_FORMAT,
    formatVersion: PART_FORMAT_VERSION,
    brink: VERSION,
    seed: input.seed,
    runs: input.runs,
    engine: input.engine,
    ranges: input.played === 0 ? [] : [[input.from, input.from + input.played]],
  };
}

/** The part of a batch: runs `from … from+played-1` of a batch of `runs`. */
export function toBatchPart(
  scenario: PartScenarioInput,
  input: { readonly seed: string; readonly runs: number; readonly engine: EngineName; readonly from: number; readonly played: number },
  aggregate: AggregateData,
  invariants: InvariantTallyData | undefined,
): BatchPart {
  return { ...head(input), kind: 'batch', scenario: partScenario(scenario), aggregate: toAggregateJson(aggregate), invariants: invariants ?? null };
}

/** The part of a comparison: run indices `from … from+played-1` of `runs`. */
export function toComparePart(
  scenarios: readonly [PartScenarioInput, ...PartScenarioInput[]],
  input: { readonly seed: string; readonly runs: number; readonly engine: EngineName; readonly from: number; readonly played: number },
  base: AggregateData,
  paired: readonly PairedAggregateData[],
): ComparePart {
  return { ...head(input), kind: 'compare', scenarios: scenarios.map(partScenario), base: toAggregateJson(base), paired: paired.map(toPairedJson) };
}

/** The part of a sweep: runs `from … from+played-1` of every point. */
export function toSweepPart(
  base: PartScenarioInput,
  variants: ReadonlyMap<string, PartScenarioInput>,
  axes: readonly Axis[],
  input: { readonly seed: string; readonly runs: number; readonly engine: EngineName; readonly from: number; readonly played: number },
  points: ReadonlyArray<{ readonly values: PointValues; readonly hash: string; readonly aggregate: AggregateData }>,
): SweepPart {
  return {
    ...head(input),
    kind: 'sweep',
    scenario: partScenario(base),
    variants: Object.fromEntries([...variants].map(([k, v]) => [k, partScenario(v)])),
    axes,
    points: points.map((p) => ({ values: p.values, hash: p.hash, aggregate: toAggregateJson(p.aggregate) })),
  };
}

/** A part as text: one JSON document and a newline. */
export function renderPart(part: Part): string {
  return `${JSON.stringify(part)}\n`;
}

const Count = z.number().int().nonnegative();
const AggregateSchema = z.strictObject({
  runs: Count,
  arrays: z.record(z.string(), z.array(z.number().nonnegative())),
  signatures: z.array(z.tuple([z.string(), Count, Count, z.string()])),
  outcomeFirst: z.array(z.tuple([Count, z.string()]).nullable()).optional(),
});
const ScenarioSchema = z.strictObject({
  hash: z.string(),
  files: z.array(z.string()),
  label: z.string().nullable(),
  scenario: z.record(z.string(), z.unknown()),
});
const HeadShape = {
  format: z.literal(PART_FORMAT),
  formatVersion: z.number().int(),
  brink: z.string(),
  seed: z.string().min(1),
  runs: z.number().int().positive(),
  engine: z.enum(['compiled', 'reference']),
  ranges: z.array(z.tuple([Count, Count])),
};
const InvariantsSchema = z.strictObject({
  runs: Count,
  invariants: z.array(
    z.strictObject({
      id: z.string(),
      kind: z.enum(['never', 'precedes', 'always']),
      text: z.string(),
      description: z.string().nullable(),
      violations: Count,
      first: z.strictObject({ index: Count, seed: z.string(), turn: Count, message: z.string() }).nullable(),
    }),
  ),
});
const AxisSchema = z.strictObject({
  name: z.string(),
  target: z.union([
    z.strictObject({ kind: z.literal('variant') }),
    z.strictObject({ kind: z.literal('paths'), paths: z.array(z.array(z.union([z.string(), z.number()]))), probability: z.boolean() }),
  ]),
  spec: z.union([
    z.strictObject({ kind: z.literal('list'), values: z.array(z.union([z.number(), z.string()])) }),
    z.strictObject({ kind: z.literal('range'), from: z.number(), to: z.number(), steps: z.number() }),
  ]),
});
const PartSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...HeadShape, kind: z.literal('batch'), scenario: ScenarioSchema, aggregate: AggregateSchema, invariants: InvariantsSchema.nullable() }),
  z.strictObject({
    ...HeadShape,
    kind: z.literal('compare'),
    scenarios: z.array(ScenarioSchema).min(2),
    base: AggregateSchema,
    paired: z.array(z.strictObject({ runs: Count, peakCells: z.array(Count), ruleCells: z.array(Count), outcomeCells: z.array(Count).optional(), variant: AggregateSchema })),
  }),
  z.strictObject({
    ...HeadShape,
    kind: z.literal('sweep'),
    scenario: ScenarioSchema,
    variants: z.record(z.string(), ScenarioSchema),
    axes: z.array(AxisSchema).min(1),
    points: z.array(z.strictObject({ values: z.array(z.union([z.number(), z.string()])), hash: z.string(), aggregate: AggregateSchema })).min(1),
  }),
]);

/** Reading a part: the part, or why it is not one (a message without the file name). */
export type ParsePartResult = { readonly ok: true; readonly part: Part } | { readonly ok: false; readonly message: string };

/**
 * Parses a part's text. Checks the layout, its format version, that each embedded scenario still has
 * its recorded hash, and that its ranges are sorted, disjoint and inside the batch. Pure.
 */
export function parsePart(text: string): ParsePartResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `not a Brink part: expected one JSON document (${(e as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || (value as { format?: unknown }).format !== PART_FORMAT) {
    return { ok: false, message: `not a Brink part: expected a JSON object with "format": "${PART_FORMAT}" (write one with brink run … --shard i/n)` };
  }
  const version = (value as { formatVersion?: unknown }).formatVersion;
  if (version !== PART_FORMAT_VERSION) {
    return { ok: false, message: `part format version ${JSON.stringify(version)}, but this Brink (${VERSION}) reads version ${PART_FORMAT_VERSION} only: merge it with the Brink that wrote it` };
  }
  const parsed = PartSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    return { ok: false, message: `not a valid Brink part: ${issue.path.join('.') || '(document)'}: ${issue.message}` };
  }
  const part = parsed.data as unknown as Part;
  for (const s of part.kind === 'batch' ? [part.scenario] : part.kind === 'compare' ? part.scenarios : [part.scenario, ...Object.values(part.variants)]) {
    if (hashScenario(s.scenario) !== s.hash) {
      return { ok: false, message: `the scenario recorded in the part (${s.files.join(', ') || s.label || 'unnamed'}) no longer matches its hash ${s.hash.slice(0, 19)}…: the file was edited or damaged` };
    }
  }
  if (part.kind === 'compare' && part.paired.length !== part.scenarios.length - 1) {
    return { ok: false, message: `not a valid Brink part: ${part.scenarios.length - 1} variants but ${part.paired.length} paired aggregates` };
  }
  let last = -1;
  for (const [from, to] of part.ranges) {
    if (!(from < to) || to > part.runs || from <= last) {
      return { ok: false, message: `not a valid Brink part: ranges must be sorted, disjoint and within 0–${part.runs}; found ${JSON.stringify(part.ranges)}` };
    }
    last = to;
  }
  return { ok: true, part };
}

/** How many runs the ranges hold. */
export function countRuns(ranges: readonly RunRange[]): number {
  return ranges.reduce((n, [from, to]) => n + to - from, 0);
}
