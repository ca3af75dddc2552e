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

/** `known: a, b, c` listing, capped so a long list stays readable. */
export function knownList(names: readonly string[]): string {
  if (names.length === 0) return 'none are declared';
  const shown = names.slice(0, 20).join(', ');
  return `known: ${shown}${names.length > 20 ? `, … (${names.length - 20} more)` : ''}`;
}
