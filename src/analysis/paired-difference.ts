/** The four cells of paired binary outcomes: run i of the base and run i of the variant, same seed. */
export interface PairedCounts {
  /** Both reached it. */
  readonly both: number;
  /** Only the base reached it. */
  readonly baseOnly: number;
  /** Only the variant reached it. */
  readonly variantOnly: number;
  /** Neither did. */
  readonly neither: number;
}

/** A difference of two proportions (variant − base, each in [0, 1]) with its 95% interval. */
export interface Difference {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

const Z95 = 1.959963984540054;

/**
 * P(variant) − P(base) from paired outcomes, with the 95% Wald interval for paired proportions:
 * d = (c − b)/n and se = √(b + c − (c − b)²/n) / n, where b and c are the two discordant cells.
 * Only discordant pairs carry information, so when none is discordant the estimate and both bounds are
 * exactly 0 — as they must be for two identical scenarios run on common random numbers. Like every Wald
 * interval it is too narrow when b + c is small (below about 10): reports show b + c beside it. Bounds
 * are clamped to [−1, 1]. Pure.
 */
export function pairedDifference(counts: PairedCounts, z = Z95): Difference {
  const n = counts.both + counts.baseOnly + counts.variantOnly + counts.neither;
  if (n === 0) return { estimate: 0, low: 0, high: 0 };
  const b = counts.baseOnly;
  const c = counts.variantOnly;
  const estimate = (c - b) / n;
  const variance = Math.max(0, b + c - ((c - b) * (c - b)) / n);
  const half = (z * Math.sqrt(variance)) / n;
  return { estimate, low: Math.max(-1, estimate - half), high: Math.min(1, estimate + half) };
}
