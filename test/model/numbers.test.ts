/**
 * Issue 12, item 4: numbers from variables — a comparison between two variables, a probability that
 * rises with a variable (clamped past 1, and the clamp shown in the narrative), an effect amount from
 * an expression — on test/fixtures/valid/numbers.yaml. The kernel-equivalence property holds the three
 * paths to each other on random expressions; this pins what they mean.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import { ReferenceKernel } from '../../src/engine/reference-kernel.ts';
import { Runner } from '../../src/engine/run.ts';
import { explore } from '../../src/explore/explore.ts';
import { evalExpr } from '../../src/model/expression.ts';
import { brink, loadValid, modelOf } from '../helpers.ts';

const FILE = 'test/fixtures/valid/numbers.yaml';
const TEXT = readFileSync(FILE, 'utf8');
/** The fixture with readiness starting at `initial`. */
const withReadiness = (initial: number) => {
  const doc = parse(TEXT);
  doc.variables.readiness.initial = initial;
  return modelOf(stringify(doc));
};

describe('numbers from variables', () => {
  test.each([
    ['compiled', (m: ReturnType<typeof withReadiness>) => new CompiledKernel(m)],
    ['reference', (m: ReturnType<typeof withReadiness>) => new ReferenceKernel(m)],
  ])('%s: the strike waits until readiness > tension, then its chance is 0.3 × readiness, clamped to 1', (_name, kernel) => {
    const { model } = loadValid(FILE);
    const runner = new Runner(model, kernel(model));
    runner.begin('1');
    const b = 1;
    // Turn 1: readiness 0, tension 2: 0 > 2 fails.
    expect(runner.movesNow(b)).toEqual([]);
    runner.step();
    // Mobilising added the tension (2) to readiness: an effect amount from an expression.
    expect([...runner.view.vars]).toEqual([2, 2]);
    // Turn 2: 2 > 2 fails (strictly greater).
    expect(runner.movesNow(b)).toEqual([]);
    runner.step();
    expect([...runner.view.vars]).toEqual([4, 2]);
    // Turn 3: 4 > 2; 0.3 × 4 = 1.2 is clamped to 1 and the value before the clamp is kept.
    const [strike] = runner.movesNow(b);
    expect(strike?.probability).toBe(1);
    expect(strike?.unclamped).toBeCloseTo(1.2, 12);
    // The outcome readiness ≥ 2 × tension first held at the end of turn 2.
    runner.step();
    expect(runner.result().outcomeTurns[0]).toBe(2);
  });

  test('the probability rises with the variable: 0.75 at readiness 2.5, 0.9 at 3 — in the draw and exactly in explore', () => {
    for (const [initial, p] of [[2.5, 0.75], [3, 0.9]] as const) {
      const model = withReadiness(initial);
      const runner = new Runner(model, new CompiledKernel(model));
      runner.begin('1');
      expect(runner.movesNow(1)[0]?.probability).toBeCloseTo(p, 12);
      const strike = model.events.findIndex((e) => e.id === 'STRIKE');
      const found = explore(model, { turns: 1, target: { kind: 'act', event: strike } });
      expect(found.target?.probability).toBeCloseTo(p, 12);
    }
  });

  test('division by 0 gives 0; min, clamp and sub as declared', () => {
    const world = { vars: new Float64Array([3, 2]), turn: 4 };
    expect(evalExpr({ kind: 'div', of: [1, { kind: 'sub', of: [{ kind: 'var', variable: 1 }, 2] }] }, world)).toBe(0);
    expect(evalExpr({ kind: 'sub', of: [{ kind: 'var', variable: 0 }, { kind: 'var', variable: 1 }] }, world)).toBe(1);
    expect(evalExpr({ kind: 'clamp', of: [{ kind: 'turn' }, 0, 2.5] }, world)).toBe(2.5);
    expect(evalExpr({ kind: 'min', of: [0.5, { kind: 'div', of: [{ kind: 'turn' }, 10] }] }, world)).toBe(0.4);
    expect(evalExpr({ kind: 'sub', of: [Infinity, Infinity] }, world)).toBe(0);
  });

  test('the narrative shows the clamp (brink run, spawned)', async () => {
    const r = await brink(['run', FILE, '--seed', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('B chose this move (B:(root):strike; chance 100.0% that turn, base 120.0%: +0.00 (when turn ≥ tension), probability 1.2 → clamped to 100.0%)');
    expect(r.stdout).toContain('ready: readiness ≥ (2 × tension), at the end — first held on turn 2');
  }, 60_000);

  test('brink validate warns of an expression probability that can never be positive', async () => {
    const doc = parse(TEXT);
    doc.shocks.talks.probability = { sub: [{ clamp: [{ var: 'tension' }, 0, 1] }, 1] };
    const { lintScenario } = await import('../../src/scenario/lint.ts');
    const warnings = lintScenario(doc).map((p) => p.message);
    expect(warnings).toContain('shock "talks"\'s probability is at most 0 over every value its variables can take: it can never happen');
  });
});
