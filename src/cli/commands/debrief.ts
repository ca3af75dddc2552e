import { type Command, Option } from 'commander';
import { type Debrief, debriefGame } from '../../classroom/debrief.ts';
import { replay } from '../../classroom/session.ts';
import { renderDebriefHtml, renderDebriefMarkdown, renderDebriefText } from '../../report/debrief.ts';
import { readGameLog } from '../../store/game-log-file.ts';
import { createProgress, PROGRESS_MODES, type ProgressMode } from '../progress.ts';
import { type CliContext, CliFailure, EXIT, emit, positiveInt } from '../shared.ts';

const FORMATS = ['text', 'md', 'html'] as const;

interface DebriefFlags {
  runs: number;
  format: (typeof FORMATS)[number];
  out?: string;
  workers?: number;
  progress: ProgressMode;
}

/** `brink debrief <games…>`: where each game sits among policy runs, and which of its decisions mattered. */
export function registerDebrief(program: Command, ctx: CliContext): void {
  program
    .command('debrief')
    .description('Debrief classroom games: the pathway, where it sits among policy runs, and each decision\'s counterfactuals')
    .argument('<games...>', 'game log files (several: side by side)')
    .option('-n, --runs <n>', 'runs per comparison (policy runs from the start, and each counterfactual arm)', positiveInt(1_000_000), 1000)
    .addOption(new Option('-f, --format <format>', 'report format').choices(FORMATS).default('text'))
    .option('-o, --out <file>', 'write the debrief to a file instead of standard output')
    .option('--workers <n>', 'worker threads (default: one per core from 20,000 replications)', positiveInt(256))
    .addOption(new Option('--progress <mode>', 'progress on stderr: a bar on a terminal, plain lines, or none').choices(PROGRESS_MODES).default('auto'))
    .action(async (files: string[], opts: DebriefFlags) => {
      const sessions = files.map((file) => {
        const read = readGameLog(file);
        if (!read.ok) throw new CliFailure(read.problem.message, EXIT.failure);
        if (read.value.tornBytes > 0) ctx.io.stderr(`${file}: the last entry was cut mid-write (a crash); debriefing the game up to its last complete entry\n`);
        const s = replay(read.value.entries);
        if (!s.ok) throw new CliFailure(`${file}: ${s.problem.message}`, EXIT.failure);
        return s.value;
      });
      const debriefs: Debrief[] = [];
      for (let i = 0; i < sessions.length; i++) {
        const progress = createProgress({ mode: opts.progress, unit: 'replications', writeLine: ctx.io.stderr, tty: process.stderr.isTTY ? process.stderr : undefined });
        try {
          debriefs.push(await debriefGame(sessions[i] as (typeof sessions)[number], { runs: opts.runs, ...(opts.workers === undefined ? {} : { workers: opts.workers }), onProgress: (d, t) => progress.update(d, t) }));
        } finally {
          progress.stop();
        }
      }
      const text = opts.format === 'html' ? renderDebriefHtml(debriefs) : opts.format === 'md' ? renderDebriefMarkdown(debriefs) : renderDebriefText(debriefs, { game: files });
      emit(text, opts.out, ctx.io);
    });
}
