/**
 * The name guard: every lookup of a scenario's own name (actor, state, event type, data field…) in a
 * record goes through here, so a name such as `toString` or `constructor` never finds what
 * `Object.prototype` holds (issue 18).
 */

/** The value a record holds under `key` itself; `undefined` for inherited or missing keys. */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Whether a record holds `key` itself (never through its prototype). */
export function hasOwn(record: object | undefined, key: string): boolean {
  return record !== undefined && Object.hasOwn(record, key);
}

/** An empty record without a prototype: `rec[name]` is only ever what was put there. */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
