import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Command, Option } from 'commander';
import type { EngineName } from '../../batch/play-batch.ts';
import { playSweep, summarizeSweep, type SweepPointInput, type SweepResult } from '../../batch/sweep.ts';
import { type Axis, type AxisSpec, buildPointScenario, derivePoints, parseAxisArg, parseSweepFile, resolveAxis, type SweepSpec } from '../../batch/sweep-spec.ts';
import { defaultWorkers } from '../../batch/worker-pool.ts';
import { EngineError } from '../../engine/run.ts';
import { buildModel } from '../../model/build-model.ts';
import { renderSweepHtml, renderSweepJson, renderSweepMarkdown, renderSweepText, sweepColumns, sweepRows } from '../../report/sweep.ts';
import type { LoadedScenario } from '../../scenario/load.ts';
import { formatProblem } from '../../scenario/problem.ts';
import type { Scenario } from '../../scenario/schema.ts';
import { VERSION } from '../../version.ts';
import { PROGRESS_MODES, type ProgressMode, watchBatch } from '../progress.ts';
import { type CliContext, CliFailure, EXIT, emit, loadOrFail, outArg, positiveInt, printProblems, seedArg } from '../shared.ts';
import { formatFromOut, openTable } from '../tables.ts';
import { checkShard, emitPart, type Shard, shardArg, shardFormatFailure, shardRange } from '../shard.ts';
import { hashScenario, toSweepPart } from '../../batch/part.ts';

const FORMATS = ['text', 'md', 'html', 'json', 'csv', 'parquet'] as const;
type Format = (typeof FORMATS)[number];

/** At most this many points: a sweep is a batch per point. */
const MAX_POINTS = 10_000;

interface SweepFlags {
  axis: string[];
  file?: string;
  sample?: string;
  runs: number;
  seed: string;
  format: Format;
  out?: string;
  engine: EngineName;
  workers?: number;
  progress: ProgressMode;
  quiet?: boolean;
  shard?: Shard;
}

