import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

/** A parsed YAML/JSON file with what is needed to map a document path to line and column. */
export interface SourceFile {
  readonly file: string;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
}

export interface Position {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** How many path segments were found in this file (the rest was missing). */
  readonly depth: number;
}

function childOf(node: unknown, seg: string | number, wantKey: boolean): { value: unknown; key?: unknown } | undefined {
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const k = isScalar(item.key) ? item.key.value : item.key;
      if (String(k) === String(seg)) return wantKey ? { value: item.value, key: item.key } : { value: item.value };
    }
    return undefined;
  }
  if (isSeq(node) && typeof seg === 'number') {
    const item = node.items[seg];
    return item === undefined ? undefined : { value: item };
  }
  return undefined;
}

function offsetOf(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

/**
 * Finds the deepest node along `path` in one file. With `atKey`, a found map entry points at its key
 * (for unknown keys) rather than its value.
 */
export function locate(src: SourceFile, path: ReadonlyArray<string | number>, atKey = false): Position | undefined {
  let node: unknown = src.doc.contents;
  let offset = offsetOf(node);
  let depth = 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as string | number;
    const last = i === path.length - 1;
    const next = childOf(node, seg, atKey && last);
    if (next === undefined) break;
    depth++;
    node = next.value;
    const o = last && atKey && next.key !== undefined ? offsetOf(next.key) : (offsetOf(next.value) ?? offsetOf(next.key));
    if (o !== undefined) offset = o;
  }
  if (offset === undefined) return undefined;
  const { line, col } = src.lineCounter.linePos(offset);
  return { file: src.file, line, column: col, depth };
}

/**
 * Maps a path of the merged scenario to the file of an `extends` chain that says the most about it
 * (the deepest match; the most derived file on a tie).
 */
export function locateInChain(
  chain: readonly SourceFile[],
  path: ReadonlyArray<string | number>,
  atKey = false,
): Position | undefined {
  let best: Position | undefined;
  for (const src of chain) {
    const pos = locate(src, path, atKey);
    if (pos !== undefined && (best === undefined || pos.depth > best.depth)) best = pos;
  }
  return best;
}
