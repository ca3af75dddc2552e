/**
 * Issue 12, item 10: a failing what-if test prints the story of the failing run — the property, the
 * seed that replays it and the run's pathway — not a dump of the traced run. Before, vitest printed the
 * whole counterexample object under `expect(found, found?.message).toBeUndefined()`: about 4,000 lines
 * for a flagship run.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertHolds, checkScenario, CounterexampleError, happens, not } from 'brink/testing';
import { afterAll, describe, expect, test } from 'vitest';
import { loadValid } from '../helpers.ts';

const FILE = 'scenarios/russia-dprk-2024.yaml';
const flagship = loadValid(FILE).scenario;
/** False on the flagship: the ROK or the DPRK invokes a treaty in some runs of the first 200. */
const noInvocation = not(happens('MUTUAL_DEFENCE_INVOKED'));
const ROOT = join(import.meta.dirname, '../..');

describe('the failure message of a what-if test', () => {
  const found = checkScenario(flagship, noInvocation, { runs: 200, file: FILE });

  test('tells the property, the run and its seed, the causes, the pathway an act a line, and the replay command', () => {
    expect(found).toBeDefined();
    if (found === undefined) return;
    const lines = found.message.trimEnd().split('\n');
    expect(lines[0]).toBe('Property broken: not (MUTUAL_DEFENCE_INVOKED happens)');
    expect(lines[1]).toBe(`  in run ${found.index} of 200 (run seed ${found.seed}): ${found.verdict.because}`);
    expect(found.message).toContain(`\nWhat led to it: #${found.verdict.act} `);
    expect(found.message).toContain('\nPathway: the acts that raised the peak, with what led to them\n');
    // Each act of the pathway: its line (with its id), then why it happened; no descriptions or claims.
    for (const act of found.report.pathway) expect(found.message).toMatch(new RegExp(`\\n  [▲·] #${act.id} ${act.actor} ${act.act}\\b.*\\n      why: `));
    expect(found.message).not.toMatch(/\n {6}C\d+: /);
    expect(lines.at(-1)).toBe(`Replay: brink run ${FILE} --seed ${found.seed}`);
    // Short: the flagship's 24-month story fits a screen or two (it was 80 lines with every claim).
    expect(lines.length).toBeLessThanOrEqual(70);
    // The full narrative, with descriptions and claims, is still there by name.
    expect(found.narrative).toMatch(/\n {6}C\d+: /);
  });

  test('printed as an object, a counterexample is a dozen fields: the run, its report and the texts are read by name', () => {
    if (found === undefined) throw new Error('no counterexample');
    expect(Object.keys(found)).toEqual(['property', 'verdict', 'index', 'seed', 'runs', 'edits', 'replay']);
    expect(JSON.stringify(found).length).toBeLessThan(1000);
    expect(found.record.events.length).toBeGreaterThan(0);
    expect(found.report.signature).toContain('MUTUAL_DEFENCE_INVOKED');
    let error: unknown;
    try {
      assertHolds(flagship, noInvocation, { runs: 200, file: FILE });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CounterexampleError);
    expect((error as Error).message).toBe(found.message);
  });
});

describe('as vitest prints it (spawned, as a user runs it)', () => {
  const dir = join(ROOT, 'test/artifacts/failure-message');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('both documented idioms fail with the story, in a bounded number of lines', async () => {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'idioms.test.ts');
    writeFileSync(
      file,
      `import { assertHolds, checkScenario, happens, not } from 'brink/testing';
import { expect, test } from 'vitest';
import { loadValid } from '../../helpers.ts';
const FILE = '${FILE}';
const flagship = loadValid(FILE).scenario;
const property = not(happens('MUTUAL_DEFENCE_INVOKED'));
test('idiom 1: expect(found, found?.message).toBeUndefined()', () => {
  const found = checkScenario(flagship, property, { runs: 200, file: FILE });
  expect(found, found?.message).toBeUndefined();
});
test('idiom 2: assertHolds', () => {
  assertHolds(flagship, property, { runs: 200, file: FILE });
});
`,
    );
    const { code, out } = await new Promise<{ code: number; out: string }>((done) =>
      execFile(
        process.execPath,
        [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', file],
        { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', CI: '', BRINK_README_BLOCK: '1' }, maxBuffer: 64 << 20 },
        (error, stdout, stderr) => done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, out: stdout + stderr }),
      ),
    );
    expect(code, out).toBe(1);
    expect(out).toContain('2 failed');
    const sections = out.split(/FAIL +test\/artifacts\/failure-message\/idioms\.test\.ts > /).slice(1);
    expect(sections).toHaveLength(2);
    for (const section of sections) {
      expect(section).toContain('Property broken: not (MUTUAL_DEFENCE_INVOKED happens)');
      expect(section).toMatch(/in run \d+ of 200 \(run seed \d+\)/);
      expect(section).toContain('Pathway: the acts that raised the peak');
      expect(section).toMatch(/Replay: brink run scenarios\/russia-dprk-2024\.yaml --seed \d+/);
      expect(section).not.toContain('"stateChanges"');
      expect(section).not.toContain('"events"');
      expect(section.split('\n').length, section).toBeLessThanOrEqual(110);
    }
    expect(out.split('\n').length).toBeLessThanOrEqual(240);
  }, 180_000);
});