/** `brink sweep <scenario>`: a batch at every point of a grid (or sample) of variants, on the same seeds. */
export function registerSweep(program: Command, ctx: CliContext): void {
  program
    .command('sweep')
    .description('Play a batch at every point of a grid (or sample) over probabilities, variables, numbers and variant files, all on the same run seeds')
    .argument('<scenario>', 'base scenario file')
    .option('--axis <name=values>', 'an axis, repeatable: shock.<id>=0,0.01,0.05 · move.<actor>.<move>=0.1..0.5:5 · var.<name>=1,3 · variant=a.yaml,b.yaml · <path.of.a.number>=…', (v: string, acc: string[]) => [...acc, v], [])
    .option('--file <sweep.yaml>', 'a sweep file: axes (and runs, seed, sample), validated with line:column errors')
    .option('--sample <method:points>', 'instead of the grid of range axes: random:K or lhs:K (Latin hypercube), drawn from the seed')
    .option('-n, --runs <n>', 'runs per point (default 1000, or the sweep file\'s)', positiveInt(100_000_000))
    .option('-s, --seed <seed>', 'base seed: run i of every point plays the same derived seed', seedArg)
    .addOption(new Option('-f, --format <format>', 'report format (csv, parquet: a row per point; default from --out\'s .csv/.parquet)').choices(FORMATS).default('text'))
    .option('-o, --out <file>', 'write the report to a file instead of standard output', outArg)
    .addOption(new Option('--engine <engine>', 'engine: the compiled kernel, or the XState reference').choices(['compiled', 'reference']).default('compiled'))
    .option('--workers <n>', 'worker threads for each point (default: one per core from 20,000 runs a point)', positiveInt(256))
    .addOption(new Option('--progress <mode>', 'progress on stderr: a bar on a terminal, plain lines, or none').choices(PROGRESS_MODES).default('auto'))
    .option('-q, --quiet', 'no progress output (same as --progress none)')
    .option('--shard <i/n>', 'play shard i of n of every point\'s run indices and write a part for brink merge (JSON)', shardArg)
    .action(async (file: string, opts: SweepFlags, command: Command) => {
      if (opts.shard !== undefined) {
        if (command.getOptionValueSource('format') === 'cli') throw shardFormatFailure(opts.format);
      } else if (command.getOptionValueSource('format') !== 'cli') opts.format = formatFromOut(opts.out) ?? opts.format;
      if (opts.format === 'parquet' && opts.out === undefined) throw new CliFailure(`error: option '--format parquet' writes a binary file: give --out FILE.parquet`, EXIT.usage);
      const cliAxes = opts.axis.map((a) => {
        const r = parseAxisArg(a);
        if (typeof r === 'string') throw new CliFailure(`error: option '--axis': ${r}`, EXIT.usage);
        return r;
      });
      const sample = opts.sample === undefined ? undefined : parseSample(opts.sample);
      const fromFile = opts.file === undefined ? undefined : readSweepFile(opts.file, ctx);
      const fileAxes = fromFile?.axes ?? [];
      const specs: AxisSpec[] = [...fileAxes.filter((a) => !cliAxes.some((c) => c.name === a.name)), ...cliAxes];
      if (specs.length === 0) throw new CliFailure(`error: a sweep needs at least one axis: --axis NAME=VALUES or --file sweep.yaml`, EXIT.usage);
      const runs = opts.runs ?? fromFile?.runs ?? 1000;
      if (opts.shard !== undefined) checkShard(opts.shard, runs);
      const slice = opts.shard === undefined ? { from: 0, count: runs } : shardRange(opts.shard, runs);
      const seed = opts.seed ?? fromFile?.seed ?? '1';
      const loaded = loadOrFail(file, ctx.io, ctx.loadOptions);
      const axes = specs.map((spec) => {
        const r = resolveAxis(loaded.scenario, spec);
        if (typeof r === 'string') throw new CliFailure(`error: ${r}`, cliAxes.includes(spec) ? EXIT.usage : EXIT.failure);
        return r;
      });
      const values = derivePoints(axes, sample ?? fromFile?.sample, seed);
      if (values.length > MAX_POINTS) throw new CliFailure(`error: the sweep has ${values.length} points; at most ${MAX_POINTS} (use --sample lhs:K for many axes)`, EXIT.usage);
      const variantDir = (spec: AxisSpec) => (cliAxes.includes(spec) || opts.file === undefined ? '' : dirname(opts.file));
      const { points, variants } = preparePoints(loaded.scenario, axes, values, ctx, variantDir(specs.find((s) => s.name === 'variant') ?? (specs[0] as AxisSpec)));
      const base = { model: buildModel(loaded.scenario), hash: loaded.hash, files: loaded.files };
      const watch = watchBatch({ mode: opts.quiet === true ? 'none' : opts.progress, unit: 'runs', writeLine: ctx.io.stderr, tty: process.stderr.isTTY ? process.stderr : undefined });
      let result: SweepResult;
      try {
        let played: Awaited<ReturnType<typeof playSweep>>;
        try {
          played = await playSweep(points, {
            runs: slice.count,
            from: slice.from,
            seed,
            engine: opts.engine,
            workers: opts.workers ?? (slice.count >= 20_000 ? defaultWorkers() : 1),
            onProgress: watch.onProgress,
            shouldStop: watch.shouldStop,
          });
        } finally {
          watch.done();
        }
        if (opts.shard !== undefined) {
          if (played.stopped) throw new CliFailure(`brink: stopped after ${played.played.length} of ${points.length} points; a stopped shard writes no part`, EXIT.failure);
          const part = toSweepPart(
            { model: base.model, hash: loaded.hash, files: loaded.files },
            new Map([...variants].map(([k, v]) => [k, { model: buildModel(v.scenario), hash: v.hash, files: v.files }])),
            axes,
            { seed, runs, engine: played.engine, from: slice.from, played: slice.count },
            played.played.map((p) => ({ values: p.input.values, hash: p.input.hash, aggregate: p.aggregate.toData() })),
          );
          return emitPart(part, opts.out, ctx.io);
        }
        if (played.stopped) ctx.io.stderr(`brink: stopped after ${played.played.length} of ${points.length} points; reporting the points done\n`);
        result = summarizeSweep(base, axes, points.length, played.played, { seed, runs, engine: played.engine, stopped: played.stopped });
      } catch (e) {
        if (e instanceof EngineError) throw new CliFailure(`error: ${e.message}\n  (${e.code}; seed ${e.seed}, turn ${e.turn})`, EXIT.failure);
        throw e;
      } finally {
        watch.release();
      }
      switch (opts.format) {
        case 'text':
          return emit(renderSweepText(result), opts.out, ctx.io);
        case 'md':
          return emit(renderSweepMarkdown(result), opts.out, ctx.io);
        case 'html':
          return emit(renderSweepHtml(result), opts.out, ctx.io);
        case 'json':
          return emit(renderSweepJson(result), opts.out, ctx.io);
        case 'csv':
        case 'parquet': {
          const meta = [{ key: 'brink', value: JSON.stringify({ version: VERSION, scenario: result.meta.scenario.id, hash: loaded.hash, seed, runs }) }];
          const table = openTable(opts.format, sweepColumns(result), opts.out, ctx.io, meta);
          for (const row of sweepRows(result)) await table.add(row);
          return table.close();
        }
        default: {
          const never: never = opts.format;
          throw new Error(`unhandled format ${String(never)}`);
        }
      }
    });
}

