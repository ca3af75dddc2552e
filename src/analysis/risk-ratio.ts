/** A risk ratio with its 95% interval. */
export interface RiskRatio {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

const Z95 = 1.959963984540054;

/**
 * The risk ratio (a / n1) / (c / n2) — a of n1 exposed runs and c of n2 unexposed runs had the outcome —
 * with the 95% interval of the log method (Katz): exp(ln RR ± z·√(1/a − 1/n1 + 1/c − 1/n2)). When a or c
 * is 0, 0.5 is added to each of the four cells (Haldane–Anscombe) so the ratio and its interval stay
 * finite. Undefined when either group is empty. Pure.
 */
export function riskRatio(a: number, n1: number, c: number, n2: number, z = Z95): RiskRatio | undefined {
  if (n1 <= 0 || n2 <= 0) return undefined;
  const fix = a === 0 || c === 0 ? 0.5 : 0;
  const a1 = a + fix;
  const c1 = c + fix;
  const m1 = n1 + 2 * fix;
  const m2 = n2 + 2 * fix;
  const estimate = a1 / m1 / (c1 / m2);
  const se = Math.sqrt(Math.max(0, 1 / a1 - 1 / m1 + 1 / c1 - 1 / m2));
  const log = Math.log(estimate);
  return { estimate, low: Math.exp(log - z * se), high: Math.exp(log + z * se) };
}
