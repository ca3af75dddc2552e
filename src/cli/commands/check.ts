import { basename } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { check, CheckError, type CheckMode, type CheckResult } from '../../batch/check.ts';
import { EngineError } from '../../engine/run.ts';
import { buildModel } from '../../model/build-model.ts';
import { formatQueryProblem, parseQuery, type Query } from '../../analysis/query.ts';
import { resolveQuery } from '../../analysis/resolve-query.ts';
import { type CheckReport, describeGuarantee, renderCheckJson, renderCheckText } from '../../report/check.ts';
import { VERSION } from '../../version.ts';
import { type CliContext, CliFailure, EXIT, emit, outArg, loadOrFail, positiveInt, seedArg } from '../shared.ts';

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];
const METHODS = ['auto', 'exact', 'sample', 'splitting'] as const;

interface CheckFlags {
  seed: string;
  alpha: number;
  beta: number;
  delta?: number;
  confidence: number;
  precision?: { kind: 'absolute' | 'relative'; value: number };
  maxRuns: number;
  method: CheckMode;
  workers: number;
  exploreMaxOutcomes: number;
  effort: number;
  replications: number;
  format: Format;
  out?: string;
}

/** A probability strictly between 0 and 1. */
function openUnit(value: string): number {
  const n = Number(value);
  if (!/^(\d+(\.\d*)?|\.\d+)(e-?\d+)?$/i.test(value) || !(n > 0 && n < 1)) throw new InvalidArgumentError(`expected a number above 0 and below 1; found "${value}"`);
  return n;
}

/** `0.005`, `±0.005` or `10%`. */
function precisionArg(value: string): { kind: 'absolute' | 'relative'; value: number } {
  const m = /^(?:±|\+-)?(\d+(?:\.\d*)?|\.\d+)(%)?$/.exec(value.trim());
  const n = m === null ? Number.NaN : Number(m[1]) / (m[2] === '%' ? 100 : 1);
  if (m === null || !(n > 0 && n < 1)) throw new InvalidArgumentError(`expected an absolute precision such as 0.005 or a relative one such as 10%; found "${value}"`);
  return { kind: m[2] === '%' ? 'relative' : 'absolute', value: n };
}

/** The name a variant file goes by in `P[name](…)`: its file name without the extension. */
function nameOf(file: string): string {
  return basename(file).replace(/\.(ya?ml|json)$/i, '');
}

function canonical(q: Query, texts: readonly string[]): string {
  switch (q.kind) {
    case 'hypothesis':
      return `${texts[0]} ${q.comparison} ${q.threshold}`;
    case 'estimate':
      return `${texts[0]} = ?${q.precision === null ? '' : ` ±${q.precision.kind === 'relative' ? `${Number((q.precision.value * 100).toPrecision(6))}%` : q.precision.value}`}`;
    case 'paired':
      return `${texts[0]} ${q.comparison} ${texts[1]}`;
  }
}

/** Exit codes of `brink check`: 0 holds (or estimated), 1 does not hold, 2 a usage error or a bad query, 3 undecided within the budget. */
export const CHECK_EXIT = { holds: 0, fails: 1, usage: 2, undecided: 3 } as const;

