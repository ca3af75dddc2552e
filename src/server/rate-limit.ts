/** Options of a {@link FailureLimiter}. */
export interface FailureLimitOptions {
  /** Failures a key (a client address) may have in one window before it is refused. */
  readonly perKey: number;
  /** Failures all keys together may have in one window before everyone is refused. */
  readonly total: number;
  /** The window, in milliseconds. */
  readonly windowMs: number;
}

/**
 * Limits failed attempts (wrong join codes), per key and in total, in fixed windows. Only failures
 * count, so a class of thirty behind one address joins at once, while a guesser is stopped. The clock
 * is passed in, so tests decide what time it is.
 */
export class FailureLimiter {
  private windowStart = Number.NEGATIVE_INFINITY;
  private readonly counts = new Map<string, number>();
  private totalCount = 0;

  constructor(readonly options: FailureLimitOptions) {}

  private roll(now: number): void {
    if (now - this.windowStart >= this.options.windowMs) {
      this.windowStart = now;
      this.counts.clear();
      this.totalCount = 0;
    }
  }

  /** True when the key may not try now. */
  isBlocked(key: string, now: number): boolean {
    this.roll(now);
    return (this.counts.get(key) ?? 0) >= this.options.perKey || this.totalCount >= this.options.total;
  }

  /** Counts one failed attempt of the key. */
  recordFailure(key: string, now: number): void {
    this.roll(now);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.totalCount++;
  }

  /** Whole seconds until the current window ends (at least 1). */
  retryAfterSeconds(now: number): number {
    return Math.max(1, Math.ceil((this.windowStart + this.options.windowMs - now) / 1000));
  }
}
