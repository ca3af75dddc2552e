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

/**
 * The counter-based draws' stream of a run: two 32-bit words from its seed. Draws that must not move
 * when a scenario gains or loses an unrelated rule (chance reactions, the moves of a second region) come
 * from `counterDraw(stream, turn, key, occurrence)` instead of the run's sequential alea source.
 */
export interface DrawStream {
  readonly hi: number;
  readonly lo: number;
}

/** The counter-based stream of run seed `seed` (docs/engine.md "Counter-based draws"). */
export function drawStreamOf(seed: string): DrawStream {
  const h = cyrb53(seed, 0x9e3779b9);
  return { hi: Math.floor(h / 4294967296) >>> 0, lo: h >>> 0 };
}

/**
 * The stream a counterfactual replication uses after its branch point: two words taken from its own
 * source (the same in every arm, so the arms keep common random numbers).
 */
export function drawStreamFrom(random: Random): DrawStream {
  return { hi: Math.floor(random() * 4294967296) >>> 0, lo: Math.floor(random() * 4294967296) >>> 0 };
}

/** A 32-bit key for a name (a rule's, a region's): the key of counter-based draws, fixed at model build. */
export function drawKeyOf(name: string): number {
  return cyrb53(name) >>> 0;
}

/** murmur3's 32-bit finaliser: every input bit reaches every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One murmur3 block step: absorbs a 32-bit word into the hash state. */
function absorb(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * A uniform number in [0, 1) that depends only on its arguments: the run's stream, the turn, the key of
 * the rule or region that draws, and the occurrence (0 for the first draw of that key in the turn, 1 for
 * the second, …). Adding a rule elsewhere shifts no other draw, so variants keep common random numbers.
 * 53 bits, from two independently mixed 32-bit hashes (murmur3 steps over the five words).
 */
export function counterDraw(stream: DrawStream, turn: number, key: number, occurrence: number): number {
  let a = absorb(stream.lo, stream.hi);
  a = absorb(a, turn);
  a = absorb(a, key);
  a = absorb(a, occurrence);
  let b = absorb(stream.hi ^ 0x5bd1e995, stream.lo);
  b = absorb(b, key);
  b = absorb(b, turn);
  b = absorb(b, occurrence ^ 0x27d4eb2f);
  const hi = fmix32(a ^ 20) >>> 5; // 27 bits
  const lo = fmix32(b ^ 20) >>> 6; // 26 bits
  return (hi * 67108864 + lo) / 9007199254740992;
}
