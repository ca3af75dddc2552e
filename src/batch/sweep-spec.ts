/**
 * What a sweep varies: axes over shock and move probabilities, variables' initial values, any number
 * in the scenario by path, and variant files; a full grid, or random / Latin-hypercube samples of the
 * range axes. Pure: problems are data, and sampling draws from the engine's seeded source.
 */
import { parseDocument, LineCounter } from 'yaml';
import * as z from 'zod';
import { createRandom } from '../engine/rng.ts';
import { locate, type SourceFile } from '../scenario/positions.ts';
import type { Problem } from '../scenario/problem.ts';
import { parseScenarioText } from '../scenario/load.ts';
import type { Scenario } from '../scenario/schema.ts';
import { toSchemaMessages } from '../scenario/zod-issues.ts';

/** An axis's values: a list, or a range `from … to` cut into `steps` evenly spaced values (or sampled). */
export type AxisValues =
  | { readonly kind: 'list'; readonly values: readonly (number | string)[] }
  | { readonly kind: 'range'; readonly from: number; readonly to: number; readonly steps: number };

/** An axis as declared: a name (`shock.spark`, `move.A.protest`, `var.tension`, `variant`, or a dotted path) and its values. */
export interface AxisSpec {
  readonly name: string;
  readonly values: AxisValues;
}

export type SampleMethod = 'random' | 'lhs';

/** A whole sweep as declared on the command line or in a sweep file. */
export interface SweepSpec {
  readonly axes: readonly AxisSpec[];
  /** Instead of the grid of range axes: this many points, drawn at random or by Latin hypercube. */
  readonly sample?: { readonly method: SampleMethod; readonly points: number };
  readonly runs?: number;
  readonly seed?: string;
}

const Name = z.string().regex(/^(variant|[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*)$/, { error: 'expected an axis name such as shock.spark, move.A.protest, var.tension, variant or a path like limits.maxCascadeDepth' });
const Range = z.strictObject({ from: z.number(), to: z.number(), steps: z.number().int().min(2).max(1000).default(5) });
const SweepFile = z.strictObject({
  runs: z.number().int().min(1).max(100_000_000).optional(),
  seed: z.union([z.string().min(1).max(200), z.number().int()]).optional(),
  axes: z.record(Name, z.union([z.array(z.union([z.number(), z.string()])).min(1).max(1000), Range])),
  sample: z.strictObject({ method: z.enum(['random', 'lhs']), points: z.number().int().min(1).max(100_000) }).optional(),
});

/** Parses a sweep file's text (YAML or JSON): the spec, or every problem with its line and column. */
export function parseSweepFile(text: string, file: string): { readonly ok: true; readonly spec: SweepSpec } | { readonly ok: false; readonly problems: Problem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const src: SourceFile = { file, doc, lineCounter };
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        return { code: 'sweep/syntax', severity: 'error', path: [], message: e.message.split('\n')[0] ?? 'syntax error', file, line, column: col };
      }),
    };
  }
  const value: unknown = doc.toJS();
  const parsed = SweepFile.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      problems: toSchemaMessages(SweepFile as never, parsed.error.issues, value).map((m) => {
        const pos = locate(src, m.path, m.atKey);
        return { code: 'sweep/schema', severity: 'error', path: m.path, message: m.message, file, ...(pos === undefined ? {} : { line: pos.line, column: pos.column }) };
      }),
    };
  }
  const d = parsed.data;
  const axes = Object.entries(d.axes).map(([name, v]): AxisSpec => ({ name, values: Array.isArray(v) ? { kind: 'list', values: v } : { kind: 'range', ...v } }));
  return {
    ok: true,
    spec: { axes, ...(d.sample === undefined ? {} : { sample: d.sample }), ...(d.runs === undefined ? {} : { runs: d.runs }), ...(d.seed === undefined ? {} : { seed: String(d.seed) }) },
  };
}

/**
 * Parses `--axis NAME=VALUES`: `shock.spark=0,0.01,0.05` (a list), `move.A.protest=0.1..0.5:5` (5 values
 * from 0.1 to 0.5), `variant=a.yaml,b.yaml`. Returns the axis or a message.
 */
