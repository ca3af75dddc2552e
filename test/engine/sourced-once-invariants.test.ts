// Issue 12, item 9: sources carried down, invariants over variables, at-most-once moves, claims with a page.
import { produce } from 'immer';
import { describe, expect, test } from 'vitest';
import { buildModel } from '../../src/model/build-model.ts';
import { checkInvariants, InvariantTally } from '../../src/analysis/invariants.ts';
import { deriveRunReport } from '../../src/analysis/run-report.ts';
import { deriveMeta } from '../../src/analysis/summary.ts';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import { ReferenceKernel } from '../../src/engine/reference-kernel.ts';
import { deriveRunSeed } from '../../src/engine/rng.ts';
import { Runner } from '../../src/engine/run.ts';
import { explore } from '../../src/explore/explore.ts';
import { renderRunText } from '../../src/report/text.ts';
import { loadValid } from '../helpers.ts';

const loaded = loadValid('test/fixtures/valid/duel-sourced.yaml');
const model = loaded.model;
const rule = (id: string) => model.rules.find((r) => r.id === id);

describe('sources carry down from the actor and the enclosing states', () => {
  test('a rule that cites nothing cites its nearest state or its actor; its own citation wins; no warning', () => {
    expect(loaded.warnings).toEqual([]);
    expect(rule('transition:A:calm:PROTEST:0')?.source).toEqual(['K1']);
    expect(rule('move:A:calm:protest')?.source).toEqual(['K1']);
    expect(rule('move:A:fighting:talk')?.source).toEqual(['K3']);
    expect(rule('transition:B:wary:DRILL:0')?.source).toEqual(['K2']);
    expect(rule('transition:B:calm:DRILL:0')).toMatchObject({ source: [], assumption: 'Bland starts calm' });
  });

  test('a narrative cites the carried claims with their page and the disputed mark', () => {
    const runner = new Runner(model, new ReferenceKernel(model));
    let text = '';
    for (let i = 0; i < 50 && !text.includes('[disputed]'); i++) {
      const seed = deriveRunSeed('cite', i);
      const r = deriveRunReport(model, runner.run(seed, { trace: true }), deriveMeta(model, { hash: '', files: [], seed, runs: 1, engine: 'reference' }));
      text = renderRunText(r, { all: true });
    }
    expect(text).toContain("K2: Bland's drills are routine (p. 14–15) [disputed]");
    expect(text).toContain('K1: Aland answers every provocation (p. 12)');
  });
});

describe('once: true — a move made at most once a run', () => {
  test('the talk move fires at most once in every run, and in some; on all three paths alike', () => {
    const talk = rule('move:A:fighting:talk')?.index as number;
    const paths = [new Runner(model, new ReferenceKernel(model)), new Runner(model, new CompiledKernel(model), { specialise: false }), new Runner(model, new CompiledKernel(model), { specialise: 0 })];
    let fired = 0;
    for (let i = 0; i < 400; i++) {
      const seed = deriveRunSeed('once', i);
      const counts = paths.map((p) => p.run(seed).ruleCounts[talk] as number);
      expect(new Set(counts).size).toBe(1);
      expect(counts[0]).toBeLessThanOrEqual(1);
      fired += counts[0] as number;
    }
    expect(fired).toBeGreaterThan(10);
  });

  test('explore agrees: no pathway makes the move twice, though without "once" some does', () => {
    const twice = (once: boolean) => {
      const m = buildModel(
        produce(loaded.scenario, (d) => {
          d.outcomes = { talkedTwice: { when: { happened: { event: 'TALKS', from: 'A', atLeast: 2 } } } };
          const talk = d.actors.A?.statechart.states?.fighting?.moves?.talk;
          if (talk !== undefined) talk.once = once;
        }),
      );
      return explore(m, { turns: 10, target: { kind: 'outcome', outcome: m.outcomes[0] as (typeof m.outcomes)[number] } }).target;
    };
    expect(twice(true)).toMatchObject({ firstTurn: null, probability: 0 });
    expect(twice(false)?.probability).toBeGreaterThan(0);
  });
});

describe('invariants over variables (checked by the runner as it plays)', () => {
  test('the first failing turn is the first turn whose end had tension > 4, replayed turn by turn', () => {
    const inv = model.invariants.findIndex((x) => x.id === 'tensionBounded');
    const tension = model.variables.findIndex((v) => v.id === 'tension');
    const runner = new Runner(model, new CompiledKernel(model));
    const stepper = new Runner(model, new ReferenceKernel(model));
    const tally = new InvariantTally(model);
    let broken = 0;
    for (let i = 0; i < 300; i++) {
      const seed = deriveRunSeed('inv', i);
      stepper.begin(seed);
      let first = 0;
      for (let t = 1; t <= model.turns; t++) {
        stepper.step();
        if (first === 0 && (stepper.view.vars[tension] as number) > 4) first = t;
      }
      const record = runner.run(seed);
      expect(record.invariantTurns[inv]).toBe(first);
      const v = checkInvariants(model, record).find((x) => x.invariant === 'tensionBounded');
      expect(v?.turn ?? 0).toBe(first);
      if (first > 0) broken++;
      tally.add(record, i);
    }
    expect(broken).toBeGreaterThan(0);
    expect(tally.toData().invariants.find((x) => x.id === 'tensionBounded')?.violations).toBe(broken);
  });

  test('explore finds a violation of the invariant over a variable', () => {
    const invariant = model.invariants.find((x) => x.id === 'tensionBounded');
    const r = explore(model, { target: { kind: 'invariant', invariant: invariant as NonNullable<typeof invariant> } });
    expect(r.target?.firstTurn).not.toBeNull();
    expect(r.target?.probability).toBeGreaterThan(0);
  });
});
