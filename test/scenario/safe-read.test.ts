/**
 * Issue 18, items 3, 4, 8 and 9: special files, `extends` outside the project or onto a file that is not
 * a scenario, the loader's library arguments, and the smaller edges of reading (several documents, CR
 * line ends, a byte order mark, node caps). Root cause of the first two: the loader read any path whole
 * (`readFileSync`) and quoted what it found; now every file goes through `readRegularFile` and a file
 * that is not a scenario is never quoted.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, symlinkSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { type LoadResult, loadScenarioFile } from '../../src/scenario/load.ts';
import { formatProblem } from '../../src/scenario/problem.ts';

const DUEL = readFileSync('test/fixtures/valid/duel.yaml', 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'brink-safe-read-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const messages = (r: LoadResult) => (r.ok ? [] : r.problems.map(formatProblem));

/** Loads and fails the test if that took a second or more (a FIFO would hang forever, /dev/zero for minutes). */
function quickly(path: string, options = {}): LoadResult {
  const started = performance.now();
  const r = loadScenarioFile(path, options);
  expect(performance.now() - started).toBeLessThan(1000);
  return r;
}

const linux = process.platform === 'linux';
const fifo = join(dir, 'pipe.yaml');
if (linux) execFileSync('mkfifo', [fifo]);
symlinkSync(join(dir, 'loop-b.yaml'), join(dir, 'loop-a.yaml'));
symlinkSync(join(dir, 'loop-a.yaml'), join(dir, 'loop-b.yaml'));
mkdirSync(join(dir, 'folder.yaml'));
const sparse = join(dir, 'sparse.yaml');
const fd = openSync(sparse, 'w');
ftruncateSync(fd, 6 * 1024 * 1024 * 1024);
closeSync(fd);

describe('special files are refused at once, with a clear message', () => {
  test.skipIf(!linux)('a FIFO', () => {
    expect(messages(quickly(fifo))).toEqual([`${fifo}: cannot read scenario: expected a regular file; found a named pipe (FIFO)`]);
  });
  test.skipIf(!linux)('/dev/zero and /dev/urandom', () => {
    expect(messages(quickly('/dev/zero'))).toEqual(['/dev/zero: cannot read scenario: expected a regular file; found a character device']);
    expect(messages(quickly('/dev/urandom'))).toEqual(['/dev/urandom: cannot read scenario: expected a regular file; found a character device']);
  });
  test('a directory', () => {
    expect(messages(quickly(join(dir, 'folder.yaml')))).toEqual([`${join(dir, 'folder.yaml')}: cannot read scenario: expected a regular file; found a directory`]);
  });
  test('a symlink loop', () => {
    expect(messages(quickly(join(dir, 'loop-a.yaml')))).toEqual([`${join(dir, 'loop-a.yaml')}: cannot read scenario: too many levels of symbolic links (a symlink loop?)`]);
  });
  test('a sparse file of 6 GiB, refused on its size before a byte is read', () => {
    expect(messages(quickly(sparse))).toEqual([`${sparse}: cannot read scenario: expected a scenario file of at most 5.0 MiB; found 6144.0 MiB`]);
  });
  test.skipIf(!linux)('each of them named by `extends`', () => {
    for (const target of ['pipe.yaml', 'folder.yaml', 'loop-a.yaml', 'sparse.yaml']) {
      const variant = file('variant.yaml', `version: 1\nextends: ${target}\n`);
      const [m] = messages(quickly(variant));
      expect(m).toMatch(new RegExp(`^${variant}:2:10 extends: cannot read "${join(dir, target)}": (expected a regular file|too many levels|expected a scenario file of at most)`));
    }
  });
});

describe('`extends` stays in the project and never quotes a file that is not a scenario', () => {
  const project = join(dir, 'project');
  mkdirSync(join(project, 'variants'), { recursive: true });
  writeFileSync(join(project, 'package.json'), '{}');
  writeFileSync(join(project, 'base.yaml'), DUEL);
  writeFileSync(join(dir, 'secrets.yaml'), 'password: hunter2\ntoken: "s3cr3t"\n');
  writeFileSync(join(project, 'secrets.yaml'), 'password: hunter2\ntoken: "s3cr3t"\n');
  writeFileSync(join(project, 'shadow.yaml'), 'root:$6$hunter2:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n');
  writeFileSync(join(project, 'broken.json'), '{"password": hunter2}');
  symlinkSync(join(dir, 'secrets.yaml'), join(project, 'link.yaml'));
  const variant = (target: string) => {
    const p = join(project, 'variants', 'v.yaml');
    writeFileSync(p, `version: 1\nextends: ${target}\nmetadata: { id: v, title: V }\n`);
    return p;
  };

  test('a variant in a subfolder extends the project base', () => {
    expect(loadScenarioFile(variant('../base.yaml')).ok).toBe(true);
  });
  test('a file outside the project is refused, by path or through a symbolic link, unless the root is widened', () => {
    for (const target of ['../../secrets.yaml', '../link.yaml']) {
      const [m] = messages(loadScenarioFile(variant(target)));
      expect(m).toContain("lies outside the scenario's project");
      expect(m).not.toContain('hunter2');
    }
    const widened = loadScenarioFile(variant('../../secrets.yaml'), { extendsRoot: dir });
    expect(messages(widened).join('\n')).toContain('is not one, and its content is not shown');
  });
  test('a YAML secrets file, a passwd-like file and broken JSON are reported without their content', () => {
    for (const target of ['../secrets.yaml', '../shadow.yaml', '../broken.json']) {
      const all = messages(loadScenarioFile(variant(target))).join('\n');
      expect(all.length).toBeGreaterThan(0);
      expect(all).not.toMatch(/hunter2|s3cr3t|daemon/);
    }
  });
  test('a path that is not a scenario file, or longer than 1,000 characters, is refused before it is used', () => {
    expect(messages(loadScenarioFile(variant('/etc/passwd')))[0]).toContain('expected "extends" to name a .yaml, .yml, .json file');
    expect(messages(loadScenarioFile(variant(`${'a/'.repeat(600)}x.yaml`)))[0]).toContain('expected "extends" to be at most 1000 characters; found 1206');
  });
});

