import { fc, test } from '@fast-check/vitest';
import { produce } from 'immer';
import { describe, expect } from 'vitest';
import { InvariantTally } from '../../src/analysis/invariants.ts';
import { deriveMeta, summarizeBatch } from '../../src/analysis/summary.ts';
import { playComparison, summarizeComparison } from '../../src/batch/compare.ts';
import { mergeParts, missingRanges, type NamedPart, toMergedBatch, toMergedComparison } from '../../src/batch/merge-parts.ts';
import { hashScenario, type Part, parsePart, renderPart, toBatchPart, toComparePart } from '../../src/batch/part.ts';
import { buildModel } from '../../src/model/build-model.ts';
import { playBatch } from '../../src/batch/play-batch.ts';
import { renderComparisonJson } from '../../src/report/comparison.ts';
import { renderJson } from '../../src/report/json.ts';
import { renderBatchText } from '../../src/report/text.ts';
import { loadValid } from '../helpers.ts';

// Invariants and outcomes (issue 12): both must survive a part's round trip.
const duel = loadValid('test/fixtures/valid/duel-outcomes.yaml');
const noSpark = loadValid('scenarios/variants/no-spark.yaml');
const flagship = loadValid('scenarios/russia-dprk-2024.yaml');
const SEED = 'm';

/** Plays runs `from … from+count-1` of a batch of `runs` and writes its part as text, then reads it back. */
async function batchPart(runs: number, from: number, count: number, name: string): Promise<NamedPart> {
  const played = await playBatch(duel.model, { runs: count, from, seed: SEED, invariants: true });
  const part = toBatchPart(duel, { seed: SEED, runs, engine: played.engine, from, played: played.runs }, played.aggregate.toData(), played.invariants?.toData());
  return { name, part: reread(part) };
}

function reread(part: Part): Part {
  const r = parsePart(renderPart(part));
  if (!r.ok) throw new Error(r.message);
  return r.part;
}

/** The report a merged batch part gives, as JSON and text. */
function report(part: Part): string {
  if (part.kind !== 'batch') throw new Error('expected a batch part');
  expect(missingRanges(part)).toEqual([]);
  const m = toMergedBatch(part);
  const meta = deriveMeta(m.model, { hash: m.scenario.hash, files: m.scenario.files, seed: part.seed, runs: part.runs, engine: part.engine });
  const summary = { ...summarizeBatch(m.model, m.aggregate, meta), invariants: (m.invariants ?? new InvariantTally(m.model)).toData() };
  return renderJson(summary) + renderBatchText(summary);
}

async function unsharded(runs: number): Promise<string> {
  const played = await playBatch(duel.model, { runs, seed: SEED, invariants: true });
  const meta = deriveMeta(duel.model, { hash: duel.hash, files: duel.files, seed: SEED, runs, engine: played.engine });
  const summary = { ...summarizeBatch(duel.model, played.aggregate, meta), invariants: (played.invariants as InvariantTally).toData() };
  return renderJson(summary) + renderBatchText(summary);
}

/** Cut points splitting 0 … runs-1 into shards of any sizes (empty ones too), in a shuffled order. */
const split = fc
  .integer({ min: 2, max: 160 })
  .chain((runs) =>
    fc.record({
      runs: fc.constant(runs),
      cuts: fc.uniqueArray(fc.integer({ min: 0, max: runs }), { maxLength: 6 }).map((c) => [...c].sort((a, b) => a - b)),
      order: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
      groups: fc.array(fc.nat({ max: 2 }), { minLength: 8, maxLength: 8 }),
    }),
  );

function shuffle<T>(list: readonly T[], keys: readonly number[]): T[] {
  return list.map((x, i) => [x, keys[i] ?? 0, i] as const).sort((a, b) => a[1] - b[1] || a[2] - b[2]).map(([x]) => x);
}

function merged(parts: readonly NamedPart[]): Part {
  const r = mergeParts(parts);
  if (!r.ok) throw new Error(r.message);
  return reread(r.part);
}

