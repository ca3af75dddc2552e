/**
 * Issue 18, item 6: broken outputs reported as success. On a full disk `--format html > file` exited 0
 * with a fifth of the report written, `> /dev/full` printed a raw ENOSPC stack, `--out` renamed over a
 * symlink or a FIFO, and a failed or signalled NDJSON `--out` left its temporary file. Root cause: three
 * writers, none checking every write. Now one writer (src/cli/output.ts) does.
 */
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CliFailure } from '../../src/cli/failure.ts';
import { type OutputFs, writeOutputFile } from '../../src/cli/output.ts';
import { brink, ROOT } from '../helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'brink-output-'));
const REPORT = 'x'.repeat(245_000);

/** The real file system, except that the disk fills up after `room` bytes (short writes, then ENOSPC). */
function fullDisk(room: number, failAt: 'write' | 'fsync' | 'rename' = 'write'): OutputFs {
  let used = 0;
  return {
    openSync: (p, f, m) => openSync(p, f, m),
    writeSync: (fd, b, o, l) => {
      if (failAt === 'write' && used >= room) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const n = writeSync(fd, b, o, failAt === 'write' ? Math.min(l, room - used) : l);
      used += n;
      return n;
    },
    fsyncSync: (fd) => {
      if (failAt === 'fsync') throw Object.assign(new Error('EIO'), { code: 'EIO' });
    },
    closeSync: (fd) => closeSync(fd),
    renameSync: (a, b) => {
      if (failAt === 'rename') throw Object.assign(new Error('EXDEV'), { code: 'EXDEV' });
      renameSync(a, b);
    },
  };
}

const temps = (folder: string) => readdirSync(folder).filter((f) => f.endsWith('.tmp'));

describe('the output writer on a full disk', () => {
  test.each(['write', 'fsync', 'rename'] as const)('a failing %s: a clear error, no partial target, no temporary file', (failAt) => {
    const folder = mkdtempSync(join(dir, `full-${failAt}-`));
    const target = join(folder, 'report.html');
    let thrown: unknown;
    try {
      writeOutputFile(target, REPORT, fullDisk(53_000, failAt));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(CliFailure);
    expect((thrown as CliFailure).exitCode).toBe(1);
    expect((thrown as Error).message).toMatch(new RegExp(`^cannot write ${target}: .*\\((ENOSPC|EIO|EXDEV)\\); nothing was written$`));
    expect(existsSync(target)).toBe(false);
    expect(temps(folder)).toEqual([]);
  });

  test('an existing report is left as it was when the new one cannot be written', () => {
    const target = join(dir, 'kept.md');
    writeFileSync(target, 'the old report');
    expect(() => writeOutputFile(target, REPORT, fullDisk(1000))).toThrow(/no space left on device \(ENOSPC\)/);
    expect(readFileSync(target, 'utf8')).toBe('the old report');
  });

  test('on a disk with room the report is written whole', () => {
    const target = join(dir, 'whole.md');
    writeOutputFile(target, REPORT, fullDisk(10_000_000));
    expect(readFileSync(target, 'utf8')).toBe(REPORT);
  });
});

describe('--out never replaces what is not a regular file', () => {
  const cases: Array<[string, () => string]> = [
    ['a symbolic link', () => {
      const p = join(dir, 'link.txt');
      writeFileSync(join(dir, 'elsewhere.txt'), 'not yours');
      symlinkSync(join(dir, 'elsewhere.txt'), p);
      return p;
    }],
    ['a directory', () => {
      const p = join(dir, 'folder.txt');
      mkdirSync(p);
      return p;
    }],
  ];
  if (process.platform === 'linux')
    cases.push(['a named pipe (FIFO)', () => {
      const p = join(dir, 'pipe.txt');
      execFileSync('mkfifo', [p]);
      return p;
    }]);
  test.each(cases)('%s', async (kind, make) => {
    const target = make();
    const r = await brink(['run', 'test/fixtures/valid/duel.yaml', '--out', target]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot write ${target}: it is ${kind}; Brink replaces only regular files`);
    expect(temps(dir)).toEqual([]);
    if (kind === 'a symbolic link') expect(readFileSync(join(dir, 'elsewhere.txt'), 'utf8')).toBe('not yours');
  });
});

describe.skipIf(process.platform !== 'linux')('standard output that cannot be written', () => {
  test('`> /dev/full`: exit 1 and one clear line, no stack trace', async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, [resolve(ROOT, 'bin/brink.js'), 'run', 'test/fixtures/valid/duel.yaml', '--format', 'html'], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.stdout.destroy();
      child.on('close', (code) => done({ code, stderr }));
    });
    // A closed pipe is not a failure (`| head`): exit 0. /dev/full is.
    expect(r.code).toBe(0);
    const full = execFileSync('sh', ['-c', `"${process.execPath}" "${resolve(ROOT, 'bin/brink.js')}" run test/fixtures/valid/duel.yaml --format html 2>&1 >/dev/full; echo "exit $?"`], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(full.trim().split('\n')).toEqual(['brink: cannot write to standard output: no space left on device (ENOSPC); the output is incomplete', 'exit 1']);
  });
});

describe('a signalled NDJSON --out leaves no temporary file', () => {
  test.each(['SIGTERM', 'SIGHUP'] as const)('%s', async (signal) => {
    const folder = mkdtempSync(join(dir, `signal-${signal}-`));
    const target = join(folder, 'runs.ndjson');
    const child = spawn(process.execPath, [resolve(ROOT, 'bin/brink.js'), 'run', 'test/fixtures/valid/duel.yaml', '--runs', '50000000', '--format', 'ndjson', '--out', target, '--quiet'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    // Wait until the temporary file exists and has grown, then signal.
    for (let i = 0; i < 600 && !temps(folder).some((f) => readFileSync(join(folder, f)).length > 0); i++) await new Promise((r) => setTimeout(r, 100));
    expect(temps(folder)).toHaveLength(1);
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, sig) => done(sig)));
    child.kill(signal);
    expect(await exited).toBe(signal);
    expect(readdirSync(folder)).toEqual([]);
  }, 120_000);
});
