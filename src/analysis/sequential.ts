/**
 * Sequential decisions about a probability from 0/1 outcomes fed one run at a time, in run order.
 * Each procedure decides after which run to stop from the outcomes so far only, so the stopping point
 * (and the answer) depends on the seed and never on how the runs were spread over threads.
 * Pure and deterministic; docs/check.md states each guarantee in words.
 */
import { betaQuantile, betaRegularized, gammaQuantile, normalQuantile } from './special.ts';

export type Verdict = 'holds' | 'fails';

/** An interval for a probability, with the confidence it was built for. */
export interface Interval {
  readonly low: number;
  readonly high: number;
  readonly confidence: number;
}

/** The Clopper–Pearson ("exact") interval for `hits` in `runs` independent runs: covers p with probability ≥ confidence, whatever p. */
export function clopperPearson(hits: number, runs: number, confidence: number): Interval {
  const a = (1 - confidence) / 2;
  if (runs === 0) return { low: 0, high: 1, confidence };
  const low = hits === 0 ? 0 : betaQuantile(a, hits, runs - hits + 1);
  const high = hits === runs ? 1 : betaQuantile(1 - a, hits + 1, runs - hits);
  return { low, high, confidence };
}

/** P(Bin(n, p) ≤ c). */
export function binomialCdf(c: number, n: number, p: number): number {
  if (c < 0) return 0;
  if (c >= n) return 1;
  return betaRegularized(1 - p, n - c, c + 1);
}

/** Settings of a test of `P(X) < θ` (or `>`): Wald's SPRT between p = θ − δ and p = θ + δ. */
export interface SprtSettings {
  readonly threshold: number;
  /** `<` and `<=` claim p is below the threshold; `>` and `>=` above. */
  readonly below: boolean;
  /** Half-width of the indifference region. */
  readonly delta: number;
  /** Most probability of saying "holds" when p is on the wrong side of the threshold by δ or more. */
  readonly alpha: number;
  /** Most probability of saying "does not hold" when p is on the claimed side by δ or more. */
  readonly beta: number;
}

/**
 * Wald's sequential probability ratio test of the claim `p < θ` (or `p > θ`): it weighs p = θ ∓ δ
 * (the claim holds by δ) against p = θ ± δ (fails by δ) run by run and stops as soon as the
 * likelihood ratio leaves (α/(1−β), (1−α)/β). Wald's bounds make the error probabilities at most
 * α/(1−β) and β/(1−α) (in practice below α and β); inside the indifference region either answer may come.
 */
export class Sprt {
  runs = 0;
  hits = 0;
  llr = 0;
  verdict: Verdict | undefined;
  readonly pHolds: number;
  readonly pFails: number;
  private readonly up: number;
  private readonly down: number;
  private readonly upper: number;
  private readonly lower: number;

  constructor(readonly settings: SprtSettings) {
    const { threshold: t, delta: d, alpha, beta } = settings;
    if (!(d > 0 && t - d > 0 && t + d < 1)) throw new RangeError(`the indifference region [${t - d}, ${t + d}] must lie inside (0, 1)`);
    this.pHolds = settings.below ? t - d : t + d;
    this.pFails = settings.below ? t + d : t - d;
    this.up = Math.log(this.pFails / this.pHolds);
    this.down = Math.log((1 - this.pFails) / (1 - this.pHolds));
    this.upper = Math.log((1 - alpha) / beta);
    this.lower = Math.log(alpha / (1 - beta));
  }

  /** Adds the next run's outcome; returns the verdict once there is one (and keeps it). */
  add(hit: boolean): Verdict | undefined {
    if (this.verdict !== undefined) return this.verdict;
    this.runs++;
    if (hit) this.hits++;
    this.llr += hit ? this.up : this.down;
    if (this.llr >= this.upper) this.verdict = 'fails';
    else if (this.llr <= this.lower) this.verdict = 'holds';
    return this.verdict;
  }
}

/**
 * The fewest runs a test fixed in advance needs for the SPRT's guarantee: the smallest n with a
 * critical count c such that P(say holds | p = pFails) ≤ α and P(say fails | p = pHolds) ≤ β (exact
 * binomial). What the SPRT's runs are measured against.
 */