describe('merge laws', () => {
  test.prop([split], { numRuns: 12 })('any split into shards of any sizes, merged in any order, gives the unsharded report; merging is associative', async ({ runs, cuts, order, groups }) => {
    const bounds = [0, ...cuts, runs];
    const parts: NamedPart[] = [];
    for (let i = 0; i + 1 < bounds.length; i++) {
      const from = bounds[i] as number;
      parts.push(await batchPart(runs, from, (bounds[i + 1] as number) - from, `part${i}`));
    }
    const expected = await unsharded(runs);
    const flat = merged(shuffle(parts, order));
    expect(report(flat)).toBe(expected);
    // Merge some groups first, then the merged parts: the same part, the same report.
    const byGroup = [0, 1, 2].map((g) => parts.filter((_, i) => groups[i] === g)).filter((g) => g.length > 0);
    const twice = merged(byGroup.map((g, i) => ({ name: `group${i}`, part: merged(g) })));
    expect(renderPart(twice)).toBe(renderPart(flat));
    expect(report(twice)).toBe(expected);
  });

  test('a comparison split into three shards merges into the unsharded comparison', async () => {
    const runs = 240;
    const scenarios = [
      { ...flagship, label: 'base.yaml' },
      { ...noSpark, label: 'no-spark.yaml' },
    ] as const;
    const shard = async (from: number, count: number, name: string): Promise<NamedPart> => {
      const p = await playComparison(flagship.model, [noSpark.model], { runs: count, from, seed: SEED });
      return { name, part: reread(toComparePart(scenarios, { seed: SEED, runs, engine: p.engine, from, played: p.runs }, p.base.toData(), p.paired.map((x) => x.toData()))) };
    };
    const parts = [await shard(170, 70, 'c'), await shard(0, 80, 'a'), await shard(80, 90, 'b')];
    const part = merged(parts);
    if (part.kind !== 'compare') throw new Error('expected a comparison part');
    const m = toMergedComparison(part);
    const got = summarizeComparison({ ...scenarios[0], model: m.models[0] }, m.base, [{ ...scenarios[1], model: m.models[1] as typeof m.models[0] }], m.paired, { runs, seed: SEED, engine: 'compiled', stopped: false });
    const whole = await playComparison(flagship.model, [noSpark.model], { runs, seed: SEED });
    const want = summarizeComparison(scenarios[0], whole.base, [scenarios[1]], whole.paired, { runs, seed: SEED, engine: 'compiled', stopped: false });
    expect(renderComparisonJson(got)).toBe(renderComparisonJson(want));
  });
});

describe('outcomes in compare parts (issue 12)', () => {
  test('a comparison with outcomes split into two shards merges into the unsharded comparison', async () => {
    const runs = 120;
    const calmScenario = produce(duel.scenario, (d) => {
      delete d.shocks;
    });
    const calm = { model: buildModel(calmScenario), hash: hashScenario(calmScenario), files: [] as string[], label: 'calm' };
    const scenarios = [{ ...duel, label: 'duel-outcomes.yaml' }, calm] as const;
    const shard = async (from: number, count: number, name: string): Promise<NamedPart> => {
      const p = await playComparison(duel.model, [calm.model], { runs: count, from, seed: SEED });
      return { name, part: reread(toComparePart(scenarios, { seed: SEED, runs, engine: p.engine, from, played: p.runs }, p.base.toData(), p.paired.map((x) => x.toData()))) };
    };
    const part = merged([await shard(50, 70, 'b'), await shard(0, 50, 'a')]);
    if (part.kind !== 'compare') throw new Error('expected a comparison part');
    const m = toMergedComparison(part);
    const run = { runs, seed: SEED, engine: 'compiled', stopped: false } as const;
    const got = summarizeComparison({ ...scenarios[0], model: m.models[0] }, m.base, [{ ...calm, model: m.models[1] as typeof m.models[0] }], m.paired, run);
    const whole = await playComparison(duel.model, [calm.model], { runs, seed: SEED });
    const want = summarizeComparison(scenarios[0], whole.base, [calm], whole.paired, run);
    expect(got.variants[0]?.outcomes?.length).toBe(3);
    expect(renderComparisonJson(got)).toBe(renderComparisonJson(want));
  });
});

