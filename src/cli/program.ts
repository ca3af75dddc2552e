import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.ts';
import { registerCompare } from './commands/compare.ts';
import { registerDiagram } from './commands/diagram.ts';
import { registerExplore } from './commands/explore.ts';
import { registerDebrief } from './commands/debrief.ts';
import { registerPlay } from './commands/play.ts';
import { registerReplay } from './commands/replay.ts';
import { registerRun } from './commands/run.ts';
import { registerSchema } from './commands/schema.ts';
import { registerValidate } from './commands/validate.ts';
import { type CliContext, CliFailure, EXIT, type Io } from './shared.ts';

export type { Io } from './shared.ts';

/** Runs the CLI on `argv` (without `node` and the script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const ctx: CliContext = { io, exitCode: EXIT.ok };
  const program = new Command()
    .name('brink')
    .description('Seeded geopolitical scenario simulator: statechart actors, escalation pathways')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run brink --help for usage)');
  // One line per command; each command lives in ./commands/<name>.ts.
  registerRun(program, ctx);
  registerValidate(program, ctx);
  registerSchema(program, ctx);
  registerExplore(program, ctx);
  registerCompare(program, ctx);
  registerDiagram(program, ctx);
  registerPlay(program, ctx);
  registerReplay(program, ctx);
  registerDebrief(program, ctx);

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
