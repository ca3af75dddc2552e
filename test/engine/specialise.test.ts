import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import { ReferenceKernel } from '../../src/engine/reference-kernel.ts';
import { Runner, SPECIALISE_AFTER } from '../../src/engine/run.ts';
import type { Specialised } from '../../src/engine/specialise.ts';
import { loadValid } from '../helpers.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const SCENARIOS = [
  'scenarios/russia-dprk-2024.yaml',
  'bench/scenarios/hand.yaml',
  'bench/scenarios/synthetic-12x20.yaml',
  ...readdirSync(`${ROOT}test/fixtures/valid`)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `test/fixtures/valid/${f}`),
];

/** The source the runner generated for a scenario. */
function sourceOf(file: string): string {
  const { model } = loadValid(file);
  const fast = (new Runner(model, new CompiledKernel(model), { specialise: 0 }) as unknown as { fast: Specialised | undefined }).fast;
  if (fast === undefined) throw new Error('code generation unavailable');
  return fast.source;
}

function cli(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, args, { cwd: ROOT, maxBuffer: 16 << 20 }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout))),
  );
}

describe('generated code', () => {
  test.each(SCENARIOS)('%s: the source has no string literal, so no text from a scenario file is evaluated as code', (file) => {
    const source = sourceOf(file);
    expect(source.length).toBeGreaterThan(0);
    expect(source).not.toMatch(/["'`]/);
  });

  test('the runner generates it after SPECIALISE_AFTER runs (a runner that plays a few runs does not pay for it), at once, or never', () => {
    const { model } = loadValid('bench/scenarios/hand.yaml');
    const fast = (r: Runner) => (r as unknown as { fast: unknown }).fast !== undefined;
    const play = (r: Runner, n: number) => {
      for (let i = 0; i < n; i++) r.run(String(i), { transient: true });
      return r;
    };
    const auto = new Runner(model, new CompiledKernel(model));
    expect(fast(play(auto, SPECIALISE_AFTER - 1))).toBe(false);
    expect(fast(play(auto, 1))).toBe(true);
    expect(fast(new Runner(model, new CompiledKernel(model), { specialise: 0 }))).toBe(true);
    expect(fast(play(new Runner(model, new CompiledKernel(model), { specialise: false }), SPECIALISE_AFTER + 1))).toBe(false);
    expect(fast(play(new Runner(model, new ReferenceKernel(model)), SPECIALISE_AFTER + 1))).toBe(false);
  });

  test('where Node forbids generating code, brink falls back to the general algorithm with the same report', async () => {
    const args = ['bin/brink.js', 'run', 'bench/scenarios/hand.yaml', '--runs', '3000', '--seed', '7', '--format', 'json', '--quiet'];
    const [normal, forbidden] = await Promise.all([cli(args), cli(['--disallow-code-generation-from-strings', ...args])]);
    expect(JSON.parse(forbidden)).toEqual(JSON.parse(normal));
  }, 60_000);
});
