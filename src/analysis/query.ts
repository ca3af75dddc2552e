import * as z from 'zod';

/**
 * The query language of `brink check` (docs/check.md has the grammar):
 *
 *   P(peak NEA >= L9 by 24) < 0.05            a hypothesis, decided by Wald's SPRT
 *   P(act NUCLEAR_USE by 12) = ? ±0.005       an estimate to an absolute precision
 *   P(peak >= L11) = ? ±10%                   an estimate to a relative precision
 *   P[variant](peak >= L9) < P[base](peak >= L9)   a paired comparison on common random numbers
 *
 * This file holds the syntax tree (a zod schema: the single definition of a parsed query) and the parser,
 * which reads names but does not resolve them (resolve-query.ts does, against the scenarios).
 * Every node carries `at`, the 1-based column where it starts, so errors point at it.
 */

const Name = z.strictObject({ id: z.string().min(1), at: z.number().int().min(1) });
export type QueryName = z.infer<typeof Name>;

const Scope = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('overall') }),
  z.strictObject({ kind: z.literal('theatre'), theatre: Name }),
  z.strictObject({ kind: z.literal('dyad'), from: Name, to: Name }),
]);
export type QueryScope = z.infer<typeof Scope>;

/** What a probability is of: a rung in a scope, an act, an invariant's violation, an outcome, and their combinations. */
export type QueryEvent =
  | { readonly kind: 'peak'; readonly at: number; readonly scope: QueryScope; readonly rung: QueryName }
  | { readonly kind: 'act'; readonly at: number; readonly event: QueryName; readonly from: QueryName | null }
  | { readonly kind: 'violation'; readonly at: number; readonly invariant: QueryName }
  | { readonly kind: 'outcome'; readonly at: number; readonly outcome: QueryName }
  | { readonly kind: 'not'; readonly at: number; readonly of: QueryEvent }
  | { readonly kind: 'and' | 'or'; readonly at: number; readonly of: readonly QueryEvent[] };

export const QueryEventSchema: z.ZodType<QueryEvent, QueryEvent> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('peak'), at: z.number().int().min(1), scope: Scope, rung: Name }),
    z.strictObject({ kind: z.literal('act'), at: z.number().int().min(1), event: Name, from: Name.nullable() }),
    z.strictObject({ kind: z.literal('violation'), at: z.number().int().min(1), invariant: Name }),
    z.strictObject({ kind: z.literal('outcome'), at: z.number().int().min(1), outcome: Name }),
    z.strictObject({ kind: z.literal('not'), at: z.number().int().min(1), of: QueryEventSchema }),
    z.strictObject({ kind: z.enum(['and', 'or']), at: z.number().int().min(1), of: z.array(QueryEventSchema).min(2) }),
  ]),
);

const Prob = z.strictObject({
  at: z.number().int().min(1),
  /** `P[name](…)`: which scenario (the first one given when null). */
  subject: Name.nullable(),
  event: QueryEventSchema,
  /** `by T`: the turn (null: the scenario's last). */
  by: z.strictObject({ turn: z.number().int().min(0), at: z.number().int().min(1) }).nullable(),
});
export type QueryProb = z.infer<typeof Prob>;

export const COMPARISONS = ['<', '<=', '>', '>='] as const;
export type Comparison = (typeof COMPARISONS)[number];

export const QuerySchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('hypothesis'),
    prob: Prob,
    comparison: z.enum(COMPARISONS),
    threshold: z.number().min(0).max(1),
    at: z.number().int().min(1),
  }),
  z.strictObject({
    kind: z.literal('estimate'),
    prob: Prob,
    /** `±0.005` (absolute) or `±10%` (relative, as a fraction: 0.1); null: the caller's default. */
    precision: z
      .strictObject({ kind: z.enum(['absolute', 'relative']), value: z.number().gt(0).lt(1), at: z.number().int().min(1) })
      .nullable(),
  }),
  z.strictObject({ kind: z.literal('paired'), left: Prob, comparison: z.enum(COMPARISONS), right: Prob, at: z.number().int().min(1) }),
]);
export type Query = z.infer<typeof QuerySchema>;

/** A problem with a query, at a column of its text (1-based). */
export interface QueryProblem {
  readonly column: number;
  readonly message: string;
}

export type QueryParse = { readonly ok: true; readonly query: Query } | { readonly ok: false; readonly problem: QueryProblem };

type TokenKind = 'id' | 'num' | 'sym' | 'subject' | 'end';
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly at: number;
}

const SYMBOLS = ['<=', '>=', '->', '+-', '≤', '≥', '→', '±', '<', '>', '=', '?', '(', ')', '[', ']', '%'];
const KEYWORDS = new Set(['P', 'peak', 'act', 'violation', 'outcome', 'by', 'and', 'or', 'not', 'from', 'overall']);

