/**
 * Every code block of README.md runs as written, and every block of docs/*.md whose info string says
 * `runnable` (issue 11, item 5): shell commands are run (`npx brink` as the checkout's bin/brink.js) in
 * a scratch project holding a copy of scenarios/; YAML scenarios load with no problem (a fragment without
 * `version:` is laid over test/fixtures/valid/duel.yaml); TypeScript runs through tsx, or through vitest
 * when it is a test. `npm ci`, `npm start` and `npm test` are left to CI, which runs them as written.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, test } from 'vitest';
import { overlay } from '../../src/scenario/merge.ts';
import { parseScenarioText } from '../../src/scenario/load.ts';
import { formatProblem } from '../../src/scenario/problem.ts';
import { ROOT } from '../helpers.ts';

interface Block {
  readonly file: string;
  readonly line: number;
  readonly lang: string;
  readonly text: string;
}

/** The fenced code blocks of a Markdown file, with the line each starts on. */
function blocksOf(file: string): Block[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(.*)$/.exec(lines[i] as string);
    if (open === null) continue;
    const end = lines.indexOf('```', i + 1);
    blocks.push({ file, line: i + 1, lang: (open[1] ?? '').trim(), text: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

const README = blocksOf('README.md').filter((b) => b.lang !== '');
const DOCS = readdirSync(join(ROOT, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .flatMap((f) => blocksOf(`docs/${f}`).filter((b) => b.lang.split(/\s+/).includes('runnable')));
// Blocks in other languages (text, json output) are shown, not run.
const BLOCKS = [...README, ...DOCS].map((b) => ({ ...b, lang: b.lang.split(/\s+/)[0] as string })).filter((b) => ['sh', 'yaml', 'ts'].includes(b.lang));

const QUICK_START = /^npm (ci|start|test)\b/;
const scratch = mkdtempSync(join(tmpdir(), 'brink-readme-'));
writeFileSync(join(scratch, 'package.json'), '{ "private": true }\n');
cpSync(join(ROOT, 'scenarios'), join(scratch, 'scenarios'), { recursive: true });
const artifacts = join(ROOT, 'test/artifacts/readme');
mkdirSync(artifacts, { recursive: true });
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(artifacts, { recursive: true, force: true });
});

function run(file: string, args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(file, args, { cwd, env: { ...process.env, NO_COLOR: '1', BRINK_README_BLOCK: '1' }, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    );
  });
}

describe.each(BLOCKS.map((b) => [`${b.file}:${b.line} (${b.lang})`, b] as const))('%s', (_, block) => {
  if (block.lang === 'sh') {
    const commands = block.text
      .split('\n')
      .map((l) => l.replace(/\s+#\s.*$/, '').trim())
      .filter((l) => l !== '' && !l.startsWith('#') && !QUICK_START.test(l));
    const quickStart = block.text.split('\n').map((l) => l.replace(/\s+#\s.*$/, '').trim()).filter((l) => QUICK_START.test(l));
    if (quickStart.length > 0)
      test(`${quickStart.join(', ')}: run as written by CI (.ci/run)`, () => {
        const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
        for (const command of quickStart) expect(ci).toMatch(new RegExp(`^${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'm'));
      });
    test.each(commands)('$ %s', async (command) => {
      const r = await run('bash', ['-c', `set -euo pipefail; ${command.replaceAll('npx brink', `node ${join(ROOT, 'bin/brink.js')}`)}`], scratch);
      expect(r.code, r.stderr).toBe(0);
    });
  } else if (block.lang === 'yaml') {
    test('is a valid scenario (a fragment: over test/fixtures/valid/duel.yaml)', () => {
      const value = parse(block.text) as Record<string, unknown>;
      const text = 'version' in value ? block.text : JSON.stringify(overlay(parse(readFileSync(join(ROOT, 'test/fixtures/valid/duel.yaml'), 'utf8')), value));
      const r = parseScenarioText(text, `${block.file}:${block.line}`);
      expect(r.ok ? [] : r.problems.map(formatProblem)).toEqual([]);
      if (r.ok) expect(r.warnings.map(formatProblem)).toEqual([]);
    });
  } else if (block.lang === 'ts') {
    test('runs as written', async () => {
      const isTest = /from '(vitest|@fast-check\/vitest)'/.test(block.text);
      const file = join(artifacts, `block-${block.line}${isTest ? '.test.ts' : '.ts'}`);
      writeFileSync(file, block.text);
      const r = isTest
        ? await run(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', file], ROOT)
        : await run(process.execPath, ['--import', 'tsx', file], ROOT);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    }, 180_000);
  }
});
