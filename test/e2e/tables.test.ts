import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, test } from 'vitest';
import { brink } from '../helpers.ts';

const DUEL = 'test/fixtures/valid/duel.yaml';
const FLAGSHIP = 'scenarios/russia-dprk-2024.yaml';

type Row = Record<string, unknown>;

/** A CSV without quoted fields (the duel's values have no commas): rows as objects of strings. */
function readCsv(text: string): Array<Record<string, string>> {
  const [head, ...lines] = text.trimEnd().split('\n');
  const names = (head as string).split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i] as string, v])));
}

async function readParquet(file: string): Promise<Row[]> {
  return (await parquetReadObjects({ file: await asyncBufferFromFile(file) })) as Row[];
}

describe('tables for data frames, read back with the libraries users have', () => {
  test('the run table (Parquet and CSV) holds every value of the NDJSON run lines: seed as a string, peaks, dyads, thresholds, signature', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-tables-'));
    const args = ['run', FLAGSHIP, '--runs', '150', '--seed', '4'];
    const [nd, pq, csv] = await Promise.all([brink([...args, '--format', 'ndjson']), brink([...args, '--out', join(dir, 'runs.parquet')]), brink([...args, '--format', 'csv'])]);
    for (const r of [nd, pq, csv]) expect(r.code, r.stderr).toBe(0);
    const lines = nd.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Row).filter((l) => l.kind === 'run');
    const table = await readParquet(join(dir, 'runs.parquet'));
    const rows = readCsv(csv.stdout);
    expect(lines).toHaveLength(150);
    expect(table).toHaveLength(150);
    expect(rows).toHaveLength(150);
    const summary = JSON.parse(nd.stdout.trimEnd().split('\n').at(-1) as string) as { actors: Array<{ id: string }> };
    const actors = summary.actors.map((a) => a.id);
    let dyadsSeen = 0;
    lines.forEach((line, i) => {
      const t = table[i] as Row;
      const c = rows[i] as Record<string, string>;
      expect(typeof t.seed).toBe('string');
      expect(t.seed).toBe(line.seed);
      expect(c.seed).toBe(line.seed);
      expect(t.run).toBe(line.index);
      expect(t.peak).toBe(line.peak);
      expect(t.signature).toBe(line.signature);
      expect(c.signature).toBe(line.signature);
      for (const [theatre, peak] of Object.entries(line.theatres as Record<string, string | null>)) {
        expect(t[`peak.${theatre}`]).toBe(peak);
        expect(c[`peak.${theatre}`]).toBe(peak ?? '');
      }
      for (const [th, turn] of Object.entries(line.thresholds as Record<string, number | null>)) {
        expect(t[`threshold.${th}`]).toBe(turn);
        expect(c[`threshold.${th}`]).toBe(turn === null ? '' : String(turn));
      }
      const dyads = line.dyads as Record<string, string>;
      for (const a of actors) {
        for (const b of actors) {
          if (a === b) continue;
          expect(t[`dyad.${a}.${b}`], `${a}>${b}`).toBe(dyads[`${a}>${b}`] ?? null);
          if (dyads[`${a}>${b}`] !== undefined) dyadsSeen++;
        }
      }
    });
    expect(dyadsSeen).toBeGreaterThan(150);
    const meta = parquetMetadata(readFileSync(join(dir, 'runs.parquet')).buffer as ArrayBuffer);
    expect(JSON.parse(meta.key_value_metadata?.find((kv) => kv.key === 'brink')?.value ?? '{}')).toMatchObject({ seed: '4', runs: 150, scenario: 'russia-dprk-2024' });
  }, 240_000);

  test('the per-turn series agrees with the run table and is the same on either engine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-tables-'));
    const series = ['--series', 'peaks,var.tension,states,dyad.A.B'];
    const [pq, ref, runs] = await Promise.all([
      brink(['run', DUEL, '--runs', '30', ...series, '--out', join(dir, 'series.parquet')]),
      brink(['run', DUEL, '--runs', '30', ...series, '--format', 'csv', '--engine', 'reference']),
      brink(['run', DUEL, '--runs', '30', '--format', 'csv']),
    ]);
    for (const r of [pq, ref, runs]) expect(r.code, r.stderr).toBe(0);
    const table = await readParquet(join(dir, 'series.parquet'));
    expect(table).toHaveLength(30 * 12 * 6);
    const csv = readCsv(ref.stdout);
    table.forEach((row, i) => {
      const c = csv[i] as Record<string, string>;
      expect([String(row.run), row.seed, String(row.turn), row.metric, row.value === null ? '' : String(row.value), row.label ?? '']).toEqual([c.run, c.seed, c.turn, c.metric, c.value, c.label]);
    });
    // At the last turn, the peaks are the run's own.
    for (const r of readCsv(runs.stdout)) {
      const last = (metric: string) => table.find((t) => t.run === Number(r.run) && t.turn === 12 && t.metric === metric);
      expect(last('peak')?.label ?? '').toBe(r.peak);
      expect(last('peak.north')?.label ?? '').toBe(r['peak.north']);
      expect(last('dyad.A.B')?.label ?? '').toBe(r['dyad.A.B']);
      expect(last('peak')?.seed).toBe(r.seed);
    }
    // Variables move (the duel's tension changes with its acts), states are named.
    expect(new Set(table.filter((t) => t.metric === 'var.tension').map((t) => t.value)).size).toBeGreaterThan(1);
    expect(new Set(table.filter((t) => t.metric === 'state.A').map((t) => t.label)).size).toBeGreaterThan(1);
  }, 240_000);

  test('tables refuse what they cannot write: Arrow files, Parquet on stdout, --series without a table format', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['run', DUEL, '--out', 'x.arrow'], /Brink writes Apache Parquet \(--out x\.parquet\), not Arrow IPC files/],
      [['run', DUEL, '--runs', '5', '--format', 'parquet'], /'--format parquet' writes a binary file: give --out FILE\.parquet/],
      [['run', DUEL, '--runs', '5', '--series', 'peaks'], /'--series' writes a table: add --format csv, or --out FILE\.parquet/],
      [['run', DUEL, '--runs', '5', '--series', 'peak.south', '--format', 'csv'], /unknown metric "peak\.south" \(known: peaks, dyads, vars, states, peak, peak\.north/],
    ];
    for (const [args, message] of cases) {
      const r = await brink(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  }, 240_000);
});