export function fixedSampleRuns(s: SprtSettings): number {
  // Work on the "below" form: say holds when hits ≤ c. The "above" form mirrors p → 1 − p.
  const p0 = s.below ? s.threshold - s.delta : 1 - s.threshold - s.delta;
  const p1 = s.below ? s.threshold + s.delta : 1 - s.threshold + s.delta;
  const ok = (n: number): boolean => {
    // Largest c with P(hits ≤ c | p1) ≤ α.
    let lo = -1;
    let hi = n;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (binomialCdf(mid, n, p1) <= s.alpha) lo = mid;
      else hi = mid - 1;
    }
    return lo >= 0 && 1 - binomialCdf(lo, n, p0) <= s.beta;
  };
  let hi = 16;
  while (!ok(hi)) hi *= 2;
  let lo = Math.floor(hi / 2);
  while (lo + 1 < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The runs a Clopper–Pearson interval needs to have half-width ≤ ε when p is `p` (hits = round(n p)). */
export function runsForHalfWidth(p: number, epsilon: number, confidence: number): number {
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const ok = (n: number) => {
    const ci = clopperPearson(Math.round(n * p), n, confidence);
    return (ci.high - ci.low) / 2 <= epsilon;
  };
  let hi = Math.max(8, Math.ceil((z * z * Math.max(p * (1 - p), 1e-12)) / (epsilon * epsilon)));
  while (!ok(hi)) hi = Math.ceil(hi * 1.25);
  let lo = 1;
  while (lo + 1 < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** What an estimate found. */
export interface Estimate {
  readonly estimate: number;
  readonly interval: Interval;
  /** Runs whose outcomes the interval is computed from. */
  readonly runs: number;
  readonly hits: number;
}

/**
 * An estimate to an absolute precision ±ε by a two-stage design (Stein's): a pilot of runs bounds how
 * far p can be from 1/2 (a 99.9% Clopper–Pearson bound), which fixes the number of fresh runs whose
 * Clopper–Pearson interval has half-width ε; the interval is computed from those fresh runs only.
 * Their number is decided before any of them is seen, so the interval covers p with probability at
 * least the confidence, whatever p and despite the stopping rule. The pilot's runs count as used.
 */
export class TwoStageEstimate {
  runs = 0;
  readonly pilot: number;
  private pilotHits = 0;
  /** Runs of the second stage, known once the pilot is done. */
  second: number | undefined;
  private hits = 0;
  done: Estimate | undefined;

  constructor(
    readonly epsilon: number,
    readonly confidence: number,
  ) {
    this.pilot = Math.max(50, Math.ceil(runsForHalfWidth(0.5, epsilon, confidence) / 10));
  }

  add(hit: boolean): Estimate | undefined {
    if (this.done !== undefined) return this.done;
    this.runs++;
    if (this.second === undefined) {
      if (hit) this.pilotHits++;
      if (this.runs === this.pilot) {
        const b = clopperPearson(this.pilotHits, this.pilot, 0.999);
        const worst = b.high < 0.5 ? b.high : b.low > 0.5 ? b.low : 0.5;
        this.second = runsForHalfWidth(worst, this.epsilon, this.confidence);
      }
      return undefined;
    }
    if (hit) this.hits++;
    const n = this.runs - this.pilot;
    if (n === this.second) this.done = { estimate: this.hits / n, interval: clopperPearson(this.hits, n, this.confidence), runs: n, hits: this.hits };
    return this.done;
  }

  /** Pilot and second-stage outcomes so far (for a report cut short). */
  counts(): { hits: number; runs: number } {
    return { hits: this.pilotHits + this.hits, runs: this.runs };
  }
}

/** The hits inverse binomial sampling waits for, so that the interval's half-width is at most `relative` × the estimate whatever p. */
export function hitsForRelative(relative: number, confidence: number): number {
  const a = (1 - confidence) / 2;
  // The relative width is largest as p → 0, where N·p tends to a Gamma(k) variable.
  const ok = (k: number) => (gammaQuantile(1 - a, k) - gammaQuantile(a, k)) / 2 <= relative * (k - 1);
  let hi = 4;
  while (!ok(hi)) hi *= 2;
  let lo = 2;
  while (lo + 1 < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * An estimate to a relative precision ±r by inverse binomial sampling (Haldane): runs are played until
 * the k-th hit, k fixed in advance by r. The number of runs N is then negative binomial, and the
 * interval is exact for that distribution, so it covers p with probability at least the confidence
 * despite the stopping rule; (k − 1)/(N − 1) is unbiased.
 */
export class InverseBinomialEstimate {
  runs = 0;
  hits = 0;
  readonly target: number;
  done: Estimate | undefined;

  constructor(
    readonly relative: number,
    readonly confidence: number,
  ) {
    this.target = hitsForRelative(relative, confidence);
  }

  add(hit: boolean): Estimate | undefined {
    if (this.done !== undefined) return this.done;
    this.runs++;
    if (hit) this.hits++;
    if (this.hits === this.target) {
      const k = this.hits;
      const n = this.runs;
      const a = (1 - this.confidence) / 2;
      const low = betaQuantile(a, k, n - k + 1);
      const high = n === k ? 1 : betaQuantile(1 - a, k, n - k);
      this.done = { estimate: (k - 1) / (n - 1), interval: { low, high, confidence: this.confidence }, runs: n, hits: k };
    }
    return this.done;
  }
}

/** The z of a two-sided interval at `confidence`. */
export function zFor(confidence: number): number {
  return normalQuantile(1 - (1 - confidence) / 2);
}
