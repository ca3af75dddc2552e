import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { InvariantTally } from '../../analysis/invariants.ts';
import { deriveMeta, summarizeBatch } from '../../analysis/summary.ts';
import { summarizeComparison } from '../../batch/compare.ts';
import { describeRange, mergeParts, missingRanges, type NamedPart, toMergedBatch, toMergedComparison, toMergedSweep } from '../../batch/merge-parts.ts';
import { summarizeSweep } from '../../batch/sweep.ts';
import { renderSweepHtml, renderSweepJson, renderSweepMarkdown, renderSweepText } from '../../report/sweep.ts';
import { type Part, PartShapeError, parsePart } from '../../batch/part.ts';
import { renderBatch, withInvariants } from '../batch-report.ts';
import { type CliContext, CliFailure, EXIT, emit, outArg, positiveInt } from '../shared.ts';
import { emitPart } from '../shard.ts';
import { COMPARE_FORMATS, renderComparison } from './compare.ts';

const FORMATS = ['text', 'json', 'md', 'html', 'part'] as const;
type Format = (typeof FORMATS)[number];

interface MergeFlags {
  format: Format;
  out?: string;
  top: number;
  rung?: string;
}

/** `brink merge <parts…>`: the report of a batch (or comparison) played as shards, or a merged part. */
export function registerMerge(program: Command, ctx: CliContext): void {
  program
    .command('merge')
    .description('Merge the parts written by run/compare --shard i/n into the report of the whole batch (or, with --format part, into one part)')
    .argument('<parts...>', 'part files (JSON) written with --shard')
    .addOption(new Option('-f, --format <format>', 'report format; part: merge into one part, which may still miss runs').choices(FORMATS).default('text'))
    .option('-o, --out <file>', 'write the report to a file instead of standard output', outArg)
    .option('--top <n>', 'how many top pathways (and, for a comparison, rules) to list', positiveInt(1000), 10)
    .option('--rung <rung>', 'batch: the outcome rung for "which decisions matter" (default: the highest rung reached by 5% of runs)')
    .action(async (files: string[], opts: MergeFlags) => {
      const named = readParts(files, ctx);
      const merged = mergeParts(named);
      if (!merged.ok) throw new CliFailure(`error: ${merged.message}; nothing was written`, EXIT.failure);
      const part = merged.part;
      if (opts.format === 'part') return emitPart(part, opts.out, ctx.io);
      const missing = missingRanges(part);
      if (missing.length > 0) {
        const list = missing.slice(0, 5).map(describeRange).join(', ');
        throw new CliFailure(
          `error: the parts hold ${part.runs - missing.reduce((n, [a, b]) => n + b - a, 0)} of the batch's ${part.runs} runs; missing ${list}${missing.length > 5 ? `, and ${missing.length - 5} more ranges` : ''}: play the missing shards (or merge with --format part to keep what there is); nothing was written`,
          EXIT.failure,
        );
      }
      try {
        emit(await render(part, opts), opts.out, ctx.io);
      } catch (e) {
        if (e instanceof PartShapeError) throw new CliFailure(`error: the parts do not fit their own scenario: ${e.message}; nothing was written`, EXIT.failure);
        throw e;
      }
    });
}

/** Reads and checks every part, printing each unreadable one; fails (exit 1) if any is. */
function readParts(files: readonly string[], ctx: CliContext): NamedPart[] {
  const named: NamedPart[] = [];
  let bad = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      ctx.io.stderr(`${file}: error: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
      bad++;
      continue;
    }
    const r = parsePart(text);
    if (!r.ok) {
      ctx.io.stderr(`${file}: error: ${r.message}\n`);
      bad++;
    } else named.push({ name: file, part: r.part });
  }
  if (bad > 0) throw new CliFailure(`${bad} of ${files.length} part${files.length === 1 ? '' : 's'} could not be read; nothing was written`, EXIT.failure);
  return named;
}

async function render(part: Part, opts: MergeFlags): Promise<string> {
  if (part.kind === 'batch') {
    const { model, scenario, aggregate, invariants } = toMergedBatch(part);
    if (opts.rung !== undefined && !model.rungs.some((r) => r.id === opts.rung)) {
      throw new CliFailure(`error: option '--rung <rung>' argument '${opts.rung}' is not a rung of the parts' scenario (known: ${model.rungs.map((r) => r.id).join(', ')})`, EXIT.usage);
    }
    const meta = deriveMeta(model, { hash: scenario.hash, files: scenario.files, seed: part.seed, runs: part.runs, engine: part.engine });
    const summaryOptions = { topPathways: opts.top, ...(opts.rung === undefined ? {} : { influence: { rung: opts.rung } }) };
    const summary = withInvariants(summarizeBatch(model, aggregate, meta, summaryOptions), model, () => invariants ?? new InvariantTally(model));
    return renderBatch(opts.format as Exclude<Format, 'part'>, model, summary, part.engine);
  }
  if (part.kind === 'sweep') {
    if (opts.rung !== undefined) throw new CliFailure(`error: option '--rung' applies to a batch's parts, and these are a sweep's`, EXIT.usage);
    const m = toMergedSweep(part);
    const result = summarizeSweep({ model: m.base, hash: part.scenario.hash, files: part.scenario.files }, part.axes, part.points.length, m.played, { seed: part.seed, runs: part.runs, engine: part.engine, stopped: false });
    switch (opts.format) {
      case 'text':
        return renderSweepText(result);
      case 'md':
        return renderSweepMarkdown(result);
      case 'html':
        return renderSweepHtml(result);
      case 'json':
        return renderSweepJson(result);
      default:
        throw new CliFailure(`error: option '--format ${opts.format}': a sweep's merged report comes as text, json, md or html (or part)`, EXIT.usage);
    }
  }
  const format = opts.format;
  if (!(COMPARE_FORMATS as readonly string[]).includes(format)) {
    throw new CliFailure(`error: option '--format ${format}': a comparison's report comes as ${COMPARE_FORMATS.join(', ')} (or part)`, EXIT.usage);
  }
  if (opts.rung !== undefined) throw new CliFailure(`error: option '--rung' applies to a batch's parts, and these are a comparison's`, EXIT.usage);
  const m = toMergedComparison(part);
  const compared = m.scenarios.map((s, i) => ({ model: m.models[i] as (typeof m.models)[number], hash: s.hash, files: s.files, ...(s.label === null ? {} : { label: s.label }) }));
  const [base, ...variants] = compared as [(typeof compared)[number], ...typeof compared];
  const comparison = summarizeComparison(base, m.base, variants, m.paired, { runs: part.runs, seed: part.seed, engine: part.engine, stopped: false }, { topPathways: opts.top, topRules: opts.top });
  return renderComparison(format as (typeof COMPARE_FORMATS)[number], comparison);
}
