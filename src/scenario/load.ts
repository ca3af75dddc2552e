import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep, isAbsolute } from 'node:path';
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import { checkScenarioValue } from './check.ts';
import { overlay } from './merge.ts';
import { type SourceFile, locateInChain } from './positions.ts';
import type { Problem } from './problem.ts';
import { FileRefusal, formatBytes, readRegularFile } from './read-file.ts';
import { LIMITS, type Scenario } from './schema.ts';

/** Where a loader gets file contents; the default reads the file system through `readRegularFile`. */
export type ReadFile = (path: string) => string | Uint8Array;

export interface LoadOptions {
  /**
   * Reads a file; defaults to Brink's safe reader (regular files only, size checked before and while
   * reading). A `Uint8Array` (a Buffer) is decoded as UTF-8.
   */
  readonly readFile?: ReadFile;
  /** Largest file accepted, in bytes. Default 5 MiB. */
  readonly maxBytes?: number;
  /**
   * The folder that files named by `extends` must lie in (after following symbolic links). Default: the
   * scenario's project — the nearest folder above the scenario holding `package.json` or `.git`, else
   * the scenario's own folder. The CLI's `--extends-root DIR` sets it.
   */
  readonly extendsRoot?: string;
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
const MAX_EXTENDS_LENGTH = 1000;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** The top-level keys of the format: a file with none of them is not a scenario, and is not quoted. */
const SCENARIO_KEYS = ['version', 'extends', 'metadata', 'time', 'ladder', 'events', 'actors'];
const SCENARIO_EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * Loads a scenario file (YAML or JSON), follows `extends`, validates it with the schema and checks
 * every cross-reference. Every problem is reported at once with its file, line and column; nothing
 * throws for bad input.
 */
export function loadScenarioFile(file: string, options?: LoadOptions | null): LoadResult {
  if (typeof file !== 'string' || file.length === 0)
    throw new TypeError(`loadScenario: expected a scenario file path (a non-empty string); found ${describeArg(file)}`);
  const opts = checkOptions(options);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const custom = opts.readFile;
  const readFile = (p: string): string => {
    if (custom === undefined) return readRegularFile(p, maxBytes);
    const got: unknown = custom(p);
    if (typeof got === 'string') return got;
    if (got instanceof Uint8Array) return Buffer.from(got.buffer, got.byteOffset, got.byteLength).toString('utf8');
    throw new FileRefusal(`the readFile option returned ${describeArg(got)}; expected a string`, 'unreadable');
  };
  const root = opts.extendsRoot === undefined ? projectRootOf(file) : resolve(opts.extendsRoot);
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
      if (chain.length > 0) checkWithinRoot(current, root, custom === undefined);
      text = readFile(current);
    } catch (e) {
      const reason =
        e instanceof FileRefusal ? e.message : (e as NodeJS.ErrnoException | null)?.code === 'ENOENT' ? 'no such file' : `cannot read the file (${describeThrown(e)})`;
      const code = e instanceof FileRefusal && e.reason === 'too_large' ? 'scenario/too_large' : 'scenario/unreadable';
      const problem: Problem = { code, severity: 'error', path: [], message: `cannot read scenario: ${reason}`, file: current };
      if (chain.length === 0) return { ok: false, problems: [problem] };
      return fail({ code, path: ['extends'], message: `cannot read "${current}": ${reason}` }, chain);
    }
    const parsed = parseText(text, current, maxBytes);
    if (!parsed.ok) return { ok: false, problems: parsed.problems };
    chain.push(parsed.source);
    values.push(parsed.value);
    const ext = isObject(parsed.value) ? parsed.value['extends'] : undefined;
    if (ext === undefined) break;
    if (typeof ext !== 'string' || ext.length === 0) {
      return fail({ code: 'scenario/bad_extends', path: ['extends'], message: 'expected "extends" to be a path to a scenario file' }, chain);
    }
    // Checked before the path is used: a long path is refused, not resolved.
    if (ext.length > MAX_EXTENDS_LENGTH) {
      return fail({ code: 'scenario/bad_extends', path: ['extends'], message: `expected "extends" to be at most ${MAX_EXTENDS_LENGTH} characters; found ${ext.length}` }, chain);
    }
    if (!SCENARIO_EXTENSIONS.includes(extname(ext).toLowerCase())) {
      return fail({ code: 'scenario/bad_extends', path: ['extends'], message: `expected "extends" to name a ${SCENARIO_EXTENSIONS.join(', ')} file` }, chain);
    }
    current = isAbsolute(ext) ? ext : join(dirname(current), ext);
  }
  let merged: unknown = values[values.length - 1];
  for (let i = values.length - 2; i >= 0; i--) merged = overlay(merged, values[i]);
  if (isObject(merged)) delete merged['extends'];
  return validate(merged, chain);
}