describe('the smaller edges of reading', () => {
  test('several YAML documents in one file are refused, naming where the second begins', () => {
    expect(messages(loadScenarioFile(file('multi.yaml', `${DUEL}---\nversion: 1\n`)))).toEqual([
      `${join(dir, 'multi.yaml')}:${DUEL.split('\n').length}:1 expected one YAML document; found 2 (a second begins here, after "---"): put each scenario in its own file`,
    ]);
  });
  test('CR-only line ends read as line ends', () => {
    expect(loadScenarioFile(file('cr.yaml', DUEL.replace(/\n/g, '\r'))).ok).toBe(true);
  });
  test('a UTF-8 byte order mark is accepted in JSON and YAML', () => {
    const json = JSON.stringify((loadScenarioFile('test/fixtures/valid/duel.yaml') as { scenario: unknown }).scenario);
    expect(loadScenarioFile(file('bom.json', `\uFEFF${json}`)).ok).toBe(true);
    expect(loadScenarioFile(file('bom.yaml', `\uFEFF${DUEL}`)).ok).toBe(true);
  });
  test('a 4 MB flow list and a large anchor repeated by aliases are refused before parsing or expanding', () => {
    const flow = `version: 1\nx: [${Array.from({ length: 1_000_000 }, () => 'a').join(',')}]\n`;
    expect(messages(quickly(file('flow.yaml', flow)))[0]).toMatch(/expected at most 300,000 YAML nodes .*; found 1,000,00\d/);
    const anchor = `version: 1\nbig: &a [${Array.from({ length: 3100 }, () => 'a').join(',')}]\n${Array.from({ length: 99 }, (_, i) => `c${i}: *a`).join('\n')}\n`;
    expect(messages(loadScenarioFile(file('aliases.yaml', anchor)))[0]).toContain('YAML aliases would expand the document past 300,000 nodes');
  });
  test('duplicate keys are found in one pass, even in a mapping of 20,000 keys', () => {
    const keys = `version: 1\nbig:\n${Array.from({ length: 20_000 }, (_, i) => `  k${i}: 1`).join('\n')}\n  k7: 2\n`;
    expect(messages(loadScenarioFile(file('dup.yaml', keys)))).toEqual([`${join(dir, 'dup.yaml')}:20003:3 big.k7: YAML syntax error (duplicate_key): Map keys must be unique`]);
  });
});

describe('loadScenario checks its arguments', () => {
  test('a readFile that returns a Buffer is read as UTF-8; one that throws null is a problem', () => {
    expect(loadScenarioFile('x.yaml', { readFile: () => Buffer.from(DUEL) }).ok).toBe(true);
    expect(
      messages(
        loadScenarioFile('x.yaml', {
          readFile: () => {
            throw null;
          },
        }),
      ),
    ).toEqual(['x.yaml: cannot read scenario: cannot read the file (it threw null)']);
    expect(messages(loadScenarioFile('x.yaml', { readFile: () => 42 as unknown as string }))).toEqual([
      'x.yaml: cannot read scenario: the readFile option returned 42; expected a string',
    ]);
  });
  test('options null means the defaults; a wrong file or option is a TypeError that says what was expected', () => {
    expect(loadScenarioFile('test/fixtures/valid/duel.yaml', null).ok).toBe(true);
    expect(() => loadScenarioFile(42 as unknown as string)).toThrow('loadScenario: expected a scenario file path (a non-empty string); found 42');
    expect(() => loadScenarioFile('x.yaml', 'fast' as unknown as object)).toThrow('loadScenario: expected options to be an object; found a string');
    expect(() => loadScenarioFile('x.yaml', { maxBytes: -1 })).toThrow('loadScenario: expected options.maxBytes to be a whole number of bytes above 0; found -1');
  });
});
