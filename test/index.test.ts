import { readFileSync } from 'node:fs';
import { produce } from 'immer';
import { describe, expect, test } from 'vitest';
import * as brink from '../src/index.ts';
import { VERSION } from '../src/version.ts';
import { loadValid } from './helpers.ts';

describe('public API', () => {
  test('the exported names are pinned', () => {
    expect(Object.keys(brink).sort()).toMatchInlineSnapshot(`
      [
        "BatchAggregate",
        "EngineError",
        "InvariantTally",
        "PairedAggregate",
        "ReferenceKernel",
        "Runner",
        "ScenarioSchema",
        "aggregateBatch",
        "buildMachine",
        "buildModel",
        "check",
        "checkInvariants",
        "chooseInfluenceRung",
        "compare",
        "createRandom",
        "deriveInfluence",
        "deriveMeta",
        "deriveNarratives",
        "derivePathway",
        "deriveRunReport",
        "deriveRunSeed",
        "deriveSignature",
        "deriveStateChart",
        "deriveStateCharts",
        "estimateBySplitting",
        "explore",
        "formatProblem",
        "loadScenario",
        "overlay",
        "pairedDifference",
        "parseQuery",
        "parseScenarioText",
        "renderBatchHtml",
        "renderBatchMarkdown",
        "renderBatchText",
        "renderComparisonJson",
        "renderComparisonMarkdown",
        "renderComparisonText",
        "renderJson",
        "renderPathwayFlowchart",
        "renderRunHtml",
        "renderRunLine",
        "renderRunMarkdown",
        "renderRunText",
        "renderStateDiagram",
        "renderStateSvg",
        "renderSummaryLine",
        "reportRun",
        "resolveQuery",
        "riskRatio",
        "runBatch",
        "runOnce",
        "summarizeBatch",
        "summarizeComparison",
        "tallyInvariants",
        "turnDate",
        "wilson",
      ]
    `);
  });

  test('the version in reports is package.json\'s', () => {
    expect(VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  test('loadScenario → buildModel → runBatch / reportRun work as documented', () => {
    const loaded = brink.loadScenario('test/fixtures/valid/duel.yaml');
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const model = brink.buildModel(loaded.scenario);
    const summary = brink.runBatch(model, { runs: 50, seed: 'x', identity: loaded });
    expect(summary.meta.runs).toBe(50);
    expect(summary.pathways.reduce((n, p) => n + p.count, 0)).toBeLessThanOrEqual(50);
    const run = brink.reportRun(model, summary.pathways[0]?.seed ?? 'x', loaded);
    expect(run.signature).toBe(summary.pathways[0]?.signature);
  });

  test('a variant is an immer recipe away: the same seeds, a different answer', () => {
    const { scenario } = loadValid('test/fixtures/valid/duel.yaml');
    const variant = brink.buildModel(
      produce(scenario, (draft) => {
        delete draft.shocks;
      }),
    );
    const base = brink.buildModel(scenario);
    const p = (m: brink.Model) => brink.runBatch(m, { runs: 200, seed: '1' }).peaks[0]?.exceedance[4]?.p ?? 0;
    expect(p(variant)).toBeLessThan(p(base));
  });
});