export function parseAxisArg(arg: string): AxisSpec | string {
  const eq = arg.indexOf('=');
  if (eq <= 0) return `expected NAME=VALUES (e.g. shock.spark=0,0.01,0.05 or move.A.protest=0.1..0.5:5); found "${arg}"`;
  const name = arg.slice(0, eq);
  const rest = arg.slice(eq + 1);
  if (!Name.safeParse(name).success) return `"${name}" is not an axis name: use shock.<id>, move.<actor>.<move>, var.<name>, variant, or a dotted path`;
  const range = /^(-?[\d.]+(?:e-?\d+)?)\.\.(-?[\d.]+(?:e-?\d+)?)(?::(\d+))?$/.exec(rest);
  if (range !== null) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    const steps = range[3] === undefined ? 5 : Number(range[3]);
    if (!Number.isFinite(from) || !Number.isFinite(to) || steps < 2 || steps > 1000) return `expected FROM..TO:STEPS with 2–1000 steps; found "${rest}"`;
    return { name, values: { kind: 'range', from, to, steps } };
  }
  const parts = rest.split(',').filter((p) => p !== '');
  if (parts.length === 0) return `axis ${name} has no values`;
  const values = name === 'variant' ? parts : parts.map(Number);
  if (values.some((v) => typeof v === 'number' && !Number.isFinite(v))) return `axis ${name}: expected numbers separated by commas; found "${rest}"`;
  return { name, values: { kind: 'list', values } };
}

/** How an axis changes a scenario: a resolved place in the document (or a variant file). */
export type AxisTarget =
  | { readonly kind: 'variant' }
  | { readonly kind: 'paths'; readonly paths: ReadonlyArray<ReadonlyArray<string | number>>; readonly probability: boolean };

/** A sweep axis resolved against the base scenario. */
export interface Axis {
  readonly name: string;
  readonly target: AxisTarget;
  readonly spec: AxisValues;
}

function get(obj: unknown, path: ReadonlyArray<string | number>): unknown {
  let node = obj;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[seg];
  }
  return node;
}

/** Every place a move with this id is declared in the actor's statechart. */
function movePaths(scenario: Scenario, actor: string, move: string): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  const walk = (node: unknown, path: Array<string | number>) => {
    if (node === null || typeof node !== 'object') return;
    const n = node as { moves?: Record<string, unknown>; states?: Record<string, unknown> };
    if (n.moves?.[move] !== undefined) out.push([...path, 'moves', move, 'probability']);
    for (const [k, v] of Object.entries(n.states ?? {})) walk(v, [...path, 'states', k]);
  };
  walk(get(scenario, ['actors', actor, 'statechart']), ['actors', actor, 'statechart']);
  return out;
}

/** Resolves an axis against the base scenario, or says why it names nothing. */
export function resolveAxis(scenario: Scenario, spec: AxisSpec): Axis | string {
  const { name } = spec;
  const numeric = () => {
    if (spec.values.kind === 'list' && spec.values.values.some((v) => typeof v !== 'number')) return `axis ${name}: expected numbers`;
    return undefined;
  };
  if (name === 'variant') {
    if (spec.values.kind !== 'list') return 'axis variant: expected a list of scenario files';
    return { name, target: { kind: 'variant' }, spec: spec.values };
  }
  const bad = numeric();
  if (bad !== undefined) return bad;
  const [head, ...rest] = name.split('.');
  let paths: Array<Array<string | number>>;
  let probability = false;
  if (head === 'shock' && rest.length === 1) {
    const known = Object.keys(scenario.shocks ?? {});
    if (!known.includes(rest[0] as string)) return `axis ${name}: no shock "${rest[0]}" (known: ${known.join(', ') || 'none'})`;
    paths = [['shocks', rest[0] as string, 'probability']];
    probability = true;
  } else if (head === 'move' && rest.length === 2) {
    const [actor, move] = rest as [string, string];
    if (scenario.actors[actor] === undefined) return `axis ${name}: no actor "${actor}" (known: ${Object.keys(scenario.actors).join(', ')})`;
    paths = movePaths(scenario, actor, move);
    if (paths.length === 0) return `axis ${name}: actor ${actor} declares no move "${move}"`;
    probability = true;
  } else if (head === 'var' && rest.length === 1) {
    const known = Object.keys(scenario.variables ?? {});
    if (!known.includes(rest[0] as string)) return `axis ${name}: no variable "${rest[0]}" (known: ${known.join(', ') || 'none'})`;
    paths = [['variables', rest[0] as string, 'initial']];
  } else {
    const path = name.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    if (typeof get(scenario, path) !== 'number') return `axis ${name}: expected shock.<id>, move.<actor>.<move>, var.<name>, variant, or the path of a number in the scenario; ${name} is not one`;
    paths = [path];
  }
  if (probability) {
    const values = spec.values.kind === 'list' ? (spec.values.values as number[]) : [spec.values.from, spec.values.to];
    if (values.some((v) => v < 0 || v > 1)) return `axis ${name}: a probability must be between 0 and 1; found ${values.find((v) => v < 0 || v > 1)}`;
  }
  return { name, target: { kind: 'paths', paths, probability }, spec: spec.values };
}

