/**
 * `brink/testing`: fast-check arbitraries and run properties for vitest tests about scenarios.
 * Everything here is exported by name; a test pins the list. Needs `fast-check` ^4 installed.
 *
 * @example
 * import { checkScenario, never, precedes, variantOf, assertHolds } from 'brink/testing';
 * const defence = precedes({ event: 'ARMED_ATTACK', against: 'DPRK' }, { event: 'MUTUAL_DEFENCE_INVOKED' });
 * expect(checkScenario(scenario, defence, { runs: 500 })?.message).toBeUndefined();
 * test.prop([variantOf(scenario)])('…on every variant', (v) => assertHolds(v, defence, { runs: 100 }));
 */
export { assertProbability, checkProbability, ProbabilityError } from './assert-probability.ts';
export { buildCheckedModel, checkScenario, assertHolds, CounterexampleError, VARIANT_FILE } from './check-scenario.ts';
export { checkVariants, assertVariants } from './check-variants.ts';
export { applyEdits, describeEdit, editKey, renderOverlay, toOverlay } from './edits.ts';
export { injectArb, injectScript, possibleSenders } from './inject-script.ts';
export { allOf, always, anyOf, happens, implies, named, never, not, outcome, precedes, reaches } from './properties.ts';
export { renderCausalChain, renderCounterexample } from './render-counterexample.ts';
export { scenarioArb } from './scenario-arb.ts';
export { createVariant, isVariant } from './variant.ts';
export { variantOf } from './variant-of.ts';

export type { ProbabilityOptions, ProbabilityResult } from './assert-probability.ts';
export type { CheckOptions, Counterexample } from './check-scenario.ts';
export type { VariantCheckOptions, VariantFailure } from './check-variants.ts';
export type { EditKind, ScenarioEdit } from './edits.ts';
export type { InjectOptions, InjectScriptOptions } from './inject-script.ts';
export type { BoundProperty, HappensOptions, PatternInput, ReachesOptions, RunProperty, Verdict } from './properties.ts';
export type { CounterexampleParts } from './render-counterexample.ts';
export type { ScenarioArbOptions } from './scenario-arb.ts';
export type { Variant } from './variant.ts';
export type { VariantOptions } from './variant-of.ts';
