import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import * as z from 'zod';
import { aggregateBatch } from '../analysis/batch.ts';
import { deriveRunReport } from '../analysis/run-report.ts';
import { deriveMeta, summarizeBatch } from '../analysis/summary.ts';
import { ReferenceKernel } from '../engine/reference-kernel.ts';
import { EngineError, runOnce } from '../engine/run.ts';
import { buildModel } from '../model/build-model.ts';
import { renderJson } from '../report/json.ts';
import { renderBatchMarkdown, renderRunMarkdown } from '../report/markdown.ts';
import { renderBatchText, renderRunText } from '../report/text.ts';
import { loadScenarioFile } from '../scenario/load.ts';
import { formatProblem, type Problem } from '../scenario/problem.ts';
import { Scenario } from '../scenario/schema.ts';
import { VERSION } from '../version.ts';

/** Where the CLI writes; injected so tests can run it in-process. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Exit codes: 0 success, 1 a bad scenario or a failing run, 2 a usage error. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

const FORMATS = ['text', 'json', 'md'] as const;
type Format = (typeof FORMATS)[number];

/** A failure the CLI reports in one line (or a list of problems) and maps to an exit code. */
class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

function positiveInt(max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}; found "${value}"`);
    const n = Number(value);
    if (n < 1 || n > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}; found ${value}`);
    return n;
  };
}

function seedArg(value: string): string {
  if (value.length === 0 || value.length > 200 || /\s/.test(value))
    throw new InvalidArgumentError(`expected a seed without spaces, 1–200 characters; found "${value}"`);
  return value;
}

/** Runs the CLI on `argv` (without `node` and the script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command()
    .name('brink')
    .description('Seeded geopolitical scenario simulator: statechart actors, escalation pathways')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run brink --help for usage)');

  program
    .command('run')
    .description('Play a scenario: one run prints its pathway as a narrative; --runs N prints the aggregate of a batch')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('-s, --seed <seed>', 'seed: a single run plays it; a batch derives its run seeds from it', seedArg, '1')
    .option('-n, --runs <n>', 'number of runs', positiveInt(100_000_000), 1)
    .addOption(new Option('-f, --format <format>', 'report format').choices(FORMATS).default('text'))
    .option('-o, --out <file>', 'write the report to a file instead of standard output')
    .option('--all', 'single run: list every act, not only the pathway')
    .option('--top <n>', 'batch: how many top pathways to list', positiveInt(1000), 10)
    .addOption(new Option('--engine <engine>', 'engine').choices(['reference']).default('reference'))
    .action((file: string, opts: { seed: string; runs: number; format: Format; out?: string; all?: boolean; top: number; engine: string }) => {
      const loaded = load(file, io);
      const model = buildModel(loaded.scenario);
      const kernel = new ReferenceKernel(model);
      const metaInput = { hash: loaded.hash, files: loaded.files, seed: opts.seed, runs: opts.runs, engine: kernel.name };
      let text: string;
      try {
        if (opts.runs === 1) {
          const record = runOnce(model, kernel, opts.seed, { trace: true });
          const report = deriveRunReport(model, record, deriveMeta(model, metaInput));
          text = opts.format === 'json' ? renderJson(report) : opts.format === 'md' ? renderRunMarkdown(report) : renderRunText(report, { all: opts.all === true });
        } else {
          const agg = aggregateBatch(model, kernel, { runs: opts.runs, seed: opts.seed });
          const summary = summarizeBatch(model, agg, deriveMeta(model, metaInput), { topPathways: opts.top });
          text = opts.format === 'json' ? renderJson(summary) : opts.format === 'md' ? renderBatchMarkdown(summary) : renderBatchText(summary);
        }
      } catch (e) {
        if (e instanceof EngineError) {
          throw new CliFailure(`${file}: error: ${e.message}\n  (${e.code}; seed ${e.seed}, turn ${e.turn}; replay: brink run ${file} --seed ${e.seed})`, EXIT.failure);
        }
        throw e;
      }
      if (opts.out !== undefined) writeAtomically(opts.out, text);
      else io.stdout(text);
    });

  program
    .command('validate')
    .description('Check scenario files and report every problem with its file, line and column')
    .argument('<files...>', 'scenario files')
    .action((files: string[]) => {
      let failed = false;
      for (const file of files) {
        const r = loadScenarioFile(file);
        if (!r.ok) {
          failed = true;
          printProblems(r.problems, io);
        } else {
          printProblems(r.warnings, io);
          const w = r.warnings.length;
          io.stdout(`${file}: ok${w > 0 ? ` (${w} warning${w === 1 ? '' : 's'})` : ''}\n`);
        }
      }
      if (failed) exitCode = EXIT.failure;
    });

  program
    .command('schema')
    .description('Print the JSON Schema (draft-07) of the scenario format, for editors')
    .action(() => {
      io.stdout(renderSchema());
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof CliFailure) {
      io.stderr(`${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
  return exitCode;
}

/** The JSON Schema of the format; scenarios/scenario.schema.json holds a copy. */
export function renderSchema(): string {
  const schema = z.toJSONSchema(Scenario, { target: 'draft-7', io: 'input' });
  return `${JSON.stringify({ ...schema, title: 'Brink scenario, version 1' }, null, 2)}\n`;
}

function load(file: string, io: Io) {
  const r = loadScenarioFile(file);
  if (!r.ok) {
    printProblems(r.problems, io);
    const n = r.problems.filter((p) => p.severity === 'error').length;
    throw new CliFailure(`${file}: ${n} error${n === 1 ? '' : 's'}; nothing was run`, EXIT.failure);
  }
  printProblems(r.warnings, io);
  return r;
}

function printProblems(problems: readonly Problem[], io: Io): void {
  for (const p of problems) io.stderr(`${formatProblem(p)}\n`);
}

/** Writes through a temporary file and a rename, so a failure never leaves half a report. */
function writeAtomically(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new CliFailure(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, EXIT.failure);
  }
}
