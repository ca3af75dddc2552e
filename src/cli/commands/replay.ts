import type { Command } from 'commander';
import { deriveGameStory } from '../../classroom/story.ts';
import { renderGameStory } from '../../report/classroom-text.ts';
import { readGameLog } from '../../store/game-log-file.ts';
import { type CliContext, CliFailure, EXIT, emit, outArg } from '../shared.ts';

/** `brink replay <game>`: the whole game as a narrative, from its log alone. */
export function registerReplay(program: Command, ctx: CliContext): void {
  program
    .command('replay')
    .description('Tell a classroom game from its log: each turn\'s decisions and news, take-backs, objectives')
    .argument('<game>', 'game log file (from brink play)')
    .option('-o, --out <file>', 'write the narrative to a file instead of standard output', outArg)
    .action((file: string, opts: { out?: string }) => {
      const read = readGameLog(file);
      if (!read.ok) throw new CliFailure(read.problem.message, EXIT.failure);
      if (read.value.tornBytes > 0) ctx.io.stderr(`${file}: the last entry was cut mid-write (a crash); telling the game up to its last complete entry\n`);
      const story = deriveGameStory(read.value.entries);
      if (!story.ok) throw new CliFailure(`${file}: ${story.problem.message}`, EXIT.failure);
      emit(renderGameStory(story.value), opts.out, ctx.io);
    });
}
