// Issue #3: the flagship scenario (the June 2024 Russia–DPRK treaty) is sourced claim by claim, every
// rule in it can fire, every variant loads and runs, and the figures docs/flagship.md prints are the
// ones the model gives. The doc is parsed, not copied: change the model and this file tells you which
// line of the doc is now false.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { playBatch } from '../../src/batch/play-batch.ts';
import { type BatchSummary, deriveMeta, summarizeBatch } from '../../src/analysis/summary.ts';
import type { Model } from '../../src/model/types.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { formatProblem } from '../../src/scenario/problem.ts';
import { brink, loadValid, ROOT } from '../helpers.ts';

const FLAGSHIP = 'scenarios/russia-dprk-2024.yaml';
const VARIANT_DIR = 'scenarios/variants';
const DOC = 'docs/flagship.md';
const CLAIMS = Array.from({ length: 34 }, (_, i) => `C${i + 1}`);
/** The batch the doc reports: issue #3 fixes it at 10,000 runs, seed 1. */
const RUNS = 10_000;
const SEED = '1';
/** A rule listed as deliberately rare must be rare: fire in fewer than this share of the batch's runs. */
const RARE_SHARE = 0.01;
const HEAVY = 600_000;

const variantFiles = readdirSync(join(ROOT, VARIANT_DIR))
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((f) => `${VARIANT_DIR}/${f}`);
const idOf = (file: string) => (file.split('/').pop() as string).replace(/\.ya?ml$/, '');
const doc = readFileSync(join(ROOT, DOC), 'utf8');

/** The lines of a `## heading` section of the doc, up to the next `## ` heading. Fails if absent. */
function section(heading: string): string[] {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${heading}`);
  if (start < 0) throw new Error(`${DOC} has no "## ${heading}" section`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => l.startsWith('## '));
  return end < 0 ? rest : rest.slice(0, end);
}

/** `- ID: reason` items of a section (IDs optionally in backticks), as id → reason. */
function listed(heading: string, idPattern: RegExp): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of section(heading)) {
    const m = /^- `?([^`:\s]+(?::[^`\s]+)*)`?: (.+)$/.exec(line.trim());
    if (m === null) continue;
    const [, id, reason] = m as unknown as [string, string, string];
    if (!idPattern.test(id)) throw new Error(`${DOC} "## ${heading}": "${id}" is not an id of the expected form ${idPattern}`);
    if (out.has(id)) throw new Error(`${DOC} "## ${heading}": ${id} is listed twice`);
    out.set(id, reason.trim());
  }
  return out;
}

/** Every claim id named in a `source:` list anywhere in a parsed scenario document. */
function citedClaims(value: unknown, key?: string, into = new Set<string>()): Set<string> {
  if (key === 'source') {
    for (const id of Array.isArray(value) ? value : [value]) if (typeof id === 'string') into.add(id);
  } else if (Array.isArray(value)) {
    for (const v of value) citedClaims(v, undefined, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) citedClaims(v, k, into);
  }
  return into;
}

const pct = (p: number) => `${(p * 100).toFixed(2)}%`;
const pts = (d: number) => `${d > 0 ? '+' : d < 0 ? '-' : ''}${Math.abs(d * 100).toFixed(2)}`;

/** A played batch: its report data and each run's NEA peak (rung index, -1 = none), in run order. */
interface Played {
  readonly model: Model;
  readonly summary: BatchSummary;
  readonly neaPeaks: Int8Array;
}

async function play(file: string, runs: number): Promise<Played> {
  const { model, hash, files } = loadValid(join(ROOT, file));
  const rungIndex = new Map(model.rungs.map((r) => [r.id, r.index]));
  const neaPeaks = new Int8Array(runs).fill(-1);
  const batch = await playBatch(model, {
    runs,
    seed: SEED,
    engine: 'compiled',
    onRun: (line) => {
      const nea = line.theatres.NEA;
      neaPeaks[line.index] = nea === null || nea === undefined ? -1 : (rungIndex.get(nea) as number);
    },
  });
  expect(batch.runs).toBe(runs);
  const meta = deriveMeta(model, { hash, files, seed: SEED, runs, engine: batch.engine });
  return { model, summary: summarizeBatch(model, batch.aggregate, meta), neaPeaks };
}

/** P(NEA peak ≥ rung) as the doc prints it: count, and `p% [low–high]` (95% Wilson, two decimals). */
function exceedance(p: Played, rung: string): { count: number; text: string } {
  const nea = p.summary.peaks.find((s) => s.scope === 'NEA');
  const e = nea?.exceedance.find((x) => x.rung === rung);
  if (e === undefined) throw new Error(`no NEA exceedance for ${rung}`);
  return { count: e.count, text: `${pct(e.p)} [${(e.low * 100).toFixed(2)}–${(e.high * 100).toFixed(2)}]` };
}

/**
 * Variant − base in P(NEA peak ≥ rung) on common random numbers, with the 95% Wald interval for paired
 * proportions — computed here from the runs, independently of `brink compare`, as the doc prints it.
 */
function pairedDifference(base: Played, variant: Played, rung: string): string {
  const k = base.model.rungs.find((r) => r.id === rung)?.index as number;
  const n = base.neaPeaks.length;
  let b = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const inBase = (base.neaPeaks[i] as number) >= k;
    const inVariant = (variant.neaPeaks[i] as number) >= k;
    if (inBase && !inVariant) b++;
    if (inVariant && !inBase) c++;
  }
  const d = (c - b) / n;
  const half = (1.959963984540054 * Math.sqrt(Math.max(0, b + c - ((c - b) * (c - b)) / n))) / n;
  return `${pts(d)} [${pts(d - half)}, ${pts(d + half)}]`;
}

/** The effects table: rows whose first cell is a backticked scenario id, as id → cells. */
function effectsTable(): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of section('Variants: measured effects')) {
    if (!line.startsWith('|')) continue;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    const id = /^`([^`]+)`/.exec(cells[0] ?? '')?.[1];
    if (id !== undefined) rows.set(id, cells);
  }
  return rows;
}

