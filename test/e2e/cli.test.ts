import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { brink } from '../helpers.ts';

const DUEL = 'test/fixtures/valid/duel.yaml';

describe('brink run, as a user runs it', () => {
  test('one run prints its pathway as a narrative, with what reproduces it', async () => {
    const r = await brink(['run', DUEL, '--seed', '3']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Brink 0.1.0 · scenario sha256:');
    expect(r.stdout).toContain('seed 3 · 1 run · engine compiled');
    expect(r.stdout).toContain('Turn 1 · Jan 2025');
    expect(r.stdout).toContain('Replay: brink run test/fixtures/valid/duel.yaml --seed 3');
  });

  test('a batch prints the aggregate; the same seed gives the same bytes in another process', async () => {
    const [a, b] = await Promise.all([
      brink(['run', DUEL, '--runs', '300', '--seed', 'abc', '--format', 'json']),
      brink(['run', DUEL, '--runs', '300', '--seed', 'abc', '--format', 'json']),
    ]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const report = JSON.parse(a.stdout);
    expect(report.meta).toMatchObject({ seed: 'abc', runs: 300, engine: 'compiled', version: '0.1.0' });
    expect(report.meta.scenario.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(report.pathways[0].seed).toMatch(/^\d+$/);
  });

  test('the seed a batch lists for a pathway replays that pathway', async () => {
    const batch = JSON.parse((await brink(['run', DUEL, '--runs', '200', '--format', 'json'])).stdout);
    const top = batch.pathways[0];
    const replay = JSON.parse((await brink(['run', DUEL, '--seed', top.seed, '--format', 'json'])).stdout);
    expect(replay.signature).toBe(top.signature);
  });

  test('--out writes the report to a file, atomically; a bad --out path leaves nothing behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-'));
    const out = join(dir, 'report.md');
    const ok = await brink(['run', DUEL, '--runs', '50', '--format', 'md', '--out', out]);
    expect([ok.code, ok.stdout]).toEqual([0, '']);
    expect(readFileSync(out, 'utf8')).toContain('## Top pathways');
    const bad = await brink(['run', DUEL, '--out', join(dir, 'missing', 'report.txt')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cannot write .*report\.txt: no such folder \(ENOENT\)/);
    expect(readdirSync(dir)).toEqual(['report.md']);
  });

  test('a scenario whose cascade cycles exits 1 naming the cycle and the seed that replays it', async () => {
    const r = await brink(['run', 'test/fixtures/valid/cascade-cycle.yaml', '--seed', '9']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('it cycles through B PONG → A PING → B PONG');
    expect(r.stderr).toContain('replay: brink run test/fixtures/valid/cascade-cycle.yaml --seed 9');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

});

describe('invariants in scenario files (issue 6)', () => {
  test('brink run reports each broken invariant with the seed that replays its first breach', async () => {
    const file = 'test/fixtures/valid/duel-invariants.yaml';
    const batch = await brink(['run', file, '--runs', '300']);
    expect(batch.code).toBe(0);
    expect(batch.stdout).toContain('Invariants: 1 of 2 broken in 300 runs');
    expect(batch.stdout).toContain('✓ aNeverFires');
    const seed = /✗ drillsBeforeClashes[\s\S]*?seed (\d+)/.exec(batch.stdout)?.[1];
    expect(seed).toBeDefined();
    const replay = await brink(['run', file, '--seed', seed as string, '--format', 'json']);
    const verdict = JSON.parse(replay.stdout).invariants.invariants.find((i: { id: string }) => i.id === 'drillsBeforeClashes');
    expect(verdict.violations).toBe(1);
  });
});

describe('outcomes in scenario files (issue 12)', () => {
  const file = 'test/fixtures/valid/duel-outcomes.yaml';
  test('brink run reports each outcome in every format, ranks decisions by one, and replays its seed', async () => {
    const [text, jsonOut, ndjsonOut, md, html] = await Promise.all([
      brink(['run', file, '--runs', '400', '--outcome', 'earlyClash']),
      brink(['run', file, '--runs', '400', '--format', 'json']),
      brink(['run', file, '--runs', '3', '--format', 'ndjson']),
      brink(['run', file, '--runs', '50', '--format', 'md']),
      brink(['run', file, '--runs', '50', '--format', 'html']),
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Outcomes: share of runs that reached each');
    expect(text.stdout).toMatch(/earlyClash +CLASH happened, by turn 6 +\d+\.\d% \[/);
    expect(text.stdout).toContain('Outcome: earlyClash (CLASH happened)');
    expect(text.stdout).toContain('P(earlyClash | fired)');
    const early = JSON.parse(jsonOut.stdout).outcomes.find((o: { id: string }) => o.id === 'earlyClash');
    expect(early.reached.total).toBe(400);
    const replay = await brink(['run', file, '--seed', early.seed, '--format', 'json']);
    expect(JSON.parse(replay.stdout).outcomes.find((o: { id: string }) => o.id === 'earlyClash').reached).toBe(true);
    const lines = ndjsonOut.stdout.trim().split('\n');
    expect(Object.keys(JSON.parse(lines[0] as string).outcomes)).toEqual(['settled', 'earlyClash', 'tense']);
    expect(md.stdout).toContain('## Outcomes');
    expect(html.stdout).toContain('<details class="section" id="outcomes"');
  }, 180_000);

  test('brink explore gives an outcome its exact probability; an unknown outcome is a usage error', async () => {
    const r = await brink(['explore', file, '--to', 'outcome:earlyClash']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('outcome earlyClash: CLASH happened (held by turn 6)');
    expect(r.stdout).toContain('Probability by turn 12: 0.135464 (exact)');
    const bad = await brink(['run', file, '--runs', '10', '--outcome', 'peace']);
    expect([bad.code, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toContain("argument 'peace' is not an outcome of test/fixtures/valid/duel-outcomes.yaml (known: settled, earlyClash, tense)");
  });
});

describe('bad input and usage', () => {
  test('an invalid scenario: every problem on stderr with file:line:col, nothing on stdout, exit 1', async () => {
    const r = await brink(['run', 'test/fixtures/invalid/references.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('test/fixtures/invalid/references.yaml:22:29 actors.A.statechart.states.idle.on.TALK.target: unknown state "lethal"');
    expect(r.stderr).toContain('9 errors; nothing was run');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('every invalid fixture exits 1 from brink validate, with nothing on stdout', async () => {
    const dir = 'test/fixtures/invalid';
    const files = readdirSync(dir).map((f) => join(dir, f));
    const results = await Promise.all(files.map((f) => brink(['validate', f])));
    files.forEach((f, i) => {
      const r = results[i] as { code: number; stdout: string; stderr: string };
      expect([f, r.code, r.stdout]).toEqual([f, 1, '']);
      expect(r.stderr).toMatch(new RegExp(`^${f.replace(/[.]/g, '\\.')}:\\d+:\\d+ `));
    });
  });

  test('brink validate on good files says ok', async () => {
    const r = await brink(['validate', DUEL, 'test/fixtures/valid/coins.yaml']);
    expect(r).toEqual({ code: 0, stdout: `${DUEL}: ok\ntest/fixtures/valid/coins.yaml: ok\n`, stderr: '' });
  });

  test('a missing file is a clear error', async () => {
    const r = await brink(['run', 'nope.yaml']);
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toContain('nope.yaml: cannot read scenario: no such file');
  });

  test('usage errors exit 2: unknown flag, bad value, bad format', async () => {
    for (const args of [['run', DUEL, '--frobnicate'], ['run', DUEL, '--runs', 'many'], ['run', DUEL, '--format', 'pdf'], ['run']]) {
      const r = await brink(args);
      expect([args.join(' '), r.code, r.stdout]).toEqual([args.join(' '), 2, '']);
      expect(r.stderr).toMatch(/error/);
    }
  });
});

describe('brink schema', () => {
  test('prints the JSON Schema, and scenarios/scenario.schema.json is not stale', async () => {
    const r = await brink(['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(existsSync('scenarios/scenario.schema.json')).toBe(true);
    expect(readFileSync('scenarios/scenario.schema.json', 'utf8'), 'run `npm run schema` to regenerate scenarios/scenario.schema.json').toBe(r.stdout);
  });
});
