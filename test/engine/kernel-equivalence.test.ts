import { fc, test } from '@fast-check/vitest';
import { produce } from 'immer';
import { describe, expect } from 'vitest';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import type { Kernel } from '../../src/engine/kernel.ts';
import { ReferenceKernel } from '../../src/engine/reference-kernel.ts';
import type { ActTemplate } from '../../src/engine/act.ts';
import { EngineError, Runner, type RunnerOptions } from '../../src/engine/run.ts';
import { buildModel } from '../../src/model/build-model.ts';
import type { Model } from '../../src/model/types.ts';
import { crossCheck } from '../../src/scenario/cross-check.ts';
import { formatProblem } from '../../src/scenario/problem.ts';
import type { Scenario } from '../../src/scenario/schema.ts';
import { loadValid } from '../helpers.ts';
import { statechartScenario } from './statechart-arb.ts';

/**
 * Everything a run produced, or the engine error it stopped with, as one comparable string: the run
 * traced (state changes recorded) and the run as batches play it (transient, untraced), which takes
 * the compiled engine's other code path.
 */
function trace(model: Model, kernel: Kernel, seed: string, options: RunnerOptions = {}, tamper?: (runner: Runner) => void): string {
  const runner = new Runner(model, kernel, options);
  tamper?.(runner);
  // After an engine error, the machines' states too: each path must leave them where the reference does.
  const states = () => model.actors.map((a) => kernel.label(a.index)).join(' | ');
  const traced = attempt(states, () => {
    const r = runner.run(seed, { trace: true });
    return JSON.stringify({ events: r.events, states: r.stateChanges, rules: [...r.ruleCounts], steps: r.steps, thresholds: [...r.thresholdTurns], outcomes: [...r.outcomeTurns, ...r.outcomeEnd], invariants: [...r.invariantTurns] });
  });
  const untraced = attempt(states, () => {
    const b = runner.run(seed, { transient: true });
    const peaks = [b.overallPeak, ...b.theatrePeaks, ...b.dyadPeaks];
    return JSON.stringify({ events: b.events, rules: [...b.ruleCounts], steps: b.steps, thresholds: [...b.thresholdTurns], peaks, outcomes: [...b.outcomeTurns, ...b.outcomeEnd], invariants: [...b.invariantTurns] });
  });
  return `${traced}\n${untraced}`;
}

/** The value, or the engine error it stopped with and the states it left. */
function attempt(states: () => string, f: () => string): string {
  try {
    return f();
  } catch (e) {
    if (e instanceof EngineError) return `error ${e.code} ${e.turn} ${e.message}; states ${states()}`;
    throw e;
  }
}

function modelOf(s: Scenario): Model {
  const errors = crossCheck(s).filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(`generated scenario is invalid:\n${errors.map(formatProblem).join('\n')}`);
  return buildModel(s);
}

/**
 * Law: the compiled kernel and the XState reference produce identical traces — through the code
 * generated for the model (the default) and through the kernel's general algorithm.
 */
function sameTraces(model: Model, compiled: Kernel, seeds: readonly string[]): void {
  const reference = new ReferenceKernel(model);
  for (const seed of seeds) {
    const expected = trace(model, reference, seed);
    expect(trace(model, compiled, seed, { specialise: 0 }), `seed ${seed}, generated code`).toBe(expected);
    expect(trace(model, compiled, seed, { specialise: false }), `seed ${seed}, general algorithm`).toBe(expected);
  }
}

const seeds = fc.array(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 });

describe('compiled kernel = XState reference', () => {
  test.prop([statechartScenario(), seeds], { numRuns: 300 })('identical traces on random scenarios and seeds', (scenario, s) => {
    const model = modelOf(scenario);
    sameTraces(model, new CompiledKernel(model), s);
  });

  test.prop([seeds], { numRuns: 20 })('identical traces on the flagship', (s) => {
    const { model } = loadValid('scenarios/russia-dprk-2024.yaml');
    sameTraces(model, new CompiledKernel(model), s);
  });

  test('the property catches deliberately wrong generated code: the event type\'s rung instead of the act\'s (issue 12, item 6)', () => {
    // The runner's act templates, rewritten before the code is generated (at the first run): the
    // generated accounting then writes the type's rung where a move, shock or inject set its own.
    const typeRungs = (model: Model) => (runner: Runner) => {
      const acts = (runner as unknown as { acts: ActTemplate[] }).acts;
      acts.forEach((a, i) => {
        acts[i] = { ...a, rung: (model.events[a.type] as { rung: number }).rung };
      });
    };
    const result = fc.check(
      fc.property(statechartScenario(), seeds, (scenario, s) => {
        const model = modelOf(scenario);
        const reference = new ReferenceKernel(model);
        for (const seed of s) expect(trace(model, new CompiledKernel(model), seed, { specialise: 1 }, typeRungs(model))).toBe(trace(model, reference, seed));
      }),
      { numRuns: 200, seed: 42 },
    );
    expect(result.failed).toBe(true);
    // Untampered, the same generated path agrees (the tamper is what fails).
    const fine = fc.check(
      fc.property(statechartScenario(), seeds, (scenario, s) => {
        const model = modelOf(scenario);
        const reference = new ReferenceKernel(model);
        for (const seed of s) expect(trace(model, new CompiledKernel(model), seed, { specialise: 1 })).toBe(trace(model, reference, seed));
      }),
      { numRuns: 30, seed: 42 },
    );
    expect(fine.failed).toBe(false);
  });

  test('the property catches a deliberately wrong compilation (guards left out)', () => {
    const wrong = (model: Model): Kernel =>
      new CompiledKernel(
        produce(model, (m) => {
          for (const a of m.actors) for (const t of a.transitions) (t as { when: unknown }).when = undefined;
        }),
      );
    const result = fc.check(
      fc.property(statechartScenario(), seeds, (scenario, s) => {
        const model = modelOf(scenario);
        sameTraces(model, wrong(model), s);
      }),
      { numRuns: 300, seed: 42 },
    );
    expect(result.failed).toBe(true);
  });
});
