/**
 * Brink as another project's dependency (issue 11): `npm pack`, the tarball installed into a fresh
 * project (from the local npm cache where it can), then used the ways a user would — plain Node ESM,
 * CommonJS require, a strict TypeScript consumer, a vitest + fast-check test with brink/testing, and
 * `npx brink`. Not part of `npm test` (it packs and installs: about a minute); run it with
 * `npm run test:package` (.ci/run does).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildModel, loadScenario, renderBatchText, runBatch } from '../../src/index.ts';
import { ROOT } from '../helpers.ts';

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(file: string, args: readonly string[], cwd: string): Promise<Result> {
  return new Promise((done) => {
    execFile(file, args, { cwd, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    );
  });
}

const npm = (args: readonly string[], cwd: string) => run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd);
const installed = (name: string) => (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
const FLAGSHIP = 'node_modules/brink/scenarios/russia-dprk-2024.yaml';

let work: string;
let app: string;
let tarball: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'brink-consumer-'));
  const packed = await npm(['pack', '--json', '--pack-destination', work], ROOT);
  expect(packed.code, packed.stderr).toBe(0);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, (info as { filename: string }).filename);
  writeFileSync(join(work, 'files.json'), JSON.stringify((info as { files: { path: string }[] }).files.map((f) => f.path)));
  app = join(work, 'app');
  rmSync(app, { recursive: true, force: true });
  await run('mkdir', ['-p', app], work);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // The same versions this checkout installed, so the npm cache has them.
  const dev = ['vitest', 'fast-check', '@fast-check/vitest'].map((p) => `${p}@${installed(p)}`);
  const install = await npm(['install', '--prefer-offline', tarball, ...dev], app);
  expect(install.code, install.stderr).toBe(0);
}, 300_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball, installed into a fresh project', () => {
  test('ships dist/, bin/, web/dist, scenarios/, docs/, README, LICENSE and CHANGELOG, and nothing of src/, test/, bench/ or .ci/', () => {
    const files = JSON.parse(readFileSync(join(work, 'files.json'), 'utf8')) as string[];
    const tops = [...new Set(files.map((f) => f.split('/')[0]))].sort();
    expect(tops).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'bin', 'dist', 'docs', 'package.json', 'scenarios', 'web']);
    expect(files).toContain('web/dist/index.html');
    expect(files.filter((f) => f.startsWith('web/') && !f.startsWith('web/dist/'))).toEqual([]);
    expect(files).toContain('dist/batch/batch-worker.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  test('(a) plain node imports loadScenario, buildModel and runBatch and plays 1,000 flagship runs — the same report as the source', async () => {
    writeFileSync(
      join(app, 'batch.mjs'),
      `import { loadScenario, buildModel, runBatch, renderBatchText } from 'brink';
const loaded = loadScenario('${FLAGSHIP}');
if (!loaded.ok) throw new Error('invalid');
const summary = runBatch(buildModel(loaded.scenario), { runs: 1000, seed: '1' });
process.stdout.write(renderBatchText(summary));
`,
    );
    const r = await run(process.execPath, ['batch.mjs'], app);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const loaded = loadScenario(resolve(ROOT, 'scenarios/russia-dprk-2024.yaml'));
    if (!loaded.ok) throw new Error('flagship invalid');
    expect(r.stdout).toBe(renderBatchText(runBatch(buildModel(loaded.scenario), { runs: 1000, seed: '1' })));
    expect(r.stdout).toMatch(/seed 1 · 1000 runs/);
  });

  test('(b) require("brink") from CommonJS works on Node ≥ 20.19', async () => {
    writeFileSync(join(app, 'cjs.cjs'), `const brink = require('brink');\nconsole.log(typeof brink.runBatch, typeof require('brink/testing').never);\n`);
    const r = await run(process.execPath, ['--no-warnings', 'cjs.cjs'], app);
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    if (major > 20 || (major === 20 && minor >= 19)) expect([r.code, r.stdout.trim()]).toEqual([0, 'function function']);
    else expect(r.stderr).toMatch(/ERR_REQUIRE_ESM/); // README: use import(), or Node ≥ 20.19
  });

  test('(c) a strict NodeNext TypeScript consumer type-checks against the .d.ts, and a planted type error is caught', async () => {
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, noEmit: true }, include: ['src'] }));
    await run('mkdir', ['-p', 'src'], app);
    writeFileSync(
      join(app, 'src/good.ts'),
      `import { loadScenario, buildModel, runBatch, type BatchSummary } from 'brink';
import { never, checkScenario, type RunProperty } from 'brink/testing';
export function play(): number {
  const loaded = loadScenario('${FLAGSHIP}');
  if (!loaded.ok) return 0;
  const summary: BatchSummary = runBatch(buildModel(loaded.scenario), { runs: 10, seed: '1' });
  const nuclear: RunProperty = never({ event: 'NUCLEAR_USE' });
  return summary.meta.runs + (checkScenario(loaded.scenario, nuclear, { runs: 10 }) === undefined ? 0 : 1);
}
`,
    );
    const tsc = join(ROOT, 'node_modules/.bin/tsc');
    const good = await run(tsc, ['-p', '.'], app);
    expect(good.stdout + good.stderr).toBe('');
    expect(good.code).toBe(0);
    writeFileSync(join(app, 'src/bad.ts'), `import { runBatch } from 'brink';\nexport const n: number = runBatch;\n`);
    const bad = await run(tsc, ['-p', '.'], app);
    rmSync(join(app, 'src/bad.ts'));
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toMatch(/src\/bad\.ts\(2,14\): error TS2322/);
    expect(bad.stdout.split('\n').filter((l) => l.includes('error')).length).toBe(1);
  });

  test('(d) a vitest + fast-check test with brink/testing passes', async () => {
    writeFileSync(
      join(app, 'what-if.test.ts'),
      `import { test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { loadScenario } from 'brink';
import { assertHolds, checkScenario, precedes, variantOf } from 'brink/testing';

const loaded = loadScenario('${FLAGSHIP}');
if (!loaded.ok) throw new Error('invalid');
const flagship = loaded.scenario;
const armedAttack = { event: ['INCIDENT', 'RETALIATORY_STRIKE', 'SUSTAINED_COMBAT'], against: 'DPRK' };
const art4 = precedes(armedAttack, { event: 'MUTUAL_DEFENCE_INVOKED', from: 'DPRK' });

test('Art. 4 answers an attack on the flagship', () => {
  expect(checkScenario(flagship, art4, { runs: 200 })).toBeUndefined();
});
test.prop([variantOf(flagship, { keepZeroProbabilities: true })], { numRuns: 5 })('and on its variants', (v) =>
  assertHolds(v, art4, { runs: 50 }),
);
`,
    );
    const r = await run(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'what-if.test.ts'], app);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2 passed/);
  });

  test('npx brink init writes a scenario, a variant and a what-if test that pass as written', async () => {
    const init = await run('npx', ['brink', 'init', 'standoff'], app);
    expect([init.code, init.stderr]).toEqual([0, '']);
    const valid = await run('npx', ['brink', 'validate', 'standoff/standoff.yaml', 'standoff/hawkish.yaml'], app);
    expect([valid.code, valid.stderr]).toEqual([0, '']);
    const r = await run(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'standoff'], app);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/3 passed/);
  });

  test('(e) npx brink plays the packaged flagship from the built JavaScript: a run, a batch on workers, an HTML report', async () => {
    const version = await run('npx', ['brink', '--version'], app);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    const one = await run('npx', ['brink', 'run', FLAGSHIP], app);
    expect([one.code, one.stderr]).toEqual([0, '']);
    expect(one.stdout).toMatch(/^The Russia–DPRK treaty of June 2024/);
    const batch = await run('npx', ['brink', 'run', FLAGSHIP, '--runs', '20000', '--workers', '2', '--quiet', '--format', 'json'], app);
    expect([batch.code, batch.stderr]).toEqual([0, '']);
    expect(JSON.parse(batch.stdout).meta.runs).toBe(20000);
    const html = await run('npx', ['brink', 'run', FLAGSHIP, '--runs', '200', '--format', 'html', '--out', 'report.html'], app);
    expect([html.code, html.stderr]).toEqual([0, '']);
    expect(readFileSync(join(app, 'report.html'), 'utf8')).toMatch(/<svg/);
  });

  test('(f) the installed brink serve serves the built classroom pages from the package (issue 15)', async () => {
    const { spawn } = await import('node:child_process');
    // The bin itself, not npx: killing npx would leave the server holding its port.
    const child = spawn(process.execPath, [join(app, 'node_modules/brink/bin/brink.js'), 'serve', '--port', '0', '--data', join(work, 'classroom')], {
      cwd: app,
      env: { ...process.env, NO_COLOR: '1' },
    });
    try {
      const url = await new Promise<string>((done, fail) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /Brink classroom: (http:\/\/\S+?)\/ /.exec(out);
          if (m) done(m[1] as string);
        });
        child.once('exit', (code) => fail(new Error(`brink serve exited with ${code}: ${out}`)));
      });
      const page = await fetch(`${url}/join`);
      expect(page.status).toBe(200);
      const html = await page.text();
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(script).toBeDefined();
      expect((await fetch(`${url}${script}`)).status).toBe(200);
      const scenarios = (await (await fetch(`${url}/api/scenarios`)).json()) as Array<{ file: string }>;
      expect(scenarios.map((s) => s.file)).toContain('russia-dprk-2024.yaml');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