function parseSample(value: string): NonNullable<SweepSpec['sample']> {
  const m = /^(random|lhs):(\d+)$/.exec(value);
  const points = Number(m?.[2]);
  if (m === null || points < 1 || points > MAX_POINTS) throw new CliFailure(`error: option '--sample': expected random:K or lhs:K with 1 ≤ K ≤ ${MAX_POINTS}; found "${value}"`, EXIT.usage);
  return { method: m[1] as 'random' | 'lhs', points };
}

function readSweepFile(file: string, ctx: CliContext): SweepSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliFailure(`${file}: error: cannot read the sweep file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, EXIT.failure);
  }
  const r = parseSweepFile(text, file);
  if (!r.ok) {
    printProblems(r.problems, ctx.io);
    throw new CliFailure(`${file}: ${r.problems.length} error${r.problems.length === 1 ? '' : 's'}; nothing was run`, EXIT.failure);
  }
  return r.spec;
}

/** Builds each point's scenario (its variant file, then the axes' numbers), validated like a scenario file. */
function preparePoints(base: Scenario, axes: readonly Axis[], values: ReturnType<typeof derivePoints>, ctx: CliContext, variantDir: string): { points: SweepPointInput[]; variants: Map<string, LoadedScenario> } {
  const variantAxis = axes.findIndex((a) => a.target.kind === 'variant');
  const variants = new Map<string, LoadedScenario>();
  if (variantAxis >= 0) for (const point of values) {
    const value = String(point[variantAxis]);
    if (!variants.has(value)) variants.set(value, loadOrFail(join(variantDir, value), ctx.io, ctx.loadOptions));
  }
  const scenarios = new Map([...variants].map(([k, v]) => [k, v.scenario]));
  const points = values.map((point, k) => {
    const built = buildPointScenario(base, scenarios, axes, point, `point ${k}`);
    if (!built.ok) {
      const where = axes.map((a, i) => `${a.name}=${String(point[i])}`).join(', ');
      throw new CliFailure(`error: sweep point ${k} (${where}) is not a valid scenario:\n${built.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`, EXIT.failure);
    }
    return { values: point, model: buildModel(built.scenario), hash: hashScenario(built.scenario) };
  });
  return { points, variants };
}