/** The nearest folder above `file` holding package.json or .git; else the file's own folder. */
function projectRootOf(file: string): string {
  const start = dirname(resolve(file));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) || existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/** Refuses a file that `extends` names outside the root (symbolic links followed on a real file system). */
function checkWithinRoot(file: string, root: string, realFiles: boolean): void {
  let target = resolve(file);
  let base = root;
  if (realFiles) {
    try {
      base = realpathSync.native(root);
      target = realpathSync.native(target);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException | null)?.code;
      if (code === 'ELOOP') throw new FileRefusal('too many levels of symbolic links (a symlink loop?)', 'symlink_loop');
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new FileRefusal('no such file', 'no_such_file');
      throw new FileRefusal(`cannot resolve the path (${code ?? 'unknown error'})`, 'unreadable');
    }
  }
  const rel = relative(base, target);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    throw new FileRefusal(
      `it lies outside the scenario's project (${root}); "extends" reads only files under it (the CLI's --extends-root <dir> widens it)`,
      'denied',
    );
  }
}

function checkOptions(options: LoadOptions | null | undefined): LoadOptions {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object') throw new TypeError(`loadScenario: expected options to be an object; found ${describeArg(options)}`);
  const { readFile, maxBytes, extendsRoot } = options;
  if (readFile !== undefined && typeof readFile !== 'function')
    throw new TypeError(`loadScenario: expected options.readFile to be a function (path) => string; found ${describeArg(readFile)}`);
  if (maxBytes !== undefined && !(Number.isSafeInteger(maxBytes) && maxBytes > 0))
    throw new TypeError(`loadScenario: expected options.maxBytes to be a whole number of bytes above 0; found ${describeArg(maxBytes)}`);
  if (extendsRoot !== undefined && (typeof extendsRoot !== 'string' || extendsRoot.length === 0))
    throw new TypeError(`loadScenario: expected options.extendsRoot to be a folder path; found ${describeArg(extendsRoot)}`);
  return options;
}

function describeArg(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Uint8Array) return 'bytes (a Uint8Array)';
  if (typeof v === 'string') return v.length === 0 ? 'an empty string' : 'a string';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  return typeof v === 'object' ? 'an object' : typeof v;
}

function describeThrown(e: unknown): string {
  if (e instanceof Error) return e.message === '' ? e.name : e.message;
  return `it threw ${describeArg(e)}`;
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
  const r = checkScenarioValue(value);
  if (!r.ok) return { ok: false, problems: sortProblems(r.problems.map(({ atKey, ...p }) => place(p, chain, atKey))) };
  const hash = `sha256:${createHash('sha256').update(JSON.stringify(r.scenario)).digest('hex')}`;
  return { ok: true, scenario: r.scenario, hash, files: chain.map((c) => c.file), warnings: sortProblems(r.warnings.map(({ atKey, ...p }) => place(p, chain, atKey))) };
}

type ParseResult = { ok: true; source: SourceFile; value: unknown } | { ok: false; problems: Problem[] };

