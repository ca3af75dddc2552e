import { createHash } from 'node:crypto';
import { type EngineName, createKernel } from '../batch/play-batch.ts';
import { replayWithMoveChances } from '../analysis/move-chances.ts';
import { type RunReport, deriveRunReport } from '../analysis/run-report.ts';
import { deriveMeta } from '../analysis/summary.ts';
import { deriveRunSeed } from '../engine/rng.ts';
import { type RunRecord, Runner } from '../engine/run.ts';
import { buildModel } from '../model/build-model.ts';
import type { Model } from '../model/types.ts';
import { renderRunText } from '../report/text.ts';
import { crossCheck } from '../scenario/cross-check.ts';
import { formatProblem } from '../scenario/problem.ts';
import type { Scenario } from '../scenario/schema.ts';
import { type ScenarioEdit, renderOverlay } from './edits.ts';
import type { RunProperty, Verdict } from './properties.ts';
import { renderCounterexample } from './render-counterexample.ts';
import { type Variant, isVariant } from './variant.ts';

export interface CheckOptions {
  /** Runs to play. Default 200. */
  readonly runs?: number;
  /** Base seed: run i plays `deriveRunSeed(seed, i)`, as `brink run --runs` does. Default `1`. */
  readonly seed?: string;
  /** Engine to play on: the compiled kernel, or the XState reference. Default `compiled`. */
  readonly engine?: EngineName;
  /**
   * The (base) scenario's file as a user would type it, for the replay command and a variant's
   * `extends`. Default `<metadata.id>.yaml`.
   */
  readonly file?: string;
}

/**
 * The first run of a batch that broke a property, told so that a person can replay it. `record`,
 * `report`, `narrative`, `overlay` and `message` are not enumerable: a test runner that prints the
 * object (vitest's diff under `expect(found, found?.message).toBeUndefined()`) shows a dozen lines,
 * not the whole traced run; read them by name.
 */
export interface Counterexample {
  /** The property in words. */
  readonly property: string;
  /** Why this run broke it. */
  readonly verdict: Verdict;
  /** Index of the run in the batch, and its seed. */
  readonly index: number;
  readonly seed: string;
  readonly runs: number;
  /** The run, traced. */
  readonly record: RunRecord;
  readonly report: RunReport;
  /** The run's escalation pathway as a narrative (renderRunText), with the breaking act and its causes. */
  readonly narrative: string;
  /** The edits that make the variant, empty for the scenario itself. */
  readonly edits: readonly ScenarioEdit[];
  /** For a variant: a file to save as `variant.yaml` (extends the base) so that the replay works. */
  readonly overlay: string | undefined;
  /** `brink run <file> --seed <seed>`. */
  readonly replay: string;
  /**
   * The failure as a test prints it, short enough to read: the property and why this run broke it, the
   * run's seed, the variant's edits and a file to save them in, the breaking act's causes, the run's
   * pathway one act and its why a line (`renderRunText(…, { brief: true })`), and the replay command.
   */
  readonly message: string;
}

/** The file name a variant's overlay is meant to be saved as. */
export const VARIANT_FILE = 'variant.yaml';

/** Builds the model of a scenario that must pass every check; throws an Error listing the problems. */
export function buildCheckedModel(scenario: Scenario): Model {
  const errors = crossCheck(scenario).filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(`the scenario has ${errors.length} error(s):\n${errors.map(formatProblem).join('\n')}`);
  return buildModel(scenario);
}

