// Issue 12, items 7, 8 and 10: lints, did-you-mean, and absolute `extends`.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { buildModel } from '../../src/model/build-model.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { formatProblem, knownList, nameDistance, nearNames } from '../../src/scenario/problem.ts';
import { renderOverlay } from '../../src/testing/edits.ts';
import { loadValid, ROOT } from '../helpers.ts';

describe('did you mean', () => {
  test.prop([fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })])('the distance is a metric up to case', (a, b, c) => {
    expect(nameDistance(a, a)).toBe(0);
    expect(nameDistance(a, b)).toBe(nameDistance(b, a));
    expect(nameDistance(a, c)).toBeLessThanOrEqual(nameDistance(a, b) + nameDistance(b, c) + 1);
  });

  test('the nearest names come first; far names are not suggested; a long list keeps the near one visible', () => {
    expect(nearNames(['CLASH', 'DRILL', 'PROTEST'], 'PROTST')).toEqual(['PROTEST']);
    expect(nearNames(['CLASH', 'DRILL'], 'NUCLEAR')).toEqual([]);
    expect(nearNames(['Rok', 'USA'], 'ROK')).toEqual(['Rok']);
    const many = Array.from({ length: 40 }, (_, i) => `E${i}`);
    expect(knownList([...many, 'MUTUAL_DEFENCE_INVOKED'], 'MUTUAL_DEFENSE_INVOKED')).toMatch(/^did you mean "MUTUAL_DEFENCE_INVOKED"\? known: MUTUAL_DEFENCE_INVOKED, /);
  });
});

describe('lints: warnings that a valid scenario still gets', () => {
  test('base 0 opened by adds, stacking past 1, outcomes and invariants that cannot hold, the claims\' own prefix', () => {
    const r = loadScenarioFile('test/fixtures/valid/lints.yaml');
    expect(r.ok).toBe(true);
    expect(r.ok ? r.warnings.map(formatProblem) : []).toMatchInlineSnapshot(`
      [
        "test/fixtures/valid/lints.yaml:21:28 warning: actors.B.statechart.states.wary.moves.withdraw.probability: move "withdraw" has probability 0 and 2 "add" modifiers: it is possible whenever any one of them applies, whatever the others say; if it needs a condition, write it as "when:" (a precondition)",
        "test/fixtures/valid/lints.yaml:27:5 warning: shocks.spark: shock "spark" cites no claim: add "source: [S…]" or "assumption: <reason>" (here or on an enclosing state or the actor)",
        "test/fixtures/valid/lints.yaml:29:7 warning: shocks.spark.modifiers: shock "spark"'s modifiers together can raise its probability to 1.8, which is clamped to 1: check that they are meant to stack",
        "test/fixtures/valid/lints.yaml:34:20 warning: outcomes.nuclear.when: outcome "nuclear" can never be reached: no move, reaction, shock or inject produces NUKE",
        "test/fixtures/valid/lints.yaml:35:21 warning: outcomes.lateTalk.when: outcome "lateTalk" can never be reached: turn 9 comes after turn 8",
        "test/fixtures/valid/lints.yaml:36:23 warning: outcomes.overheated.when: outcome "overheated" can never be reached: tension never exceeds its max 10",
        "test/fixtures/valid/lints.yaml:39:13 warning: invariants.neverCalm.always: invariant "neverCalm" is broken by every run: its condition can never hold (tension never falls below its min 0)",
      ]
    `);
    const unsourced = loadScenarioFile('test/fixtures/valid/duel-sourced.yaml');
    expect(unsourced.ok && unsourced.warnings).toEqual([]);
  });
});

describe('extends (issue 12, item 10): an absolute path is read as absolute', () => {
  test('a variant with an absolute extends loads, and so does the overlay brink/testing prints for an absolute file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-abs-'));
    const base = resolve(ROOT, 'test/fixtures/valid/duel.yaml');
    const variant = join(dir, 'v.yaml');
    writeFileSync(variant, `version: 1\nextends: ${base}\nmetadata: { id: v, title: V }\n`);
    // Outside the project, so the project's root is widened to the repository's (as --extends-root does).
    const r = loadScenarioFile(variant, { extendsRoot: ROOT });
    expect(r.ok ? r.files : r.problems.map(formatProblem)).toEqual([variant, base]);
    const duel = loadValid('test/fixtures/valid/duel.yaml');
    const overlay = renderOverlay(duel.scenario, [{ kind: 'setShockProbability', shock: 'spark', value: 0.5 }], base);
    writeFileSync(join(dir, 'o.yaml'), overlay);
    const o = loadScenarioFile(join(dir, 'o.yaml'), { extendsRoot: ROOT });
    expect(o.ok && buildModel(o.scenario).shocks[0]?.probability).toBe(0.5);
  });
});