function parseText(raw: string, file: string, maxBytes: number): ParseResult {
  const bytes = Buffer.byteLength(raw, 'utf8');
  const whole = (code: string, message: string): ParseResult => ({
    ok: false,
    problems: [{ code, severity: 'error', path: [], file, line: 1, column: 1, message }],
  });
  if (bytes > maxBytes) return whole('scenario/too_large', `expected a scenario file of at most ${formatBytes(maxBytes)}; found ${formatBytes(bytes)}`);
  // A UTF-8 byte order mark is dropped (JSON and YAML alike); lone CRs (old Mac line ends) become LFs,
  // one character for one, so positions stay right.
  const text = raw.replace(/^\uFEFF/, '').replace(/\r(?!\n)/g, '\n');
  // Counted before parsing, in one cheap pass: the YAML parser's time and memory grow with the nodes.
  const structural = countStructural(text);
  if (structural > LIMITS.yamlNodes) {
    return whole('scenario/too_many_nodes', `expected at most ${thousands(LIMITS.yamlNodes)} YAML nodes (counting , [ ] { } - : and line ends); found ${thousands(structural)}`);
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
        problems: [{ code: 'scenario/syntax', severity: 'error', path: [], file, ...pos, message: `invalid JSON: ${jsonMessage((e as Error).message)}` }],
      };
    }
  }
  // uniqueKeys is checked below in one pass: the parser's own check is quadratic in a mapping's size.
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false, logLevel: 'silent' });
  const all: Document[] = Array.isArray(docs) ? docs : [];
  if (all.length > 1) {
    const second = all[1] as Document;
    const { line, col } = lineCounter.linePos(second.range?.[0] ?? 0);
    return {
      ok: false,
      problems: [
        {
          code: 'scenario/multiple_documents',
          severity: 'error',
          path: [],
          file,
          line,
          column: col,
          message: `expected one YAML document; found ${all.length} (a second begins here, after "---"): put each scenario in its own file`,
        },
      ],
    };
  }
  const doc = all[0];
  if (doc === undefined) return whole('scenario/empty', 'expected a scenario document; found an empty file');
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
  if (!looksLikeScenario(doc.contents)) {
    // Said without quoting the file: it may be anything (a secrets file named by "extends").
    return whole('scenario/not_a_scenario', `expected a Brink scenario (a mapping with "version: 1", "metadata", "actors", …); this file is not one, and its content is not shown`);
  }
  const keyProblems = findKeyProblems(doc.contents, []);
  if (keyProblems.length > 0) {
    return {
      ok: false,
      problems: keyProblems.map(({ path, kind, node }) => {
        const at = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
        const pos = at === undefined ? locateInChain([source], path, true) : { line: at.line, column: at.col };
        return {
          code: kind === 'duplicate' ? 'scenario/syntax' : 'scenario/forbidden_key',
          severity: 'error' as const,
          path,
          file,
          ...(pos ? { line: pos.line, column: pos.column } : {}),
          message:
            kind === 'duplicate'
              ? 'YAML syntax error (duplicate_key): Map keys must be unique'
              : kind === 'collection'
                ? 'expected a plain name as key; found a list or mapping used as a key'
                : `the key "${String(path[path.length - 1])}" is not allowed (it could alter objects' prototypes)`,
        };
      }),
    };
  }
  // The aliases' expanded size, counted on the syntax tree before anything is expanded.
  const expanded = expandedSize(doc.contents, LIMITS.yamlNodes);
  if (expanded > LIMITS.yamlNodes) {
    return whole(
      'scenario/too_many_nodes',
      `YAML aliases would expand the document past ${thousands(LIMITS.yamlNodes)} nodes (an alias repeats its anchor's whole content): use fewer or smaller aliases`,
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: -1 });
  } catch (e) {
    const message = /alias/i.test((e as Error).message)
      ? 'YAML alias error: an alias must refer to an anchor set before it (&name … *name)'
      : 'cannot read the document';
    return whole('scenario/syntax', message);
  }
  if (value === null || value === undefined) return whole('scenario/empty', 'expected a scenario document; found an empty file');
  return { ok: true, source, value };
}

/** Counts the characters that can open a YAML node: an upper bound on the nodes, in one pass. */
function countStructural(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // , [ ] { } - : LF
    if (c === 44 || c === 91 || c === 93 || c === 123 || c === 125 || c === 45 || c === 58 || c === 10) n++;
  }
  return n;
}

