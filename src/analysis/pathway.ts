import type { RunRecord } from '../engine/run.ts';
import type { EventInstance, Model } from '../model/types.ts';

/** The chain of acts that took a run to its peak. */
export interface Pathway {
  /** Acts that raised the overall peak, in order. */
  readonly steps: readonly EventInstance[];
  /** The steps and every act in their causal ancestry, in the order they happened. */
  readonly acts: readonly EventInstance[];
  readonly signature: string;
}

const LABELS = new WeakMap<Model, string[]>();

/** `L5 RUS TECH_TRANSFER` for every (event type, sender), built once per model. */
function stepLabels(model: Model): string[] {
  let labels = LABELS.get(model);
  if (labels === undefined) {
    labels = [];
    for (const e of model.events) for (const a of model.actors) labels.push(`${model.rungs[e.rung]?.id} ${a.id} ${e.id}`);
    LABELS.set(model, labels);
  }
  return labels;
}

/** `L5 RUS TECH_TRANSFER`: an act's rung, sender and type. */
function actLabel(model: Model, e: EventInstance): string {
  return `${model.rungs[e.rung]?.id} ${model.actors[e.from]?.id} ${model.events[e.type]?.id}`;
}

/** The signature of a run: its overall ladder steps as `L5 RUS TECH_TRANSFER`, joined by ` > `. */
export function deriveSignature(model: Model, record: RunRecord): string {
  const labels = stepLabels(model);
  const n = model.actors.length;
  let out = '';
  for (const s of record.steps) {
    if (s.theatre !== -1) continue;
    const e = record.events[s.event] as EventInstance;
    // An act with its own rung labels itself (the cached labels carry the type's rung).
    const label = e.rung === (model.events[e.type] as { rung: number }).rung ? (labels[e.type * n + e.from] as string) : actLabel(model, e);
    out = out === '' ? label : `${out} > ${label}`;
  }
  return out === '' ? '(no escalation)' : out;
}

/** The pathway of a run: ladder steps (overall and per theatre) with their causal ancestors. */
export function derivePathway(model: Model, record: RunRecord): Pathway {
  const keep = new Set<number>();
  for (const s of record.steps) {
    for (let id = s.event; id >= 0 && !keep.has(id); id = (record.events[id] as EventInstance).cause) keep.add(id);
  }
  const ids = [...keep].sort((a, b) => a - b);
  return {
    steps: record.steps.filter((s) => s.theatre === -1).map((s) => record.events[s.event] as EventInstance),
    acts: ids.map((id) => record.events[id] as EventInstance),
    signature: deriveSignature(model, record),
  };
}
