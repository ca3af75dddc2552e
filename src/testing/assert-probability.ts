import { createHash } from 'node:crypto';
import { formatQueryProblem, parseQuery } from '../analysis/query.ts';
import { type QuerySubject, resolveQuery } from '../analysis/resolve-query.ts';
import { type CheckMode, type CheckResult, checkSync } from '../batch/check.ts';
import type { EngineName } from '../engine/kernels.ts';
import { type CheckReport, describeGuarantee, renderCheckText } from '../report/check.ts';
import type { Scenario } from '../scenario/schema.ts';
import { VERSION } from '../version.ts';
import { buildCheckedModel } from './check-scenario.ts';
import { isVariant, type Variant } from './variant.ts';

export interface ProbabilityOptions {
  /** Most probability of passing when the claim is false by δ or more. Default 0.05. */
  readonly alpha?: number;
  /** Most probability of failing when the claim is true by δ or more. Default 0.05. */
  readonly beta?: number;
  /** Half-width of the indifference region; default a tenth of min(θ, 1 − θ) (0.1 for a comparison). */
  readonly delta?: number;
  /** The check's seed. Default `1`: the same test gives the same answer every time it runs. */
  readonly seed?: string;
  /** Most runs before the check gives up as undecided (which fails the assertion). Default 1,000,000. */
  readonly maxRuns?: number;
  /** `auto` (default) answers exactly by explore when it fits; `sample` always samples. */
  readonly method?: CheckMode;
  readonly engine?: EngineName;
  /** Other scenarios the query names as `P[name](…)`; the subject is `base`. */
  readonly scenarios?: Readonly<Record<string, Scenario | Variant>>;
  /** The subject's file as a user would type it, for replay commands. Default `<metadata.id>.yaml`. */
  readonly file?: string;
}

/** What `checkProbability` found, and the message that tells it. */
export interface ProbabilityResult {
  readonly holds: boolean;
  readonly result: CheckResult;
  readonly message: string;
}

function scenarioOf(s: Scenario | Variant): Scenario {
  return isVariant(s) ? s.scenario : s;
}

/**
 * Checks a probability claim about a scenario — `P(peak NEA >= L9 by 24) < 0.05`, or a comparison
 * `P[variant](X) < P[base](X)` — with Wald's SPRT (or exactly, by explore, when that fits), on this
 * thread. Seeded and deterministic: the same scenario, claim and options always give the same answer,
 * and the error rates α and β are over the choice of seed. Uses the fewest runs the SPRT needs.
 */
export function checkProbability(subject: Scenario | Variant, claim: string, options: ProbabilityOptions = {}): ProbabilityResult {
  const parsed = parseQuery(claim);
  if (!parsed.ok) throw new Error(formatQueryProblem(claim, parsed.problem));
  if (parsed.query.kind === 'estimate') throw new Error(`assertProbability needs a claim (P(…) < 0.05, or P[variant](…) < P[base](…)); found an estimate: ${claim}`);
  const named = Object.entries(options.scenarios ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const all: Array<[string, Scenario]> = [['base', scenarioOf(subject)], ...named.map(([n, s]): [string, Scenario] => [n, scenarioOf(s)])];
  const subjects: QuerySubject[] = all.map(([name, s]) => ({ name, model: buildCheckedModel(s) }));
  const resolved = resolveQuery(parsed.query, subjects);
  if (!resolved.ok) throw new Error(formatQueryProblem(claim, resolved.problem));
  const seed = options.seed ?? '1';
  const result = checkSync(subjects, parsed.query, resolved.probs, {
    seed,
    ...(options.alpha === undefined ? {} : { alpha: options.alpha }),
    ...(options.beta === undefined ? {} : { beta: options.beta }),
    ...(options.delta === undefined ? {} : { delta: options.delta }),
    ...(options.maxRuns === undefined ? {} : { maxRuns: options.maxRuns }),
    ...(options.engine === undefined ? {} : { engine: options.engine }),
    method: options.method ?? 'auto',
  });
  const file = options.file ?? `${subjects[0]?.model.scenario.metadata.id}.yaml`;
  const report: CheckReport = {
    meta: {
      scenarios: all.map(([name, s], i) => ({
        name,
        file: i === 0 ? file : `${name}.yaml`,
        id: s.metadata.id,
        title: s.metadata.title,
        hash: `sha256:${createHash('sha256').update(JSON.stringify(s)).digest('hex')}`,
      })),
      version: VERSION,
      seed,
      query: claim,
      canonical: claim,
      workers: 1,
    },
    result,
    guarantee: '',
  };
  const guarantee = describeGuarantee(result, claim);
  const holds = result.answer.verdict === 'holds';
  const head = holds ? `Probability claim holds: ${claim}` : result.answer.verdict === 'undecided' ? `Probability claim undecided within the runs allowed: ${claim}` : `Probability claim does not hold: ${claim}`;
  return { holds, result, message: `${head}\n\n${renderCheckText({ ...report, guarantee })}` };
}

/** Thrown by `assertProbability`: the message gives the verdict, the estimate, its interval, the runs used and the witness runs. */
export class ProbabilityError extends Error {
  declare readonly result: CheckResult;

  constructor(found: ProbabilityResult) {
    super(found.message);
    this.name = 'ProbabilityError';
    Object.defineProperty(this, 'result', { value: found.result, enumerable: false });
  }
}

/** Throws a ProbabilityError unless the claim holds (an undecided check fails too). Never flakes: see `checkProbability`. */
export function assertProbability(subject: Scenario | Variant, claim: string, options: ProbabilityOptions = {}): void {
  const found = checkProbability(subject, claim, options);
  if (!found.holds) throw new ProbabilityError(found);
}