/** One point of a sweep: a value per axis, in axis order. */
export type PointValues = readonly (number | string)[];

function rangeValues(r: { from: number; to: number; steps: number }): number[] {
  return Array.from({ length: r.steps }, (_, i) => round(r.from + ((r.to - r.from) * i) / (r.steps - 1)));
}

/** Rounds away binary noise (0.1 + 0.2) so values print and hash as written. */
function round(x: number): number {
  return Number(x.toPrecision(12));
}

/**
 * The points of a sweep, in a fixed order: the grid of every axis's values (the first axis varies
 * slowest); with `sample`, the range axes are sampled jointly (`points` draws, uniform or Latin
 * hypercube, from the seeded source `seed`) and crossed with the grid of the list axes. Pure.
 */
export function derivePoints(axes: readonly Axis[], sample: SweepSpec['sample'], seed: string): PointValues[] {
  const listAxes = axes.map((a, i) => ({ a, i })).filter(({ a }) => sample === undefined || a.spec.kind === 'list');
  const rangeAxes = sample === undefined ? [] : axes.map((a, i) => ({ a, i })).filter(({ a }) => a.spec.kind === 'range');
  let grid: Array<Array<number | string>> = [[]];
  for (const { a } of listAxes) {
    const values = a.spec.kind === 'list' ? a.spec.values : rangeValues(a.spec);
    grid = grid.flatMap((g) => values.map((v) => [...g, v]));
  }
  let samples: number[][] = [[]];
  if (sample !== undefined && rangeAxes.length > 0) {
    const random = createRandom(`${seed}:sweep-sample`);
    const n = sample.points;
    const columns = rangeAxes.map(({ a }) => {
      const r = a.spec as { from: number; to: number };
      // Sampled values keep 4 significant digits: readable in reports, and still inside their strata but for a rounding at an edge.
      const keep = (x: number) => Number(x.toPrecision(4));
      if (sample.method === 'random') return Array.from({ length: n }, () => keep(r.from + (r.to - r.from) * random()));
      // Latin hypercube: one draw in each of n equal strata, the strata shuffled per axis (Fisher–Yates).
      const strata = Array.from({ length: n }, (_, k) => k);
      for (let k = n - 1; k > 0; k--) {
        const j = Math.floor(random() * (k + 1));
        [strata[k], strata[j]] = [strata[j] as number, strata[k] as number];
      }
      return strata.map((k) => keep(r.from + ((r.to - r.from) * (k + random())) / n));
    });
    samples = Array.from({ length: n }, (_, k) => columns.map((c) => c[k] as number));
  }
  const out: PointValues[] = [];
  for (const g of grid) {
    for (const s of samples) {
      const values: Array<number | string> = new Array(axes.length);
      listAxes.forEach(({ i }, k) => (values[i] = g[k] as number | string));
      rangeAxes.forEach(({ i }, k) => (values[i] = s[k] as number));
      out.push(values);
    }
  }
  return out;
}

/** The scenario of a point: the base (or the point's variant) with every numeric axis set. Pure (copies). */
export function applyPoint(base: Scenario, axes: readonly Axis[], values: PointValues): Scenario {
  const out = structuredClone(base) as Record<string, unknown>;
  axes.forEach((axis, i) => {
    if (axis.target.kind !== 'paths') return;
    for (const path of axis.target.paths) {
      const parent = get(out, path.slice(0, -1)) as Record<string | number, unknown>;
      parent[path[path.length - 1] as string | number] = values[i];
    }
  });
  return out as unknown as Scenario;
}

/**
 * A point's scenario, validated like a scenario file: the point's variant (or the base) with every
 * numeric axis set. `variants` maps a variant axis value (its file) to its resolved scenario. Pure.
 */
export function buildPointScenario(
  base: Scenario,
  variants: ReadonlyMap<string, Scenario>,
  axes: readonly Axis[],
  values: PointValues,
  name: string,
): { readonly ok: true; readonly scenario: Scenario } | { readonly ok: false; readonly problems: readonly Problem[] } {
  const v = axes.findIndex((a) => a.target.kind === 'variant');
  const start = v < 0 ? base : variants.get(String(values[v]));
  if (start === undefined) return { ok: false, problems: [{ code: 'sweep/unknown_variant', severity: 'error', path: [], message: `no scenario for variant ${String(values[v])}` }] };
  const checked = parseScenarioText(JSON.stringify(applyPoint(start, axes, values)), name);
  return checked.ok ? { ok: true, scenario: checked.scenario } : { ok: false, problems: checked.problems };
}
