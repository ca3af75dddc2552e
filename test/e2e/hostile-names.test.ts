/**
 * Issue 18, item 7: hostile names. Text, `diagram`, `explore` and `compare` printed actor and event
 * names with terminal escape sequences as they were, Markdown carried `<script>` unescaped and newlines
 * broke tables, and a newline in a name injected a Mermaid `%%{init}%%` directive. The law: any name,
 * through every command and format, leaves no raw control character in terminal output, keeps the
 * Markdown and Mermaid structure, and causes no internal error.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../../src/cli/program.ts';

const DUEL = readFileSync('test/fixtures/valid/duel.yaml', 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'brink-hostile-'));
const PROTOTYPE_BEFORE = Object.getOwnPropertyNames(Object.prototype).sort();

// What a terminal acts on: C0 but tab and line feed, DEL, C1, bidirectional overrides and isolates.
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const PIECES = [
  '\x1b]0;pwned\x07',
  '\x1b[31mred\x1b[0m',
  '\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\',
  '\r',
  '\n',
  '\r\n',
  '\u0000',
  '\u009b2J',
  '\u202egnp.exe',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '\n%%{init: {"theme": "forest"}}%%\n',
  '"',
  "'",
  '`',
  '```',
  '${process.exit()}',
  '*/',
  '|',
  '#',
  '[x](javascript:alert(1))',
  '__proto__',
  'toString',
  'end',
  ';',
  ':',
];

/** A hostile name: pieces of markup, escapes and line breaks between random characters. */
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'binary', maxLength: 4 })), { minLength: 1, maxLength: 5 })
  .map((parts) => parts.join(''));

/** The duel with every free-text field hostile and, optionally, ids that Object.prototype also has. */
function hostileScenario(names: readonly string[], prototypeIds: boolean): string {
  const doc = parse(prototypeIds ? DUEL.replace(/\bTALKS\b/g, 'toString').replace(/\balert\b/g, 'valueOf').replace(/\bL2\b/g, 'constructor_') : DUEL);
  const n = (i: number) => names[i % names.length] as string;
  doc.metadata.title = n(0);
  doc.metadata.description = n(1);
  doc.actors.A.name = n(2);
  doc.actors.B.name = n(3);
  doc.ladder.rungs.forEach((r: { name: string }, i: number) => {
    r.name = n(4 + i);
  });
  doc.ladder.thresholds[0].name = n(9);
  doc.theatres.north.name = n(10);
  for (const e of Object.values(doc.events) as Array<{ description: string }>) e.description = n(11);
  doc.shocks.spark.assumption = n(12);
  doc.invariants = { noClash: { never: 'CLASH', description: n(13) } };
  return stringify(doc);
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

/** Markdown keeps its structure: fences pair up, table rows keep their header's cell count, no raw HTML. */
function assertMarkdown(md: string, what: string): void {
  const lines = md.split('\n');
  let fence: string | null = null;
  let columns = -1;
  for (const [i, line] of lines.entries()) {
    const at = `${what}, line ${i + 1}: ${JSON.stringify(line)}`;
    if (line.startsWith('```')) {
      fence = fence === null ? line.slice(3) : null;
      continue;
    }
    if (fence === 'mermaid') {
      assertMermaidLine(line, at);
      continue;
    }
    if (fence !== null) continue;
    expect(line, at).not.toMatch(/<[A-Za-z/!]/);
    if (line.startsWith('|')) {
      const cells = line.replace(/\\\|/g, '').split('|').length;
      if (columns < 0) columns = cells;
      expect(cells, at).toBe(columns);
    } else columns = -1;
  }
  expect(fence, `${what}: an unclosed fence`).toBeNull();
}

/** One statement of the Mermaid Brink writes: a directive or a name out of place would not match. */
function assertMermaidLine(line: string, at: string): void {
  expect(line, at).not.toMatch(/%%/);
  const label = '"[^"\\n]*"';
  const id = '[A-Za-z][A-Za-z0-9_]*';
  const statement = new RegExp(
    `^\\s*(stateDiagram-v2|flowchart LR|\\[\\*\\] --> ${id}|state ${label} as ${id}|state ${id} \\{|\\}|--|${id}|${id} --> ${id} : [^"\\n]*|${id}\\[${label}\\]|${id}\\(\\[${label}\\]\\)|${id} -->\\|${label}\\| ${id})$`,
  );
  expect(line, at).toMatch(statement);
}

const terminalFormats = (r: { stdout: string; stderr: string }, what: string) => {
  expect(r.stdout, `${what}: stdout`).not.toMatch(RAW_CONTROL);
  expect(r.stderr, `${what}: stderr`).not.toMatch(RAW_CONTROL);
};

describe('hostile names through every command and format', () => {
  test.prop([fc.array(hostile, { minLength: 14, maxLength: 14 }), fc.boolean()], { numRuns: 6, endOnFailure: true })(
    'no raw control character on a terminal, Markdown and Mermaid keep their structure, no internal error',
    async (names, prototypeIds) => {
      const file = join(dir, 'hostile.yaml');
      writeFileSync(file, hostileScenario(names, prototypeIds));
      writeFileSync(join(dir, 'variant.yaml'), `version: 1\nextends: hostile.yaml\nmetadata: { id: variant, title: ${JSON.stringify(names[5])} }\n`);
      const ok = async (args: string[]) => {
        const r = await cli(args);
        expect(r.code, `${args.join(" ")}\n${JSON.stringify(r.stderr)}\n${JSON.stringify(r.stdout.slice(0, 3000))}`).toBe(0);
        return r;
      };
      const validate = await cli(['validate', file]);
      expect(validate.code).toBe(0);
      terminalFormats(validate, 'validate');
      for (const runs of ['1', '40']) {
        terminalFormats(await ok(['run', file, '--runs', runs, '--quiet']), `run --runs ${runs} text`);
        terminalFormats(await ok(['run', file, '--runs', runs, '--quiet', '--all']), `run --runs ${runs} --all`);
        for (const format of ['json', 'ndjson']) terminalFormats(await ok(['run', file, '--runs', runs, '--quiet', '--format', format]), `run ${format}`);
        const md = await ok(['run', file, '--runs', runs, '--quiet', '--format', 'md']);
        terminalFormats(md, 'run md');
        assertMarkdown(md.stdout, `run --runs ${runs} --format md`);
        const html = await ok(['run', file, '--runs', runs, '--quiet', '--format', 'html']);
        expect(html.stdout).not.toContain('<script>alert(1)');
        expect(html.stdout).not.toContain('<img src=x');
      }
      const diagram = await ok(['diagram', file]);
      terminalFormats(diagram, 'diagram');
      assertMarkdown(diagram.stdout, 'diagram');
      for (const format of ['text', 'json']) terminalFormats(await ok(['explore', file, '--turns', '2', '--format', format]), `explore ${format}`);
      for (const format of ['text', 'json', 'md']) {
        const r = await ok(['compare', file, join(dir, 'variant.yaml'), '--runs', '40', '--quiet', '--format', format]);
        terminalFormats(r, `compare ${format}`);
        if (format === 'md') assertMarkdown(r.stdout, 'compare --format md');
      }
      terminalFormats(await ok(['check', file, 'P(act CLASH by 3) = ? ±0.2', '--method', 'sample']), 'check');
      // A label named __proto__ once reached Object.prototype through zrender's text-width cache.
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_BEFORE);
    },
    300_000,
  );
});
