import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { crossCheck } from './cross-check.ts';
import { lintScenario } from './lint.ts';
import { overlay } from './merge.ts';
import { type SourceFile, locateInChain } from './positions.ts';
import type { Problem } from './problem.ts';
import { Scenario } from './schema.ts';
import { toSchemaMessages } from './zod-issues.ts';

/** Where a loader gets file contents; the default reads the file system. */
export type ReadFile = (path: string) => string;

export interface LoadOptions {
  /** Reads a file; defaults to `fs.readFileSync(path, 'utf8')`. */
  readonly readFile?: ReadFile;
  /** Largest file accepted, in bytes. Default 5 MiB. */
  readonly maxBytes?: number;
}

/** A scenario that passed every check, with what identifies it. */
export interface LoadedScenario {
  readonly scenario: Scenario;
  /** `sha256:` + hex digest of the resolved scenario (after `extends`). */
  readonly hash: string;
  /** The files read, the given one first, then what it extends. */
  readonly files: readonly string[];
  readonly warnings: readonly Problem[];
}

export type LoadResult = ({ ok: true } & LoadedScenario) | { ok: false; problems: readonly Problem[] };

const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const MAX_EXTENDS_DEPTH = 16;
const MAX_NESTING = 64;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Loads a scenario file (YAML or JSON), follows `extends`, validates it with the schema and checks
 * every cross-reference. Every problem is reported at once with its file, line and column; nothing
 * throws for bad input.
 */
export function loadScenarioFile(file: string, options: LoadOptions = {}): LoadResult {
  const readFile = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const chain: SourceFile[] = [];
  const values: unknown[] = [];
  const seen: string[] = [];
  let current = file;
  for (;;) {
    const absolute = resolve(current);
    if (seen.includes(absolute)) {
      const cycle = [...chain.map((c) => c.file), current].join(' → ');
      return fail({ code: 'scenario/extends_cycle', path: ['extends'], message: `"extends" forms a cycle: ${cycle}` }, chain);
    }
    if (chain.length >= MAX_EXTENDS_DEPTH) {
      return fail(
        { code: 'scenario/extends_too_deep', path: ['extends'], message: `expected at most ${MAX_EXTENDS_DEPTH} files in an "extends" chain` },
        chain,
      );
    }
    seen.push(absolute);
    let text: string;
    try {
      text = readFile(current);
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
      const problem: Problem = { code: 'scenario/unreadable', severity: 'error', path: [], message: `cannot read scenario: ${reason}`, file: current };
      if (chain.length === 0) return { ok: false, problems: [problem] };
      return fail({ code: 'scenario/unreadable', path: ['extends'], message: `cannot read "${current}": ${reason}` }, chain);
    }
    const parsed = parseText(text, current, options.maxBytes ?? DEFAULT_MAX_BYTES);
    if (!parsed.ok) return { ok: false, problems: parsed.problems };
    chain.push(parsed.source);
    values.push(parsed.value);
    const ext = isObject(parsed.value) ? parsed.value['extends'] : undefined;
    if (ext === undefined) break;
    if (typeof ext !== 'string') {
      return fail({ code: 'scenario/bad_extends', path: ['extends'], message: 'expected "extends" to be a path to a scenario file' }, chain);
    }
    current = isAbsolute(ext) ? ext : join(dirname(current), ext);
  }
  let merged: unknown = values[values.length - 1];
  for (let i = values.length - 2; i >= 0; i--) merged = overlay(merged, values[i]);
  if (isObject(merged)) delete merged['extends'];
  return validate(merged, chain);
}

/** Loads a scenario from text (no `extends` across files unless `readFile` can reach them). */
export function parseScenarioText(text: string, file = '<input>'): LoadResult {
  const parsed = parseText(text, file, DEFAULT_MAX_BYTES);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  if (isObject(parsed.value) && parsed.value['extends'] !== undefined) {
    return fail({ code: 'scenario/bad_extends', path: ['extends'], message: '"extends" needs a scenario file, not text' }, [parsed.source]);
  }
  return validate(parsed.value, [parsed.source]);
}

