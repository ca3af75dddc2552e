/**
 * Issue 18: the engines over fuzzed documents, beside the loader's fuzz (loader-fuzz.test.ts). A
 * document the loader accepts must run on the XState reference, the compiled kernel's general
 * algorithm and the code generated for it with identical results, or stop with the same clean engine
 * error — never an internal error. (`initial: toString` passed the loader and crashed every engine.)
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { buildModel } from '../../src/model/build-model.ts';
import { parseScenarioText } from '../../src/scenario/load.ts';
import { assertEnginesAgree } from '../laws.ts';

const DUEL = parse(readFileSync('test/fixtures/valid/duel.yaml', 'utf8'));

/** Every path to a value in the document. */
function paths(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}
const PATHS = paths(DUEL).filter((p) => p.length > 0);

// Values a careless or hostile author puts where names and numbers go: the document's own names (so
// many mutants stay valid), names Object.prototype also has, edge numbers.
const NAMES = ['A', 'B', 'calm', 'alert', 'fighting', 'wary', 'PROTEST', 'DRILL', 'CLASH', 'TALKS', 'L0', 'L2', 'L4', 'north', 'tension', 'spark', 'toString', 'valueOf', 'constructor', 'hasOwnProperty', '$self', 'all'];
const value = fc.oneof(
  fc.constantFrom(...NAMES),
  fc.constantFrom(0, 1, 0.5, 1e-9, 0.999999, 2, 12, -1, 1200, 1201),
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.integer({ min: -5, max: 30 }),
  fc.constantFrom(null, true, [], {}, ['A'], ['B'], ['A', 'B'], 'all'),
  fc.record({ target: fc.constantFrom(...NAMES) }),
  fc.record({ emit: fc.record({ event: fc.constantFrom(...NAMES), to: fc.constantFrom(['A'], ['B'], 'all') }) }),
  fc.record({ not: fc.record({ state: fc.record({ actor: fc.constantFrom('A', 'B'), in: fc.constantFrom(...NAMES) }) }) }),
);

const STRINGS = PATHS.filter((p) => typeof p.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], DUEL) === 'string');

/**
 * A mutation: replace the value at a path, add a key beside it, put a name where a string was, or
 * rename a name everywhere it appears (keys and values alike, so the document often stays valid).
 */
const mutation = fc.oneof(
  fc.record({ path: fc.nat({ max: PATHS.length - 1 }), kind: fc.constantFrom('replace', 'add'), key: fc.constantFrom(...NAMES), value }),
  fc.record({ path: fc.nat({ max: STRINGS.length - 1 }), kind: fc.constant('name'), key: fc.constantFrom(...NAMES), value: fc.constant(null) }),
  fc.record({ path: fc.constant(0), kind: fc.constant('renameAll'), key: fc.constantFrom(...NAMES), value: fc.constantFrom(...NAMES) }),
);

function apply(doc: unknown, m: { path: number; kind: string; key: string; value: unknown }): unknown {
  if (m.kind === 'renameAll') return JSON.parse(JSON.stringify(doc).replaceAll(JSON.stringify(m.key), JSON.stringify(m.value)));
  if (m.kind === 'name') return setAt(doc, STRINGS[m.path] as Array<string | number>, m.key);
  const copy = structuredClone(doc);
  const path = PATHS[m.path] as Array<string | number>;
  let parent = copy as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) {
    const next = parent?.[seg];
    if (next === null || typeof next !== 'object') return copy;
    parent = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1] as string | number;
  if (m.kind === 'replace') parent[last] = structuredClone(m.value);
  else {
    const target = parent[last];
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, unknown>)[m.key] = structuredClone(m.value);
  }
  return copy;
}

function setAt(doc: unknown, path: ReadonlyArray<string | number>, v: unknown): unknown {
  const copy = structuredClone(doc);
  let parent = copy as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) {
    const next = parent[seg];
    if (next === null || typeof next !== 'object') return copy;
    parent = next as Record<string | number, unknown>;
  }
  parent[path[path.length - 1] as string | number] = v;
  return copy;
}

describe('the engines agree on any document the loader accepts', () => {
  test('fuzzed documents: identical runs or the same clean engine error on the reference, the general algorithm and the generated code', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.array(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 2 }), (ms, seeds) => {
        const doc = ms.reduce<unknown>(apply, DUEL);
        const r = parseScenarioText(JSON.stringify(doc), 'fuzz.json');
        if (!r.ok) return;
        accepted++;
        assertEnginesAgree(buildModel(r.scenario), seeds);
      }),
      { numRuns: 300 },
    );
    // The property says nothing unless many mutants get through the loader.
    expect(accepted).toBeGreaterThan(30);
  }, 120_000);
});
