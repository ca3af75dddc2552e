import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, CODE_LENGTH, createJoinCode, formatJoinCode, hashSecret, normalizeJoinCode, secretMatches } from '../../src/server/codes.ts';
import { FailureLimiter } from '../../src/server/rate-limit.ts';

describe('join codes and the failure limiter (issue 15)', () => {
  it('counts failures per address and in total, in fixed windows', () => {
    const l = new FailureLimiter({ perKey: 3, total: 5, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      expect(l.isBlocked('a', 1000)).toBe(false);
      l.recordFailure('a', 1000);
    }
    expect(l.isBlocked('a', 1000)).toBe(true);
    expect(l.isBlocked('b', 1000)).toBe(false);
    l.recordFailure('b', 2000);
    l.recordFailure('c', 2000);
    expect(l.isBlocked('d', 2000)).toBe(true); // five failures in all
    expect(l.retryAfterSeconds(2000)).toBe(59);
    expect(l.isBlocked('a', 61_000)).toBe(false); // a new window
  });

  it('makes 8-character codes from an alphabet without look-alikes, and reads them back as typed', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const c = createJoinCode();
      expect(c).toHaveLength(CODE_LENGTH);
      for (const ch of c) expect(CODE_ALPHABET).toContain(ch);
      seen.add(c);
      expect(normalizeJoinCode(` ${formatJoinCode(c).toLowerCase()} `)).toBe(c);
    }
    expect(seen.size).toBe(200);
    expect(CODE_ALPHABET).not.toMatch(/[0O1IL2Z5S]/);
    expect(CODE_ALPHABET.length ** CODE_LENGTH).toBeGreaterThan(2e11);
  });

  it('matches a secret with its stored hash only', () => {
    const h = hashSecret('s3cret');
    expect(secretMatches('s3cret', h)).toBe(true);
    expect(secretMatches('s3cres', h)).toBe(false);
    expect(secretMatches('', h)).toBe(false);
  });
});
