import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * Join codes: 8 characters from a 27-letter alphabet without look-alikes (0/O, 1/I/L, 2/Z, 5/S are
 * dropped), shown as two groups of four. 27^8 ≈ 2.8e11 codes; with 1,000 live codes and the join rate
 * limit (10 tries a minute per address, 600 a minute for the whole server), a class period of 60
 * minutes gives guessers at most 36,000 tries in all: P(any hit) ≤ 36,000 × 1,000 / 2.8e11 ≈ 1.3e-4.
 */
export const CODE_ALPHABET = '346789ABCDEFGHJKMNPQRTUVWXY';
export const CODE_LENGTH = 8;

/** A fresh join code from the operating system's cryptographic source. */
export function createJoinCode(): string {
  let s = '';
  for (let i = 0; i < CODE_LENGTH; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

/** The code as people read it: `ABCD-EFGH`. */
export function formatJoinCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** What a person typed, made comparable: upper case, no spaces or dashes. */
export function normalizeJoinCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '');
}

/** A bearer secret: 32 random bytes, base64url (256 bits). */
export function createSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored instead of a secret, so a copy of the data folder does not hand out the keys. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** Compares a presented secret with a stored hash in constant time. */
export function secretMatches(secret: string, hash: string): boolean {
  const a = Buffer.from(hashSecret(secret));
  const b = Buffer.from(hash);
  return a.length === b.length && timingSafeEqual(a, b);
}
