import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from 'commander';
import { CliFailure, EXIT } from './failure.ts';
import { writeOutputFile } from './output.ts';
import { type LoadedScenario, type LoadOptions, loadScenarioFile } from '../scenario/load.ts';
import { formatProblem, type Problem } from '../scenario/problem.ts';

/** Where the CLI writes; injected so tests can run it in-process. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** What a command may set besides throwing: the exit code when it ends normally. */
export interface CliContext {
  readonly io: Io;
  exitCode: number;
  /** What the global options ask of the loader (`--extends-root`). */
  loadOptions?: LoadOptions;
}

export { CliFailure, EXIT } from './failure.ts';

/** Parses a whole number from 1 to `max` for an option; a bad value is a usage error. */
export function positiveInt(max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}; found "${value}"`);
    const n = Number(value);
    if (n < 1 || n > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}; found ${value}`);
    return n;
  };
}

/** The most worker threads a command accepts (each holds its own copy of the model and engine). */
export const MAX_WORKERS = 64;

/**
 * Parses --workers: 1 to MAX_WORKERS. More threads than the machine has cores only cost memory (256
 * workers took 4.9 GB and 50 s where the default took 3.7 s), so `workersFor` uses at most one per core.
 */
export const workersArg = positiveInt(MAX_WORKERS);

/** The worker threads to use: the request capped at one per core, saying so on stderr when capped. */
export function workersFor(requested: number, io: Io): number {
  const cores = availableParallelism();
  if (requested <= cores) return requested;
  io.stderr(`brink: --workers ${requested}: this machine has ${cores} core${cores === 1 ? '' : 's'}; using ${cores} worker${cores === 1 ? '' : 's'} (the results do not depend on it)\n`);
  return cores;
}

/** Parses a file name for --out: not empty (an empty name is a usage error, exit 2). */
export function outArg(value: string): string {
  if (value.length === 0) throw new InvalidArgumentError('expected a file name; found an empty string');
  return value;
}

/** Parses a seed: 1–200 characters, no spaces. */
export function seedArg(value: string): string {
  if (value.length === 0 || value.length > 200 || /\s/.test(value))
    throw new InvalidArgumentError(`expected a seed without spaces, 1–200 characters; found "${value}"`);
  return value;
}

/** Loads a scenario or fails with every problem printed (warnings are printed too). */
export function loadOrFail(file: string, io: Io, options: LoadOptions = {}): LoadedScenario {
  const r = loadScenarioFile(file, options);
  if (!r.ok) {
    printProblems(r.problems, io);
    const n = r.problems.filter((p) => p.severity === 'error').length;
    throw new CliFailure(`${file}: ${n} error${n === 1 ? '' : 's'}; nothing was run`, EXIT.failure);
  }
  printProblems(r.warnings, io);
  return r;
}

export function printProblems(problems: readonly Problem[], io: Io): void {
  for (const p of problems) io.stderr(`${formatProblem(p)}\n`);
}

/** Sends a report to --out or standard output. */
export function emit(text: string, out: string | undefined, io: Io): void {
  if (out !== undefined) writeOutputFile(out, text);
  else io.stdout(text);
}
