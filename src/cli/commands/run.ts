import { type Command, Option } from 'commander';
import { type EngineName, createKernel, playBatch } from '../../analysis/play-batch.ts';
import { deriveRunReport } from '../../analysis/run-report.ts';
import { deriveMeta, summarizeBatch } from '../../analysis/summary.ts';
import { EngineError, runOnce } from '../../engine/run.ts';
import { buildModel } from '../../model/build-model.ts';
import { renderJson } from '../../report/json.ts';
import { renderBatchMarkdown, renderRunMarkdown } from '../../report/markdown.ts';
import { renderBatchText, renderRunText } from '../../report/text.ts';
import { type CliContext, CliFailure, EXIT, emit, loadOrFail, positiveInt, seedArg } from '../shared.ts';

const FORMATS = ['text', 'json', 'md'] as const;
type Format = (typeof FORMATS)[number];

interface RunFlags {
  seed: string;
  runs: number;
  format: Format;
  out?: string;
  all?: boolean;
  top: number;
  engine: EngineName;
  workers: number;
}

/** `brink run <scenario>`: one run's narrative, or a batch's aggregate. */
export function registerRun(program: Command, ctx: CliContext): void {
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
    .addOption(new Option('--engine <engine>', 'engine: the compiled kernel, or the XState reference').choices(['compiled', 'reference']).default('reference'))
    .option('--workers <n>', 'batch: worker threads', positiveInt(256), 1)
    .action(async (file: string, opts: RunFlags) => {
      const loaded = loadOrFail(file, ctx.io);
      const model = buildModel(loaded.scenario);
      const metaInput = { hash: loaded.hash, files: loaded.files, seed: opts.seed, runs: opts.runs, engine: opts.engine };
      let text: string;
      try {
        if (opts.runs === 1) {
          const record = runOnce(model, createKernel(model, opts.engine), opts.seed, { trace: true });
          const report = deriveRunReport(model, record, deriveMeta(model, metaInput));
          text =
            opts.format === 'json'
              ? renderJson(report)
              : opts.format === 'md'
                ? renderRunMarkdown(report)
                : renderRunText(report, { all: opts.all === true });
        } else {
          const played = await playBatch(model, { runs: opts.runs, seed: opts.seed, engine: opts.engine, workers: opts.workers });
          const meta = deriveMeta(model, { ...metaInput, runs: played.runs, engine: played.engine });
          const summary = summarizeBatch(model, played.aggregate, meta, { topPathways: opts.top });
          text = opts.format === 'json' ? renderJson(summary) : opts.format === 'md' ? renderBatchMarkdown(summary) : renderBatchText(summary);
        }
      } catch (e) {
        if (e instanceof EngineError) {
          throw new CliFailure(
            `${file}: error: ${e.message}\n  (${e.code}; seed ${e.seed}, turn ${e.turn}; replay: brink run ${file} --seed ${e.seed})`,
            EXIT.failure,
          );
        }
        throw e;
      }
      emit(text, opts.out, ctx.io);
    });
}
