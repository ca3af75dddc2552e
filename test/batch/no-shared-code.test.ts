/**
 * Issue 18, item 1: the worker bundle was written to a predictable name in the system's temp folder
 * and reused whoever made it, so a file planted there ran inside another user's batch. The worker now
 * comes from the package or from memory (src/batch/worker-script.ts). This holds it: no source file
 * reaches for the temp folder, and a batch on worker threads writes nothing there.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readSources } from '../architecture/layers.ts';
import { brink } from '../helpers.ts';

describe('no code runs from a folder other users can write', () => {
  test('no source file outside the CLI and the server names the temp folder', () => {
    const offenders = readSources('src')
      .map((f) => f.path)
      .filter((p) => !p.startsWith('cli/') && !p.startsWith('server/') && /\btmpdir\b|TMPDIR|\/tmp\//.test(readFileSync(join('src', p), 'utf8')));
    expect(offenders).toEqual([]);
  });

  test('a batch on two worker threads writes nothing to TMPDIR', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'brink-tmpdir-'));
    const before = process.env['TMPDIR'];
    process.env['TMPDIR'] = tmp;
    try {
      const r = await brink(['run', 'test/fixtures/valid/duel.yaml', '--runs', '200', '--workers', '2', '--quiet']);
      expect(r.code).toBe(0);
    } finally {
      if (before === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = before;
    }
    // tsx (the development runner of bin/brink.js from a checkout) keeps its own per-user cache there.
    expect(readdirSync(tmp).filter((f) => !/^tsx-\d+$/.test(f))).toEqual([]);
  }, 120_000);
});
