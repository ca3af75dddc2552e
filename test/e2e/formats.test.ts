import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, brink } from '../helpers.ts';

const DUEL = 'test/fixtures/valid/duel.yaml';

function shell(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('bash', ['-c', command], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

describe('brink run --format ndjson', () => {
  test('a line per run in run order, then the summary, which is the JSON report', async () => {
    const [nd, json] = await Promise.all([brink(['run', DUEL, '--runs', '200', '--format', 'ndjson']), brink(['run', DUEL, '--runs', '200', '--format', 'json'])]);
    expect([nd.code, nd.stderr]).toEqual([0, '']);
    const lines = nd.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(201);
    expect(lines.slice(0, 200).map((l) => [l.kind, l.index])).toEqual(Array.from({ length: 200 }, (_, i) => ['run', i]));
    expect(Object.keys(lines[0])).toEqual(['kind', 'index', 'seed', 'peak', 'theatres', 'dyads', 'signature', 'thresholds']);
    expect(lines[200]).toEqual(JSON.parse(json.stdout));
  });

  test('brink run … --format ndjson | head -1 exits 0 with nothing on stderr', async () => {
    const r = await shell(`set -o pipefail; node bin/brink.js run ${DUEL} --runs 200000 --format ndjson | head -1`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'run', index: 0 });
  });

  test('a single run gives its line and the summary of a batch of one, playing the seed as given', async () => {
    const r = await brink(['run', DUEL, '--seed', '3', '--format', 'ndjson']);
    const [run, summary, ...rest] = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rest).toEqual([]);
    expect(run).toMatchObject({ kind: 'run', index: 0, seed: '3' });
    expect(summary).toMatchObject({ kind: 'batch', meta: { runs: 1, seed: '3' } });
  });

  test('--out streams into a file that appears whole at the end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-'));
    const out = join(dir, 'runs.ndjson');
    const r = await brink(['run', DUEL, '--runs', '50', '--format', 'ndjson', '--out', out]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(51);
    expect(readdirSync(dir)).toEqual(['runs.ndjson']);
  });
});

describe('brink run --format html and md', () => {
  test('html: one self-contained page, for a batch and for one run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-'));
    const r = await brink(['run', DUEL, '--runs', '100', '--format', 'html', '--out', join(dir, 'r.html')]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain("default-src 'none'");
    // One script only (tooltips, legends, downloads), inline and allowed by its hash; the rest is inert data.
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html.match(/<script[^>]*>/g)?.filter((t) => t !== '<script>' && !t.includes('type="application/json"'))).toEqual([]);
    expect(html).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'"/);
    const one = await brink(['run', DUEL, '--seed', '3', '--format', 'html']);
    expect(one.stdout).toContain('brink run test/fixtures/valid/duel.yaml --seed 3');
  });

  test('md: a Mermaid flowchart of the top pathways and a state diagram per actor', async () => {
    const r = await brink(['run', DUEL, '--runs', '100', '--format', 'md']);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/```mermaid\nflowchart LR/g)).toHaveLength(1);
    expect(r.stdout.match(/```mermaid\nstateDiagram-v2/g)).toHaveLength(2);
    expect(r.stdout).toContain('## Which decisions matter');
  });

  test('--rung picks the outcome of "which decisions matter"; an unknown rung is a usage error', async () => {
    const r = await brink(['run', DUEL, '--runs', '100', '--format', 'json', '--rung', 'L3']);
    expect(JSON.parse(r.stdout).influence).toMatchObject({ rung: 'L3', chosen: 'given' });
    const bad = await brink(['run', DUEL, '--runs', '100', '--rung', 'L9']);
    expect([bad.code, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toContain("'L9' is not a rung of test/fixtures/valid/duel.yaml (known: L0, L1, L2, L3, L4)");
  });
});

