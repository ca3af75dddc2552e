import { type Command, Option } from 'commander';
import { BatchAggregate } from '../../analysis/aggregate.ts';
import { type EngineName, createKernel, playBatch, toRunLine } from '../../batch/play-batch.ts';
import { InvariantTally } from '../../analysis/invariants.ts';
import { deriveRunReport } from '../../analysis/run-report.ts';
import { defaultWorkers } from '../../batch/worker-pool.ts';
import { deriveStateCharts } from '../../analysis/state-chart.ts';
import { deriveMeta, summarizeBatch } from '../../analysis/summary.ts';
import { toBatchPart } from '../../batch/part.ts';
import { EngineError, runOnce } from '../../engine/run.ts';
import { buildModel } from '../../model/build-model.ts';
import { renderRunHtml } from '../../report/html.ts';
import { renderJson } from '../../report/json.ts';
import { renderRunMarkdown } from '../../report/markdown.ts';
import { renderRunLine, renderSummaryLine } from '../../report/ndjson.ts';
import { renderRunText } from '../../report/text.ts';
import { renderBatch, withInvariants } from '../batch-report.ts';
import { fileSink, type LineSink, stdoutSink } from '../line-sink.ts';
import { PROGRESS_MODES, type ProgressMode, watchBatch } from '../progress.ts';
import { type CliContext, CliFailure, EXIT, emit, loadOrFail, outArg, paintText, positiveInt, seedArg } from '../shared.ts';
import { formatFromOut, openTable, type TableFormat, type TableWriter } from '../tables.ts';
import { runColumns, runRow, SERIES_COLUMNS, seriesRow } from '../../report/table.ts';
import { parseSeriesMetrics, deriveSeries, type SeriesMetric } from '../../analysis/series.ts';
import { deriveRunSeed } from '../../engine/rng.ts';
import { Runner } from '../../engine/run.ts';
import { VERSION } from '../../version.ts';
import type { Model } from '../../model/types.ts';
import { checkShard, emitPart, type Shard, shardArg, shardFormatFailure, shardRange } from '../shard.ts';

const FORMATS = ['text', 'json', 'md', 'html', 'ndjson', 'csv', 'parquet'] as const;
type Format = (typeof FORMATS)[number];

interface RunFlags {
  seed: string;
  runs: number;
  format: Format;
  out?: string;
  all?: boolean;
  top: number;
  engine: EngineName;
  workers?: number;
  rung?: string;
  outcome?: string;
  progress: ProgressMode;
  quiet?: boolean;
  shard?: Shard;
  series?: string;
}