function validate(value: unknown, chain: readonly SourceFile[]): LoadResult {
  const deep = findTooDeep(value);
  if (deep !== undefined) {
    return fail({ code: 'scenario/too_deep', path: deep, message: `expected at most ${MAX_NESTING} levels of nesting` }, chain);
  }
  const result = Scenario.safeParse(value, { reportInput: false });
  if (!result.success) {
    const messages = toSchemaMessages(Scenario, result.error.issues, value);
    const problems = messages.map((m) =>
      place({ code: 'scenario/schema', severity: 'error', path: m.path, message: m.message }, chain, m.atKey),
    );
    // Cross-references are checked on the invalid document too, so that every problem shows at once;
    // those under a path the schema already rejected are left out.
    for (const p of tolerantCrossCheck(value)) {
      const overlaps = messages.some((m) => isPrefix(m.path, p.path) || isPrefix(p.path, m.path));
      if (!overlaps) problems.push(place(p, chain, false));
    }
    return { ok: false, problems: sortProblems(problems) };
  }
  const checked = crossCheck(result.data);
  const lints = checked.some((p) => p.severity === 'error') ? [] : lintScenario(result.data);
  const found = [...checked, ...lints].map((p) => place(p, chain, false));
  const errors = found.filter((p) => p.severity === 'error');
  if (errors.length > 0) return { ok: false, problems: sortProblems(found) };
  const hash = `sha256:${createHash('sha256').update(JSON.stringify(result.data)).digest('hex')}`;
  return { ok: true, scenario: result.data, hash, files: chain.map((c) => c.file), warnings: sortProblems(found) };
}

type ParseResult = { ok: true; source: SourceFile; value: unknown } | { ok: false; problems: Problem[] };

function parseText(text: string, file: string, maxBytes: number): ParseResult {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    return {
      ok: false,
      problems: [
        {
          code: 'scenario/too_large',
          severity: 'error',
          path: [],
          file,
          message: `expected a scenario file of at most ${formatBytes(maxBytes)}; found ${formatBytes(bytes)}`,
        },
      ],
    };
  }
  const lineCounter = new LineCounter();
  const problems: Problem[] = [];
  if (file.toLowerCase().endsWith('.json')) {
    try {
      JSON.parse(text);
    } catch (e) {
      const m = /position (\d+)/.exec((e as Error).message);
      const offset = m ? Number(m[1]) : 0;
      const pos = lineOf(text, offset);
      return {
        ok: false,
        problems: [
          { code: 'scenario/syntax', severity: 'error', path: [], file, ...pos, message: `invalid JSON: ${(e as Error).message.replace(/ in JSON at position \d+.*$/, '')}` },
        ],
      };
    }
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'silent' });
  for (const err of doc.errors) {
    const { line, col } = lineCounter.linePos(err.pos[0]);
    const hint = quoteHint(err.code, text.split('\n')[line - 1] ?? '');
    problems.push({ code: 'scenario/syntax', severity: 'error', path: [], file, line, column: col, message: `${syntaxMessage(err.code, err.message)}${hint}` });
  }
  if (problems.length === 0) {
    // `{ description: Alert, SAC bombers }` parses as a key "SAC bombers" with no value: a comma ended the string.
    for (const at of keysWithoutValue(doc.contents, [])) {
      const pos = lineCounter.linePos(at.offset);
      problems.push({
        code: 'scenario/syntax',
        severity: 'error',
        path: at.path,
        file,
        line: pos.line,
        column: pos.col,
        message: `"${at.key}" has no value: in { … } a comma ends a plain string, so quote a string that holds one${
          at.previous === undefined ? '' : ` (write ${at.previous.key}: ${JSON.stringify(`${at.previous.value}, ${at.key}`)})`
        }`,
      });
    }
  }
  const source: SourceFile = { file, doc, lineCounter };
  if (problems.length > 0) return { ok: false, problems };
  const forbidden = findForbiddenKeys(doc.contents, []);
  if (forbidden.length > 0) {
    return {
      ok: false,
      problems: forbidden.map((path) => {
        const pos = locateInChain([source], path, true);
        return {
          code: 'scenario/forbidden_key',
          severity: 'error',
          path,
          file,
          ...(pos ? { line: pos.line, column: pos.column } : {}),
          message:
            path[path.length - 1] === '(a collection used as a key)'
              ? 'expected a plain name as key; found a list or mapping used as a key'
              : `the key "${String(path[path.length - 1])}" is not allowed (it could alter objects' prototypes)`,
        };
      }),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    const message = /alias/i.test((e as Error).message)
      ? 'too many YAML aliases: expanding them would make the document explode in size (expected at most 100)'
      : `cannot read the document: ${(e as Error).message}`;
    return { ok: false, problems: [{ code: 'scenario/syntax', severity: 'error', path: [], file, line: 1, column: 1, message }] };
  }
  if (value === null || value === undefined) {
    return { ok: false, problems: [{ code: 'scenario/empty', severity: 'error', path: [], file, line: 1, column: 1, message: 'expected a scenario document; found an empty file' }] };
  }
  return { ok: true, source, value };
}

