import type { Command } from 'commander';
import { type CliContext, EXIT, loadScenarioArg, printProblems, STDIN_NAME } from '../shared.ts';

/** `brink validate <files…>`: every problem of every file; exit 1 if any file has an error. */
export function registerValidate(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('Check scenario files and report every problem with its file, line and column')
    .argument('<files...>', 'scenario files (- reads one from standard input)')
    .action((files: string[]) => {
      for (const file of files) {
        const r = loadScenarioArg(file, ctx.loadOptions);
        if (!r.ok) {
          ctx.exitCode = EXIT.failure;
          printProblems(r.problems, ctx.io);
        } else {
          printProblems(r.warnings, ctx.io);
          const w = r.warnings.length;
          ctx.io.stdout(`${file === '-' ? STDIN_NAME : file}: ok${w > 0 ? ` (${w} warning${w === 1 ? '' : 's'})` : ''}\n`);
        }
      }
    });
}
