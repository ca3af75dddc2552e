import type { Kernel } from '../engine/kernel.ts';
import type { Model } from '../model/types.ts';
import { replayWithMoveChances } from './move-chances.ts';
import { deriveRunReport, type RunReport } from './run-report.ts';
import { deriveMeta, type BatchSummary } from './summary.ts';

/** A top pathway of a batch told act by act, from the run its seed replays. */
export interface PathwayNarrative {
  readonly rank: number;
  readonly signature: string;
  readonly count: number;
  readonly share: number;
  /** The run seed: `brink run <scenario> --seed <seed>` replays this run. */
  readonly seed: string;
  readonly report: RunReport;
}

/**
 * Replays the seed of each top pathway of a summary with a trace and tells the run. Deterministic: the
 * same model, summary and kernel semantics give the same narratives. Throws if a seed does not replay
 * its pathway (a determinism bug).
 */
export function deriveNarratives(model: Model, summary: BatchSummary, kernel: Kernel): PathwayNarrative[] {
  const { hash, files } = summary.meta.scenario;
  return summary.pathways.map((p) => {
    const { record, chances } = replayWithMoveChances(model, kernel, p.seed);
    const report = deriveRunReport(model, record, deriveMeta(model, { hash, files, seed: p.seed, runs: 1, engine: summary.meta.engine }), chances);
    if (report.signature !== p.signature) {
      throw new Error(`deriveNarratives: seed ${p.seed} replays "${report.signature}", not pathway #${p.rank} "${p.signature}"`);
    }
    return { rank: p.rank, signature: p.signature, count: p.count, share: p.share, seed: p.seed, report };
  });
}