class QueryError extends Error {
  constructor(
    readonly column: number,
    message: string,
  ) {
    super(message);
  }
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i + 1;
    if (c === '[' && out.at(-1)?.text === 'P') {
      const end = text.indexOf(']', i + 1);
      if (end < 0) throw new QueryError(at, 'expected "]" to close the scenario name after "P["');
      const name = text.slice(i + 1, end).trim();
      if (name.length === 0) throw new QueryError(at + 1, 'expected a scenario name inside "P[…]" (base, or a variant file\'s name)');
      out.push({ kind: 'subject', text: name, at: at + 1 + (text.slice(i + 1, end).length - text.slice(i + 1, end).trimStart().length) });
      i = end + 1;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (m !== null) {
      out.push({ kind: 'id', text: m[0], at });
      i += m[0].length;
      continue;
    }
    const n = /^(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(i));
    if (n !== null) {
      out.push({ kind: 'num', text: n[0], at });
      i += n[0].length;
      continue;
    }
    const sym = SYMBOLS.find((s) => text.startsWith(s, i));
    if (sym === undefined) throw new QueryError(at, `unexpected "${c}"`);
    out.push({ kind: 'sym', text: sym, at });
    i += sym.length;
  }
  out.push({ kind: 'end', text: 'the end of the query', at: text.length + 1 });
  return out;
}

const CANONICAL: Readonly<Record<string, string>> = { '≤': '<=', '≥': '>=', '→': '->', '±': '+-' };

class Parser {
  private i = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.i++;
    return t;
  }
  private isSym(s: string): boolean {
    const t = this.peek();
    return t.kind === 'sym' && (CANONICAL[t.text] ?? t.text) === s;
  }
  private isWord(w: string): boolean {
    const t = this.peek();
    return t.kind === 'id' && t.text === w;
  }
  private expectSym(s: string, what: string): Token {
    if (!this.isSym(s)) throw this.unexpected(what);
    return this.next();
  }
  private unexpected(what: string): QueryError {
    const t = this.peek();
    return new QueryError(t.at, `expected ${what}; found ${t.kind === 'end' ? t.text : `"${t.text}"`}`);
  }
  private name(what: string): QueryName {
    const t = this.peek();
    if (t.kind !== 'id' || KEYWORDS.has(t.text)) throw this.unexpected(what);
    this.next();
    return { id: t.text, at: t.at };
  }

  query(): Query {
    const left = this.prob();
    if (this.isSym('=')) {
      this.next();
      this.expectSym('?', '"?" after "=" (an estimate: P(…) = ?)');
      let precision: Extract<Query, { kind: 'estimate' }>['precision'] = null;
      if (this.isSym('+-')) {
        const at = this.next().at;
        const v = this.number('a precision such as ±0.005 or ±10%');
        const relative = this.isSym('%');
        if (relative) this.next();
        const value = relative ? v.value / 100 : v.value;
        if (!(value > 0 && value < 1)) throw new QueryError(v.at, `expected a precision above 0 and below ${relative ? '100%' : '1'}; found ${v.text}${relative ? '%' : ''}`);
        precision = { kind: relative ? 'relative' : 'absolute', value, at };
      }
      this.end();
      return { kind: 'estimate', prob: left, precision };
    }
    const cmpToken = this.peek();
    const comparison = COMPARISONS.find((c) => this.isSym(c));
    if (comparison === undefined) throw this.unexpected('a comparison (<, <=, >, >=) or "= ?" after P(…)');
    this.next();
    if (this.isWord('P')) {
      const right = this.prob();
      this.end();
      return { kind: 'paired', left, comparison, right, at: cmpToken.at };
    }
    const v = this.number('a probability (such as 0.05 or 5%) or P(…) after the comparison');
    let threshold = v.value;
    if (this.isSym('%')) {
      this.next();
      threshold /= 100;
    }
    if (!(threshold > 0 && threshold < 1)) throw new QueryError(v.at, `expected a probability above 0 and below 1; found ${v.text}${threshold === v.value ? '' : '%'}`);
    this.end();
    return { kind: 'hypothesis', prob: left, comparison, threshold, at: cmpToken.at };
  }

  private end(): void {
    if (this.peek().kind !== 'end') throw this.unexpected('the end of the query');
  }

  private number(what: string): { value: number; text: string; at: number } {
    const t = this.peek();
    if (t.kind !== 'num') throw this.unexpected(what);
    this.next();
    return { value: Number(t.text), text: t.text, at: t.at };
  }

  private prob(): QueryProb {
    const p = this.peek();
    if (!this.isWord('P')) throw this.unexpected('P(…) (the query starts with a probability, such as P(peak >= L9 by 24))');
    this.next();
    let subject: QueryName | null = null;
    if (this.peek().kind === 'subject') {
      const s = this.next();
      subject = { id: s.text, at: s.at };
    }
    this.expectSym('(', '"(" after P');
    const event = this.or();
    let by: QueryProb['by'] = null;
    if (this.isWord('by')) {
      this.next();
      const n = this.number('a turn number after "by"');
      if (!/^\d+$/.test(n.text)) throw new QueryError(n.at, `expected a whole turn number after "by"; found ${n.text}`);
      by = { turn: Number(n.text), at: n.at };
    }
    this.expectSym(')', by === null ? '"by" and a turn, an operator (and, or) or ")"' : '")"');
    return { at: p.at, subject, event, by };
  }

  private or(): QueryEvent {
    const first = this.and();
    if (!this.isWord('or')) return first;
    const of = [first];
    while (this.isWord('or')) {
      this.next();
      of.push(this.and());
    }
    return { kind: 'or', at: first.at, of };
  }

  private and(): QueryEvent {
    const first = this.unary();
    if (!this.isWord('and')) return first;
    const of = [first];
    while (this.isWord('and')) {
      this.next();
      of.push(this.unary());
    }
    return { kind: 'and', at: first.at, of };
  }

  private unary(): QueryEvent {
    const t = this.peek();
    if (this.isWord('not')) {
      this.next();
      return { kind: 'not', at: t.at, of: this.unary() };
    }
    if (this.isSym('(')) {
      this.next();
      const inner = this.or();
      this.expectSym(')', '")"');
      return inner;
    }
    return this.atom();
  }

  private atom(): QueryEvent {
    const t = this.peek();
    if (this.isWord('peak')) {
      this.next();
      let scope: QueryScope = { kind: 'overall' };
      if (this.isWord('overall')) this.next();
      else if (this.peek().kind === 'id') {
        const a = this.name('a theatre, "overall" or a dyad FROM -> TO');
        if (this.isSym('->')) {
          this.next();
          scope = { kind: 'dyad', from: a, to: this.name('the actor a dyad points to, after "->"') };
        } else scope = { kind: 'theatre', theatre: a };
      }
      if (!this.isSym('>=')) throw this.unexpected('">=" and a rung (peak [scope] >= RUNG)');
      this.next();
      return { kind: 'peak', at: t.at, scope, rung: this.name('a rung or threshold id after ">="') };
    }
    if (this.isWord('act')) {
      this.next();
      const event = this.name('an event type after "act"');
      let from: QueryName | null = null;
      if (this.isWord('from')) {
        this.next();
        from = this.name('an actor after "from"');
      }
      return { kind: 'act', at: t.at, event, from };
    }
    if (this.isWord('violation')) {
      this.next();
      return { kind: 'violation', at: t.at, invariant: this.name('an invariant id after "violation"') };
    }
    if (this.isWord('outcome')) {
      this.next();
      return { kind: 'outcome', at: t.at, outcome: this.name('an outcome id after "outcome"') };
    }
    throw this.unexpected('peak, act, violation, outcome, not or "("');
  }
}

