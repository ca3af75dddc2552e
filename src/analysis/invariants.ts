import { deriveRunSeed } from '../engine/rng.ts';
import { type RunRecord, Runner } from '../engine/run.ts';
import { evaluate } from '../model/evaluate.ts';
import { type ActPatternModel, type InvariantModel, type PatternModel, readsVariables } from '../model/invariants.ts';
import type { Cond, EventInstance, Model } from '../model/types.ts';
import { type EngineName, createKernel } from '../engine/kernels.ts';
import { TraceView, initialLeaves, isActivePath } from './trace-view.ts';

/** When a pattern first held in a run. */
export interface Occurrence {
  readonly turn: number;
  /** The act that made it hold (the act itself, or the one whose delivery changed the state); -1 at the start. */
  readonly act: number;
  /** Position in the run: act `i` at `2i`, the state changes it caused at `2i + 1`, the start at -1. */
  readonly moment: number;
  /** `#12 DPRK MUTUAL_DEFENCE_INVOKED against USA on turn 5`. */
  readonly text: string;
}

/** How a run broke a rule: when, through which act, and why in words. */
export interface Breach {
  readonly turn: number;
  /** The act that broke it, or -1 (an `always` that failed at a turn's end). */
  readonly act: number;
  readonly message: string;
}

/** A run that broke one of the scenario's invariants. */
export interface Violation extends Breach {
  readonly invariant: string;
  readonly kind: InvariantModel['kind'];
}

/** `#12 DPRK MUTUAL_DEFENCE_INVOKED against USA on turn 5`. */
export function describeAct(model: Model, e: EventInstance): string {
  const name = (a: number) => model.actors[a]?.id ?? '?';
  const against = e.against.filter((a) => a !== e.from);
  return `#${e.id} ${name(e.from)} ${model.events[e.type]?.id}${against.length > 0 ? ` against ${against.map(name).join(', ')}` : ''} on turn ${e.turn}`;
}

/** A resolved pattern in words, with the model's names. */
export function describePatternModel(model: Model, p: PatternModel): string {
  if (p.kind === 'state') return `${model.actors[p.actor]?.id} in ${model.actors[p.actor]?.states[p.state]?.path}`;
  const name = (a: number) => model.actors[a]?.id;
  const parts = [p.events.map((e) => model.events[e]?.id).join(' or ')];
  if (p.from >= 0) parts.push(`by ${name(p.from)}`);
  if (p.to >= 0) parts.push(`to ${name(p.to)}`);
  if (p.against >= 0) parts.push(`against ${name(p.against)}`);
  if (p.theatre >= 0) parts.push(`in ${model.theatres[p.theatre]?.id}`);
  if (p.data.length > 0) parts.push(`(${p.data.map(([k, v]) => `${k}: ${String(v)}`).join(', ')})`);
  return parts.join(' ');
}

/** True when the act matches the pattern. */
export function matchesAct(p: ActPatternModel, e: EventInstance): boolean {
  if (!p.events.includes(e.type)) return false;
  if (p.from >= 0 && e.from !== p.from) return false;
  if (p.to >= 0 && !e.to.includes(p.to)) return false;
  if (p.against >= 0 && !e.against.includes(p.against)) return false;
  if (p.theatre >= 0 && e.theatre !== p.theatre) return false;
  for (const [k, v] of p.data) if (e.data?.[k] !== v) return false;
  return true;
}

/** True when checking the pattern needs the run's state changes (`{ trace: true }`). */
export function patternNeedsTrace(p: PatternModel): boolean {
  return p.kind === 'state';
}

/** True when the condition reads actors' states, which only a traced run records. */
export function conditionNeedsTrace(c: Cond): boolean {
  switch (c.kind) {
    case 'all':
    case 'any':
      return c.of.some(conditionNeedsTrace);
    case 'not':
      return conditionNeedsTrace(c.of);
    case 'state':
      return true;
    default:
      return false;
  }
}

