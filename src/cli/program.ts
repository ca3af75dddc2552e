import { Command, CommanderError } from 'commander';
import { escapeTerminal } from '../report/escape.ts';
import { VERSION } from '../version.ts';
import { registerCheck } from './commands/check.ts';
import { registerCompare } from './commands/compare.ts';
import { registerDiagram } from './commands/diagram.ts';
import { registerExplore } from './commands/explore.ts';
import { registerMerge } from './commands/merge.ts';
import { registerSweep } from './commands/sweep.ts';
import { registerPlay } from './commands/play.ts';
import { registerReplay } from './commands/replay.ts';
import { registerRun } from './commands/run.ts';
import { registerSchema } from './commands/schema.ts';
import { registerServe } from './commands/serve.ts';
import { registerValidate } from './commands/validate.ts';
import { type CliContext, CliFailure, EXIT, type Io } from './shared.ts';

export type { Io } from './shared.ts';

/** Runs the CLI on `argv` (without `node` and the script) and returns the exit code. */
export async function runCli(argv: readonly string[], rawIo: Io): Promise<number> {
  // Everything on standard error is for a terminal: names and paths in messages are escaped there.
  const io: Io = { stdout: rawIo.stdout, stderr: (text) => rawIo.stderr(escapeTerminal(text)) };
  const ctx: CliContext = { io, exitCode: EXIT.ok };
  const program = new Command()
    .name('brink')
    .description('Seeded geopolitical scenario simulator: statechart actors, escalation pathways')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run brink --help for usage)')
    .option('--extends-root <dir>', "let \"extends\" read scenario files anywhere under DIR (default: the scenario's project: the nearest folder above it with package.json or .git, else its own folder)")
    .hook('preAction', (_program, command) => {
      const root = command.optsWithGlobals<{ extendsRoot?: string }>().extendsRoot;
      if (root !== undefined) ctx.loadOptions = { extendsRoot: root };
    });
  // One line per command; each command lives in ./commands/<name>.ts.
  registerRun(program, ctx);
  registerValidate(program, ctx);
  registerSchema(program, ctx);
  registerExplore(program, ctx);
  registerCompare(program, ctx);
  registerCheck(program, ctx);
  registerDiagram(program, ctx);
  registerMerge(program, ctx);
  registerSweep(program, ctx);
  registerPlay(program, ctx);
  registerReplay(program, ctx);
  registerServe(program, ctx);

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
  return ctx.exitCode;
}
