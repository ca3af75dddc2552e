import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** How a batch worker thread is started: a file of the package, or code held in memory. */
type WorkerSource = { readonly kind: 'file'; readonly url: URL } | { readonly kind: 'code'; readonly code: string };

let cached: WorkerSource | undefined;

/**
 * Where the batch worker's code comes from. Built (dist/, what `npm pack` ships): the compiled
 * `batch-worker.js` beside this file, installed with the package and nothing else. From TypeScript
 * source (tsx, vitest in a checkout): `batch-worker.ts` bundled in memory by esbuild, a development
 * dependency, once per process, and run as `eval` code — no file is written or read from a shared
 * folder, so no other user's file is ever executed (issue 18).
 */
function workerSource(): WorkerSource {
  if (cached !== undefined) return cached;
  const here = import.meta.url;
  if (!here.endsWith('.ts')) {
    cached = { kind: 'file', url: new URL('./batch-worker.js', here) };
    return cached;
  }
  // Only reached when running from source, where devDependencies are installed.
  const esbuild = createRequire(here)('esbuild') as typeof import('esbuild');
  const result = esbuild.buildSync({
    entryPoints: [fileURLToPath(new URL('./batch-worker.ts', here))],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  cached = { kind: 'code', code: (result.outputFiles[0] as { text: string }).text };
  return cached;
}

/** Starts one batch worker thread with its setup. */
export function startWorker(workerData: unknown): Worker {
  const source = workerSource();
  return source.kind === 'file' ? new Worker(source.url, { workerData }) : new Worker(source.code, { eval: true, workerData });
}
