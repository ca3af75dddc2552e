import { describe, expect, test } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { formatProblem } from '../../src/scenario/problem.ts';

describe('brink validate on chance reactions (issue 12)', () => {
  test('warns about a chance reaction that never fires and modifiers that cannot change the odds', () => {
    const r = loadScenarioFile('test/fixtures/valid/chance-lints.yaml');
    expect(r.ok).toBe(true);
    expect(r.ok ? r.warnings.map(formatProblem) : []).toMatchInlineSnapshot(`
      [
        "test/fixtures/valid/chance-lints.yaml:15:19 warning: actors.L.statechart.states.testing.on.TEST[0].modifiers: the chance reaction to TEST in "testing": its modifiers can never change its probability of 1 (the result is clamped to [0, 1]): check their values",
        "test/fixtures/valid/chance-lints.yaml:25:36 warning: actors.O.statechart.states.calm.on.ASTRAY.probability: the chance reaction to ASTRAY in "calm" has probability 0: it never fires; give it a chance or remove it",
      ]
    `);
  });

  test('says nothing about chance reactions whose odds can move', () => {
    const r = loadScenarioFile('test/fixtures/valid/chance.yaml');
    expect(r.ok).toBe(true);
    expect(r.ok ? r.warnings : undefined).toEqual([]);
  });
});
