import { deriveRunSeed } from '../engine/rng.ts';
import type { Query } from './query.ts';
import { clopperPearson, type Estimate, fixedSampleRuns, type Interval, InverseBinomialEstimate, Sprt, type SprtSettings, TwoStageEstimate } from './sequential.ts';

/** How a check samples and when it stops; every field has a documented default (CHECK_DEFAULTS). */
export interface CheckSettings {
  /** The check's seed: run i plays `deriveRunSeed(seed, i)`. */
  readonly seed: string;
  /** Most probability of saying "holds" when the claim is false by δ or more. Default 0.05. */
  readonly alpha?: number;
  /** Most probability of saying "does not hold" when the claim is true by δ or more. Default 0.05. */
  readonly beta?: number;
  /**
   * Half-width of the indifference region. A hypothesis `P(X) < θ`: default 0.1 × min(θ, 1 − θ). A
   * paired comparison: on the share of the runs where the two sides differ in which the left side is
   * the one that happened (1/2 when they are equally likely); default 0.1.
   */
  readonly delta?: number;
  /** Confidence of intervals. Default 0.95. */
  readonly confidence?: number;
  /** An estimate's precision when its query gives none. Default ±0.01 absolute. */
  readonly precision?: { readonly kind: 'absolute' | 'relative'; readonly value: number };
  /** Most runs before giving up as undecided. Default 1,000,000. */
  readonly maxRuns?: number;
  /** Witness runs to keep (the first ones, in run order). Default 3. */
  readonly witnesses?: number;
}

export const CHECK_DEFAULTS = { alpha: 0.05, beta: 0.05, confidence: 0.95, precision: { kind: 'absolute', value: 0.01 }, maxRuns: 1_000_000, witnesses: 3, pairedDelta: 0.1 } as const;

/** The default indifference half-width of `P(X) < θ`. */
export function defaultDelta(threshold: number): number {
  return 0.1 * Math.min(threshold, 1 - threshold);
}

export type CheckMethod = 'exact' | 'sprt' | 'two-stage' | 'inverse-binomial' | 'paired-sprt';

/** A run that shows the event (or, in a comparison, a run where the two sides differ), with the seed that replays it. */
export interface Witness {
  /** Index of the `P(…)` in the query (0 left, 1 right). */
  readonly side: number;
  readonly index: number;
  readonly seed: string;
  /** What it shows. */
  readonly shows: string;
}

/** One `P(…)` of a check, as sampled: hits in the runs used, with a Clopper–Pearson interval (for information in a sequential test). */
export interface SideTally {
  readonly text: string;
  readonly hits: number;
  readonly runs: number;
  readonly estimate: number;
  readonly interval: Interval;
}

/** What a sampled check found. */
export interface SampledAnswer {
  readonly method: Exclude<CheckMethod, 'exact'>;
  /** `estimated` for an estimate done; `undecided` when `maxRuns` ran out. */
  readonly verdict: 'holds' | 'fails' | 'estimated' | 'undecided';
  readonly runs: number;
  readonly sides: readonly SideTally[];
  /** An estimate's answer (its interval has the stated coverage). */
  readonly estimate: Estimate | null;
  readonly sprt: (SprtSettings & { readonly pHolds: number; readonly pFails: number; readonly fixedSampleRuns: number }) | null;
  /** A comparison's run counts: left only, right only, both, neither. */
  readonly paired: { readonly leftOnly: number; readonly rightOnly: number; readonly both: number; readonly neither: number } | null;
  /** The inverse-binomial target hits, or the two-stage pilot and second-stage runs. */
  readonly design: { readonly pilot: number; readonly second: number | null } | { readonly hits: number } | null;
  readonly witnesses: readonly Witness[];
}

/**
 * Consumes a check's judged runs in run order (`feed`) and stops at the first run after which its
 * procedure decides: Wald's SPRT for a hypothesis, a two-stage or inverse-binomial design for an
 * estimate, an SPRT on the runs where the sides differ for a comparison. Deterministic: the same
 * outcomes give the same answer, however they were split into blocks.
 */
export class CheckDecider {
  private readonly sides: number;
  private readonly hits: number[];
  private used = 0;
  private finished = false;
  private readonly witnesses: Witness[] = [];
  private readonly wantWitnesses: number;
  private readonly maxRuns: number;
  private readonly sprt: Sprt | undefined;
  private readonly twoStage: TwoStageEstimate | undefined;
  private readonly inverse: InverseBinomialEstimate | undefined;
  private readonly pair = { leftOnly: 0, rightOnly: 0, both: 0, neither: 0 };
  private readonly confidence: number;

