// Issue 12, item 6: acts with their own rung and theatre, answers to the sender, several senders, target choice.
import { describe, expect, test } from 'vitest';
import { deriveSignature } from '../../src/analysis/pathway.ts';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import { ReferenceKernel } from '../../src/engine/reference-kernel.ts';
import { deriveRunSeed } from '../../src/engine/rng.ts';
import { type RunRecord, Runner } from '../../src/engine/run.ts';
import { explore } from '../../src/explore/explore.ts';
import type { Model } from '../../src/model/types.ts';
import { loadValid } from '../helpers.ts';

/** Each seed's record on the three paths (XState reference, general algorithm, generated code), checked equal. */
function runsOnAllPaths(model: Model, prefix: string, count: number): RunRecord[] {
  const paths = [
    new Runner(model, new ReferenceKernel(model)),
    new Runner(model, new CompiledKernel(model), { specialise: false }),
    new Runner(model, new CompiledKernel(model), { specialise: 0 }),
  ];
  const out: RunRecord[] = [];
  for (let i = 0; i < count; i++) {
    const seed = deriveRunSeed(prefix, i);
    const records = paths.map((p) => p.run(seed));
    const shown = records.map((r) => JSON.stringify({ e: r.events, s: r.steps, d: [...r.dyadPeaks], t: [...r.theatrePeaks], th: [...r.thresholdTurns] }));
    expect(shown[1]).toBe(shown[0]);
    expect(shown[2]).toBe(shown[0]);
    out.push(records[0] as RunRecord);
  }
  return out;
}

const idx = (list: ReadonlyArray<{ id: string }>, id: string) => list.findIndex((x) => x.id === id);

describe('rung and theatre per act', () => {
  const { model } = loadValid('test/fixtures/valid/acts.yaml');
  const rung = (id: string) => idx(model.rungs, id);
  const rule = (id: string) => model.rules.findIndex((r) => r.id === id);
  const USA = idx(model.actors, 'USA');
  const DPRK = idx(model.actors, 'DPRK');
  const n = model.actors.length;

  test('each move signals its own rung (and theatre); a move without one, its type\'s; accounting, steps and thresholds follow', () => {
    const seen = new Set<string>();
    for (const r of runsOnAllPaths(model, 'rung', 200)) {
      let top = -1;
      for (const e of r.events) {
        const expected =
          e.rule === rule('move:USA:(root):defcon3') ? [rung('L2'), -1]
          : e.rule === rule('move:USA:(root):defcon2') ? [rung('L3'), idx(model.theatres, 'land')]
          : e.rule === rule('move:USA:(root):posture') ? [rung('L1'), -1]
          : e.origin === 'reaction' ? [rung('L2'), idx(model.theatres, 'sea')]
          : undefined;
        expect(expected, `act ${e.id}`).toBeDefined();
        expect([e.rung, e.theatre]).toEqual(expected);
        seen.add(`${e.rule}:${e.rung}`);
        if (e.from === USA) top = Math.max(top, e.rung);
      }
      expect(r.dyadPeaks[USA * n + DPRK]).toBe(top);
      const high = r.events.find((e) => e.rung >= rung('L3'));
      expect(r.thresholdTurns[0]).toBe(high?.turn ?? 0);
      for (const s of r.steps) expect(s.rung).toBe((r.events[s.event] as { rung: number }).rung);
    }
    expect(seen.size).toBe(4);
  });

  test('signatures name the act\'s own rung', () => {
    const runner = new Runner(model, new CompiledKernel(model));
    const signatures = new Set<string>();
    for (let i = 0; i < 200; i++) signatures.add(deriveSignature(model, runner.run(deriveRunSeed('sig', i))));
    expect([...signatures].some((s) => s.includes('L3 USA ALERT'))).toBe(true);
    expect([...signatures].some((s) => s.includes('L2 USA ALERT'))).toBe(true);
  });

  test('explore: the exact chance of reaching L3 is that of a defcon2 move in 6 turns', () => {
    const target = { kind: 'rung' as const, rung: rung('L3'), theatre: -1 };
    const result = explore(model, { turns: 6, target });
    expect(result.target?.probability).toBeCloseTo(1 - 0.9 ** 6, 10);
    // The answer (L2 in the sea) comes in the same turn: the sea's chance of L2 is the same.
    const sea = explore(model, { turns: 6, target: { kind: 'rung', rung: rung('L2'), theatre: idx(model.theatres, 'sea') } });
    expect(sea.target?.probability).toBeCloseTo(1 - 0.9 ** 6, 10);
  });
});
