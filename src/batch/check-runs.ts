import { deriveRunSeed } from '../engine/rng.ts';
import { Runner } from '../engine/run.ts';
import { createKernel, type EngineName } from '../engine/kernels.ts';
import { buildModel } from '../model/build-model.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { Query } from '../analysis/query.ts';
import { happenedBy, type QuerySubject, type ResolvedProb, resolveQuery } from '../analysis/resolve-query.ts';

/**
 * Plays runs `from … from+count-1` of a check (run i plays `deriveRunSeed(seed, i)` on every scenario
 * the query names: common random numbers) and says, for each run and each `P(…)` of the query, whether
 * its event happened: `out[i * sides + s]` is 1 or 0. Deterministic: a run's answer depends only on
 * the scenarios, the seed and its index, never on which thread played it.
 */
export type RunJudge = (from: number, count: number) => Uint8Array;

/** A judge on this thread, for resolved probabilities over the subjects. */
export function createRunJudge(subjects: readonly QuerySubject[], probs: readonly ResolvedProb[], engine: EngineName, seed: string): RunJudge {
  const used = [...new Set(probs.map((p) => p.subject))].sort((a, b) => a - b);
  const runners = new Map(used.map((s) => [s, new Runner((subjects[s] as QuerySubject).model, createKernel((subjects[s] as QuerySubject).model, engine))]));
  const trace = new Map(used.map((s) => [s, probs.some((p) => p.subject === s && p.needsTrace)]));
  const sides = probs.length;
  return (from, count) => {
    const out = new Uint8Array(count * sides);
    for (let i = 0; i < count; i++) {
      const runSeed = deriveRunSeed(seed, from + i);
      for (const s of used) {
        const model = (subjects[s] as QuerySubject).model;
        // Transient records: each is read before its runner plays again.
        const record = (runners.get(s) as Runner).run(runSeed, { transient: true, trace: trace.get(s) === true });
        for (let k = 0; k < sides; k++) {
          const p = probs[k] as ResolvedProb;
          if (p.subject === s && happenedBy(model, record, p.event, p.by)) out[i * sides + k] = 1;
        }
      }
    }
    return out;
  };
}

/** What a worker needs to judge a check's runs: plain data, rebuilt there. */
export interface CheckJob {
  readonly scenarios: readonly Scenario[];
  readonly names: readonly string[];
  readonly query: Query;
  readonly engine: EngineName;
  readonly seed: string;
}

/** Rebuilds a judge from a job (in a worker thread). Throws if the query does not resolve, which the caller checked first. */
export function judgeFromJob(job: CheckJob): RunJudge {
  const subjects = job.scenarios.map((s, i) => ({ name: job.names[i] as string, model: buildModel(s) }));
  const r = resolveQuery(job.query, subjects);
  if (!r.ok) throw new Error(`check worker: the query does not resolve: ${r.problem.message}`);
  return createRunJudge(subjects, r.probs, job.engine, job.seed);
}
