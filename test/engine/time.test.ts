/**
 * Issue 12, item 5 (time): how long an actor has been in a state (`forTurns`), acts delivered turns
 * later (`delay`) and injects timed relative to an act (`after`). Each construct's turns are pinned on
 * every path: the XState reference, the compiled kernel's general algorithm and the generated code.
 */
import { describe, expect, test } from 'vitest';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import type { Kernel } from '../../src/engine/kernel.ts';
import { ReferenceKernel } from '../../src/engine/reference-kernel.ts';
import { type RunRecord, Runner } from '../../src/engine/run.ts';
import { buildModel } from '../../src/model/build-model.ts';
import type { Model } from '../../src/model/types.ts';
import { loadValid } from '../helpers.ts';

const names = (m: Model, r: RunRecord) => r.events.map((e) => `${e.turn} ${m.actors[e.from]?.id} ${m.events[e.type]?.id}`);

/** The run on each path (traced and untraced), which must agree; returns the reference's record. */
function everyPath(model: Model, seed = 's'): RunRecord {
  const paths: Array<[string, () => Kernel, number | false]> = [
    ['reference', () => new ReferenceKernel(model), false],
    ['general', () => new CompiledKernel(model), false],
    ['generated', () => new CompiledKernel(model), 0],
  ];
  const records = paths.flatMap(([, kernel, specialise]) => {
    const runner = new Runner(model, kernel(), { specialise });
    return [runner.run(seed, { trace: true }), runner.run(seed)];
  });
  const first = records[0] as RunRecord;
  for (const r of records) {
    expect(names(model, r)).toEqual(names(model, first));
    expect([...r.outcomeTurns, ...r.outcomeEnd, ...r.invariantTurns]).toEqual([...first.outcomeTurns, ...first.outcomeEnd, ...first.invariantTurns]);
  }
  return first;
}

describe('forTurns: how long an actor has been in a state', () => {
  test('entered in turn 2: 0 turns at its end, 2 at turn 4; a state active since the start counts from turn 0', () => {
    const { model } = loadValid('test/fixtures/valid/time-for-turns.yaml');
    const r = everyPath(model);
    expect(names(model, r)).toEqual(['2 B GO', '3 B NOTE', '4 A STRIKE']);
    // fresh (A in waiting for 0 turns) first held at the end of turn 2, the turn of entry; struck at 4.
    expect([...r.outcomeTurns]).toEqual([2, 4]);
    // neverStuck (checked live: a trace does not date entries) held: A left `waiting` after 2 turns.
    expect([...r.invariantTurns]).toEqual([0]);
  });

  test('a live invariant over forTurns breaks in the turn it first fails', () => {
    const { scenario } = loadValid('test/fixtures/valid/time-for-turns.yaml');
    const edited = { ...scenario, invariants: { short: { always: { not: { state: { actor: 'A', in: 'waiting', forTurns: { gte: 1 } } } } } } };
    const r = everyPath(buildModel(edited));
    expect([...r.invariantTurns]).toEqual([3]);
  });
});
