/** How deep two documents may nest before `overlay` refuses them (the loader's own nesting limit). */
const MAX_DEPTH = 64;

/**
 * Overlays a variant on the scenario it extends: mappings merge key by key, a `null` removes a key,
 * and anything else (lists and scalars) replaces what was there. Neither input is changed. Throws a
 * TypeError for objects nested deeper than 64 levels (a cycle included), never a stack overflow.
 */
export function overlay(base: unknown, over: unknown): unknown {
  return merge(base, over, 0);
}

function merge(base: unknown, over: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new TypeError(`overlay: expected documents nested at most ${MAX_DEPTH} levels deep; found deeper (a cycle?)`);
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = {};
  // defineProperty: a key named __proto__ is a key like any other, never the prototype.
  const put = (k: string, v: unknown) => Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  for (const [k, v] of Object.entries(base)) put(k, v);
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else put(k, Object.hasOwn(out, k) ? merge(out[k], v, depth + 1) : v);
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
