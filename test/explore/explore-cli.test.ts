import { describe, expect, test } from 'vitest';
import { brink } from '../helpers.ts';

const RUSH = 'test/fixtures/valid/explore-rush.yaml';

describe('brink explore, as a user runs it', () => {
  test('--to a rung: reachable, exact probability, the shortest and the most probable pathway as narratives', async () => {
    const r = await brink(['explore', RUSH, '--to', 'L2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Brink 0.1.0 · scenario sha256:');
    expect(r.stdout).toContain('Target: reach L2 (Strike) overall');
    expect(r.stdout).toContain('Reachable: first on turn 1 (Jan 2025).');
    expect(r.stdout).toContain('Probability by turn 3: 0.984125 (exact); by turn: 0.05 · 0.8625 · 0.984125');
    expect(r.stdout).toContain('Shortest pathway: 1 turn, 1 act, probability 0.05');
    expect(r.stdout).toContain('Most probable pathway: 2 turns, 2 acts, probability 0.81');
    expect(r.stdout).toContain('Turn 2 · Feb 2025 · p 0.9');
    expect(r.stdout).toContain('▲ #1 X STRIKE against Y — L2 Strike (move strike)');
  });

  test('--format json is the same bytes in another process, and carries the exact numbers', async () => {
    const args = ['explore', RUSH, '--to', 'invariant:pushFirst', '--turns', '2', '--format', 'json'];
    const [a, b] = await Promise.all([brink(args), brink(args)]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const report = JSON.parse(a.stdout);
    expect(report.meta.scenario.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(report.result).toMatchObject({ turns: 2, complete: true, target: { kind: 'invariant', id: 'pushFirst', firstTurn: 1 } });
    expect(report.result.target.probability).toBeCloseTo(0.0525, 12);
  });

  test('past --max-states it exits 1, saying how far it got and what to try', async () => {
    const r = await brink(['explore', 'bench/scenarios/hand.yaml', '--to', 'L4', '--max-states', '100']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('the state budget ran out: more than 100 distinct states by turn 2 of 36 (start: 1, turn 1: 32; turn 2 unfinished)');
    expect(r.stderr).toContain('reach L4 (Clash) overall: reachable, first on turn 1 (Jan 2025).');
    expect(r.stderr).toContain('Try fewer turns (--turns 1) or a larger budget (--max-states 1000).');
  });

  test('a target that is nothing, or more turns than the scenario has, is a usage error', async () => {
    const none = await brink(['explore', RUSH, '--to', 'NOPE']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("'--to <target>' argument 'NOPE' is not a rung, an event type, an invariant or an outcome (rungs: L0, L1, L2; event types: PUSH, STRIKE; invariants: pushFirst, neverPushed; outcomes: none)");
    const tooFar = await brink(['explore', RUSH, '--turns', '9']);
    expect(tooFar.code).toBe(2);
    expect(tooFar.stderr).toContain("more than the scenario's 3 turns");
  });
});
