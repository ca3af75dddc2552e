/**
 * The conventions users expect of a command-line tool (issue 11, item 6): unknown commands are usage
 * errors, `-` reads standard input, colour only where it belongs, shell completion, `brink init`.
 * Interrupted batches (exit 4) are in formats.test.ts.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ROOT, brink } from '../helpers.ts';

const DUEL = 'test/fixtures/valid/duel.yaml';
const BIN = resolve(ROOT, 'bin/brink.js');
const ESC = '\u001b[';

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs brink with exactly this environment on top of PATH/HOME (no NO_COLOR unless given), and optional stdin. */
function raw(args: readonly string[], env: Record<string, string>, input?: string, cwd = ROOT): Promise<Result> {
  return new Promise((done) => {
    const child = execFile(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } }, (error, stdout, stderr) =>
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    );
    child.stdin?.end(input ?? '');
  });
}

const sh = (script: string) => spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8' });

describe('unknown commands', () => {
  test.each([['nosuch'], ['nosuch', '--help'], ['help', 'nosuch']])('brink %s … is a usage error: exit 2, the commands named, nothing on stdout', async (...args) => {
    const r = await brink(args);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^error: unknown command 'nosuch' \(commands: run, validate, .*init, completion\)\n\(run brink --help for usage\)\n$/);
  });

  test('a known command still answers --help with exit 0', async () => {
    const r = await brink(['run', '--help']);
    expect([r.code, r.stdout.split('\n')[0]]).toEqual([0, 'Usage: brink run [options] <scenario>']);
  });
});

