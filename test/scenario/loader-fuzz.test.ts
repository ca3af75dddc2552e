import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { ReferenceKernel } from '../../src/engine/reference-kernel.ts';
import { EngineError, runOnce } from '../../src/engine/run.ts';
import { buildModel } from '../../src/model/build-model.ts';
import { type LoadResult, loadScenarioFile, parseScenarioText } from '../../src/scenario/load.ts';
import { stringify } from 'yaml';

const DUEL = readFileSync('test/fixtures/valid/duel.yaml', 'utf8');
const DUEL_VALUE = parseScenarioText(DUEL).ok ? (await import('yaml')).parse(DUEL) : undefined;

/** The loader's contract on any input: a result, never an exception; every problem located and worded. */
function assertHarmless(r: LoadResult): void {
  if (r.ok) {
    // A document that passes every check must also run (or stop with an engine error naming its seed).
    const model = buildModel(r.scenario);
    try {
      runOnce(model, new ReferenceKernel(model), 'fuzz');
    } catch (e) {
      expect(e).toBeInstanceOf(EngineError);
    }
    return;
  }
  expect(r.problems.length).toBeGreaterThan(0);
  for (const p of r.problems) {
    expect(p.message.length).toBeGreaterThan(0);
    expect(p.file).toBeDefined();
    expect(p.code).toMatch(/^scenario\/[a-z_]+$/);
  }
}

/** Random edits to a text: delete, insert or duplicate a slice, or swap two lines. */
const textMutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.nat({ max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(':', '- ', '{', '[', '&a', '*a', '!!binary', '\t', '\n  ', '"', '#')) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.nat({ max: 80 }) }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
);
type TextMutation = typeof textMutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, m: TextMutation): string {
  const at = (n: number) => n % (text.length + 1);
  switch (m.kind) {
    case 'delete':
      return text.slice(0, at(m.at)) + text.slice(at(m.at) + m.length);
    case 'insert':
      return text.slice(0, at(m.at)) + m.text + text.slice(at(m.at));
    case 'duplicate':
      return text.slice(0, at(m.at) + m.length) + text.slice(at(m.at), at(m.at) + m.length) + text.slice(at(m.at) + m.length);
    case 'swap': {
      const lines = text.split('\n');
      const i = m.a % lines.length;
      const j = m.b % lines.length;
      [lines[i], lines[j]] = [lines[j] as string, lines[i] as string];
      return lines.join('\n');
    }
  }
}

/** Paths into the valid document, for replacing a value with something random. */
function paths(value: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  out.push(prefix);
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  }
  return out;
}
const DUEL_PATHS = paths(DUEL_VALUE);

function replaceAt(value: unknown, path: readonly string[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string, ...string[]];
  const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as unknown as Record<string, unknown>) : { ...(value as Record<string, unknown>) };
  copy[head] = replaceAt(copy[head], rest, replacement);
  return copy;
}

describe('the loader is harmless on any input', () => {
  test.prop([fc.array(textMutation, { minLength: 1, maxLength: 6 })], { numRuns: 1500 })('mutated YAML text', (mutations) => {
    const text = mutations.reduce(mutate, DUEL);
    assertHarmless(parseScenarioText(text, 'mutated.yaml'));
  });

  test.prop([fc.nat(), fc.jsonValue({ maxDepth: 4 })], { numRuns: 1500 })('a random value at a random place', (i, replacement) => {
    const path = DUEL_PATHS[i % DUEL_PATHS.length] as string[];
    const doc = replaceAt(DUEL_VALUE, path, replacement);
    assertHarmless(parseScenarioText(stringify(doc), 'replaced.yaml'));
    assertHarmless(parseScenarioText(JSON.stringify(doc), 'replaced.json'));
  });

  test.prop([fc.oneof(fc.string({ maxLength: 400 }), fc.jsonValue().map((v) => JSON.stringify(v)))], { numRuns: 1000 })(
    'random documents',
    (text) => {
      assertHarmless(parseScenarioText(text, 'random.yaml'));
    },
  );

  test('deep nesting is refused, not a stack overflow', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    assertHarmless(parseScenarioText(deep, 'deep.yaml'));
    let nested = '{ turn: { gte: 1 } }';
    for (let i = 0; i < 3000; i++) nested = `{ not: ${nested} }`;
    const r = parseScenarioText(DUEL.replace("when: { event: { field: from, eq: B } }", `when: ${nested}`), 'nested.yaml');
    expect(r.ok).toBe(false);
  });

  test('a 50 MB file is refused without being parsed', () => {
    const big = `version: 1\n# ${'x'.repeat(50 * 1024 * 1024)}\n`;
    const r = loadScenarioFile('big.yaml', { readFile: () => big });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]?.message).toBe('expected a scenario file of at most 5.0 MiB; found 50.0 MiB');
  });

  test('a missing file is a problem, not an exception', () => {
    const r = loadScenarioFile('test/fixtures/no-such-file.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]?.message).toBe('cannot read scenario: no such file');
  });
});
