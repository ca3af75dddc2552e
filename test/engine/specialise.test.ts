import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import { ReferenceKernel } from '../../src/engine/reference-kernel.ts';
import { type RunRecord, Runner, SPECIALISE_AFTER } from '../../src/engine/run.ts';
import type { Specialised } from '../../src/engine/specialise.ts';
import { loadValid, modelOf } from '../helpers.ts';

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

  // Found by review: the move draws repeated every ancestor's moves on every path, and each transition
  // wrote its whole entry set out, so these two shapes generated hundreds of megabytes and crashed.
  const manyStatesUnderManyMoves = {
    version: 1,
    metadata: { id: 'wide', title: 'Many states under a state with many moves' },
    time: { turns: 3, unit: 'turn' },
    ladder: { rungs: [{ id: 'L0', name: 'L0' }] },
    events: { E0: { rung: 'L0', description: 'e' } },
    actors: {
      A: {
        name: 'A',
        statechart: {
          initial: 's0',
          on: { E0: {} },
          states: Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`s${i}`, { moves: { m: { event: 'E0', to: [], probability: 0.001 } } }])),
          moves: Object.fromEntries(
            Array.from({ length: 300 }, (_, i) => [`r${i}`, { event: 'E0', to: [], probability: 0.0001, modifiers: [{ when: { turn: { gte: 2 } }, add: 0.0001 }] }]),
          ),
        },
      },
    },
  };
  const leaves = (p: string, other: string) =>
    Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`${p}${i}`, { on: Object.fromEntries([0, 1, 2].map((k) => [`E${k}`, { target: `${other}${(i + k) % 120}` }])) }]));
  const largeEntrySets = {
    version: 1,
    metadata: { id: 'deep', title: 'Transitions entering large parallel regions' },
    time: { turns: 3, unit: 'turn' },
    ladder: { rungs: [{ id: 'L0', name: 'L0' }] },
    events: Object.fromEntries([0, 1, 2].map((k) => [`E${k}`, { rung: 'L0', description: 'e' }])),
    actors: {
      A: {
        name: 'A',
        statechart: {
          type: 'parallel',
          states: {
            R1: { type: 'parallel', states: leaves('a', 'R2.b'), moves: { m: { event: 'E0', to: [], probability: 0.5 } } },
            R2: { type: 'parallel', states: leaves('b', 'R1.a') },
          },
        },
      },
    },
  };
  test.each([
    ['many states under a state with many moves', manyStatesUnderManyMoves],
    ['transitions entering large parallel regions', largeEntrySets],
  ])('the generated code grows about linearly with the model: %s', (_name, scenario) => {
    const text = JSON.stringify(scenario);
    const model = modelOf(text);
    const kernel = new CompiledKernel(model);
    const generated = new Runner(model, kernel, { specialise: 0 });
    const source = (generated as unknown as { fast: Specialised | undefined }).fast?.source ?? '';
    expect(source.length).toBeGreaterThan(0);
    expect(source.length).toBeLessThan(10 * text.length);
    const general = new Runner(model, new CompiledKernel(model), { specialise: false });
    const record = (r: RunRecord) => JSON.stringify([r.events, [...r.ruleCounts], r.steps, [...r.dyadPeaks]]);
    for (const seed of ['1', '2', '3']) expect(record(generated.run(seed))).toBe(record(general.run(seed)));
  });

  test('where Node forbids generating code, brink falls back to the general algorithm with the same report', async () => {
    const args = ['bin/brink.js', 'run', 'bench/scenarios/hand.yaml', '--runs', '3000', '--seed', '7', '--format', 'json', '--quiet'];
    const [normal, forbidden] = await Promise.all([cli(args), cli(['--disallow-code-generation-from-strings', ...args])]);
    expect(JSON.parse(forbidden)).toEqual(JSON.parse(normal));
  }, 60_000);
});
