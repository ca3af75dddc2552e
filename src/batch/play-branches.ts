import type { Model } from '../model/types.ts';
import { type BranchPlan, type BranchTally, emptyTally, mergeTally, playBranchUnits } from './branch.ts';
import { defaultWorkers, playInWorkers } from './worker-pool.ts';

/** Options of `playBranches`. */
export interface PlayBranchesOptions {
  /** Worker threads (default: one per core when there are 20,000 replications or more, else none). */
  readonly workers?: number | undefined;
  /** Called as units (a replication of every arm of one job) are done. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

/** Plays every job of the plan (on worker threads where asked) and returns one tally per job, in job order. Deterministic. */
export async function playBranches(model: Model, plan: BranchPlan, options: PlayBranchesOptions = {}): Promise<BranchTally[]> {
  const total = plan.jobs.length * plan.runs;
  const tallies = plan.jobs.map((_, k) => emptyTally(model, plan, k));
  const merge = (list: readonly BranchTally[]) => {
    for (const t of list) tallies[t.job] = mergeTally(tallies[t.job] as BranchTally, t);
  };
  const workers = options.workers ?? (total >= 20_000 ? defaultWorkers() : 1);
  if (workers <= 1 || total < 200) {
    const play = playBranchUnits(model, plan);
    const step = Math.max(100, Math.ceil(total / 100));
    for (let from = 0; from < total; from += step) {
      merge(play(from, Math.min(step, total - from)));
      options.onProgress?.(Math.min(total, from + step), total);
      await new Promise((r) => setImmediate(r));
    }
    return tallies;
  }
  await playInWorkers({ kind: 'branch', scenario: model.scenario, plan }, { runs: total, workers, lines: false, onProgress: options.onProgress }, (msg) => {
    if (msg.branches !== undefined) merge(msg.branches);
  });
  return tallies;
}
