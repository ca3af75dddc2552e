import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { describe, expect, test } from 'vitest';
import { brink } from '../helpers.ts';

const DUEL = 'test/fixtures/valid/duel.yaml';

interface Exceed {
  rung: string;
  p: number;
  count: number;
  low: number;
  high: number;
}

describe('brink sweep, as a user runs it', () => {
  test('a point is `brink run` of its variant: the same numbers; the point table (CSV, Parquet) holds the JSON report’s values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-sweep-'));
    const sweep = ['sweep', DUEL, '--axis', 'shock.spark=0.01,0.1', '--axis', 'variant=test/fixtures/valid/duel.yaml,test/fixtures/sweeps/duel-spark-high.yaml', '--runs', '300', '--seed', 'q'];
    const [json, pq, variant, html] = await Promise.all([
      brink([...sweep, '--format', 'json']),
      brink([...sweep, '--out', join(dir, 'points.parquet')]),
      brink(['run', 'test/fixtures/sweeps/duel-spark-high.yaml', '--runs', '300', '--seed', 'q', '--format', 'json']),
      brink([...sweep, '--format', 'html']),
    ]);
    for (const r of [json, pq, variant, html]) expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(json.stdout) as { points: Array<{ values: Array<number | string>; exceedance: Exceed[]; topPathway: { seed: string; signature: string } }>; meta: { runs: number } };
    expect(result.points.map((p) => p.values)).toEqual([
      [0.01, 'test/fixtures/valid/duel.yaml'],
      [0.01, 'test/fixtures/sweeps/duel-spark-high.yaml'],
      [0.1, 'test/fixtures/valid/duel.yaml'],
      [0.1, 'test/fixtures/sweeps/duel-spark-high.yaml'],
    ]);
    const run = JSON.parse(variant.stdout) as { peaks: Array<{ exceedance: Exceed[] }>; pathways: Array<{ seed: string; signature: string }> };
    // Points 2 and 3 set the spark to 0.1 (on the duel, and on the variant that already has it): both are the variant's batch.
    for (const k of [2, 3]) {
      expect(result.points[k]?.exceedance).toEqual(run.peaks[0]?.exceedance);
      expect(result.points[k]?.topPathway).toMatchObject({ seed: run.pathways[0]?.seed, signature: run.pathways[0]?.signature });
    }
    // Point 1 sets the variant's spark back to the duel's 0.01: the duel's batch again.
    expect(result.points[1]?.exceedance).toEqual(result.points[0]?.exceedance);
    expect(result.points[0]?.exceedance).not.toEqual(run.peaks[0]?.exceedance);
    const rows = (await parquetReadObjects({ file: await asyncBufferFromFile(join(dir, 'points.parquet')) })) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(4);
    rows.forEach((row, k) => {
      const p = result.points[k] as (typeof result.points)[number];
      expect(row.point).toBe(k);
      expect(row['axis.shock.spark']).toBe(p.values[0]);
      expect(row['axis.variant']).toBe(p.values[1]);
      expect(row.runs).toBe(300);
      for (const e of p.exceedance) {
        expect(row[`p.${e.rung}`]).toBe(e.p);
        expect(row[`low.${e.rung}`]).toBe(e.low);
        expect(row[`high.${e.rung}`]).toBe(e.high);
      }
    });
    expect(html.stdout).toMatch(/^<!doctype html>/);
    expect(html.stdout).toContain('<polyline');
  }, 240_000);

  test('bad sweeps: a clear error, exit 1 (the sweep file, a point that is not a valid scenario) or 2 (the command line), nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-sweep-'));
    const out = join(dir, 'report.txt');
    const cases: Array<[string[], number, RegExp]> = [
      [['sweep', DUEL, '--file', 'test/fixtures/sweeps/bad.sweep.yaml', '--out', out], 1, /bad\.sweep\.yaml:5:19 sample\.method: expected "random" or "lhs"; found "sobol"\n.*5 errors; nothing was run/s],
      [['sweep', DUEL, '--axis', 'shock.sprak=0.1', '--out', out], 2, /axis shock\.sprak: no shock "sprak" \(known: spark\)/],
      [['sweep', DUEL, '--axis', 'time.turns=0,5', '--out', out], 1, /sweep point 0 \(time\.turns=0\) is not a valid scenario:\n  .*time\.turns/],
      [['sweep', DUEL, '--out', out], 2, /a sweep needs at least one axis/],
      [['sweep', DUEL, '--axis', 'shock.spark=0.1', '--sample', 'sobol:3', '--out', out], 2, /expected random:K or lhs:K/],
    ];
    for (const [args, code, message] of cases) {
      const r = await brink(args);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(out)).toBe(false);
  }, 240_000);
});