describe('brink diagram', () => {
  test('every actor as Markdown with Mermaid blocks; --actor gives bare Mermaid', async () => {
    const all = await brink(['diagram', DUEL]);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('## A — Aland');
    expect(all.stdout.match(/```mermaid\nstateDiagram-v2/g)).toHaveLength(2);
    const one = await brink(['diagram', DUEL, '--actor', 'B']);
    expect(one.stdout.startsWith('stateDiagram-v2\n  [*] --> calm\n')).toBe(true);
    expect(one.stdout).toContain('wary --> fighting : CLASH');
  });

  test('an unknown actor exits 2 and names the known ones', async () => {
    const r = await brink(['diagram', DUEL, '--actor', 'Z']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain("'Z' is not an actor of test/fixtures/valid/duel.yaml (known: A, B)");
  });
});

describe('brink compare', () => {
  test('against an identical copy: exactly zero difference, nothing appears or vanishes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-'));
    const copy = join(dir, 'copy.yaml');
    copyFileSync(resolve(ROOT, DUEL), copy);
    const [text, json] = await Promise.all([
      brink(['compare', DUEL, copy, '--runs', '300']),
      brink(['compare', DUEL, copy, '--runs', '300', '--format', 'json']),
    ]);
    expect([text.code, text.stderr]).toEqual([0, '']);
    expect(text.stdout).toContain('Pathways that appear: 0');
    expect(text.stdout).toContain('Pathways that vanish: 0');
    expect(text.stdout).not.toMatch(/pts \[(?!0\.0, 0\.0\])/);
    const c = JSON.parse(json.stdout);
    for (const sc of c.variants[0].scopes) for (const r of sc.rungs) expect(r.difference).toEqual({ estimate: 0, low: 0, high: 0 });
    expect(c.variants[0].rules).toEqual([]);
  });

  test('usage: a variant is required', async () => {
    const r = await brink(['compare', DUEL]);
    expect([r.code, r.stdout]).toEqual([2, '']);
  });
});

describe('progress and Ctrl-C', () => {
  test('--progress plain prints lines on stderr only; --quiet prints nothing', async () => {
    const [plain, quiet] = await Promise.all([
      brink(['run', DUEL, '--runs', '3000', '--progress', 'plain', '--format', 'json']),
      brink(['run', DUEL, '--runs', '3000', '--progress', 'plain', '--quiet', '--format', 'json']),
    ]);
    expect(plain.stderr).toMatch(/^brink: \d+\/3000 runs \(\d+%\), \d+\.\d s\n/);
    expect(JSON.parse(plain.stdout).meta.runs).toBe(3000);
    expect(quiet.stderr).toBe('');
  });

  test('on a terminal a batch longer than two seconds draws a bar on stderr', async () => {
    // `script` gives the command a terminal; stdout goes to a file so only stderr reaches it.
    const dir = mkdtempSync(join(tmpdir(), 'brink-'));
    const r = await shell(`script -qefc "node bin/brink.js run ${DUEL} --runs 60000 --engine reference --format json --out ${dir}/r.json" /dev/null`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/[█░]+ \d+% \| \d+\/60000 runs/);
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).meta.runs).toBe(60000);
  });

  test('Ctrl-C stops a batch, prints the summary of the runs done and exits 4; a second Ctrl-C exits 130 at once', async () => {
    const interrupt = (format: string, twice: boolean) =>
      new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((done) => {
        const child = spawn(process.execPath, ['bin/brink.js', 'run', DUEL, '--runs', '10000000', '--format', format, '--progress', 'plain'], { cwd: ROOT });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => {
          stderr += d;
          // The first progress line says the batch is running: press Ctrl-C.
          if (/runs \(/.test(stderr) && !/stopping/.test(stderr) && child.signalCode === null && !sent.first) {
            sent.first = true;
            child.kill('SIGINT');
          }
          if (twice && /stopping/.test(stderr) && !sent.second) {
            sent.second = true;
            child.kill('SIGINT');
          }
        });
        const sent = { first: false, second: false };
        child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
      });
    const once = await interrupt('json', false);
    expect(once.code).toBe(4); // issue 11: scripts can tell an interrupted batch from a complete one
    const stopped = /stopped after (\d+) of 10000000 runs/.exec(once.stderr);
    expect(stopped).not.toBeNull();
    expect(JSON.parse(once.stdout).meta.runs).toBe(Number(stopped?.[1]));
    expect(Number(stopped?.[1])).toBeLessThan(10_000_000);

    // HTML takes a moment to render after the batch stops: the second Ctrl-C lands during it.
    const twice = await interrupt('html', true);
    expect([twice.code, twice.stdout]).toEqual([130, '']);
  });
});
