import * as fc from 'fast-check';
import type { Scenario } from '../scenario/schema.ts';
import { type ScenarioEdit, applyEdits, describeEdit } from './edits.ts';

/** A scenario made from a base by a list of edits; fast-check prints it as its edits in words. */
export interface Variant {
  readonly base: Scenario;
  readonly edits: readonly ScenarioEdit[];
  /** The base with the edits applied. */
  readonly scenario: Scenario;
}

/** Makes a variant by applying `edits` to `base` (see `applyEdits`). */
export function createVariant(base: Scenario, edits: readonly ScenarioEdit[]): Variant {
  const scenario = applyEdits(base, edits);
  return {
    base,
    edits,
    scenario,
    [fc.toStringMethod]: () =>
      edits.length === 0
        ? `${base.metadata.id} unchanged`
        : `${base.metadata.id} with ${edits.map((e) => describeEdit(base, e)).join('; ')}`,
  } as Variant;
}

/** True for a Variant, false for a plain Scenario. */
export function isVariant(x: Scenario | Variant): x is Variant {
  return 'edits' in x && 'base' in x;
}
