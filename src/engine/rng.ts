import seedrandom from 'seedrandom';

/** A uniform source in [0, 1). */
export type Random = () => number;

/** seedrandom's alea generator for a seed string. Same seed, same sequence, on any machine. */
export function createRandom(seed: string): Random {
  return seedrandom.alea(seed);
}

/**
 * The seed of run `index` (0-based) of a batch with base seed `base`: the decimal form of cyrb53, a
 * 53-bit string hash, of `"<base>:<index>"`. `brink run <scenario> --seed <that>` replays the run.
 */
export function deriveRunSeed(base: string, index: number): string {
  return String(cyrb53(`${base}:${index}`));
}

/** cyrb53 (bryc, public domain): a fast 53-bit string hash with good dispersion. */
export function cyrb53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
