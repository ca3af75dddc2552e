import { createHash } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';

let cached: URL | undefined;

/**
 * The batch worker as one prebuilt JavaScript file: bundled from src/batch/batch-worker.ts by esbuild
 * on first use in a process (84 ms measured here) and kept in the temp folder under a hash of its
 * contents. A worker started from it had built the flagship's model and played a run in 0.10–0.13 s;
 * the same worker through tsx took 0.28–0.36 s (2-core machine, 2026-11-27).
 */
export function workerScript(): URL {
  if (cached !== undefined) return cached;
  const result = buildSync({
    entryPoints: [fileURLToPath(new URL('./batch-worker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    banner: { js: "import { createRequire as __brinkRequire } from 'node:module'; const require = __brinkRequire(import.meta.url);" },
  });
  const text = (result.outputFiles[0] as { text: string }).text;
  const file = join(tmpdir(), `brink-batch-worker-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  }
  cached = pathToFileURL(file);
  return cached;
}
