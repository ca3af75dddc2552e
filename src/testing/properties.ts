import { occurrences } from '../analysis/occurrences.ts';
import {
  type Occurrence,
  checkAlways,
  checkNever,
  checkPrecedes,
  conditionNeedsTrace,
  describeAct,
  firstOccurrence,
  patternNeedsTrace,
} from '../analysis/invariants.ts';
import { type RunRecord, reachedOutcome } from '../engine/run.ts';
import { type PatternInput, describeCondition, describePattern, resolvePattern, resolveStateCondition } from '../model/invariants.ts';
import type { EventInstance, Model } from '../model/types.ts';
import { knownList } from '../scenario/problem.ts';
import type { ConditionDef } from '../scenario/schema.ts';

/** Whether a run kept a property, and why, in words. */
export interface Verdict {
  readonly holds: boolean;
  /** What decided it: the act that broke (or met) it, or what never happened. */
  readonly because: string;
  /** The turn that decided it, when one did. */
  readonly turn?: number;
  /** The act that decided it, when one did. */
  readonly act?: number;
}

/** A property with its names resolved against one model. */
export interface BoundProperty {
  /** True when it reads actors' states: the run must be played with `{ trace: true }`. */
  readonly needsTrace: boolean;
  check(record: RunRecord): Verdict;
}

/**
 * A property of one run, built from the helpers below and combined with `not`, `allOf`, `anyOf` and
 * `implies`. Pure: a verdict depends only on the model and the run.
 */
export interface RunProperty {
  /** The property in words, for failure messages: `never NUCLEAR_USE`. */
  readonly description: string;
  /** Resolves names against the model; throws an Error naming the known ones for an unknown name. */
  bind(model: Model): BoundProperty;
}

export type { PatternInput } from '../model/invariants.ts';

export interface ReachesOptions {
  /** Only acts in this theatre count. Default: any theatre. */
  readonly theatre?: string;
  /** Only acts on or before this turn count. Default: the whole run. */
  readonly byTurn?: number;
  /** Only acts by this actor count. */
  readonly from?: string;
  /** Only acts against this actor count. */
  readonly to?: string;
}

function rungIndex(model: Model, rung: string): number {
  const r = model.rungs.findIndex((x) => x.id === rung);
  if (r >= 0) return r;
  const t = model.thresholds.find((x) => x.id === rung);
  if (t !== undefined) return t.rung;
  throw new Error(`unknown rung or threshold "${rung}" (${knownList([...model.rungs.map((x) => x.id), ...model.thresholds.map((x) => x.id)], rung)})`);
}

/**
 * The run reaches one of the scenario's outcomes (`outcomes:`): its condition held at the end of a turn
 * up to its `by`, or, without `by`, at the end of the run. The runner checks outcomes itself, so this
 * needs no trace.
 */
export function outcome(id: string): RunProperty {
  return {
    description: `outcome ${id}`,
    bind(model) {
      const k = model.outcomes.findIndex((o) => o.id === id);
      if (k < 0) throw new Error(`unknown outcome "${id}" (${knownList(model.outcomes.map((o) => o.id), id)})`);
      const o = model.outcomes[k] as Model['outcomes'][number];
      const when = o.by === 0 ? 'at the end of the run' : `by turn ${o.by}`;
      return {
        needsTrace: false,
        check(record) {
          const first = record.outcomeTurns[k] as number;
          const held = first === 0 ? 'it never held' : `it first held at the end of turn ${first}`;
          if (reachedOutcome(model, record, k)) return { holds: true, because: `${id} (${o.text}) was reached ${when}; ${held}`, turn: o.by === 0 ? model.turns : first };
          return { holds: false, because: `${id} (${o.text}) was not reached ${when}; ${held}` };
        },
      };
    },
  };
}

/**
 * The run climbs to `rung` (a rung id, or a threshold id for its rung) or higher — overall, or in a
 * theatre, or in one dyad — on or before `byTurn`. An act raises a level only against someone other
 * than its sender, as in the engine's accounting.
 */
