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
    for (const format of ['text', 'html']) {
      const [merged, whole] = await Promise.all([brink(['merge', ...parts, '--format', format]), brink(['run', DUEL, '--runs', '400', '--seed', 's', '--format', format])]);
      expect(merged.code, merged.stderr).toBe(0);
      expect(merged.stdout.length).toBeGreaterThan(1000);
      expect(merged.stdout).toBe(whole.stdout);
    }
    // Associative: two parts merged into one part, then with the third.
    expect((await brink(['merge', parts[0] as string, parts[1] as string, '--format', 'part', '--out', join(dir, 'ab.json')])).code).toBe(0);
    const again = await brink(['merge', join(dir, 'ab.json'), parts[2] as string, '--format', 'json']);
    expect(again.stdout).toBe((await brink(['run', DUEL, '--runs', '400', '--seed', 's', '--format', 'json'])).stdout);
  });

  test('a comparison played as two shards merges into the comparison played at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-shard-'));
    const variant = 'scenarios/variants/no-spark.yaml';
    const shards = await Promise.all([1, 2].map((i) => brink(['compare', FLAGSHIP, variant, '--runs', '300', '--shard', `${i}/2`, '--out', join(dir, `c${i}.json`)])));
    for (const r of shards) expect(r.code, r.stderr).toBe(0);
    const [merged, whole] = await Promise.all([brink(['merge', join(dir, 'c2.json'), join(dir, 'c1.json')]), brink(['compare', FLAGSHIP, variant, '--runs', '300'])]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toContain('paired difference');
    expect(merged.stdout).toBe(whole.stdout);
  });

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
    for (const [args, code, message] of cases) {
      const r = await brink(args);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['a1.json', 'b2.json', 'junk.json']);
    expect(JSON.parse(readFileSync(join(dir, 'a1.json'), 'utf8'))).toMatchObject({ format: 'brink-part', formatVersion: 1, kind: 'batch', seed: 'a', runs: 100, ranges: [[0, 50]] });
  });
});