describe('- reads the scenario from standard input', () => {
  test('brink run - plays what is piped in: the same report as from the file', async () => {
    const text = readFileSync(join(ROOT, DUEL), 'utf8');
    const [piped, file] = await Promise.all([raw(['run', '-', '--runs', '300', '--format', 'json'], { NO_COLOR: '1' }, text), brink(['run', DUEL, '--runs', '300', '--format', 'json'])]);
    expect([piped.code, piped.stderr]).toEqual([0, '']);
    const a = JSON.parse(piped.stdout);
    const b = JSON.parse(file.stdout);
    expect(a.meta.scenario.files).toEqual(['<stdin>']);
    expect(a.meta.scenario.hash).toBe(b.meta.scenario.hash);
    expect({ ...a, meta: undefined }).toEqual({ ...b, meta: undefined });
  });

  test('problems in piped text point at <stdin>:line:col', async () => {
    const r = await raw(['validate', '-'], { NO_COLOR: '1' }, readFileSync(join(ROOT, DUEL), 'utf8').replace('turns: 12', 'turns: many'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^<stdin>:7:\d+ time\.turns: /m);
  });
});

describe('colour', () => {
  const problem = ['validate', 'test/fixtures/invalid/absurd-size.yaml'];

  test('none when piped, even with CI=true; FORCE_COLOR turns it on; NO_COLOR wins over it', async () => {
    const [piped, forced, both] = await Promise.all([
      raw(['run', DUEL, '--runs', '200'], { CI: 'true' }),
      raw(['run', DUEL, '--runs', '200'], { FORCE_COLOR: '1' }),
      raw(['run', DUEL, '--runs', '200'], { FORCE_COLOR: '1', NO_COLOR: '1' }),
    ]);
    expect(piped.stdout).not.toContain(ESC);
    expect(both.stdout).toBe(piped.stdout);
    // Rung ids by severity (L0 green … L4 bold red), the title bold; stripped, the text is unchanged.
    expect(forced.stdout).toContain(`${ESC}1mA two-actor standoff (duel)${ESC}22m`);
    expect(forced.stdout).toContain(`${ESC}32mL0${ESC}39m`);
    expect(forced.stdout).toContain(`${ESC}1m${ESC}31mL4${ESC}39m${ESC}22m`);
    expect(forced.stdout.replace(/\u001b\[\d+m/g, '')).toBe(piped.stdout);
  });

  test('problems: the place in bold, the error in red; reports written with --out never coloured', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-colour-'));
    const [bad, out] = await Promise.all([raw(problem, { FORCE_COLOR: '1' }), raw(['run', DUEL, '--out', join(dir, 'r.txt')], { FORCE_COLOR: '1' })]);
    expect(bad.stderr).toMatch(/^\u001b\[1mtest\/fixtures\/invalid\/absurd-size\.yaml:\d+:\d+ \u001b\[22m\u001b\[31m/);
    expect(out.code).toBe(0);
    expect(readFileSync(join(dir, 'r.txt'), 'utf8')).not.toContain(ESC);
    rmSync(dir, { recursive: true });
  });

  test('on a terminal colour is on by default, and NO_COLOR turns it off', () => {
    const onTty = (env: string) => sh(`${env} script -qefc "node bin/brink.js run ${DUEL}" /dev/null`).stdout;
    expect(onTty('env -u NO_COLOR -u FORCE_COLOR TERM=xterm')).toContain(`${ESC}1mA two-actor standoff`);
    expect(onTty('env -u FORCE_COLOR NO_COLOR=1 TERM=xterm')).not.toContain(ESC);
  });
});

describe('brink completion', () => {
  const complete = (line: string) => {
    const words = line.split(' ');
    const script = `source <(node bin/brink.js completion bash); COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _brink; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = sh(script);
    expect(r.stderr).toBe('');
    return r.stdout.trim().split('\n');
  };

  test('bash completes commands, options, option values and files', () => {
    expect(complete('brink ru')).toEqual(['run']);
    expect(complete('brink c').sort()).toEqual(['check', 'compare', 'completion']);
    expect(complete('brink run --for')).toEqual(['--format']);
    expect(complete('brink run --format ')).toEqual(['text', 'json', 'md', 'html', 'ndjson', 'csv', 'parquet']);
    expect(complete('brink validate test/fixtures/valid/duel.')).toEqual(['test/fixtures/valid/duel.yaml']);
    expect(complete('brink completion ')).toEqual(['bash', 'zsh', 'fish']);
  });

  test.each(['zsh', 'fish'])('%s: the script names every command and parses in the shell itself when it is installed', async (shell) => {
    const r = await brink(['completion', shell]);
    expect(r.code).toBe(0);
    for (const c of ['run', 'validate', 'compare', 'check', 'init', 'completion']) expect(r.stdout).toContain(shell === 'zsh' ? `'${c}:` : `-a ${c} `);
    if (existsSync(`/usr/bin/${shell}`)) {
      const file = join(mkdtempSync(join(tmpdir(), 'brink-completion-')), `brink.${shell}`);
      writeFileSync(file, r.stdout);
      const parsed = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
      expect([parsed.status, parsed.stderr]).toEqual([0, '']);
    }
  });

  test('an unknown shell is a usage error', async () => {
    const r = await brink(['completion', 'tcsh']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain('expected one of bash, zsh, fish; found "tcsh"');
  });
});

describe('brink init', () => {
  const dir = mkdtempSync(join(tmpdir(), 'brink-init-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('writes a scenario with its $schema line, a variant and a what-if test; both scenarios validate with no warning and play', async () => {
    const r = await brink(['init', 'standoff'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const base = readFileSync(join(dir, 'standoff/standoff.yaml'), 'utf8');
    const schemaPath = /^# yaml-language-server: \$schema=(\S+)$/m.exec(base)?.[1] ?? '';
    expect(JSON.parse(readFileSync(resolve(dir, 'standoff', schemaPath), 'utf8')).$schema).toMatch(/draft-07/);
    expect(readFileSync(join(dir, 'standoff/hawkish.yaml'), 'utf8')).toMatch(/^extends: standoff\.yaml$/m);
    expect(readFileSync(join(dir, 'standoff/standoff.test.ts'), 'utf8')).toContain("from 'brink/testing'");
    const v = await brink(['validate', 'standoff/standoff.yaml', 'standoff/hawkish.yaml'], { cwd: dir });
    expect([v.code, v.stdout, v.stderr]).toEqual([0, 'standoff/standoff.yaml: ok\nstandoff/hawkish.yaml: ok\n', '']);
    const c = await brink(['compare', 'standoff/standoff.yaml', 'standoff/hawkish.yaml', '--runs', '500'], { cwd: dir });
    expect([c.code, c.stderr]).toEqual([0, '']);
    // The what-if test itself runs in test/package/consumer.test.ts, where vitest and fast-check are installed beside brink.
  });

  test('never overwrites: an existing folder is an error and nothing is written; a bad name is a usage error', async () => {
    const again = await brink(['init', 'standoff'], { cwd: dir });
    expect([again.code, again.stderr]).toEqual([1, 'error: standoff already exists; nothing was written (choose another name)\n']);
    const bad = await brink(['init', '../escape'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(existsSync(join(dir, '../escape'))).toBe(false);
  });
});
