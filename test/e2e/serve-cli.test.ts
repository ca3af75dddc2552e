/** `brink serve` as a teacher starts it (issue 15): the address, the classroom-network mode, bad flags. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, startServe } from '../server/harness.ts';

const main = join(ROOT, 'src/cli/main.ts');

/** Starts `brink serve` with flags, collects its output until `until` matches stdout, then stops it. */
function serveOutput(args: string[], until: RegExp): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'serve', '--data', mkdtempSync(join(tmpdir(), 'brink-cli-')), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no match in 60 s:\n${stdout}\n${stderr}`));
    }, 60_000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (until.test(stdout)) {
        setTimeout(() => child.kill('SIGTERM'), 300);
      }
    });
    child.on('exit', () => {
      clearTimeout(t);
      resolve({ stdout, stderr });
    });
  });
}

describe('brink serve on the command line (issue 15)', () => {
  it('listens on 127.0.0.1 by default and says so', async () => {
    const r = await serveOutput(['--port', '0'], /Ctrl-C stops/);
    expect(r.stdout).toMatch(/^Brink classroom: http:\/\/127\.0\.0\.1:\d+\/ {2}\(games kept in /);
    expect(r.stdout).toMatch(/Only this computer can reach it; for students’ phones, run with --host 0\.0\.0\.0\./);
    expect(r.stderr).toBe('');
  });

  it('with --host 0.0.0.0 prints the address to share, a QR code and a warning', async () => {
    const r = await serveOutput(['--port', '0', '--host', '0.0.0.0'], /Ctrl-C stops/);
    expect(r.stderr).toMatch(/^Warning: anyone on this network can reach this server/);
    if (/Students open: http:\/\/\d+\.\d+\.\d+\.\d+:\d+\//.test(r.stdout)) expect(r.stdout).toMatch(/[▀▄█]/);
    else expect(r.stdout).toMatch(/No network address found/);
  });

  it('refuses a bad port (exit 2) and a port in use (exit 1) with a clear message', async () => {
    const bad = spawnSync(process.execPath, ['--import', 'tsx', main, 'serve', '--port', 'eighty'], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/expected a port from 0 to 65535; found "eighty"/);
    const taken = await startServe();
    try {
      const busy = spawnSync(process.execPath, ['--import', 'tsx', main, 'serve', '--port', String(taken.port), '--data', mkdtempSync(join(tmpdir(), 'brink-cli-'))], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(busy.status).toBe(1);
      expect(busy.stderr).toMatch(new RegExp(`port ${taken.port} is already in use; choose another with --port`));
    } finally {
      await taken.stop();
    }
  });
});
