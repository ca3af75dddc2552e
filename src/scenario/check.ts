import { crossCheck } from './cross-check.ts';
import { lintScenario } from './lint.ts';
import { formatProblem, type Problem } from './problem.ts';
import { LIMITS, Scenario } from './schema.ts';
import { toSchemaMessages } from './zod-issues.ts';

const MAX_NESTING = 64;

/** The counts the format limits, each checked before the schema so an absurd document is refused fast. */
export const COUNT_LIMITS: ReadonlyArray<{ readonly path: readonly string[]; readonly limit: number; readonly name: keyof typeof LIMITS; readonly what: string }> = [
  { path: ['actors'], limit: LIMITS.actors, name: 'actors', what: 'actors' },
  { path: ['events'], limit: LIMITS.eventTypes, name: 'eventTypes', what: 'event types' },
  { path: ['variables'], limit: LIMITS.variables, name: 'variables', what: 'variables' },
  { path: ['shocks'], limit: LIMITS.shocks, name: 'shocks', what: 'shocks' },
  { path: ['script'], limit: LIMITS.injects, name: 'injects', what: 'scripted injects' },
];

/** A problem before it is placed in a file: `atKey` says whether it points at a key or its value. */
export type UnplacedProblem = Omit<Problem, 'file' | 'line' | 'column'> & { readonly atKey: boolean };

export type CheckResult = { ok: true; scenario: Scenario; warnings: UnplacedProblem[] } | { ok: false; problems: UnplacedProblem[] };

/** Scenarios that passed `checkScenarioValue`: `buildModel` trusts them without checking again. */
const checked = new WeakSet<object>();

/**
 * Checks a document against the whole format: nesting, the declared counts (LIMITS), the schema and
 * every cross-reference. Pure; every problem at once, none thrown.
 */
export function checkScenarioValue(value: unknown): CheckResult {
  const deep = findTooDeep(value);
  if (deep !== undefined) return fail('scenario/too_deep', deep, `expected at most ${MAX_NESTING} levels of nesting`);
  const counts: UnplacedProblem[] = [];
  for (const c of COUNT_LIMITS) {
    const at = c.path.reduce<unknown>((v, k) => (isObject(v) && Object.hasOwn(v, k) ? v[k] : undefined), value);
    const n = isObject(at) ? Object.keys(at).length : 0;
    if (n > c.limit)
      counts.push({ code: 'scenario/too_many', severity: 'error', path: [...c.path], atKey: true, message: `expected at most ${c.limit.toLocaleString('en')} ${c.what} (limit ${c.name}); found ${n.toLocaleString('en')}` });
  }
  if (counts.length > 0) return { ok: false, problems: counts };
  const result = Scenario.safeParse(value, { reportInput: false });
  if (!result.success) {
    const messages = toSchemaMessages(Scenario, result.error.issues, value);
    const problems: UnplacedProblem[] = messages.map((m) => ({ code: 'scenario/schema', severity: 'error', path: m.path, message: m.message, atKey: m.atKey }));
    // Cross-references are checked on the invalid document too, so that every problem shows at once;
    // those under a path the schema already rejected are left out.
    for (const p of tolerantCrossCheck(value)) {
      const overlaps = messages.some((m) => isPrefix(m.path, p.path) || isPrefix(p.path, m.path));
      if (!overlaps) problems.push({ ...p, atKey: false });
    }
    return { ok: false, problems };
  }
  const crossed = crossCheck(result.data);
  const lints = crossed.some((p) => p.severity === 'error') ? [] : lintScenario(result.data);
  const found = [...crossed, ...lints].map((p) => ({ ...p, atKey: false }));
  if (found.some((p) => p.severity === 'error')) return { ok: false, problems: found };
  checked.add(result.data);
  return { ok: true, scenario: result.data, warnings: found };
}

/** Problems found by `checkedScenario`, as one error whose message lists them. */
export class ScenarioError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    const shown = problems.slice(0, 10).map((p) => `  ${formatProblem(p)}`);
    const more = problems.length > 10 ? [`  … and ${problems.length - 10} more`] : [];
    super(['the scenario is not valid (load it with loadScenario or parseScenarioText to see each problem with its line):', ...shown, ...more].join('\n'));
    this.name = 'ScenarioError';
  }
}

/**
 * The scenario itself when it passed the loader's checks, else after checking it now. Throws a
 * ScenarioError listing the problems, or a TypeError when it is not an object at all.
 */
export function checkedScenario(s: Scenario): Scenario {
  if (s === null || typeof s !== 'object') throw new TypeError(`buildModel: expected a scenario object; found ${s === null ? 'null' : typeof s}`);
  if (checked.has(s)) return s;
  const r = checkScenarioValue(s);
  if (!r.ok) throw new ScenarioError(r.problems.filter((p) => p.severity === 'error').map(({ atKey: _, ...p }) => p));
  checked.add(s);
  return s;
}

function fail(code: string, path: Array<string | number>, message: string): CheckResult {
  return { ok: false, problems: [{ code, severity: 'error', path, message, atKey: false }] };
}

function findTooDeep(value: unknown): Array<string | number> | undefined {
  const stack: Array<{ v: unknown; path: Array<string | number> }> = [{ v: value, path: [] }];
  // Shared objects (YAML aliases, a hand-built DAG) are walked again only from a deeper place; a cycle
  // is refused as too deep.
  const deepest = new Map<object, number>();
  while (stack.length > 0) {
    const { v, path } = stack.pop() as { v: unknown; path: Array<string | number> };
    if (v === null || typeof v !== 'object') continue;
    if (path.length > MAX_NESTING) return path;
    if ((deepest.get(v) ?? -1) >= path.length) continue;
    deepest.set(v, path.length);
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, path: [...path, i] }));
    else for (const [k, x] of Object.entries(v)) stack.push({ v: x, path: [...path, k] });
  }
  return undefined;
}

function tolerantCrossCheck(value: unknown): Problem[] {
  try {
    return crossCheck(value as Scenario);
  } catch {
    return [];
  }
}

function isPrefix(a: ReadonlyArray<string | number>, b: ReadonlyArray<string | number>): boolean {
  return a.length <= b.length && a.every((seg, i) => String(seg) === String(b[i]));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
