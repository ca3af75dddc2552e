import { spawn } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { brink, ROOT } from '../helpers.ts';

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

describe('Ctrl-C during a long exploration', () => {
  test('stops within seconds, mid-turn, prints the exact answers of the turns done and exits 4', async () => {
    // The flagship's turn 2 takes minutes: Ctrl-C lands in the middle of it.
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string; waited: number }>((done) => {
      const args = ['bin/brink.js', 'explore', 'scenarios/russia-dprk-2024.yaml', '--turns', '2', '--max-outcomes', '100000000000', '--max-states', '100000000', '--stats'];
      const child = spawn(process.execPath, args, { cwd: ROOT });
      let stdout = '';
      let stderr = '';
      let sentAt = 0;
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => {
        stderr += d;
        if (sentAt === 0 && /turn 1 done/.test(stderr)) {
          sentAt = performance.now();
          // A moment into turn 2, so the signal arrives while a turn is being explored.
          setTimeout(() => child.kill('SIGINT'), 1500);
        }
      });
      child.on('close', (code) => done({ code, stdout, stderr, waited: performance.now() - sentAt - 1500 }));
    });
    expect(r.stderr).toContain('explore: stopped during turn 2; the brackets of the 1 turn(s) done follow');
    expect(r.code).toBe(4);
    // Generous for a loaded machine; before the fix the signal waited for the whole turn (minutes).
    expect(r.waited).toBeLessThan(30_000);
    expect(r.stdout).toContain('Stopped after turn 1 of 2: the answers below are by turn 1.');
    expect(r.stdout).toContain('P(peak ≥ rung by turn 1), exact');
    // ≥ L0 is certain by turn 1; the report no longer prints 0 for answers it has.
    expect(r.stdout).toMatch(/≥ L0 De-escalation \/ détente +1 \(turn 1\)/);
  });
});