/** The scenario's content hash, as the loader computes it. */
function hashOf(scenario: Scenario): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(scenario)).digest('hex')}`;
}

/**
 * Plays a batch of the scenario (or variant) and returns the first run that breaks the property, with
 * its narrative and the command that replays it; undefined when every run keeps it. Deterministic:
 * the same scenario, property and options give the same answer. A run that stops with an
 * `EngineError` throws it (it names its seed).
 */
export function checkScenario(subject: Scenario | Variant, property: RunProperty, options: CheckOptions = {}): Counterexample | undefined {
  const scenario = isVariant(subject) ? subject.scenario : subject;
  const model = buildCheckedModel(scenario);
  const bound = property.bind(model);
  const engine = options.engine ?? 'compiled';
  const runner = new Runner(model, createKernel(model, engine));
  const runs = options.runs ?? 200;
  const seed = options.seed ?? '1';
  for (let index = 0; index < runs; index++) {
    const runSeed = deriveRunSeed(seed, index);
    let record = runner.run(runSeed, { trace: bound.needsTrace });
    const verdict = bound.check(record);
    if (verdict.holds) continue;
    if (!bound.needsTrace) record = runner.run(runSeed, { trace: true });
    return describeFailure(subject, model, property, verdict, record, { index, runs, engine, options });
  }
  return undefined;
}

function describeFailure(
  subject: Scenario | Variant,
  model: Model,
  property: RunProperty,
  verdict: Verdict,
  record: RunRecord,
  at: { index: number; runs: number; engine: EngineName; options: CheckOptions },
): Counterexample {
  const scenario = isVariant(subject) ? subject.scenario : subject;
  const base = isVariant(subject) ? subject.base : subject;
  const edits = isVariant(subject) ? subject.edits : [];
  const baseFile = at.options.file ?? `${base.metadata.id}.yaml`;
  const file = edits.length > 0 ? VARIANT_FILE : baseFile;
  const meta = deriveMeta(model, { hash: hashOf(scenario), files: [file], seed: record.seed, runs: 1, engine: at.engine });
  // Replayed once more, off the batch's path, for each move's chance that turn and the modifiers that applied.
  const { chances } = replayWithMoveChances(model, createKernel(model, at.engine), record.seed);
  const report = deriveRunReport(model, record, meta, chances);
  // The narrative tells the pathway and, when the act that broke the property is not on it, that act
  // and its causes too: the story up to the breach.
  const chain = new Set<number>();
  for (let id = verdict.act ?? -1; id >= 0 && !chain.has(id); id = record.events[id]?.cause ?? -1) chain.add(id);
  const onPathway = new Set(report.pathway.map((a) => a.id));
  const extra = report.acts.filter((a) => chain.has(a.id) && !onPathway.has(a.id));
  const told = extra.length === 0 ? report : { ...report, pathway: [...report.pathway, ...extra].sort((a, b) => a.id - b.id) };
  const fields = {
    property: property.description,
    verdict,
    index: at.index,
    seed: record.seed,
    runs: at.runs,
    record,
    report,
    narrative: renderRunText(told),
    edits,
    overlay: edits.length > 0 ? renderOverlay(base, edits, baseFile) : undefined,
    replay: `brink run ${file} --seed ${record.seed}`,
  };
  const message = renderCounterexample({ ...fields, narrative: renderRunText(told, { brief: true }), base, model });
  return hideFields({ ...fields, message }, ['record', 'report', 'narrative', 'overlay', 'message']);
}

/** Makes the named fields of a fresh object non-enumerable (still readable by name), so printing it stays short. */
export function hideFields<T extends object>(value: T, keys: ReadonlyArray<keyof T>): T {
  for (const k of keys) Object.defineProperty(value, k, { value: value[k], enumerable: false, writable: false, configurable: true });
  return value;
}

/** Thrown by `assertHolds`: its message is the counterexample told in full. */
export class CounterexampleError extends Error {
  declare readonly counterexample: Counterexample;

  constructor(counterexample: Counterexample) {
    super(counterexample.message);
    this.name = 'CounterexampleError';
    // Not enumerable: test runners print an error's own fields, and the message already says it all.
    Object.defineProperty(this, 'counterexample', { value: counterexample, enumerable: false });
  }
}

/**
 * Throws a CounterexampleError when some run of the batch breaks the property. Use it inside
 * `test.prop([variantOf(s)])(…)`: fast-check then shrinks the variant and reports the minimal one.
 */
export function assertHolds(subject: Scenario | Variant, property: RunProperty, options: CheckOptions = {}): void {
  const found = checkScenario(subject, property, options);
  if (found !== undefined) throw new CounterexampleError(found);
}