/** True when checking the invariant needs a traced run. */
export function invariantNeedsTrace(inv: InvariantModel): boolean {
  switch (inv.kind) {
    case 'never':
      return patternNeedsTrace(inv.pattern);
    case 'precedes':
      return patternNeedsTrace(inv.first) || patternNeedsTrace(inv.then);
    case 'always':
      return conditionNeedsTrace(inv.condition);
  }
}

function requireTrace(record: RunRecord): NonNullable<RunRecord['stateChanges']> {
  if (record.stateChanges === undefined)
    throw new Error('checking states needs a traced run: runOnce(model, kernel, seed, { trace: true })');
  return record.stateChanges;
}

/** The first moment the pattern held in the run, or undefined. Pure. */
export function firstOccurrence(model: Model, record: RunRecord, p: PatternModel): Occurrence | undefined {
  if (p.kind === 'act') {
    for (const e of record.events) if (matchesAct(p, e)) return { turn: e.turn, act: e.id, moment: 2 * e.id, text: describeAct(model, e) };
    return undefined;
  }
  const changes = requireTrace(record);
  const actor = model.actors[p.actor];
  const path = actor?.states[p.state]?.path ?? '';
  if (actor === undefined) return undefined;
  if (isActivePath(initialLeaves(actor), path)) return { turn: 0, act: -1, moment: -1, text: `${actor.id} starts in ${path}` };
  for (const c of changes) {
    if (c.actor !== p.actor || !isActivePath(c.to === '' ? [] : c.to.split(', '), path)) continue;
    const cause = record.events[c.cause] as EventInstance;
    return { turn: c.turn, act: c.cause, moment: 2 * c.cause + 1, text: `${actor.id} entered ${path} on ${describeAct(model, cause)}` };
  }
  return undefined;
}

/** Breach when the pattern ever holds. */
export function checkNever(model: Model, record: RunRecord, p: PatternModel): Breach | undefined {
  const o = firstOccurrence(model, record, p);
  return o === undefined ? undefined : { turn: o.turn, act: o.act, message: o.text };
}

/** Breach when `then` holds before `first` ever did (strictly earlier; the same act does not count). */
export function checkPrecedes(model: Model, record: RunRecord, first: PatternModel, then: PatternModel): Breach | undefined {
  const t = firstOccurrence(model, record, then);
  if (t === undefined) return undefined;
  const f = firstOccurrence(model, record, first);
  if (f !== undefined && f.moment < t.moment) return undefined;
  return { turn: t.turn, act: t.act, message: `${t.text}, with no ${describePatternModel(model, first)} before it` };
}

/** Breach at the end of the first turn where the condition fails. */
export function checkAlways(model: Model, record: RunRecord, condition: Cond, text = 'the condition'): Breach | undefined {
  if (conditionNeedsTrace(condition)) requireTrace(record);
  const view = new TraceView(model, record);
  for (let turn = 1; turn <= model.turns; turn++) {
    view.advanceTo(turn);
    if (!evaluate(condition, view, undefined)) return { turn, act: -1, message: `at the end of turn ${turn}, "${text}" was false` };
  }
  return undefined;
}

/** How the run broke the invariant, or undefined when it kept it. */
export function checkInvariant(model: Model, record: RunRecord, inv: InvariantModel): Violation | undefined {
  let b: Breach | undefined;
  switch (inv.kind) {
    case 'never':
      b = checkNever(model, record, inv.pattern);
      break;
    case 'precedes':
      b = checkPrecedes(model, record, inv.first, inv.then);
      break;
    case 'always': {
      const text = inv.text.replace(/^at the end of every turn: /, '');
      if (readsVariables(inv.condition)) {
        // Variables are not in a trace: the runner checked this one as it played.
        const turn = record.invariantTurns[model.invariants.indexOf(inv)] ?? 0;
        b = turn === 0 ? undefined : { turn, act: -1, message: `at the end of turn ${turn}, "${text}" was false` };
      } else b = checkAlways(model, record, inv.condition, text);
      break;
    }
  }
  return b === undefined ? undefined : { ...b, invariant: inv.id, kind: inv.kind };
}

/**
 * The scenario's invariants that a run broke, in file order, each with its first breach. Pure. A run
 * played without `{ trace: true }` can be checked only when no invariant reads states
 * (`needsTrace(model)` is false); otherwise this throws.
 */
