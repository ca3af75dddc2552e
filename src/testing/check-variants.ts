import * as fc from 'fast-check';
import { type CheckOptions, type Counterexample, VARIANT_FILE, checkScenario, hideFields } from './check-scenario.ts';
import { describeEdit, renderOverlay } from './edits.ts';
import type { RunProperty } from './properties.ts';
import type { Variant } from './variant.ts';

export interface VariantCheckOptions extends CheckOptions {
  /** How many variants fast-check tries. Default 50. */
  readonly variants?: number;
  /** fast-check's seed, to replay a search. Default: fast-check's own (printed on failure). */
  readonly fcSeed?: number;
  /** fast-check's path, with `fcSeed`, to jump straight to a known counterexample. */
  readonly fcPath?: string;
}

/**
 * The smallest variant fast-check found that breaks the property, told in full. `variant`,
 * `counterexample` and `message` are not enumerable, so a test runner that prints the object stays
 * short; read them by name.
 */
export interface VariantFailure {
  readonly variant: Variant;
  /** Its first breaking run; undefined when the variant made the engine throw instead (see `error`). */
  readonly counterexample: Counterexample | undefined;
  readonly error: unknown;
  /** fast-check's seed and path: pass them back as `fcSeed` and `fcPath` to replay. */
  readonly fcSeed: number;
  readonly fcPath: string;
  readonly shrinks: number;
  readonly message: string;
}

/**
 * Searches variants for one on which some run breaks the property, and shrinks it to a minimal one
 * (fewest, smallest edits). Each variant is checked on the same run seeds (common random numbers), so
 * an edit's effect is not noise. Returns undefined when every variant tried keeps the property.
 */
export function checkVariants(variants: fc.Arbitrary<Variant>, property: RunProperty, options: VariantCheckOptions = {}): VariantFailure | undefined {
  const details = fc.check(
    fc.property(variants, (v) => checkScenario(v, property, options) === undefined),
    {
      numRuns: options.variants ?? 50,
      ...(options.fcSeed !== undefined ? { seed: options.fcSeed } : {}),
      ...(options.fcPath !== undefined ? { path: options.fcPath } : {}),
    },
  );
  if (!details.failed || details.counterexample === null) return undefined;
  const variant = details.counterexample[0];
  let counterexample: Counterexample | undefined;
  let error: unknown;
  try {
    counterexample = checkScenario(variant, property, options);
  } catch (e) {
    error = e;
  }
  const search = `fast-check: { seed: ${details.seed}, path: "${details.counterexamplePath}" } after ${details.numRuns} variant(s), ${details.numShrinks} shrink(s)`;
  let body: string;
  if (counterexample !== undefined) body = counterexample.message;
  else {
    const base = variant.base;
    const file = options.file ?? `${base.metadata.id}.yaml`;
    body = [
      `Property broken: ${property.description}`,
      `  the variant made the engine fail: ${error instanceof Error ? error.message : String(error)}`,
      '',
      `The variant: ${variant.edits.length} edit(s) to ${base.metadata.id}`,
      ...variant.edits.map((e) => `  - ${describeEdit(base, e)}`),
      '',
      `Save this as ${VARIANT_FILE} in the directory you run brink from, to replay it:`,
      ...renderOverlay(base, variant.edits, file).trimEnd().split('\n').map((l) => `  ${l}`),
      '',
    ].join('\n');
  }
  const failure: VariantFailure = {
    variant,
    counterexample,
    error,
    fcSeed: details.seed,
    fcPath: details.counterexamplePath ?? '',
    shrinks: details.numShrinks,
    message: `${body}\nThe minimal variant was found by ${search}\n`,
  };
  // Printed by a test runner, the failure is its search: the variant (two whole scenarios) and the run are read by name.
  return hideFields(failure, ['variant', 'counterexample', 'message']);
}

/** Throws an Error whose message is the minimal failing variant told in full (see checkVariants). */
export function assertVariants(variants: fc.Arbitrary<Variant>, property: RunProperty, options: VariantCheckOptions = {}): void {
  const found = checkVariants(variants, property, options);
  if (found !== undefined) throw new Error(found.message);
}
