import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { buildModel } from '../src/model/build-model.ts';
import type { Model } from '../src/model/types.ts';
import { type LoadedScenario, loadScenarioFile, parseScenarioText } from '../src/scenario/load.ts';
import { formatProblem } from '../src/scenario/problem.ts';

export const ROOT = resolve(import.meta.dirname, '..');

/** Loads a scenario that must be valid, or fails with its problems. */
export function loadValid(file: string): LoadedScenario & { model: Model } {
  const r = loadScenarioFile(file);
  if (!r.ok) throw new Error(`expected ${file} to be valid:\n${r.problems.map(formatProblem).join('\n')}`);
  return { ...r, model: buildModel(r.scenario) };
}

/** Parses scenario text that must be valid. */
export function modelOf(text: string): Model {
  const r = parseScenarioText(text, 'inline.yaml');
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return buildModel(r.scenario);
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `brink` as a user does: a separate process, through bin/brink.js. */
export function brink(args: readonly string[], options: { cwd?: string } = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [resolve(ROOT, 'bin/brink.js'), ...args],
      { cwd: options.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        done({ code, stdout, stderr });
      },
    );
  });
}
