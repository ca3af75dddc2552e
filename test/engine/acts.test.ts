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
          : e.type === idx(model.events, 'PROTEST') ? [rung('L2'), idx(model.theatres, 'sea')]
          : [(model.events[e.type] as { rung: number }).rung, -1];
        expect([e.rung, e.theatre]).toEqual(expected);
        seen.add(`${e.rule}:${e.rung}`);
        if (e.from === USA && e.against.includes(DPRK)) top = Math.max(top, e.rung);
      }
      expect(r.dyadPeaks[USA * n + DPRK]).toBe(top);
      const high = r.events.find((e) => e.rung >= rung('L3'));
      expect(r.thresholdTurns[0]).toBe(high?.turn ?? 0);
      for (const s of r.steps) expect(s.rung).toBe((r.events[s.event] as { rung: number }).rung);
    }
    expect(seen.size).toBe(8);
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

describe('an emit answers the sender ($sender)', () => {
  const { model } = loadValid('test/fixtures/valid/acts.yaml');
  const ev = (id: string) => idx(model.events, id);
  const USA = idx(model.actors, 'USA');
  const DPRK = idx(model.actors, 'DPRK');

  test('a reaction goes to the sender of the act it handles; an entry effect to the sender of the act that entered the state; on all three paths', () => {
    const answered = new Set<string>();
    for (const r of runsOnAllPaths(model, 'answer', 200)) {
      let warned = false;
      for (const e of r.events) {
        if (e.type !== ev('REPLY') && e.type !== ev('WARNING')) continue;
        const cause = r.events[e.cause] as (typeof r.events)[number];
        expect(cause.type).toBe(ev('QUERY'));
        expect(e.from).toBe(DPRK);
        expect(e.to).toEqual([cause.from]);
        if (e.type === ev('REPLY')) expect(e.against).toEqual([cause.from]);
        else {
          // against: [$sender, USA], each actor once.
          expect(e.against).toEqual(cause.from === USA ? [USA] : [cause.from, USA]);
          expect(warned).toBe(false);
          warned = true;
        }
        answered.add(`${model.events[e.type]?.id}>${model.actors[cause.from]?.id}`);
        expect(r.dyadPeaks[DPRK * model.actors.length + cause.from]).toBeGreaterThanOrEqual(e.rung);
      }
    }
    expect([...answered].sort()).toEqual(['REPLY>ROK', 'REPLY>USA', 'WARNING>ROK', 'WARNING>USA']);
  });

  test('explore: the exact chance of L2 in turn 1 counts the warning that answers either asker', () => {
    // Turn 1: ROK asks (0.3); DPRK, calm, warns whoever asked first — USA's ask (0.2) is delivered first when both ask.
    const m = loadValid('test/fixtures/valid/acts.yaml').model;
    const result = explore(m, { turns: 1, target: { kind: 'rung', rung: idx(m.rungs, 'L2'), theatre: -1 } });
    // L2 in turn 1: defcon3 (0.3) or defcon2 (0.1), or anyone's ask (warning at L2): 1 − P(neither).
    expect(result.target?.probability).toBeCloseTo(1 - (1 - 0.4 - 0.2) * (1 - 0.3), 10);
  });
});
