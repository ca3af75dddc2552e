import * as testing from 'brink/testing';
import { describe, expect, test } from 'vitest';

describe('brink/testing', () => {
  test('is importable by its package subpath, and its exported names are pinned', () => {
    expect(Object.keys(testing).sort()).toMatchInlineSnapshot(`
      [
        "CounterexampleError",
        "ProbabilityError",
        "VARIANT_FILE",
        "allOf",
        "always",
        "anyOf",
        "applyEdits",
        "assertHolds",
        "assertProbability",
        "assertVariants",
        "buildCheckedModel",
        "checkProbability",
        "checkScenario",
        "checkVariants",
        "createVariant",
        "describeEdit",
        "editKey",
        "happens",
        "implies",
        "injectArb",
        "injectScript",
        "isVariant",
        "named",
        "never",
        "not",
        "outcome",
        "possibleSenders",
        "precedes",
        "reaches",
        "renderCausalChain",
        "renderCounterexample",
        "renderOverlay",
        "scenarioArb",
        "toOverlay",
        "variantOf",
      ]
    `);
  });
});
