import { type Command, Option } from 'commander';
import { type Comparison, playComparison, summarizeComparison } from '../../batch/compare.ts';
import { toComparePart } from '../../batch/part.ts';
import type { EngineName } from '../../batch/play-batch.ts';
import { defaultWorkers } from '../../batch/worker-pool.ts';
import { EngineError } from '../../engine/run.ts';
import { buildModel } from '../../model/build-model.ts';
import { renderComparisonJson, renderComparisonMarkdown, renderComparisonText } from '../../report/comparison.ts';
import { PROGRESS_MODES, type ProgressMode, watchBatch } from '../progress.ts';
import { type CliContext, CliFailure, EXIT, emit, loadOrFail, outArg, positiveInt, seedArg } from '../shared.ts';
import { checkShard, emitPart, type Shard, shardArg, shardFormatFailure, shardRange } from '../shard.ts';

/** The formats of a comparison's report. */
export const COMPARE_FORMATS = ['text', 'json', 'md'] as const;
const FORMATS = COMPARE_FORMATS;
export type Format = (typeof FORMATS)[number];

interface CompareFlags {
  seed: string;
  runs: number;
  format: Format;
  out?: string;
  top: number;
  engine: EngineName;
  progress: ProgressMode;
  quiet?: boolean;
  workers?: number;
  shard?: Shard;
}

/** `brink compare <base> <variant…>`: paired differences on common random numbers. */
export function registerCompare(program: Command, ctx: CliContext): void {
  program
    .command('compare')
    .description('Run a base scenario and its variants on the same seeds and report paired differences with 95% intervals')
    .argument('<base>', 'base scenario file')
    .argument('<variants...>', 'variant scenario files')
    .option('-s, --seed <seed>', 'base seed: run i of every scenario plays the same derived seed', seedArg, '1')
    .option('-n, --runs <n>', 'number of paired runs', positiveInt(100_000_000), 1000)
    .addOption(new Option('-f, --format <format>', 'report format').choices(FORMATS).default('text'))
    .option('-o, --out <file>', 'write the report to a file instead of standard output', outArg)
    .option('--top <n>', 'how many pathways and rules to list per variant', positiveInt(1000), 10)
    .addOption(new Option('--engine <engine>', 'engine: the compiled kernel, or the XState reference').choices(['compiled', 'reference']).default('compiled'))
    .option('--workers <n>', 'worker threads (default: one per core for 20,000 paired runs or more, else none)', positiveInt(256))
    .addOption(new Option('--progress <mode>', 'progress on stderr: a bar on a terminal, plain lines, or none').choices(PROGRESS_MODES).default('auto'))
    .option('-q, --quiet', 'no progress output (same as --progress none)')
    .option('--shard <i/n>', 'play shard i of n of the run indices and write a part for brink merge (JSON)', shardArg)
    .action(async (baseFile: string, variantFiles: string[], opts: CompareFlags, command: Command) => {
      if (opts.shard !== undefined) {
        checkShard(opts.shard, opts.runs);
        if (command.getOptionValueSource('format') === 'cli') throw shardFormatFailure(opts.format);
      }
      const scenarios = [baseFile, ...variantFiles].map((file) => {
        const loaded = loadOrFail(file, ctx.io, ctx.loadOptions);
        return { model: buildModel(loaded.scenario), hash: loaded.hash, files: loaded.files, label: file };
      });
      const [base, ...variants] = scenarios as [(typeof scenarios)[number], ...typeof scenarios];
      const watch = watchBatch({ mode: opts.quiet === true ? 'none' : opts.progress, unit: 'paired runs', writeLine: ctx.io.stderr, tty: process.stderr.isTTY ? process.stderr : undefined });
      const slice = opts.shard === undefined ? { from: 0, count: opts.runs } : shardRange(opts.shard, opts.runs);
      try {
        let played: Awaited<ReturnType<typeof playComparison>>;
        try {
          played = await playComparison(
            base.model,
            variants.map((v) => v.model),
            {
              runs: slice.count,
              from: slice.from,
              seed: opts.seed,
              engine: opts.engine,
              onProgress: watch.onProgress,
              shouldStop: watch.shouldStop,
              workers: opts.workers ?? (slice.count >= 20_000 ? defaultWorkers() : 1),
            },
          );
        } finally {
          watch.done();
        }
        if (played.stopped) ctx.io.stderr(`brink: stopped after ${played.runs} of ${slice.count} runs\n`);
        if (played.stopped) ctx.exitCode = EXIT.interrupted;
        if (opts.shard !== undefined) {
          const part = toComparePart(
            [base, ...variants],
            { seed: opts.seed, runs: opts.runs, engine: played.engine, from: slice.from, played: played.runs },
            played.base.toData(),
            played.paired.map((p) => p.toData()),
          );
          return emitPart(part, opts.out, ctx.io);
        }
        const comparison = summarizeComparison(base, played.base, variants, played.paired, { runs: played.runs, seed: opts.seed, engine: played.engine, stopped: played.stopped }, { topPathways: opts.top, topRules: opts.top });
        emit(renderComparison(opts.format, comparison), opts.out, ctx.io);
      } catch (e) {
        if (e instanceof EngineError) {
          throw new CliFailure(`error: ${e.message}\n  (${e.code}; seed ${e.seed}, turn ${e.turn}; replay each scenario with brink run <file> --seed ${e.seed})`, EXIT.failure);
        }
        throw e;
      } finally {
        watch.release();
      }
    });
}

/** A comparison in one of its formats. */
export function renderComparison(format: Format, c: Comparison): string {
  switch (format) {
    case 'text':
      return renderComparisonText(c);
    case 'json':
      return renderComparisonJson(c);
    case 'md':
      return renderComparisonMarkdown(c);
    default: {
      const never: never = format;
      throw new Error(`unhandled format ${String(never)}`);
    }
  }
}