describe('parts that do not belong together', () => {
  test('each refusal names the parts and the reason', async () => {
    const a = await batchPart(100, 0, 50, 'a.json');
    const b = await batchPart(100, 50, 50, 'b.json');
    const message = (parts: NamedPart[]) => {
      const r = mergeParts(parts);
      return r.ok ? 'merged' : r.message;
    };
    const edit = (p: NamedPart, change: Record<string, unknown>): NamedPart => ({ name: 'x.json', part: { ...p.part, ...change } as Part });
    expect(message([a, b])).toBe('merged');
    expect(message([a, edit(b, { seed: 'other' })])).toMatchInlineSnapshot(`"x.json is a part of a different seed from a.json (other vs m): only parts of the same batch merge"`);
    expect(message([a, edit(b, { runs: 200 })])).toMatchInlineSnapshot(`"x.json is a part of a different batch size (--runs) from a.json (200 vs 100): only parts of the same batch merge"`);
    expect(message([a, edit(b, { brink: '9.9.9' })])).toMatchInlineSnapshot(`"x.json was written by Brink 9.9.9 and a.json by Brink 0.1.0: play every shard with the same version"`);
    expect(message([a, edit(b, { engine: 'reference' })])).toMatchInlineSnapshot(`"x.json is a part of a different engine from a.json (reference vs compiled): only parts of the same batch merge"`);
    if (b.part.kind !== 'batch') throw new Error('batch');
    expect(message([a, edit(b, { scenario: { ...b.part.scenario, hash: 'sha256:0123456789abcdef0123' } })])).toMatchInlineSnapshot(
      `"x.json is a part of a different scenario (content hash) from a.json (sha256:0123456789ab vs sha256:f2d475443bd4): only parts of the same batch merge"`,
    );
    expect(message([a, edit(b, { ranges: [[40, 100]] })])).toMatchInlineSnapshot(`"a.json and x.json both hold runs 40–49: each run must be in one part only"`);
    expect(message([a, a])).toMatchInlineSnapshot(`"a.json is given twice: each run must be in one part only"`);
    // Same version and scenario, but written by another build whose aggregate has another field (issue 17: a crash before).
    if (b.part.kind !== 'batch') throw new Error('batch');
    const otherBuild = edit(b, { aggregate: { ...b.part.aggregate, arrays: { ...b.part.aggregate.arrays, extra: [1, 2] } } });
    expect(message([a, otherBuild])).toMatch(/^the parts' aggregates differ in shape \(aggregates with different fields .*\): they were written by different builds of Brink 0\.1\.0; play every shard with the same build$/);
    const gap = mergeParts([a]);
    expect(gap.ok && missingRanges(gap.part)).toEqual([[50, 100]]);
  });

  test('a part that is not one, of another layout version, edited, or with bad ranges is refused', async () => {
    const { part } = await batchPart(100, 0, 50, 'a.json');
    const text = renderPart(part);
    const msg = (t: string) => {
      const r = parsePart(t);
      return r.ok ? 'ok' : r.message;
    };
    expect(msg(text)).toBe('ok');
    expect(msg('{"format":"brink-part"')).toMatch(/^not a Brink part: expected one JSON document/);
    expect(msg('[1,2]')).toMatchInlineSnapshot(`"not a Brink part: expected a JSON object with "format": "brink-part" (write one with brink run … --shard i/n)"`);
    expect(msg(text.replace('"formatVersion":1', '"formatVersion":2'))).toMatchInlineSnapshot(`"part format version 2, but this Brink (0.1.0) reads version 1 only: merge it with the Brink that wrote it"`);
    expect(msg(text.replace('"seed":"m"', '"seed":7'))).toMatchInlineSnapshot(`"not a valid Brink part: seed: Invalid input: expected string, received number"`);
    expect(msg(text.replace('"turns":12', '"turns":13'))).toBe(
      `the scenario recorded in the part (${duel.files.join(', ')}) no longer matches its hash ${duel.hash.slice(0, 19)}…: the file was edited or damaged`,
    );
    expect(msg(text.replace('"ranges":[[0,50]]', '"ranges":[[0,150]]'))).toMatchInlineSnapshot(`"not a valid Brink part: ranges must be sorted, disjoint and within 0–100; found [[0,150]]"`);
  });
});