/** Parses a query's text into its syntax tree, checked by `QuerySchema`; names are not resolved yet. Pure. */
export function parseQuery(text: string): QueryParse {
  try {
    const query = new Parser(tokenize(text)).query();
    const checked = QuerySchema.safeParse(query);
    if (!checked.success) throw new Error(`the query parser built a tree its schema refuses: ${checked.error.message}`);
    return { ok: true, query: checked.data };
  } catch (e) {
    if (e instanceof QueryError) return { ok: false, problem: { column: e.column, message: e.message } };
    throw e;
  }
}

/** A problem shown like a compiler's: the message, the query, a caret under the column. */
export function formatQueryProblem(text: string, problem: QueryProblem): string {
  return `error: query column ${problem.column}: ${problem.message}\n  ${text}\n  ${' '.repeat(Math.max(0, problem.column - 1))}^`;
}

/** The text of an event, canonical: what reports print. */
export function renderQueryEvent(e: QueryEvent): string {
  switch (e.kind) {
    case 'peak': {
      const s = e.scope;
      const scope = s.kind === 'overall' ? '' : s.kind === 'theatre' ? `${s.theatre.id} ` : `${s.from.id}->${s.to.id} `;
      return `peak ${scope}>= ${e.rung.id}`;
    }
    case 'act':
      return `act ${e.event.id}${e.from === null ? '' : ` from ${e.from.id}`}`;
    case 'violation':
      return `violation ${e.invariant.id}`;
    case 'outcome':
      return `outcome ${e.outcome.id}`;
    case 'not': {
      const inner = renderQueryEvent(e.of);
      return `not ${e.of.kind === 'and' || e.of.kind === 'or' ? `(${inner})` : inner}`;
    }
    case 'and':
    case 'or':
      return e.of.map((x) => (x.kind === 'and' || x.kind === 'or' ? `(${renderQueryEvent(x)})` : renderQueryEvent(x))).join(` ${e.kind} `);
  }
}
