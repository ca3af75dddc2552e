/**
 * Issue 12, item 5 (time): how long an actor has been in a state (`forTurns`), acts delivered turns
 * later (`delay`) and injects timed relative to an act (`after`). Each construct's turns are pinned on
 * every path: the XState reference, the compiled kernel's general algorithm and the generated code.
 */
import { describe, expect, test } from 'vitest';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import type { Kernel } from '../../src/engine/kernel.ts';
import { ReferenceKernel } from '../../src/engine/reference-kernel.ts';
import { createRandom } from '../../src/engine/rng.ts';
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
    expect(r.events.map((e) => [e.sent, e.cause])).toEqual(first.events.map((e) => [e.sent, e.cause]));
    expect(r.undelivered).toEqual(first.undelivered);
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

describe('delay: acts delivered turns later', () => {
  test('sent on turn 1 with delay 2: delivered first in turn 3 (before its inject); an emit with delay 1 a turn after its cause', () => {
    const { model } = loadValid('test/fixtures/valid/time-delay.yaml');
    const r = everyPath(model);
    expect(r.events.map((e) => `${e.turn} ${model.actors[e.from]?.id} ${model.events[e.type]?.id} sent ${e.sent} cause ${e.cause}`)).toEqual([
      '3 A STRIKE sent 1 cause -1',
      '3 B NOTE sent 3 cause -1',
      '4 B RETALIATE sent 3 cause 0',
    ]);
    // `happened` counts an act when it is delivered: STRIKE first happened on turn 3, not 1.
    expect([...r.outcomeTurns]).toEqual([3]);
    // Accounted at delivery too.
    expect(r.steps.map((s) => [s.turn, s.rung])).toEqual([[3, 3]]);
  });

  test('an act still in transit when the run ends is reported, not lost', () => {
    const { model } = loadValid('test/fixtures/valid/time-delay.yaml');
    const r = everyPath(model);
    expect(r.undelivered.map((u) => `${model.actors[u.from]?.id} ${model.events[u.type]?.id} sent ${u.sent} due ${u.due}`)).toEqual(['A FINAL sent 5 due 10']);
    // The move's rule counts when its act is delivered: `final` never was.
    const final = model.actors[0]?.moves.find((m) => m.id === 'final');
    expect(r.ruleCounts[final?.rule ?? -1]).toBe(0);
  });

  test('save after turn 2 (an act in transit) and play on = the run played straight through, on every path', () => {
    const { model } = loadValid('test/fixtures/valid/time-delay.yaml');
    for (const [kernel, specialise] of [
      [() => new CompiledKernel(model), false],
      [() => new CompiledKernel(model), 0],
    ] as const) {
      const runner = new Runner(model, kernel(), { specialise });
      runner.begin('s');
      runner.step();
      runner.step();
      const snapshot = runner.save();
      if (snapshot === undefined) throw new Error('expected a snapshot');
      expect(snapshot.pending.map((p) => [p.sent, p.due])).toEqual([[1, 3]]);
      const replayed = runner.playFrom(snapshot, createRandom('s'), undefined);
      const played = { events: names(model, replayed), undelivered: replayed.undelivered.map((u) => u.due) };
      const straight = new Runner(model, kernel(), { specialise }).run('s', { branch: { turn: 3, random: createRandom('s') } });
      expect(played).toEqual({ events: names(model, straight), undelivered: straight.undelivered.map((u) => u.due) });
      expect(played.events).toEqual(['3 A STRIKE', '3 B NOTE', '4 B RETALIATE']);
    }
  });
});

describe('after: injects timed relative to an act', () => {
  test('two turns after the first strike (turn 3): turn 5, once; never without a matching act; not at all when its `when` fails then', () => {
    const { model } = loadValid('test/fixtures/valid/time-after.yaml');
    const r = everyPath(model);
    expect(names(model, r)).toEqual(['3 A STRIKE', '4 A STRIKE', '5 A INVADE']);
  });

  test('the anchor is read again after save and playFrom', () => {
    const { model } = loadValid('test/fixtures/valid/time-after.yaml');
    for (const specialise of [false, 0] as const) {
      const runner = new Runner(model, new CompiledKernel(model), { specialise });
      runner.begin('s');
      for (let t = 0; t < 4; t++) runner.step();
      const snapshot = runner.save();
      if (snapshot === undefined) throw new Error('expected a snapshot');
      expect(names(model, runner.playFrom(snapshot, createRandom('s'), undefined))).toEqual(['3 A STRIKE', '4 A STRIKE', '5 A INVADE']);
    }
  });
});