export function reaches(rung: string, options: ReachesOptions = {}): RunProperty {
  const scope = [
    options.theatre === undefined ? '' : ` in ${options.theatre}`,
    options.from === undefined && options.to === undefined ? '' : ` (${options.from ?? 'any'} → ${options.to ?? 'any'})`,
    options.byTurn === undefined ? '' : ` by turn ${options.byTurn}`,
  ].join('');
  return {
    description: `reaches ${rung}${scope}`,
    bind(model) {
      const target = rungIndex(model, rung);
      const ids = model.actors.map((a) => a.id);
      const idx = (id: string | undefined) => {
        if (id === undefined) return -1;
        const i = ids.indexOf(id);
        if (i < 0) throw new Error(`unknown actor "${id}" (${knownList(ids, id)})`);
        return i;
      };
      const from = idx(options.from);
      const to = idx(options.to);
      const theatre = options.theatre === undefined ? -1 : model.theatres.findIndex((t) => t.id === options.theatre);
      if (options.theatre !== undefined && theatre < 0)
        throw new Error(`unknown theatre "${options.theatre}" (${knownList(model.theatres.map((t) => t.id), options.theatre)})`);
      const byTurn = options.byTurn ?? Infinity;
      const counts = (e: EventInstance) =>
        e.turn <= byTurn &&
        (theatre < 0 || e.theatre === theatre) &&
        (from < 0 || e.from === from) &&
        e.against.some((t) => t !== e.from && (to < 0 || t === to));
      return {
        needsTrace: false,
        check(record) {
          let peak = -1;
          for (const e of record.events) {
            if (!counts(e)) continue;
            if (e.rung >= target) {
              const r = model.rungs[e.rung];
              return { holds: true, because: `reached ${r?.id} ${r?.name}: ${describeAct(model, e)}`, turn: e.turn, act: e.id };
            }
            if (e.rung > peak) peak = e.rung;
          }
          const p = model.rungs[peak];
          return { holds: false, because: p === undefined ? 'nothing escalated' : `the peak stayed at ${p.id} ${p.name}` };
        },
      };
    },
  };
}

/** Options of `happens`: by when, and how many times. */
export interface HappensOptions {
  /** Only occurrences on or before this turn count. Default: the whole run. */
  readonly byTurn?: number;
  /** Fewest occurrences for the run to hold. Default 1, or 0 when `atMost` is given. */
  readonly atLeast?: number;
  /** Most occurrences for the run to hold. Default: no bound. */
  readonly atMost?: number;
  /** Exactly this many occurrences (instead of `atLeast` and `atMost`). */
  readonly exactly?: number;
}

function countBounds(options: HappensOptions): { least: number; most: number } {
  const { atLeast, atMost, exactly } = options;
  for (const [name, v] of [['atLeast', atLeast], ['atMost', atMost], ['exactly', exactly]] as const)
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) throw new Error(`happens: ${name} must be a whole number ≥ 0; found ${String(v)}`);
  if (exactly !== undefined) {
    if (atLeast !== undefined || atMost !== undefined) throw new Error('happens: give exactly, or atLeast and/or atMost, not both');
    return { least: exactly, most: exactly };
  }
  const least = atLeast ?? (atMost === undefined ? 1 : 0);
  const most = atMost ?? Infinity;
  if (least > most) throw new Error(`happens: atLeast (${least}) is more than atMost (${most}): no run could hold`);
  return { least, most };
}

function times(n: number): string {
  return `${n} time${n === 1 ? '' : 's'}`;
}

function countWords(least: number, most: number): string {
  if (least === most) return `exactly ${times(least)}`;
  if (most === Infinity) return `at least ${times(least)}`;
  if (least === 0) return `at most ${times(most)}`;
  return `between ${least} and ${times(most)}`;
}

/**
 * Some act or state matching the pattern occurs in the run (on or before `byTurn`); with `atLeast`,
 * `atMost` or `exactly`, it occurs that many times. An act occurs once per matching act; a state once
 * at the start (when an actor starts in it) and once per entry from outside it. A breach names the act
 * that decided it: the occurrence one past `atMost`, or the last there was.
 */
