import type * as z from 'zod';
import { describeValue, knownList } from './problem.ts';
import { EXPRESSION_KINDS } from './schema.ts';

/** One schema problem, worded for a person, at a path of the document. */
export interface SchemaMessage {
  readonly path: Array<string | number>;
  readonly message: string;
  /** True when the position should be the key itself (an unknown key). */
  readonly atKey: boolean;
}

type AnySchema = z.core.$ZodType;

interface Def {
  type: string;
  shape?: Record<string, AnySchema>;
  innerType?: AnySchema;
  getter?: () => AnySchema;
  element?: AnySchema;
  valueType?: AnySchema;
  options?: AnySchema[];
  in?: AnySchema;
}

function defOf(schema: AnySchema): Def {
  return schema._zod.def as unknown as Def;
}

function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  for (let i = 0; i < 50; i++) {
    const def = defOf(s);
    if ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') && def.innerType) s = def.innerType;
    else if (def.type === 'lazy' && def.getter) s = def.getter();
    else if (def.type === 'pipe' && def.in) s = def.in;
    else break;
  }
  return s;
}

/** The schema that governs `path` of a value, following objects, records, arrays and unions. */
function schemaAt(root: AnySchema, path: ReadonlyArray<string | number>, value: unknown): AnySchema | undefined {
  let s: AnySchema | undefined = unwrap(root);
  let v: unknown = value;
  for (const seg of path) {
    if (s === undefined) return undefined;
    s = pickBranch(s, v);
    const def = defOf(s);
    v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined;
    if (def.type === 'object' && def.shape) s = def.shape[String(seg)];
    else if (def.type === 'record') s = def.valueType;
    else if (def.type === 'array') s = def.element;
    else return undefined;
    if (s !== undefined) s = unwrap(s);
  }
  return s === undefined ? undefined : pickBranch(s, v);
}

function pickBranch(schema: AnySchema, value: unknown): AnySchema {
  const def = defOf(schema);
  if (def.type !== 'union' || !def.options) return schema;
  const want = Array.isArray(value) ? 'array' : value !== null && typeof value === 'object' ? 'object' : undefined;
  for (const option of def.options) {
    const o = unwrap(option);
    const t = defOf(o).type;
    if (want === t || (want === 'object' && t === 'record')) return o;
  }
  return unwrap(def.options[0] as AnySchema);
}

