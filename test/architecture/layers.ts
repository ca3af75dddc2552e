import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The house's layers, lowest first (README "Layout"). A file may import from its own folder and from
 * any folder of a lower layer; folders of one layer may not import each other. `version.ts` sits
 * below everything; `index.ts` above everything.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['version.ts'],
  ['scenario'],
  ['model'],
  ['engine'],
  ['analysis'],
  ['explore'],
  ['batch'],
  ['classroom'],
  ['report'],
  ['store'],
  ['server'],
  ['cli', 'testing'],
  ['index.ts'],
];

/** A source file and the source files it imports (paths relative to `src/`, with `/`). */
export interface SourceFile {
  readonly path: string;
  readonly imports: readonly string[];
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|new URL\(\s*)(['"])(\.{1,2}\/[^'"]+)\1/g;

/** Reads every `.ts` file under `srcDir` and resolves its relative imports. */
export function readSources(srcDir: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        const text = readFileSync(full, 'utf8');
        const imports = [...text.matchAll(IMPORT)].map((m) => relative(srcDir, resolve(dirname(full), m[2] as string)).split('\\').join('/'));
        out.push({ path: relative(srcDir, full).split('\\').join('/'), imports });
      }
    }
  };
  walk(srcDir);
  return out;
}

/** The layer's folder (or root file) that a path under `src/` belongs to. */
export function unitOf(path: string): string {
  const slash = path.indexOf('/');
  return slash < 0 ? path : path.slice(0, slash);
}

function rankOf(unit: string): number {
  return LAYERS.findIndex((layer) => layer.includes(unit));
}

/** Every import that runs up the layers, sideways between folders of one layer, or into a folder the house does not know. */
export function layerViolations(files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  for (const f of files) {
    const from = unitOf(f.path);
    for (const target of f.imports) {
      const to = unitOf(target);
      if (from === to) continue;
      const [rf, rt] = [rankOf(from), rankOf(to)];
      if (rf < 0) problems.push(`${f.path}: folder "${from}" is not in the layer list (test/architecture/layers.ts)`);
      else if (rt < 0) problems.push(`${f.path} imports ${target}: folder "${to}" is not in the layer list`);
      else if (rt > rf) problems.push(`${f.path} imports ${target}: ${from} may not import from ${to}, a higher layer`);
      else if (rt === rf) problems.push(`${f.path} imports ${target}: ${from} and ${to} are one layer and may not import each other`);
    }
  }
  return problems;
}

/** Every import circle among the files (strongly connected components of more than one file, or a file importing itself). */
export function importCircles(files: readonly SourceFile[]): string[][] {
  const graph = new Map(files.map((f) => [f.path, f.imports]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) circles.push(component.sort());
    }
  };
  for (const f of files) if (!index.has(f.path)) visit(f.path);
  return circles;
}
