/**
 * docs/api is the API reference TypeDoc generates from the doc comments of the public exports
 * (`npm run docs:api`; TypeDoc runs on its own TypeScript 5.9 in tools/typedoc, since TypeScript 7 has
 * no JavaScript API). This test regenerates it into a scratch folder and fails, naming the files, when
 * docs/api differs. Without tools/typedoc/node_modules it is skipped with a line saying how to install
 * it, unless BRINK_REQUIRE_API_DOCS=1 (set by .ci/run).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT } from '../helpers.ts';

const TOOLS = join(ROOT, 'tools/typedoc');
const TYPEDOC = join(TOOLS, 'node_modules/typedoc/bin/typedoc');
const installed = existsSync(TYPEDOC);
if (!installed) {
  if (process.env.BRINK_REQUIRE_API_DOCS === '1') throw new Error(`${TYPEDOC} is missing: npm ci --prefix tools/typedoc (BRINK_REQUIRE_API_DOCS=1 says it is required)`);
  process.stderr.write('skipped api.test.ts: TypeDoc is not installed: npm ci --prefix tools/typedoc\n');
}

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

describe.skipIf(!installed)('docs/api', () => {
  test('is what npm run docs:api generates from the source now', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'brink-api-'));
    try {
      const options = join(scratch, 'typedoc.json');
      const base = JSON.parse(readFileSync(join(TOOLS, 'typedoc.json'), 'utf8')) as { entryPoints: string[]; tsconfig: string };
      writeFileSync(options, JSON.stringify({ ...base, entryPoints: base.entryPoints.map((e) => join(TOOLS, e)), tsconfig: join(TOOLS, base.tsconfig), out: join(scratch, 'api') }));
      const r = await new Promise<{ code: number; output: string }>((done) =>
        execFile(process.execPath, [TYPEDOC, '--options', options], { cwd: TOOLS }, (error, stdout, stderr) => done({ code: error === null ? 0 : 1, output: stdout + stderr })),
      );
      expect(r.code, r.output).toBe(0);
      const fresh = files(join(scratch, 'api'));
      const committed = files(join(ROOT, 'docs/api'));
      const stale = [...new Set([...fresh.keys(), ...committed.keys()])].filter((f) => fresh.get(f) !== committed.get(f)).sort();
      expect(stale, 'docs/api is stale: run npm run docs:api').toEqual([]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 300_000);
});