/** `brink check <scenario> [variants…] '<query>'`: statistical model checking with a stated guarantee. */
export function registerCheck(program: Command, ctx: CliContext): void {
  program
    .command('check')
    .description(
      "Answer a probability query with a stated guarantee: P(peak NEA >= L9 by 24) < 0.05 (Wald's SPRT), P(act X by 12) = ? ±0.005 (an estimate), P[variant](X) < P[base](X) (paired); exact by explore when small enough",
    )
    .argument('<args...>', 'the scenario file, any variant files, then the query (quote it)')
    .option('-s, --seed <seed>', 'the seed of the whole check: run i plays the seed derived from it and i', seedArg, '1')
    .option('--alpha <p>', 'most probability of saying "holds" when the claim is false by delta or more', openUnit, 0.05)
    .option('--beta <p>', 'most probability of saying "does not hold" when the claim is true by delta or more', openUnit, 0.05)
    .option('--delta <d>', 'half-width of the indifference region (default: a tenth of min(θ, 1−θ); 0.1 for a comparison)', openUnit)
    .option('--confidence <c>', 'confidence of intervals', openUnit, 0.95)
    .option('--precision <p>', 'an estimate\'s precision when the query gives none: 0.005 (absolute) or 10% (relative); default 0.01', precisionArg)
    .option('--max-runs <n>', 'most runs before answering "undecided" (exit 3)', positiveInt(Number.MAX_SAFE_INTEGER), 1_000_000)
    .addOption(new Option('--method <method>', 'exact (explore only), sample (runs only), splitting (rare peaks: multilevel splitting over the rungs), or auto: exact when explore fits its budget').choices(METHODS).default('auto'))
    .option('--effort <n>', 'splitting: runs per stage', positiveInt(100_000_000), 1000)
    .option('--replications <n>', 'splitting: independent replications per round (rounds are added until the interval is as narrow as asked)', positiveInt(100_000), 10)
    .option('--workers <n>', 'worker threads for sampling (the answer does not depend on it)', positiveInt(256), 1)
    .option('--explore-max-outcomes <n>', 'most joint outcomes explore may play for an exact answer', positiveInt(Number.MAX_SAFE_INTEGER), 100_000)
    .addOption(new Option('-f, --format <format>', 'report format').choices(FORMATS).default('text'))
    .option('-o, --out <file>', 'write the report to a file instead of standard output', outArg)
    .action(async (args: string[], opts: CheckFlags) => {
      if (args.length < 2) throw new CliFailure("error: expected a scenario file and a query, e.g. brink check scenarios/x.yaml 'P(peak >= L9 by 24) < 0.05'", EXIT.usage);
      const text = args.at(-1) as string;
      const files = args.slice(0, -1);
      const parsed = parseQuery(text);
      if (!parsed.ok) throw new CliFailure(formatQueryProblem(text, parsed.problem), EXIT.usage);
      const names = files.map((f, i) => (i === 0 ? 'base' : nameOf(f)));
      const clash = names.find((n, i) => names.indexOf(n) !== i);
      if (clash !== undefined) throw new CliFailure(`error: two scenarios go by the name "${clash}" in P[…]: give the variant files different names`, EXIT.usage);
      const loaded = files.map((f) => loadOrFail(f, ctx.io, ctx.loadOptions));
      const subjects = loaded.map((l, i) => ({ name: names[i] as string, model: buildModel(l.scenario) }));
      const resolved = resolveQuery(parsed.query, subjects);
      if (!resolved.ok) throw new CliFailure(formatQueryProblem(text, resolved.problem), EXIT.usage);
      const q = parsed.query;
      if (q.kind !== 'estimate' && opts.delta !== undefined && q.kind === 'hypothesis' && (q.threshold - opts.delta <= 0 || q.threshold + opts.delta >= 1))
        throw new CliFailure(`error: option '--delta <d>': the indifference region ${q.threshold} ± ${opts.delta} must lie inside (0, 1): use a smaller --delta`, EXIT.usage);
      if (q.kind === 'paired' && opts.delta !== undefined && opts.delta >= 0.5) throw new CliFailure("error: option '--delta <d>': a comparison's delta is below 0.5", EXIT.usage);
      let result: CheckResult;
      let stop = false;
      const onSigint = () => {
        stop = true;
      };
      process.once('SIGINT', onSigint);
      try {
        result = await check(subjects, q, resolved.probs, {
          seed: opts.seed,
          alpha: opts.alpha,
          beta: opts.beta,
          ...(opts.delta === undefined ? {} : { delta: opts.delta }),
          confidence: opts.confidence,
          ...(opts.precision === undefined ? {} : { precision: opts.precision }),
          maxRuns: opts.maxRuns,
          method: opts.method,
          workers: opts.workers,
          exploreMaxOutcomes: opts.exploreMaxOutcomes,
          effort: opts.effort,
          replications: opts.replications,
          shouldStop: () => stop,
        });
      } catch (e) {
        if (e instanceof CheckError) throw new CliFailure(`error: ${e.message}${opts.method === 'exact' ? ' (try --method auto or sample, or a larger --explore-max-outcomes)' : ''}`, EXIT.usage);
        if (e instanceof EngineError) throw new CliFailure(`error: ${e.message}\n  (${e.code}; seed ${e.seed}, turn ${e.turn}; replay with brink run <file> --seed ${e.seed})`, EXIT.failure);
        throw e;
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
      const canon = canonical(q, result.texts);
      const report: CheckReport = {
        meta: {
          scenarios: loaded.map((l, i) => ({ name: names[i] as string, file: files[i] as string, id: l.scenario.metadata.id, title: l.scenario.metadata.title, hash: l.hash })),
          version: VERSION,
          seed: opts.seed,
          query: text,
          canonical: canon,
          workers: opts.workers,
        },
        result,
        guarantee: describeGuarantee(result, canon),
      };
      emit(opts.format === 'json' ? renderCheckJson(report) : renderCheckText(report), opts.out, ctx.io);
      const v = result.answer.verdict;
      ctx.exitCode = v === 'fails' ? CHECK_EXIT.fails : v === 'undecided' ? CHECK_EXIT.undecided : CHECK_EXIT.holds;
    });
}