let base: Played | undefined;
const baseBatch = async (): Promise<Played> => {
  base ??= await play(FLAGSHIP, RUNS);
  return base;
};

describe('flagship claims (issue #3): every claim C1–C34 is encoded or documented as left out', () => {
  const scenario = parse(readFileSync(join(ROOT, FLAGSHIP), 'utf8')) as { claims?: Record<string, unknown> };
  const cited = citedClaims(scenario);
  const leftOut = listed('Claims left out', /^C\d+$/);

  test('the scenario declares exactly the seed claims C1–C34', () => {
    expect(Object.keys(scenario.claims ?? {}).sort()).toEqual([...CLAIMS].sort());
  });

  test('each claim is either cited in a source: list or listed in docs/flagship.md with a reason, never both', () => {
    const missing = CLAIMS.filter((c) => !cited.has(c) && !leftOut.has(c));
    const both = CLAIMS.filter((c) => cited.has(c) && leftOut.has(c));
    const unknown = [...cited, ...leftOut.keys()].filter((c) => !CLAIMS.includes(c));
    expect({ missing, both, unknown }).toEqual({ missing: [], both: [], unknown: [] });
    for (const [id, reason] of leftOut) expect(reason.length, `${id} needs a reason`).toBeGreaterThan(10);
  });
});

