/**
 * `npm run bench:package`: Brink as a user installs it. Packs the package (prepack builds dist/),
 * installs the tarball into a fresh project (from the npm cache where it can), then measures the
 * installed size (`du` of node_modules, and the number of packages) and, as whole processes of the
 * installed `brink`, the time of `brink --version` and of one flagship run (`brink run <flagship>`).
 * Checks the answers first: --version prints package.json's version, the run prints the flagship's
 * report. Writes bench/package-results.json. Aims (issue 11): ≤ 0.1 s, ≤ 0.3 s, below 40 MB.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const work = mkdtempSync(join(tmpdir(), 'brink-bench-package-'));
try {
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--silent', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as { filename: string; size: number; unpackedSize: number }[];
  const tarball = packed[0] as { filename: string; size: number; unpackedSize: number };
  const app = join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), '{ "name": "consumer", "private": true, "type": "module" }\n');
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(work, tarball.filename)], { cwd: app, stdio: 'inherit' });
  const bytes = Number(execFileSync('du', ['-sb', 'node_modules'], { cwd: app, encoding: 'utf8' }).split('\t')[0]);
  const packages = readdirSync(join(app, 'node_modules')).flatMap((d) => (d.startsWith('.') ? [] : d.startsWith('@') ? readdirSync(join(app, 'node_modules', d)) : [d])).length;

  const bin = join(app, 'node_modules', '.bin', 'brink');
  const flagship = join(app, 'node_modules', 'brink', 'scenarios', 'russia-dprk-2024.yaml');
  /** Wall-clock seconds of whole processes: the median and the fastest of `n`, after one warm-up. */
  const time = (args: readonly string[], n: number, check: (stdout: string) => boolean) => {
    const seconds: number[] = [];
    for (let i = 0; i <= n; i++) {
      const start = process.hrtime.bigint();
      const r = spawnSync(bin, args, { cwd: app, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      const s = Number(process.hrtime.bigint() - start) / 1e9;
      if (r.status !== 0 || !check(r.stdout)) throw new Error(`brink ${args.join(' ')} gave a wrong answer (exit ${r.status}):\n${r.stdout}${r.stderr}`);
      if (i > 0) seconds.push(s);
    }
    seconds.sort((a, b) => a - b);
    return { median: Number((seconds[Math.floor(seconds.length / 2)] as number).toFixed(3)), fastest: Number((seconds[0] as number).toFixed(3)), n };
  };
  const versionTime = time(['--version'], 10, (out) => out === `${version}\n`);
  const runTime = time(['run', flagship], 10, (out) => out.startsWith('The Russia–DPRK treaty of June 2024'));

  const results = {
    measured: 'npm run bench:package',
    node: process.version,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
    // Whole-process timings are wall-clock: a busy machine (load above the cores) inflates them.
    loadAverage: loadavg().map((l) => Number(l.toFixed(1))),
    tarball: { bytes: tarball.size, unpackedBytes: tarball.unpackedSize },
    install: { megabytes: Number((bytes / 1e6).toFixed(1)), packages },
    seconds: { version: versionTime, flagshipRun: runTime },
  };
  writeFileSync(join(ROOT, 'bench', 'package-results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`tarball ${(tarball.size / 1e3).toFixed(0)} kB (unpacked ${(tarball.unpackedSize / 1e6).toFixed(1)} MB)`);
  console.log(`fresh consumer: node_modules ${results.install.megabytes} MB, ${packages} packages (aim < 40 MB)`);
  console.log(`brink --version: median ${versionTime.median} s, fastest ${versionTime.fastest} s (aim ≤ 0.1 s)`);
  console.log(`brink run <flagship>: median ${runTime.median} s, fastest ${runTime.fastest} s (aim ≤ 0.3 s)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
