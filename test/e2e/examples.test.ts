import { execFile } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { ROOT } from '../helpers.ts';

describe('examples/', () => {
  test('examples/sweep.ts runs as documented (npx tsx examples/sweep.ts) and prints its table', async () => {
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, ['--import', 'tsx', 'examples/sweep.ts', 'test/fixtures/valid/duel.yaml', '300'], { cwd: ROOT }, (error, stdout, stderr) =>
        done({ code: error === null ? 0 : Number(error.code), stdout, stderr }),
      );
    });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const rows = r.stdout.trimEnd().split('\n').slice(2);
    expect(rows[0]).toMatch(/spark p +P\(peak ≥ L4\) +vs base/);
    expect(rows).toHaveLength(7);
    // The variant equal to the base (p = 0.01) differs by exactly nothing: common random numbers.
    expect(rows.find((l) => /^ +0\.01 /.test(l))).toMatch(/ 0\.0 +\[0\.0, 0\.0\]/);
    const p = rows.slice(1).map((l) => Number.parseFloat(l.trim().split(/ +/)[1] ?? ''));
    expect(p).toEqual([...p].sort((a, b) => a - b));
  });
});
