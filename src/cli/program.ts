import { Command, CommanderError } from 'commander';
import { escapeTerminal } from '../report/escape.ts';
import { VERSION } from '../version.ts';
import { paintFailure } from './colour.ts';
import { registerCheck } from './commands/check.ts';
import { registerCompare } from './commands/compare.ts';
import { registerCompletion } from './commands/completion.ts';
import { registerDiagram } from './commands/diagram.ts';
import { registerExplore } from './commands/explore.ts';
import { registerDebrief } from './commands/debrief.ts';
import { registerInit } from './commands/init.ts';
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
  const io: Io = {
    stdout: rawIo.stdout,
    stderr: (text) => rawIo.stderr(escapeTerminal(text)),
    // Colour is added after escaping, so only Brink's own styles reach the terminal.
    styledStderr: (text, style) => rawIo.stderr(style(escapeTerminal(text))),
    colours: rawIo.colours,
  };
  const ctx: CliContext = { io, exitCode: EXIT.ok };
  const stderrColours = io.colours?.stderr;
  const failure = (text: string) => (stderrColours === undefined ? io.stderr(text) : io.styledStderr?.(text, (safe) => paintFailure(safe, stderrColours)));
  const program = new Command()
    .name('brink')
    .description('Seeded geopolitical scenario simulator: statechart actors, escalation pathways')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (text) => failure(text) })
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
  registerDebrief(program, ctx);
  registerServe(program, ctx);
  registerInit(program, ctx);
  registerCompletion(program, ctx);

  const unknown = unknownCommand(program, argv);
  if (unknown !== undefined) {
    failure(`${unknown}\n(run brink --help for usage)\n`);
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof CliFailure) {
      failure(`${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
  return ctx.exitCode;
}

/**
 * An unknown command is a usage error whatever follows it (commander would print the root help and
 * exit 0 for `brink nosuch --help`); `brink help nosuch` too. The command is the first argument that
 * is neither an option nor the value of a root option (`--extends-root DIR`).
 */
function unknownCommand(program: Command, argv: readonly string[]): string | undefined {
  const takesValue = new Set(program.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short].filter((f) => f !== undefined)));
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') break;
    if (!a.startsWith('-')) words.push(a);
    else if (takesValue.has(a)) i++;
  }
  const name = words[0] === 'help' ? words[1] : words[0];
  if (name === undefined || name === 'help') return undefined;
  const known = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (known.includes(name)) return undefined;
  return `error: unknown command '${name}' (commands: ${program.commands.map((c) => c.name()).join(', ')})`;
}