/** `brink run <scenario>`: one run's narrative, or a batch's aggregate. */
export function registerRun(program: Command, ctx: CliContext): void {
  program
    .command('run')
    .description('Play a scenario: one run prints its pathway as a narrative; --runs N prints the aggregate of a batch')
    .argument('<scenario>', 'scenario file (YAML or JSON; - reads standard input)')
    .option('-s, --seed <seed>', 'seed: a single run plays it; a batch derives its run seeds from it', seedArg, '1')
    .option('-n, --runs <n>', 'number of runs', positiveInt(100_000_000), 1)
    .addOption(
      new Option('-f, --format <format>', 'report format (ndjson: a line per run, then the summary; csv, parquet: a table row per run; default from --out\'s .csv/.parquet)')
        .choices(FORMATS)
        .default('text'),
    )
    .option('-o, --out <file>', 'write the report to a file instead of standard output', outArg)
    .option('--all', 'single run: list every act, not only the pathway')
    .option('--top <n>', 'batch: how many top pathways to list', positiveInt(1000), 10)
    .option('--rung <rung>', 'batch: the outcome rung for "which decisions matter" (default: the highest rung reached by 5% of runs)')
    .option('--outcome <outcome>', 'batch: rank "which decisions matter" by one of the scenario\'s outcomes instead of a rung')
    .addOption(new Option('--engine <engine>', 'engine: the compiled kernel, or the XState reference').choices(['compiled', 'reference']).default('compiled'))
    .option('--workers <n>', 'batch: worker threads (default: one per core for 20,000 runs or more, else none)', positiveInt(256))
    .addOption(new Option('--progress <mode>', 'batch progress on stderr: a bar on a terminal, plain lines, or none').choices(PROGRESS_MODES).default('auto'))
    .option('-q, --quiet', 'no progress output (same as --progress none)')
    .option('--shard <i/n>', 'batch: play shard i of n of the run indices and write a part for brink merge (JSON)', shardArg)
    .option('--series <metrics>', 'with --format csv|parquet: the per-turn series in long form (run, seed, turn, metric, value, label) of metrics such as peaks,vars,states,dyads,var.<name>,state.<actor>,peak.<theatre>')
    .action(async (file: string, opts: RunFlags, command: Command) => {
      const formatGiven = command.getOptionValueSource('format') === 'cli';
      if (opts.shard !== undefined) {
        checkShard(opts.shard, opts.runs);
        if (formatGiven) throw shardFormatFailure(opts.format);
      } else if (!formatGiven) opts.format = formatFromOut(opts.out) ?? opts.format;
      if (opts.series !== undefined && opts.format !== 'csv' && opts.format !== 'parquet') {
        throw new CliFailure(`error: option '--series' writes a table: add --format csv, or --out FILE.parquet`, EXIT.usage);
      }
      if (opts.format === 'parquet' && opts.out === undefined) throw new CliFailure(`error: option '--format parquet' writes a binary file: give --out FILE.parquet`, EXIT.usage);
      const loaded = loadOrFail(file, ctx.io, ctx.loadOptions);
      const model = buildModel(loaded.scenario);
      const tableMeta = [{ key: 'brink', value: JSON.stringify({ version: VERSION, scenario: model.scenario.metadata.id, hash: loaded.hash, seed: opts.seed, runs: opts.runs }) }];
      if (opts.series !== undefined) {
        const parsed = parseSeriesMetrics(model, opts.series);
        if (!parsed.ok) throw new CliFailure(`error: option '--series': ${parsed.message}`, EXIT.usage);
        return writeSeries(model, opts, parsed.metrics, openTable(opts.format as TableFormat, SERIES_COLUMNS, opts.out, ctx.io, tableMeta), ctx);
      }
      if (opts.rung !== undefined && !model.rungs.some((r) => r.id === opts.rung)) {
        throw new CliFailure(`error: option '--rung <rung>' argument '${opts.rung}' is not a rung of ${file} (known: ${model.rungs.map((r) => r.id).join(', ')})`, EXIT.usage);
      }
      if (opts.outcome !== undefined && !model.outcomes.some((o) => o.id === opts.outcome)) {
        throw new CliFailure(
          `error: option '--outcome <outcome>' argument '${opts.outcome}' is not an outcome of ${file} (${model.outcomes.length === 0 ? 'it declares none' : `known: ${model.outcomes.map((o) => o.id).join(', ')}`})`,
          EXIT.usage,
        );
      }
      if (opts.outcome !== undefined && opts.rung !== undefined) throw new CliFailure("error: options '--rung' and '--outcome' cannot be used together", EXIT.usage);
      const metaInput = { hash: loaded.hash, files: loaded.files, seed: opts.seed, runs: opts.runs, engine: opts.engine };
      const summaryOptions = { topPathways: opts.top, ...(opts.rung === undefined ? {} : { influence: { rung: opts.rung } }), ...(opts.outcome === undefined ? {} : { influence: { outcome: opts.outcome } }) };
      try {
        if (opts.runs === 1) {
          const record = runOnce(model, createKernel(model, opts.engine), opts.seed, { trace: true });
          const report = withInvariants(deriveRunReport(model, record, deriveMeta(model, metaInput)), model, () => {
            const tally = new InvariantTally(model);
            tally.add(record, 0);
            return tally;
          });
          switch (opts.format) {
            case 'text':
              return emit(paintText(renderRunText(report, { all: opts.all === true }), model.rungs.map((r) => r.id), opts.out, ctx.io), opts.out, ctx.io);
            case 'json':
              return emit(renderJson(report), opts.out, ctx.io);
            case 'md':
              return emit(renderRunMarkdown(report), opts.out, ctx.io);
            case 'html':
              return emit(await renderRunHtml(report, deriveStateCharts(model)), opts.out, ctx.io);
            case 'csv':
            case 'parquet': {
              const table = openTable(opts.format, runColumns(model), opts.out, ctx.io, tableMeta);
              await table.add(runRow(model, toRunLine(model, record, 0)));
              return table.close();
            }
            case 'ndjson': {
              // One run: its line, then the summary of a batch of one (the seed is played as given).
              const agg = new BatchAggregate(model);
              agg.add(record, 0);
              const summary = summarizeBatch(model, agg, deriveMeta(model, metaInput), summaryOptions);
              return emit(renderRunLine(toRunLine(model, record, 0)) + renderSummaryLine(summary), opts.out, ctx.io);
            }
            default:
              return exhaustive(opts.format);
          }
        }
        const slice = opts.shard === undefined ? { from: 0, count: opts.runs } : shardRange(opts.shard, opts.runs);
        const sink: LineSink | undefined = opts.format === 'ndjson' && opts.shard === undefined ? (opts.out === undefined ? stdoutSink(ctx.io) : fileSink(opts.out)) : undefined;
        const table = (opts.format === 'csv' || opts.format === 'parquet') && opts.shard === undefined ? openTable(opts.format, runColumns(model), opts.out, ctx.io, tableMeta) : undefined;
        const watch = watchBatch({
          mode: opts.quiet === true ? 'none' : opts.progress,
          unit: 'runs',
          writeLine: ctx.io.stderr,
          tty: process.stderr.isTTY ? process.stderr : undefined,
        });
        try {
          let played: Awaited<ReturnType<typeof playBatch>>;
          try {
            played = await playBatch(model, {
              runs: slice.count,
              from: slice.from,
              seed: opts.seed,
              engine: opts.engine,
              workers: opts.workers ?? (slice.count >= 20_000 ? defaultWorkers() : 1),
              onProgress: watch.onProgress,
              shouldStop: watch.shouldStop,
              invariants: true,
              ...(sink === undefined ? {} : { onRun: (line) => sink.write(renderRunLine(line)) }),
              ...(table === undefined ? {} : { onRun: (line) => table.add(runRow(model, line)) }),
            });
          } catch (e) {
            sink?.abort();
            table?.abort();
            throw e;
          } finally {
            watch.done();
          }
          if (played.stopped) ctx.io.stderr(`brink: stopped after ${played.runs} of ${slice.count} runs\n`);
          if (played.stopped) ctx.exitCode = EXIT.interrupted;
          if (opts.shard !== undefined) {
            // The part holds the runs done: a stopped shard's part merges, and brink merge names what is missing.
            const part = toBatchPart(
              { model, hash: loaded.hash, files: loaded.files },
              { seed: opts.seed, runs: opts.runs, engine: played.engine, from: slice.from, played: played.runs },
              played.aggregate.toData(),
              played.invariants?.toData(),
            );
            return emitPart(part, opts.out, ctx.io);
          }
          const meta = deriveMeta(model, { ...metaInput, runs: played.runs, engine: played.engine });
          // Invariants were checked in the batch's own pass (traced only where they read states).
          const summary = withInvariants(summarizeBatch(model, played.aggregate, meta, summaryOptions), model, () => played.invariants ?? new InvariantTally(model));
          if (opts.format === 'ndjson') {
            await sink?.write(renderSummaryLine(summary));
            await sink?.close();
            return;
          }
          if (opts.format === 'csv' || opts.format === 'parquet') return await table?.close();
          const report = await renderBatch(opts.format, model, summary, played.engine);
          emit(opts.format === 'text' ? paintText(report, model.rungs.map((r) => r.id), opts.out, ctx.io) : report, opts.out, ctx.io);
        } finally {
          watch.release();
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
    });
}

function exhaustive(x: never): never {
  throw new Error(`unhandled format ${String(x)}`);
}

/** `--series`: plays the runs on this thread, traced, and writes a row per run, turn and metric. */
async function writeSeries(model: Model, opts: RunFlags, metrics: readonly SeriesMetric[], table: TableWriter, ctx: CliContext): Promise<void> {
  const runner = new Runner(model, createKernel(model, opts.engine));
  const watch = watchBatch({ mode: opts.quiet === true ? 'none' : opts.progress, unit: 'runs', writeLine: ctx.io.stderr, tty: process.stderr.isTTY ? process.stderr : undefined });
  try {
    let i = 0;
    for (; i < opts.runs; i++) {
      if (watch.shouldStop()) break;
      // A single run plays its seed as given; run i of a batch plays deriveRunSeed(seed, i).
      const runSeed = opts.runs === 1 ? opts.seed : deriveRunSeed(opts.seed, i);
      for (const row of deriveSeries(model, runner, runSeed, i, metrics)) {
        const pending = table.add(seriesRow(row));
        if (pending !== undefined) await pending;
      }
      if (i % 100 === 99) {
        watch.onProgress(i + 1, opts.runs);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    watch.done();
    if (i < opts.runs) ctx.io.stderr(`brink: stopped after ${i} of ${opts.runs} runs\n`);
    await table.close();
  } catch (e) {
    table.abort();
    throw e;
  } finally {
    watch.release();
  }
}