/** The YAML errors a plain string with ": " or a comma inside { … } gives: a hint to quote it, with the line's own value when it can be read. */
function quoteHint(code: string, line: string): string {
  if (code !== 'BLOCK_AS_IMPLICIT_KEY' && code !== 'BLOCK_IN_FLOW' && code !== 'MULTILINE_IMPLICIT_KEY' && code !== 'UNEXPECTED_TOKEN') return '';
  const m = /^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*):\s+([^"'{[].*?)\s*$/.exec(line);
  const example = m !== null && m[2]?.includes(': ') === true ? ` — write ${m[1]}: ${JSON.stringify(m[2])}` : '';
  return `; a plain string that holds ": " (or a comma inside { … }) must be quoted${example}`;
}

/** Pairs of flow mappings (`{ … }`) written as a bare key with no value, with their paths. */
interface KeyWithoutValue {
  readonly key: string;
  readonly path: Array<string | number>;
  readonly offset: number;
  /** The pair before it, when its value is a plain string: the string the comma cut. */
  readonly previous: { readonly key: string; readonly value: string } | undefined;
}

function keysWithoutValue(node: unknown, path: Array<string | number>, depth = 0): KeyWithoutValue[] {
  if (depth > 200) return [];
  const out: KeyWithoutValue[] = [];
  if (isMap(node)) {
    let previous: KeyWithoutValue['previous'];
    for (const item of node.items) {
      if (!isPair(item) || !isScalar(item.key)) continue;
      const key = String(item.key.value);
      if (node.flow === true && item.value === null) out.push({ key, path: [...path, key], offset: item.key.range?.[0] ?? 0, previous });
      else out.push(...keysWithoutValue(item.value, [...path, key], depth + 1));
      previous = isScalar(item.value) && typeof item.value.value === 'string' ? { key, value: item.value.value } : undefined;
    }
  } else if (isSeq(node)) {
    node.items.forEach((x, i) => out.push(...keysWithoutValue(x, [...path, i], depth + 1)));
  }
  return out;
}

function syntaxMessage(code: string, message: string): string {
  return `YAML syntax error (${code.toLowerCase()}): ${message.split('\n')[0]}`;
}

function findForbiddenKeys(node: unknown, path: Array<string | number>, depth = 0): Array<Array<string | number>> {
  if (depth > 200) return [];
  const out: Array<Array<string | number>> = [];
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      if (item.key !== null && !isScalar(item.key)) {
        out.push([...path, '(a collection used as a key)']);
        continue;
      }
      const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
      if (FORBIDDEN_KEYS.has(key)) out.push([...path, key]);
      else out.push(...findForbiddenKeys(item.value, [...path, key], depth + 1));
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => out.push(...findForbiddenKeys(item, [...path, i], depth + 1)));
  }
  return out;
}

function findTooDeep(value: unknown): Array<string | number> | undefined {
  const stack: Array<{ v: unknown; path: Array<string | number> }> = [{ v: value, path: [] }];
  while (stack.length > 0) {
    const { v, path } = stack.pop() as { v: unknown; path: Array<string | number> };
    if (v === null || typeof v !== 'object') continue;
    if (path.length > MAX_NESTING) return path;
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

function place(p: Omit<Problem, 'file' | 'line' | 'column' | 'severity'> & { severity?: Problem['severity'] }, chain: readonly SourceFile[], atKey: boolean): Problem {
  const pos = locateInChain(chain, p.path, atKey);
  const severity = p.severity ?? 'error';
  if (pos === undefined) return { ...p, severity, ...(chain[0] ? { file: chain[0].file } : {}) };
  return { ...p, severity, file: pos.file, line: pos.line, column: pos.column };
}

function fail(p: Omit<Problem, 'severity'>, chain: readonly SourceFile[]): LoadResult {
  return { ok: false, problems: [place(p, chain, false)] };
}

function sortProblems(problems: Problem[]): Problem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort(
      (a, b) =>
        (a.p.severity === b.p.severity ? 0 : a.p.severity === 'error' ? -1 : 1) ||
        (a.p.file ?? '').localeCompare(b.p.file ?? '') ||
        (a.p.line ?? 0) - (b.p.line ?? 0) ||
        (a.p.column ?? 0) - (b.p.column ?? 0) ||
        a.i - b.i,
    )
    .map((x) => x.p);
}

function lineOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < Math.min(offset, text.length); i++) if (text.charCodeAt(i) === 10) {
    line++;
    last = i;
  }
  return { line, column: offset - last };
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