export function checkInvariants(model: Model, record: RunRecord): Violation[] {
  const out: Violation[] = [];
  for (const inv of model.invariants) {
    const v = checkInvariant(model, record, inv);
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** True when some invariant reads states, so runs must be traced to be checked. */
export function needsTrace(model: Model): boolean {
  return model.invariants.some(invariantNeedsTrace);
}

/** The tally of one invariant over a batch. */
export interface InvariantCount {
  readonly id: string;
  readonly kind: InvariantModel['kind'];
  readonly text: string;
  readonly description: string | null;
  /** Runs that broke it. */
  readonly violations: number;
  /** The earliest run (by index in the batch) that broke it: replay it with its seed. */
  readonly first: { readonly index: number; readonly seed: string; readonly turn: number; readonly message: string } | null;
}

/** What an InvariantTally holds, as plain data: mergeable, and what the renderers read. */
export interface InvariantTallyData {
  readonly runs: number;
  readonly invariants: readonly InvariantCount[];
}

/**
 * Counts, over a batch, the runs that broke each invariant and keeps the earliest such run. Memory
 * does not grow with the number of runs; merging tallies of disjoint runs gives the tally of all of
 * them, whatever the order.
 */
export class InvariantTally {
  runs = 0;
  private readonly counts: number[];
  private readonly firsts: Array<InvariantCount['first']>;

  constructor(private readonly model: Model) {
    this.counts = model.invariants.map(() => 0);
    this.firsts = model.invariants.map(() => null);
  }

  /** Adds run `index` of the batch; returns its violations. */
  add(record: RunRecord, index: number): Violation[] {
    this.runs++;
    const found = checkInvariants(this.model, record);
    for (const v of found) {
      const k = this.model.invariants.findIndex((inv) => inv.id === v.invariant);
      this.count(k, 1, { index, seed: record.seed, turn: v.turn, message: v.message });
    }
    return found;
  }

  /** Adds another tally of disjoint runs of the same model. */
  merge(other: InvariantTallyData): void {
    this.runs += other.runs;
    other.invariants.forEach((c, k) => this.count(k, c.violations, c.first));
  }

  toData(): InvariantTallyData {
    return {
      runs: this.runs,
      invariants: this.model.invariants.map((inv, k) => ({
        id: inv.id,
        kind: inv.kind,
        text: inv.text,
        description: inv.description ?? null,
        violations: this.counts[k] as number,
        first: this.firsts[k] ?? null,
      })),
    };
  }

  private count(k: number, n: number, first: InvariantCount['first']): void {
    if (k < 0 || n === 0) return;
    this.counts[k] = (this.counts[k] as number) + n;
    const current = this.firsts[k];
    if (first !== null && (current === null || current === undefined || first.index < current.index)) this.firsts[k] = first;
  }
}

export interface TallyOptions {
  readonly runs: number;
  /** Base seed: run i plays `deriveRunSeed(seed, i)`, as in playBatch. */
  readonly seed: string;
  /** Default `compiled`. */
  readonly engine?: EngineName;
  /** First run index (for a slice of a larger batch). Default 0. */
  readonly from?: number;
  /** Checked between runs: true stops with the runs done so far. */
  readonly shouldStop?: () => boolean;
}

/**
 * Replays runs `from … from+runs-1` of a batch and tallies their invariant violations. The runs are
 * the batch's own (same seeds, same engine semantics); they are traced only when an invariant reads
 * states. Memory stays flat in the number of runs.
 */
export function tallyInvariants(model: Model, options: TallyOptions): InvariantTally {
  const tally = new InvariantTally(model);
  if (model.invariants.length === 0) return tally;
  const runner = new Runner(model, createKernel(model, options.engine ?? 'compiled'));
  const trace = needsTrace(model);
  const from = options.from ?? 0;
  for (let i = 0; i < options.runs; i++) {
    if (options.shouldStop?.() === true) break;
    const index = from + i;
    tally.add(runner.run(deriveRunSeed(options.seed, index), { trace }), index);
  }
  return tally;
}