describe('flagship variants (issue #3): each validates, extends the flagship, runs, and has its effect documented', () => {
  test('there are variants to check', () => {
    expect(variantFiles.length).toBeGreaterThan(0);
  });

  test.each([FLAGSHIP, ...variantFiles])('%s loads with no problems and no warnings', (file) => {
    const r = loadScenarioFile(join(ROOT, file));
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
    expect(r.warnings.map(formatProblem)).toEqual([]);
    if (file !== FLAGSHIP) expect(r.files.map((f) => resolve(f))).toContain(resolve(ROOT, FLAGSHIP));
  });

  test('`brink validate` prints no warning for the flagship and its variants', async () => {
    const r = await brink(['validate', FLAGSHIP, ...variantFiles]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual([FLAGSHIP, ...variantFiles].map((f) => `${f}: ok`));
  });

  test.each(variantFiles)('%s plays a 200-run batch and differs from the base', async (file) => {
    const v = await play(file, 200);
    expect(v.summary.meta.runs).toBe(200);
    expect(v.summary.meta.scenario.hash).not.toBe(loadValid(join(ROOT, FLAGSHIP)).hash);
  });

  test('docs/flagship.md has a row for the base and every variant', () => {
    const rows = effectsTable();
    expect([...rows.keys()].sort()).toEqual([idOf(FLAGSHIP), ...variantFiles.map(idOf)].sort());
  });
});

describe('flagship batch (issue #3): 10,000 runs at seed 1', () => {
  beforeAll(async () => {
    await baseBatch();
  }, HEAVY);

  test('every transition, move, shock, entry and inject fires at least once, or is documented as deliberately rare', async () => {
    const { summary, model } = await baseBatch();
    const rare = listed('Deliberately rare rules', /^(transition|move|shock|entry|inject):/);
    const ids = new Set(model.rules.map((r) => r.id));
    // silent: never fired and not listed; stale: listed but not in the model; notRare: listed but common.
    const silent = summary.rules.filter((r) => r.runs === 0 && !rare.has(r.id)).map((r) => r.id);
    const stale = [...rare.keys()].filter((id) => !ids.has(id));
    const notRare = summary.rules.filter((r) => rare.has(r.id) && r.share >= RARE_SHARE).map((r) => `${r.id} (${pct(r.share)})`);
    expect({ silent, stale, notRare }, `fix the rules or "## Deliberately rare rules" in ${DOC}`).toEqual({ silent: [], stale: [], notRare: [] });
  });

  test('the report the doc quotes is the one the model gives (version, content hash)', async () => {
    const { summary } = await baseBatch();
    const stale = `the scenario or Brink changed since ${DOC} was measured: re-run its commands and update it`;
    expect(doc.includes(`Brink ${summary.meta.version}`), stale).toBe(true);
    expect(doc.includes(summary.meta.scenario.hash), `${stale} (content hash now ${summary.meta.scenario.hash})`).toBe(true);
  });

  test('the marked P(NEA ≥ L7) line of docs/flagship.md is what the base gives', async () => {
    const line = doc.split('\n').find((l) => l.includes('<!-- figure: base P(NEA ≥ L7) -->'));
    if (line === undefined) throw new Error(`${DOC} has no line marked <!-- figure: base P(NEA ≥ L7) -->`);
    const m = /= (\d+\.\d+% \[\d+\.\d+–\d+\.\d+\])\*\* \((\d+) of 10,000 runs\)/.exec(line);
    if (m === null) throw new Error(`cannot read the figure from: ${line}`);
    const e = exceedance(await baseBatch(), 'L7');
    expect({ text: m[1], count: Number(m[2]) }).toEqual({ text: e.text, count: e.count });
  });

  test(
    'the effects table gives each scenario’s P(NEA ≥ L7) and P(NEA ≥ L9), and each variant’s paired difference from the base',
    async () => {
      const b = await baseBatch();
      const rows = effectsTable();
      for (const file of [FLAGSHIP, ...variantFiles]) {
        const id = idOf(file);
        const v = file === FLAGSHIP ? b : await play(file, RUNS);
        const l7 = exceedance(v, 'L7');
        const l9 = exceedance(v, 'L9');
        const diff7 = file === FLAGSHIP ? '—' : pairedDifference(b, v, 'L7');
        const diff9 = file === FLAGSHIP ? '—' : pairedDifference(b, v, 'L9');
        // | `id` | question | runs ≥ L7 | P(NEA ≥ L7) | paired difference | runs ≥ L9 | P(NEA ≥ L9) | paired difference |
        const cells = rows.get(id) ?? [];
        expect(cells.slice(2), `row ${id} of "## Variants: measured effects"`).toEqual([
          String(l7.count),
          l7.text,
          diff7,
          String(l9.count),
          l9.text,
          diff9,
        ]);
      }
    },
    HEAVY,
  );
});
