/** A proportion with its 95% Wilson score interval. */
export interface Proportion {
  readonly count: number;
  readonly total: number;
  readonly p: number;
  readonly low: number;
  readonly high: number;
}

const Z95 = 1.959963984540054;

/** The Wilson score interval for `count` successes in `total` trials (95%). */
export function wilson(count: number, total: number, z = Z95): Proportion {
  if (total === 0) return { count, total, p: 0, low: 0, high: 1 };
  const p = count / total;
  const z2 = z * z;
  const denom = 1 + z2 / total;
  const centre = (p + z2 / (2 * total)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total))) / denom;
  return { count, total, p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Quartiles of values given as a histogram (`counts[v]` = how many runs had value v); nearest rank. */
export function histogramQuartiles(counts: ArrayLike<number>, from = 0): { q1: number; median: number; q3: number } | undefined {
  let total = 0;
  for (let v = from; v < counts.length; v++) total += counts[v] as number;
  if (total === 0) return undefined;
  const rank = (q: number) => {
    const target = Math.max(1, Math.ceil(q * total));
    let seen = 0;
    for (let v = from; v < counts.length; v++) {
      seen += counts[v] as number;
      if (seen >= target) return v;
    }
    return counts.length - 1;
  };
  return { q1: rank(0.25), median: rank(0.5), q3: rank(0.75) };
}