/** Nodes the document has once its aliases are expanded, counted up to just past `cap`. */
function expandedSize(root: unknown, cap: number): number {
  const sizes = new Map<unknown, number>();
  const size = (node: unknown, depth: number): number => {
    if (depth > 200) return cap + 1;
    if (isAlias(node)) {
      const target = node.source === undefined ? undefined : findAnchor(root, node.source);
      return target === undefined ? 1 : size(target, depth + 1);
    }
    const known = sizes.get(node);
    if (known !== undefined) return known;
    let n = 1;
    if (isMap(node)) {
      for (const item of node.items) {
        if (isPair(item)) n += size(item.key, depth + 1) + size(item.value, depth + 1);
        if (n > cap) break;
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        n += size(item, depth + 1);
        if (n > cap) break;
      }
    }
    sizes.set(node, n);
    return n;
  };
  const anchors = new Map<string, unknown>();
  const collect = (node: unknown, depth: number) => {
    if (depth > 200 || node === null || typeof node !== 'object') return;
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor !== undefined && !anchors.has(anchor)) anchors.set(anchor, node);
    if (isMap(node)) for (const item of node.items) if (isPair(item)) {
      collect(item.key, depth + 1);
      collect(item.value, depth + 1);
    }
    if (isSeq(node)) for (const item of node.items) collect(item, depth + 1);
  };
  collect(root, 0);
  function findAnchor(_root: unknown, name: string): unknown {
    return anchors.get(name);
  }
  return size(root, 0);
}

/** True when a file's top level is a mapping with at least one of the format's top-level keys. */
function looksLikeScenario(node: unknown): boolean {
  if (!isMap(node)) return false;
  return node.items.some((item) => isPair(item) && isScalar(item.key) && SCENARIO_KEYS.includes(String(item.key.value)));
}

/** A JSON.parse message without the snippet of the file that Node quotes in it. */
function jsonMessage(message: string): string {
  if (/is not valid JSON$/.test(message)) return /^Unexpected token/.test(message) ? 'unexpected character' : 'not valid JSON';
  return message.replace(/ in JSON at position \d+.*$/s, '').replace(/ \(line \d+ column \d+\)$/, '');
}

function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
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
  // The parser quotes unexpected tokens; the file's content is not shown.
  return `YAML syntax error (${code.toLowerCase()}): ${(message.split('\n')[0] as string).replace(/: ".*"$/, '')}`;
}

interface KeyProblem {
  readonly path: Array<string | number>;
  readonly kind: 'forbidden' | 'collection' | 'duplicate';
  readonly node: Node | undefined;
}

/** Keys that are not allowed (prototype names, collections as keys) and duplicate keys, in one pass. */
function findKeyProblems(root: unknown, rootPath: Array<string | number>): KeyProblem[] {
  const out: KeyProblem[] = [];
  const stack: Array<{ node: unknown; path: Array<string | number>; depth: number }> = [{ node: root, path: rootPath, depth: 0 }];
  while (stack.length > 0) {
    const { node, path, depth } = stack.pop() as { node: unknown; path: Array<string | number>; depth: number };
    if (depth > 200) continue;
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const item of node.items) {
        if (!isPair(item)) continue;
        if (item.key !== null && !isScalar(item.key)) {
          out.push({ path: [...path, '(a collection used as a key)'], kind: 'collection', node: item.key as Node });
          continue;
        }
        const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
        if (seen.has(key)) {
          out.push({ path: [...path, key], kind: 'duplicate', node: isScalar(item.key) ? item.key : undefined });
          continue;
        }
        seen.add(key);
        if (FORBIDDEN_KEYS.has(key)) out.push({ path: [...path, key], kind: 'forbidden', node: isScalar(item.key) ? item.key : undefined });
        else stack.push({ node: item.value, path: [...path, key], depth: depth + 1 });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push({ node: item, path: [...path, i], depth: depth + 1 }));
    }
  }
  return out.sort((a, b) => (a.node?.range?.[0] ?? 0) - (b.node?.range?.[0] ?? 0));
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

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
