import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { brink } from '../helpers.ts';

const DUEL = 'test/fixtures/valid/duel-invariants.yaml';
const FLAGSHIP = 'scenarios/russia-dprk-2024.yaml';

describe('brink run/compare --shard i/n and brink merge, as a user runs them', () => {
  test('three shards of a batch, merged in another order, give the bytes of the batch played at once (text, HTML)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-shard-'));
    const shards = await Promise.all(
      [1, 2, 3].map((i) => brink(['run', DUEL, '--runs', '400', '--seed', 's', '--shard', `${i}/3`, '--out', join(dir, `part-${i}.json`)])),
    );
    for (const r of shards) expect(r.code, r.stderr).toBe(0);
    const parts = [3, 1, 2].map((i) => join(dir, `part-${i}.json`));
    const run = ['run', DUEL, '--runs', '400', '--seed', 's'];
    const [ab, wholeText, wholeHtml] = await Promise.all([
      brink(['merge', parts[1] as string, parts[2] as string, '--format', 'part', '--out', join(dir, 'ab.json')]),
      brink([...run, '--format', 'text']),
      brink([...run, '--format', 'html']),
    ]);
    expect(ab.code, ab.stderr).toBe(0);
    // In another order; and associative: the part merged from two parts, merged with the third.
    const [text, html] = await Promise.all([brink(['merge', ...parts, '--format', 'text']), brink(['merge', parts[0] as string, join(dir, 'ab.json'), '--format', 'html'])]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.length).toBeGreaterThan(1000);
    expect(text.stdout).toBe(wholeText.stdout);
    expect(html.stdout).toBe(wholeHtml.stdout);
  }, 240_000);

  test('a comparison played as two shards merges into the comparison played at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-shard-'));
    const variant = 'scenarios/variants/no-spark.yaml';
    const shards = await Promise.all([1, 2].map((i) => brink(['compare', FLAGSHIP, variant, '--runs', '300', '--shard', `${i}/2`, '--out', join(dir, `c${i}.json`)])));
    for (const r of shards) expect(r.code, r.stderr).toBe(0);
    const [merged, whole] = await Promise.all([brink(['merge', join(dir, 'c2.json'), join(dir, 'c1.json')]), brink(['compare', FLAGSHIP, variant, '--runs', '300'])]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toContain('paired difference');
    expect(merged.stdout).toBe(whole.stdout);
  }, 240_000);

  test('a sweep played as two shards merges into the sweep played at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-shard-'));
    const sweep = ['sweep', 'test/fixtures/valid/duel.yaml', '--axis', 'shock.spark=0.01,0.1', '--axis', 'var.tension=1,4', '--runs', '200', '--quiet'];
    const shards = await Promise.all([1, 2].map((i) => brink([...sweep, '--shard', `${i}/2`, '--out', join(dir, `s${i}.json`)])));
    for (const r of shards) expect(r.code, r.stderr).toBe(0);
    const [merged, whole] = await Promise.all([brink(['merge', join(dir, 's2.json'), join(dir, 's1.json'), '--format', 'md']), brink([...sweep, '--format', 'md'])]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toContain('## Along `var.tension`');
    expect(merged.stdout).toBe(whole.stdout);
  }, 240_000);

  test('parts that do not belong together, missing runs and bad shard specs: a clear error, exit 1 or 2, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-shard-'));
    const part = (seed: string, shard: string, file: string) => brink(['run', DUEL, '--runs', '100', '--seed', seed, '--shard', shard, '--out', join(dir, file)]);
    await Promise.all([part('a', '1/2', 'a1.json'), part('b', '2/2', 'b2.json')]);
    writeFileSync(join(dir, 'junk.json'), '{"format":"brink-part"');
    const out = join(dir, 'report.txt');
    const cases: Array<[string[], number, RegExp]> = [
      [['merge', join(dir, 'a1.json'), join(dir, 'b2.json'), '--out', out], 1, /b2\.json is a part of a different seed from .*a1\.json \(b vs a\): only parts of the same batch merge; nothing was written/],
      [['merge', join(dir, 'a1.json'), '--out', out], 1, /the parts hold 50 of the batch's 100 runs; missing runs 50–99: play the missing shards/],
      [['merge', join(dir, 'junk.json'), join(dir, 'a1.json'), '--out', out], 1, /junk\.json: error: not a Brink part: expected one JSON document/],
      [['run', DUEL, '--runs', '100', '--shard', '0/2', '--out', out], 2, /option '--shard <i\/n>' argument '0\/2' is invalid\. expected i\/n with 1 ≤ i ≤ n/],
      [['run', DUEL, '--runs', '3', '--shard', '1/4', '--out', out], 2, /splits 3 runs into more shards than runs; use at most 3 shards/],
      [['run', DUEL, '--runs', '100', '--shard', '1/4', '--format', 'md', '--out', out], 2, /'--format md' does not apply with '--shard'/],
      [['merge', join(dir, 'a1.json'), '--format', 'ndjson'], 2, /argument 'ndjson' is invalid/],
    ];
    const results = await Promise.all(cases.map(([args]) => brink(args)));
    cases.forEach(([args, code, message], k) => {
      const r = results[k] as (typeof results)[number];
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['a1.json', 'b2.json', 'junk.json']);
    expect(JSON.parse(readFileSync(join(dir, 'a1.json'), 'utf8'))).toMatchObject({ format: 'brink-part', formatVersion: 1, kind: 'batch', seed: 'a', runs: 100, ranges: [[0, 50]] });
  }, 240_000);
});
