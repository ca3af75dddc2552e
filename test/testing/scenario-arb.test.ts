import { fc, test } from '@fast-check/vitest';
import { scenarioArb } from 'brink/testing';
import { describe, expect } from 'vitest';
import { stringify } from 'yaml';
import { checkInvariants } from '../../src/analysis/invariants.ts';
import { createKernel } from '../../src/batch/play-batch.ts';
import { EngineError, type RunRecord, runOnce } from '../../src/engine/run.ts';
import { buildModel } from '../../src/model/build-model.ts';
import type { Model } from '../../src/model/types.ts';
import { crossCheck } from '../../src/scenario/cross-check.ts';
import { parseScenarioText } from '../../src/scenario/load.ts';
import { formatProblem } from '../../src/scenario/problem.ts';
import type { ConditionDef, Scenario, StateNodeDef } from '../../src/scenario/schema.ts';
import { flattenStates } from '../../src/scenario/state-tree.ts';

/** A run, or the engine error it stopped with (only a fan-out of reactions may stop one: emits are tiered). */
function play(model: Model, engine: 'reference' | 'compiled', seed: string): RunRecord | EngineError {
  try {
    return runOnce(model, createKernel(model, engine), seed, { trace: true });
  } catch (e) {
    if (e instanceof EngineError && e.code === 'engine/too_many_events') return e;
    throw e;
  }
}

const seed = fc.string({ minLength: 1, maxLength: 8 });

describe('scenarioArb', () => {
  test.prop([scenarioArb()], { numRuns: 300 })('every scenario passes the cross-reference checks', (s) => {
    const errors = crossCheck(s).filter((p) => p.severity === 'error');
    expect(errors.map(formatProblem)).toEqual([]);
  });

  test.prop([scenarioArb()], { numRuns: 200 })('print ∘ load = identity, in YAML and in JSON: the loader accepts every scenario as it is', (s) => {
    for (const [text, file] of [
      [stringify(s), 'random.yaml'],
      [JSON.stringify(s, null, 1), 'random.json'],
    ] as const) {
      const r = parseScenarioText(text, file);
      if (!r.ok) throw new Error(`${file} was refused:\n${r.problems.map(formatProblem).join('\n')}\n${text}`);
      expect(r.scenario).toEqual(s);
    }
  });

  test.prop([scenarioArb(), seed], { numRuns: 200 })('every scenario runs on both engines, and its invariants can be checked', (s, runSeed) => {
    const model = buildModel(s);
    for (const engine of ['reference', 'compiled'] as const) {
      const r = play(model, engine, runSeed);
      if (r instanceof EngineError) continue;
      expect(r.events.every((e, i) => e.id === i && e.turn >= 1 && e.turn <= model.turns)).toBe(true);
      for (const v of checkInvariants(model, r)) expect(v.message.length).toBeGreaterThan(0);
    }
  });

  test.prop([scenarioArb(), seed], { numRuns: 100 })('same scenario and seed ⇒ the same run', (s, runSeed) => {
    const model = buildModel(s);
    const once = (m: Model) => JSON.stringify(play(m, 'reference', runSeed));
    expect(once(model)).toBe(once(buildModel(s)));
  });

  test('it is rich: nesting, parallel regions, guarded lists, every effect and condition kind, data fields, invariants', () => {
    const seen = new Set<string>();
    const conditions = (c: ConditionDef | undefined): void => {
      if (c === undefined) return;
      for (const k of Object.keys(c)) seen.add(`condition:${k}`);
      c.all?.forEach(conditions);
      c.any?.forEach(conditions);
      conditions(c.not);
    };
    const scenarios: Scenario[] = fc.sample(scenarioArb(), { numRuns: 400, seed: 42 });
    for (const s of scenarios) {
      for (const a of Object.values(s.actors)) {
        for (const st of flattenStates(a.statechart as StateNodeDef)) {
          if (st.depth >= 2) seen.add('nested');
          if (st.kind === 'parallel') seen.add('parallel');
          if ((st.def.entry ?? []).length > 0) seen.add('entry');
          for (const [, t] of Object.entries(st.def.on ?? {})) {
            const list = Array.isArray(t) ? t : [t];
            if (list.length > 1) seen.add('guarded list');
            for (const x of list) {
              if (x.target !== undefined) seen.add(x.target.includes('.') ? 'target by path' : 'target by name');
              conditions(x.when);
              for (const e of x.effects ?? []) for (const k of Object.keys(e)) seen.add(`effect:${k}`);
            }
          }
          for (const m of Object.values(st.def.moves ?? {})) {
            if (m.data !== undefined) seen.add('move data');
            for (const mod of m.modifiers ?? []) conditions(mod.when);
          }
        }
      }
      for (const sh of Object.values(s.shocks ?? {})) conditions(sh.when);
      if (Object.keys(s.script ?? {}).length > 0) seen.add('injects');
      if (Object.keys(s.variables ?? {}).length > 0) seen.add('variables');
      if ((s.ladder.thresholds ?? []).length > 0) seen.add('thresholds');
      for (const inv of Object.values(s.invariants ?? {})) for (const k of ['never', 'precedes', 'always']) if (k in inv) seen.add(`invariant:${k}`);
    }
    expect([...seen]).toEqual(
      expect.arrayContaining([
        'condition:all', 'condition:any', 'condition:event', 'condition:happened', 'condition:not', 'condition:peak',
        'condition:state', 'condition:turn', 'condition:var', 'effect:add', 'effect:emit', 'effect:set', 'entry',
        'guarded list', 'injects', 'invariant:always', 'invariant:never', 'invariant:precedes', 'move data', 'nested',
        'parallel', 'target by name', 'target by path', 'thresholds', 'variables',
      ]),
    );
  });
});
