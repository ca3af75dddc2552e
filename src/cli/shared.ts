import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { CliFailure, EXIT } from './failure.ts';
import { writeOutputFile } from './output.ts';
import { type LoadedScenario, type LoadOptions, type LoadResult, loadScenarioFile } from '../scenario/load.ts';
import { formatProblem, type Problem } from '../scenario/problem.ts';
import { readRegularFile } from '../scenario/read-file.ts';
import { type Colours, paintProblem, paintReport } from './colour.ts';

/** Where the CLI writes; injected so tests can run it in-process. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Writes to stderr with a style applied to the text once it is made safe for a terminal. */
  readonly styledStderr?: ((text: string, style: (safe: string) => string) => void) | undefined;
  /** Styles per stream, when colour is on for it (see colourEnabled); none: plain text. */
  readonly colours?: { readonly stdout: Colours | undefined; readonly stderr: Colours | undefined } | undefined;
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

/** How standard input is named in messages and reports when a scenario argument is `-`. */
export const STDIN_NAME = '<stdin>';
let stdinText: string | undefined;

/** Loads a scenario argument: a file, or `-` for standard input (read once; `extends` is relative to the current folder). */
export function loadScenarioArg(file: string, options: LoadOptions = {}): LoadResult {
  if (file !== '-') return loadScenarioFile(file, options);
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const readFile = options.readFile ?? ((path: string) => readRegularFile(path, maxBytes));
  const readStdin = () => {
    const text = readFileSync(0, 'utf8');
    if (Buffer.byteLength(text) > maxBytes) throw new CliFailure(`${STDIN_NAME}: larger than ${maxBytes} bytes; nothing was run`, EXIT.failure);
    return text;
  };
  return loadScenarioFile(STDIN_NAME, { ...options, readFile: (path) => (path === STDIN_NAME ? (stdinText ??= readStdin()) : readFile(path)) });
}

/** Loads a scenario (`-`: standard input) or fails with every problem printed (warnings are printed too). */
export function loadOrFail(file: string, io: Io, options: LoadOptions = {}): LoadedScenario {
  const r = loadScenarioArg(file, options);
  if (!r.ok) {
    printProblems(r.problems, io);
    const n = r.problems.filter((p) => p.severity === 'error').length;
    throw new CliFailure(`${file}: ${n} error${n === 1 ? '' : 's'}; nothing was run`, EXIT.failure);
  }
  printProblems(r.warnings, io);
  return r;
}

export function printProblems(problems: readonly Problem[], io: Io): void {
  const c = io.colours?.stderr;
  for (const p of problems) {
    const line = `${formatProblem(p)}\n`;
    if (c === undefined) io.stderr(line);
    else if (io.styledStderr !== undefined) io.styledStderr(line, (safe) => paintProblem(safe, p.severity, c));
    else io.stderr(paintProblem(line, p.severity, c));
  }
}

/** A text report for standard output, coloured by rung severity when stdout takes colour (never into --out). */
export function paintText(text: string, rungIds: readonly string[], out: string | undefined, io: Io): string {
  const c = io.colours?.stdout;
  return c === undefined || out !== undefined ? text : paintReport(text, rungIds, c);
}

/** Sends a report to --out or standard output. */
export function emit(text: string, out: string | undefined, io: Io): void {
  if (out !== undefined) writeOutputFile(out, text);
  else io.stdout(text);
}