function knownKeys(root: AnySchema, path: ReadonlyArray<string | number>, value: unknown): string[] {
  const s = schemaAt(root, path, value);
  if (s === undefined) return [];
  const def = defOf(s);
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function valueAt(value: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object (a mapping of keys to values)',
  array: 'a list',
  record: 'a mapping of names to values',
};

function expectedOfUnion(root: AnySchema, path: ReadonlyArray<string | number>, value: unknown): string {
  const s = schemaAt(root, path.slice(0, -1), value);
  const last = path[path.length - 1];
  let target: AnySchema | undefined;
  if (s !== undefined) {
    const def = defOf(s);
    if (def.type === 'object' && def.shape && last !== undefined) target = def.shape[String(last)];
    else if (def.type === 'record') target = def.valueType;
    else if (def.type === 'array') target = def.element;
  }
  if (path.length === 0) target = root;
  if (target === undefined) return 'a different value';
  const def = defOf(unwrap(target));
  if (def.type !== 'union' || !def.options) return 'a different value';
  return def.options
    .map((o) => {
      const od = defOf(unwrap(o)) as Def & { values?: unknown[] };
      if (od.type === 'literal' && od.values) return od.values.map((x) => JSON.stringify(x)).join(' or ');
      return TYPE_WORDS[od.type] ?? od.type;
    })
    .join(', or ');
}

function isSafeIntegerBound(issue: z.core.$ZodIssue): boolean {
  return (issue.code === 'too_big' || issue.code === 'too_small') && (issue as { origin?: string }).origin === 'int' && Math.abs(Number((issue as { maximum?: unknown; minimum?: unknown }).maximum ?? (issue as { minimum?: unknown }).minimum)) === Number.MAX_SAFE_INTEGER;
}

function samePath(a: readonly PropertyKey[], b: readonly PropertyKey[]): boolean {
  return a.length === b.length && a.every((seg, i) => seg === b[i]);
}

/**
 * The right form for common shape mistakes, as a hint after the message: a list where a pattern takes
 * `{ event: [A, B] }`, one name in brackets where a name is expected, a bare name where a list is, a
 * state name where a transition is. Empty when none applies.
 */
function shapeHint(path: ReadonlyArray<string | number>, found: unknown, expected: string): string {
  const last = path[path.length - 1];
  const names = Array.isArray(found) && found.length > 0 && found.every((x) => typeof x === 'string') ? (found as string[]) : undefined;
  if (names !== undefined && path[0] === 'invariants' && (last === 'first' || last === 'then' || last === 'never'))
    return ` — for any of several event types write { event: [${names.join(', ')}] }`;
  if (names !== undefined && names.length === 1 && expected.startsWith('a string')) return ` — write ${names[0]} without the brackets`;
  if (typeof found === 'string' && path[path.length - 2] === 'on') return ` — a transition is a mapping: write { target: ${found} }`;
  if (typeof found === 'string' && /\ba list\b/.test(expected)) return ` — write a list: [${found}]`;
  // Issue 12, item 4: expressions go only where a number may vary.
  const operator = found !== null && typeof found === 'object' && !Array.isArray(found) ? Object.keys(found).find((k) => (EXPRESSION_KINDS as readonly string[]).includes(k)) : undefined;
  if (operator !== undefined && (expected === 'a number' || expected === 'an integer'))
    return ` — only a constant is allowed here; expressions ({ ${operator}: … }) are allowed in probabilities, modifiers, set/add effect values and var/turn comparisons`;
  if (typeof found === 'string' && /^[A-Za-z][A-Za-z0-9_]*$/.test(found) && expected.startsWith('a number, or an object'))
    return ` — to read a variable write { var: ${found} }`;
  return '';
}

/** Turns zod issues into messages that say what was expected and what was found. */
export function toSchemaMessages(root: AnySchema, issues: readonly z.core.$ZodIssue[], value: unknown): SchemaMessage[] {
  const out: SchemaMessage[] = [];
  const seen = new Set<string>();
  const push = (m: SchemaMessage) => {
    const key = `${m.path.join('\u0000')}\u0001${m.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(m);
    }
  };
  const walk = (list: readonly z.core.$ZodIssue[], prefix: ReadonlyArray<string | number>) => {
    for (const issue of list) {
      // A whole number's own safe-integer bound says less than the field's real limit beside it.
      if (isSafeIntegerBound(issue) && list.some((o) => o !== issue && o.code === issue.code && !isSafeIntegerBound(o) && samePath(o.path, issue.path))) continue;
      const path = [...prefix, ...(issue.path as Array<string | number>)];
      const found = valueAt(value, path);
      switch (issue.code) {
        case 'invalid_type': {
          const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
          push({ path, atKey: false, message: found === undefined ? `missing: expected ${expected}` : `expected ${expected}, found ${describeValue(found)}${shapeHint(path, found, expected)}` });
          break;
        }
        case 'unrecognized_keys': {
          const known = knownKeys(root, path, value);
          for (const key of issue.keys) {
            push({ path: [...path, key], atKey: true, message: `unknown key "${key}" (${knownList(known, key)})` });
          }
          break;
        }
        case 'invalid_union': {
          const branches = issue.errors.filter(
            (b) => !b.some((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value')),
          );
          if (branches.length === 1) walk(branches[0] as z.core.$ZodIssue[], path);
          else {
            const expected = expectedOfUnion(root, path, value);
            push({ path, atKey: false, message: `expected ${expected}; found ${describeValue(found)}${shapeHint(path, found, expected)}` });
          }
          break;
        }
        case 'invalid_value':
          push({
            path,
            atKey: false,
            message: `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}; found ${describeValue(found)}`,
          });
          break;
        case 'too_big':
        case 'too_small': {
          const bound = issue.code === 'too_big' ? issue.maximum : issue.minimum;
          const rel = issue.code === 'too_big' ? (issue.inclusive === false ? 'below' : 'at most') : issue.inclusive === false ? 'above' : 'at least';
          const unit =
            issue.origin === 'string' ? ' characters' : issue.origin === 'array' || issue.origin === 'set' ? ' items' : '';
          const foundText =
            Array.isArray(found) ? `${found.length} items` : typeof found === 'string' ? `${found.length} characters` : describeValue(found);
          push({ path, atKey: false, message: `expected ${rel} ${String(bound)}${unit}; found ${foundText}` });
          break;
        }
        case 'invalid_format':
          push({ path, atKey: false, message: `${issue.message.startsWith('expected') ? issue.message : `expected ${issue.format}`}; found ${describeValue(found)}` });
          break;
        case 'invalid_key':
          walk(issue.issues, path);
          break;
        case 'invalid_element':
          walk(issue.issues, path);
          break;
        default:
          push({ path, atKey: false, message: issue.message });
      }
    }
  };
  walk(issues, []);
  return out;
}
