import { describe, expect, test } from 'vitest';
import { wilson } from '../../src/analysis/stats.ts';
import { estimateBySplitting } from '../../src/batch/splitting.ts';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import { deriveRunSeed } from '../../src/engine/rng.ts';
import { Runner } from '../../src/engine/run.ts';
import { loadValid } from '../helpers.ts';

const FLAGSHIP = loadValid('scenarios/russia-dprk-2024.yaml').model;

describe('splitting against plain Monte Carlo on the flagship', () => {
  test('P(peak >= L10 by 24): the splitting interval and a 3,000-run Monte Carlo interval overlap', () => {
    const l10 = FLAGSHIP.rungs.findIndex((r) => r.id === 'L10');
    const levels = ['L7', 'L8', 'L9'].map((id) => FLAGSHIP.rungs.findIndex((r) => r.id === id));
    const split = estimateBySplitting(FLAGSHIP, { theatre: -1, rung: l10, by: 24 }, { seed: '1', effort: 250, replications: 8, levels });
    const runner = new Runner(FLAGSHIP, new CompiledKernel(FLAGSHIP));
    let hits = 0;
    const runs = 3000;
    for (let i = 0; i < runs; i++) if (runner.run(deriveRunSeed('mc', i), { transient: true }).overallPeak >= l10) hits++;
    const mc = wilson(hits, runs);
    expect(split.estimate).toBeGreaterThan(0);
    expect(split.low).toBeLessThanOrEqual(mc.high);
    expect(split.high).toBeGreaterThanOrEqual(mc.low);
  }, 120_000);
});