export function happens(pattern: PatternInput, options: HappensOptions = {}): RunProperty {
  const { least, most } = countBounds(options);
  const counted = options.atLeast !== undefined || options.atMost !== undefined || options.exactly !== undefined;
  const by = options.byTurn === undefined ? '' : ` by turn ${options.byTurn}`;
  const what = describePattern(pattern);
  const bounds = counted ? ` ${countWords(least, most)}` : '';
  return {
    description: `${what} happens${bounds}${by}`,
    bind(model) {
      const p = resolvePattern(model, pattern);
      const byTurn = options.byTurn ?? Infinity;
      // "WORDS happened 2 times"; a state is counted by its separate spells: "A was in tense 2 separate times".
      const occurred = (count: string) =>
        p.kind === 'act' ? `${what} happened ${count}` : `${model.actors[p.actor]?.id} was in ${model.actors[p.actor]?.states[p.state]?.path} ${count.replace(/times?$/, (t) => `separate ${t}`)}`;
      if (!counted)
        return {
          needsTrace: patternNeedsTrace(p),
          check(record) {
            const o = firstOccurrence(model, record, p);
            if (o !== undefined && o.turn <= byTurn) return { holds: true, because: o.text, turn: o.turn, act: o.act };
            return { holds: false, because: `no ${what}${by}` };
          },
        };
      return {
        needsTrace: patternNeedsTrace(p),
        check(record) {
          const found = occurrences(model, record, p).filter((o) => o.turn <= byTurn);
          const n = found.length;
          const cite = (o: Occurrence | undefined) => (o === undefined ? {} : { turn: o.turn, act: o.act });
          if (n > most) {
            const over = found[most] as Occurrence;
            return { holds: false, because: `${occurred(`more than ${times(most)}`)}${by}: the ${ordinal(most + 1)} was ${over.text}`, ...cite(over) };
          }
          if (n < least) {
            const last = found[n - 1];
            return { holds: false, because: `${occurred(times(n))}${by}, fewer than ${least}${last === undefined ? '' : `; the last was ${last.text}`}` };
          }
          const deciding = found[Math.max(0, least - 1)];
          return { holds: true, because: `${occurred(times(n))}${by}${deciding === undefined ? '' : `; the ${ordinal(Math.max(1, least))} was ${deciding.text}`}`, ...cite(deciding) };
        },
      };
    },
  };
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** No act or state in the run matches the pattern. */
export function never(pattern: PatternInput): RunProperty {
  return {
    description: `never ${describePattern(pattern)}`,
    bind(model) {
      const p = resolvePattern(model, pattern);
      return {
        needsTrace: patternNeedsTrace(p),
        check(record) {
          const b = checkNever(model, record, p);
          return b === undefined ? { holds: true, because: `no ${describePattern(pattern)}` } : { holds: false, because: b.message, turn: b.turn, act: b.act };
        },
      };
    },
  };
}

/** `then` never happens unless `first` happened strictly earlier in the run. */
export function precedes(first: PatternInput, then: PatternInput): RunProperty {
  return {
    description: `${describePattern(then)} only after ${describePattern(first)}`,
    bind(model) {
      const f = resolvePattern(model, first);
      const t = resolvePattern(model, then);
      return {
        needsTrace: patternNeedsTrace(f) || patternNeedsTrace(t),
        check(record) {
          const b = checkPrecedes(model, record, f, t);
          return b === undefined
            ? { holds: true, because: `every ${describePattern(then)} came after ${describePattern(first)}, or none happened` }
            : { holds: false, because: b.message, turn: b.turn, act: b.act };
        },
      };
    },
  };
}

/**
 * The condition holds at the end of every turn. It may read states (naming the actor), peaks, what
 * happened and the turn — not variables, which a run's trace does not record.
 */
export function always(condition: ConditionDef): RunProperty {
  const text = describeCondition(condition);
  return {
    description: `always ${text}`,
    bind(model) {
      const c = resolveStateCondition(model, condition);
      return {
        needsTrace: conditionNeedsTrace(c),
        check(record) {
          const b = checkAlways(model, record, c, text);
          return b === undefined ? { holds: true, because: `${text} at the end of every turn` } : { holds: false, because: b.message, turn: b.turn };
        },
      };
    },
  };
}

/** Holds when `p` does not. */
export function not(p: RunProperty): RunProperty {
  return {
    description: `not (${p.description})`,
    bind(model) {
      const b = p.bind(model);
      return {
        needsTrace: b.needsTrace,
        check(record) {
          const v = b.check(record);
          return { ...v, holds: !v.holds };
        },
      };
    },
  };
}

function combine(ps: readonly RunProperty[], word: 'and' | 'or'): RunProperty {
  if (ps.length === 0) throw new Error(`${word === 'and' ? 'allOf' : 'anyOf'}: expected at least one property`);
  return {
    description: ps.length === 1 ? (ps[0] as RunProperty).description : ps.map((p) => `(${p.description})`).join(` ${word} `),
    bind(model) {
      const bound = ps.map((p) => p.bind(model));
      return {
        needsTrace: bound.some((b) => b.needsTrace),
        check(record) {
          const verdicts = bound.map((b) => b.check(record));
          const deciding = verdicts.find((v) => v.holds === (word === 'or'));
          if (deciding !== undefined) return deciding;
          return { holds: word === 'and', because: verdicts.map((v) => v.because).join('; ') };
        },
      };
    },
  };
}

/** Holds when every property holds; the first that fails explains why. */
export function allOf(...ps: RunProperty[]): RunProperty {
  return combine(ps, 'and');
}

/** Holds when some property holds. */
export function anyOf(...ps: RunProperty[]): RunProperty {
  return combine(ps, 'or');
}

/** Holds when `p` does not, or `q` does: "if p then q". */
export function implies(p: RunProperty, q: RunProperty): RunProperty {
  return {
    description: `if ${p.description} then ${q.description}`,
    bind(model) {
      const bp = p.bind(model);
      const bq = q.bind(model);
      return {
        needsTrace: bp.needsTrace || bq.needsTrace,
        check(record) {
          const vp = bp.check(record);
          if (!vp.holds) return { holds: true, because: `not ${p.description}: ${vp.because}` };
          const vq = bq.check(record);
          return vq.holds ? vq : { ...vq, because: `${vp.because}, but ${vq.because}` };
        },
      };
    },
  };
}

/** The same property under a name of your own, for failure messages: `named('Art. 4 answers an attack', p)`. */
export function named(description: string, p: RunProperty): RunProperty {
  return { description, bind: (model) => p.bind(model) };
}
