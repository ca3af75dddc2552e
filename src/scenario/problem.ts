/** A problem found in a scenario: data until the CLI prints it. */
export interface Problem {
  /** `area/snake_case`, e.g. `scenario/unknown_actor`. */
  readonly code: string;
  readonly severity: 'error' | 'warning';
  /** Path inside the document, e.g. `['actors', 'ROK', 'statechart']`. */
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

/** Renders a document path as `actors.ROK.moves[0].event`. */
export function renderPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** Renders a problem like a compiler: `file:line:col path: message`. */
export function formatProblem(p: Problem): string {
  const where = p.file === undefined ? '' : p.line === undefined ? `${p.file}: ` : `${p.file}:${p.line}:${p.column ?? 1} `;
  const path = p.path.length > 0 ? `${renderPath(p.path)}: ` : '';
  const tag = p.severity === 'warning' ? 'warning: ' : '';
  return `${where}${tag}${path}${p.message}`;
}

/** Describes a found value briefly for messages: `"lethal"`, `42`, `a list`, `an object`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

/**
 * Edit distance between two names, case-insensitive (optimal string alignment: insertions, deletions,
 * substitutions and swaps of neighbours cost 1; a difference of case only costs 0.5). Pure.
 */
export function nameDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const m = x.length;
  const n = y.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = new Array<number>(n + 1).fill(0);
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d = Math.min(d, (prev2[j - 2] as number) + 1);
      cur[j] = d;
    }
    prev2 = prev;
    prev = cur;
  }
  const d = prev[n] as number;
  return d === 0 && a !== b ? 0.5 : d;
}

/** The names close enough to `found` to be what was meant, nearest first (ties in the given order). */
export function nearNames(names: readonly string[], found: string): string[] {
  const limit = found.length <= 1 ? 0.5 : Math.max(1, Math.floor(found.length / 3));
  // The distance is at least the difference in length: names far off in length are not compared.
  const scored = names.map((name, i) => ({ name, i, d: Math.abs(name.length - found.length) > limit ? Infinity : nameDistance(found, name) }));
  const prefix = (name: string) => found.length >= 3 && name.toLowerCase().startsWith(found.toLowerCase());
  const best = Math.min(...scored.filter((x) => x.d <= limit).map((x) => x.d));
  // Only the nearest, and names that the found one begins.
  return scored
    .filter((x) => (x.d <= limit && x.d === best) || prefix(x.name))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map((x) => x.name);
}

/**
 * `known: a, b, c` listing, capped so a long list stays readable. Given the name that was `found`, it
 * starts with `did you mean "x"?` when some name is near it, and lists the near names first.
 */
export function knownList(names: readonly string[], found?: string): string {
  if (names.length === 0) return 'none are declared';
  let ordered = names;
  let hint = '';
  if (found !== undefined) {
    const near = nearNames(names, found);
    if (near.length > 0) {
      hint = `did you mean ${near.slice(0, 3).map((x) => `"${x}"`).join(' or ')}? `;
      // The near names first (nearest first), then the rest in their own order.
      const rest = names.filter((x) => !near.includes(x));
      ordered = [...near, ...rest];
    }
  }
  const shown = ordered.slice(0, 20).join(', ');
  return `${hint}known: ${shown}${ordered.length > 20 ? `, … (${ordered.length - 20} more)` : ''}`;
}