  constructor(
    readonly query: Query,
    private readonly texts: readonly string[],
    private readonly settings: CheckSettings,
  ) {
    this.sides = texts.length;
    this.hits = texts.map(() => 0);
    this.wantWitnesses = settings.witnesses ?? CHECK_DEFAULTS.witnesses;
    this.maxRuns = settings.maxRuns ?? CHECK_DEFAULTS.maxRuns;
    this.confidence = settings.confidence ?? CHECK_DEFAULTS.confidence;
    const alpha = settings.alpha ?? CHECK_DEFAULTS.alpha;
    const beta = settings.beta ?? CHECK_DEFAULTS.beta;
    if (query.kind === 'hypothesis') {
      const below = query.comparison === '<' || query.comparison === '<=';
      this.sprt = new Sprt({ threshold: query.threshold, below, delta: settings.delta ?? defaultDelta(query.threshold), alpha, beta });
    } else if (query.kind === 'paired') {
      const below = query.comparison === '<' || query.comparison === '<=';
      this.sprt = new Sprt({ threshold: 0.5, below, delta: settings.delta ?? CHECK_DEFAULTS.pairedDelta, alpha, beta });
    } else {
      const precision = query.precision ?? settings.precision ?? CHECK_DEFAULTS.precision;
      if (precision.kind === 'absolute') this.twoStage = new TwoStageEstimate(precision.value, this.confidence);
      else this.inverse = new InverseBinomialEstimate(precision.value, this.confidence);
    }
  }

  /** True once decided, or once `maxRuns` runs were fed. */
  get done(): boolean {
    return this.finished;
  }

  /** Runs fed so far (the runs used, once done). */
  get runs(): number {
    return this.used;
  }

  /** Feeds runs `first … first+count-1` (`hits[i * sides + s]`); returns true when done. Blocks must come in order. */
  feed(hits: Uint8Array, first: number, count: number): boolean {
    if (first !== this.used && !this.finished) throw new Error(`check: runs fed out of order (expected run ${this.used}, got ${first})`);
    for (let i = 0; i < count && !this.finished; i++) {
      if (this.used >= this.maxRuns) {
        this.finished = true;
        break;
      }
      const index = first + i;
      this.used++;
      const row = hits.subarray(i * this.sides, (i + 1) * this.sides);
      for (let s = 0; s < this.sides; s++) if (row[s] === 1) this.hits[s] = (this.hits[s] as number) + 1;
      this.finished = this.step(row, index);
    }
    if (this.used >= this.maxRuns) this.finished = true;
    return this.finished;
  }

  private witness(side: number, index: number, shows: string): void {
    if (this.witnesses.length < this.wantWitnesses * Math.max(1, this.sides)) this.witnesses.push({ side, index, seed: deriveRunSeed(this.settings.seed, index), shows });
  }

  private step(row: Uint8Array, index: number): boolean {
    const q = this.query;
    if (q.kind === 'paired') {
      const l = row[0] === 1;
      const r = row[1] === 1;
      if (l && r) this.pair.both++;
      else if (!l && !r) this.pair.neither++;
      else {
        if (l) this.pair.leftOnly++;
        else this.pair.rightOnly++;
        const side = l ? 0 : 1;
        if (this.witnesses.filter((w) => w.side === side).length < this.wantWitnesses)
          this.witness(side, index, `${this.texts[side]} happened and ${this.texts[1 - side]} did not, on the same seed`);
        return (this.sprt as Sprt).add(l) !== undefined;
      }
      return false;
    }
    const hit = row[0] === 1;
    if (hit && this.witnesses.length < this.wantWitnesses) this.witness(0, index, `${this.texts[0]}: it happened`);
    if (this.sprt !== undefined) return this.sprt.add(hit) !== undefined;
    if (this.twoStage !== undefined) return this.twoStage.add(hit) !== undefined;
    return (this.inverse as InverseBinomialEstimate).add(hit) !== undefined;
  }

  /** The answer so far (final once `done`). */
  answer(): SampledAnswer {
    const sides = this.texts.map((text, s) => {
      const h = this.hits[s] as number;
      return { text, hits: h, runs: this.used, estimate: this.used === 0 ? 0 : h / this.used, interval: clopperPearson(h, this.used, this.confidence) };
    });
    const base = { runs: this.used, sides, witnesses: this.witnesses.slice() };
    if (this.sprt !== undefined) {
      const s = this.sprt;
      const verdict = s.verdict ?? 'undecided';
      return {
        ...base,
        method: this.query.kind === 'paired' ? 'paired-sprt' : 'sprt',
        verdict,
        estimate: null,
        sprt: { ...s.settings, pHolds: s.pHolds, pFails: s.pFails, fixedSampleRuns: fixedSampleRuns(s.settings) },
        paired: this.query.kind === 'paired' ? { ...this.pair } : null,
        design: null,
      };
    }
    if (this.twoStage !== undefined) {
      const t = this.twoStage;
      return { ...base, method: 'two-stage', verdict: t.done === undefined ? 'undecided' : 'estimated', estimate: t.done ?? null, sprt: null, paired: null, design: { pilot: t.pilot, second: t.second ?? null } };
    }
    const inv = this.inverse as InverseBinomialEstimate;
    return { ...base, method: 'inverse-binomial', verdict: inv.done === undefined ? 'undecided' : 'estimated', estimate: inv.done ?? null, sprt: null, paired: null, design: { hits: inv.target } };
  }
}
