import { fc, test } from '@fast-check/vitest';
import { produce } from 'immer';
import { describe, expect } from 'vitest';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import type { Kernel } from '../../src/engine/kernel.ts';
import { ReferenceKernel } from '../../src/engine/reference-kernel.ts';
import type { ActTemplate } from '../../src/engine/act.ts';
import { EngineError, Runner, type RunnerOptions } from '../../src/engine/run.ts';
import { buildModel } from '../../src/model/build-model.ts';
import type { Cond, Model } from '../../src/model/types.ts';
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
    return JSON.stringify({ vars: [...runner.view.vars], events: r.events, states: r.stateChanges, rules: [...r.ruleCounts], steps: r.steps, thresholds: [...r.thresholdTurns], outcomes: [...r.outcomeTurns, ...r.outcomeEnd], invariants: [...r.invariantTurns], undelivered: r.undelivered });
  });
  const untraced = attempt(states, () => {
    const b = runner.run(seed, { transient: true });
    const peaks = [b.overallPeak, ...b.theatrePeaks, ...b.dyadPeaks];
    return JSON.stringify({ vars: [...runner.view.vars], events: b.events, rules: [...b.ruleCounts], steps: b.steps, thresholds: [...b.thresholdTurns], peaks, outcomes: [...b.outcomeTurns, ...b.outcomeEnd], invariants: [...b.invariantTurns], undelivered: b.undelivered });
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
    expect(catches(wrong)).toBe(true);
  });

  // Chance reactions (issue 12): a compilation that ignores the probability, or the modifiers, differs.
  test.each([
    ['the probability ignored (the transition always enabled)', (t: { chance: unknown }) => (t.chance = undefined)],
    ['the modifiers ignored', (t: { chance: { modifiers: unknown[] } | undefined }) => t.chance !== undefined && (t.chance.modifiers = [])],
    ['the draw compared the wrong way', (t: { chance: { probability: number } | undefined }) => t.chance !== undefined && (t.chance.probability = 1 - t.chance.probability)],
  ] as const)('the property catches a wrong compilation of chance reactions: %s', (_, spoil) => {
    const wrong = (model: Model): Kernel =>
      new CompiledKernel(
        produce(model, (m) => {
          for (const a of m.actors) for (const t of a.transitions) spoil(t as never);
        }),
      );
    expect(catches(wrong)).toBe(true);
  });
});

describe('time (issue 12, item 5) is held to the reference too', () => {
  test('the property catches forTurns compiled a turn off (each test value moved by one)', () => {
    const wrong = (model: Model): Kernel =>
      new CompiledKernel(
        produce(model, (m) => {
          const shift = (c: Cond): void => {
            if (c.kind === 'all' || c.kind === 'any') c.of.forEach(shift);
            else if (c.kind === 'not') shift(c.of);
            else if (c.kind === 'stateFor') for (const t of c.tests) (t as { value: number }).value += 1;
          };
          for (const a of m.actors) for (const t of a.transitions) if (t.when !== undefined) shift(t.when as Cond);
        }),
      );
    expect(catches(wrong)).toBe(true);
  });
});

describe('delayed acts are held to the reference', () => {
  test('the property catches delayed reactions compiled a turn early (each emit delay shortened by one)', () => {
    const wrong = (model: Model): Kernel =>
      new CompiledKernel(
        produce(model, (m) => {
          for (const a of m.actors)
            for (const t of a.transitions) for (const e of t.effects) if (e.kind === 'emit' && e.delay > 0) (e as { delay: number }).delay -= 1;
        }),
      );
    expect(catches(wrong)).toBe(true);
  });
});

describe('expressions (issue 12, item 4) are held to the reference', () => {
  // Issue 12, item 4: expressions in guards and effect amounts, compiled wrong in the kernel (whose
  // tables the general algorithm and the generated code both use): sub's operands swapped, or every
  // comparison against an expression made non-strict.
  test.each([
    ['sub with its operands swapped', (e: { kind: string; of: unknown[] }) => e.kind === 'sub' && e.of.reverse()],
    ['strict comparisons made non-strict', (e: { kind: string; op: string }) => e.kind === 'compare' && (e.op = e.op === 'gt' ? 'gte' : e.op === 'lt' ? 'lte' : e.op)],
  ])('the property catches a deliberately wrong compilation of expressions (%s)', (_name, corrupt) => {
    const wrong = (model: Model): Kernel =>
      new CompiledKernel(
        produce(model, (m) => {
          const walk = (x: unknown): void => {
            if (x === null || typeof x !== 'object') return;
            if ('kind' in x) corrupt(x as never);
            for (const v of Object.values(x)) walk(v);
          };
          for (const a of m.actors) {
            walk(a.transitions);
            walk(a.states.map((st) => st.entry));
          }
        }),
      );
    expect(catches(wrong)).toBe(true);
  });
});

/** Whether the equivalence property (300 random scenarios, fast-check seed 42) tells a wrong kernel from the reference. */
function catches(wrong: (model: Model) => Kernel): boolean {
  const result = fc.check(
    fc.property(statechartScenario(), seeds, (scenario, s) => {
      const model = modelOf(scenario);
      sameTraces(model, wrong(model), s);
    }),
    { numRuns: 300, seed: 42 },
  );
  return result.failed;
}
