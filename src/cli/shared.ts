import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { type LoadedScenario, loadScenarioFile } from '../scenario/load.ts';
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
}

/** Exit codes: 0 success, 1 a bad scenario or a failing run, 2 a usage error. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A failure the CLI reports as its message and maps to an exit code; never a stack trace. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Parses a whole number from 1 to `max` for an option; a bad value is a usage error. */
export function positiveInt(max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}; found "${value}"`);
    const n = Number(value);
    if (n < 1 || n > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}; found ${value}`);
    return n;
  };
}

/** Parses a seed: 1–200 characters, no spaces. */
export function seedArg(value: string): string {
  if (value.length === 0 || value.length > 200 || /\s/.test(value))
    throw new InvalidArgumentError(`expected a seed without spaces, 1–200 characters; found "${value}"`);
  return value;
}

/** Loads a scenario or fails with every problem printed (warnings are printed too). */
export function loadOrFail(file: string, io: Io): LoadedScenario {
  const r = loadScenarioFile(file);
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

/** Writes through a temporary file and a rename, so a failure never leaves half a report. */
export function writeAtomically(file: string, text: string | Uint8Array): void {
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new CliFailure(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, EXIT.failure);
  }
}

/** Sends a report to --out or standard output. */
export function emit(text: string, out: string | undefined, io: Io): void {
  if (out !== undefined) writeAtomically(out, text);
  else io.stdout(text);
}
