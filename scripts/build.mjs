#!/usr/bin/env node
/**
 * `npm run build`: writes dist/ from src/ — ESM JavaScript, .d.ts and source maps (tsc, with
 * tsconfig.build.json), then bundles the part of ECharts the HTML report uses into
 * dist/report/echarts-lib.js (esbuild), so the installed package does not need the echarts package,
 * and builds the classroom's pages into web/dist (vite; `npm run build:web` alone).
 * `npm pack` and `npm publish` run it (prepack); a checkout runs the source and needs no build.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const require = createRequire(join(root, 'package.json'));

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

const lib = join(dist, 'report', 'echarts-lib');
rmSync(`${lib}.js.map`, { force: true });
rmSync(`${lib}.d.ts`, { force: true });
buildSync({
  entryPoints: [join(root, 'src', 'report', 'echarts-lib.ts')],
  outfile: `${lib}.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  banner: { js: '/* ECharts (Apache-2.0) and ZRender (BSD-3-Clause), bundled: see echarts-lib.LICENSE.txt */' },
  logLevel: 'warning',
});
const notice = (pkg, files) => files.map((f) => readFileSync(join(dirname(require.resolve(`${pkg}/package.json`, { paths: [dirname(require.resolve('echarts'))] })), f), 'utf8')).join('\n');
writeFileSync(
  `${lib}.LICENSE.txt`,
  `dist/report/echarts-lib.js bundles parts of Apache ECharts and ZRender.\n\n== echarts ==\n${notice('echarts', ['LICENSE', 'NOTICE'])}\n\n== zrender ==\n${notice('zrender', ['LICENSE'])}\n`,
);

execFileSync(process.execPath, [join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'), 'build', '--config', join(root, 'web', 'vite.config.ts')], { stdio: 'inherit', cwd: root });
