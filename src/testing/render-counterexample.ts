import type { RunRecord } from '../engine/run.ts';
import type { EventInstance, Model } from '../model/types.ts';
import type { Scenario } from '../scenario/schema.ts';
import { type ScenarioEdit, describeEdit } from './edits.ts';
import type { Verdict } from './properties.ts';

/** What a counterexample message is made of. */
export interface CounterexampleParts {
  readonly property: string;
  readonly verdict: Verdict;
  readonly index: number;
  readonly seed: string;
  readonly runs: number;
  readonly record: RunRecord;
  readonly narrative: string;
  readonly edits: readonly ScenarioEdit[];
  readonly overlay: string | undefined;
  readonly replay: string;
  readonly base: Scenario;
  readonly model: Model;
}

/** `#12 DPRK MUTUAL_DEFENCE_INVOKED (turn 5) ← #9 USA STRIKE (turn 5) ← …`: an act and what caused it. */
export function renderCausalChain(model: Model, record: RunRecord, act: number): string {
  const parts: string[] = [];
  for (let e = record.events[act]; e !== undefined; e = e.cause >= 0 ? record.events[e.cause] : undefined) {
    parts.push(`#${e.id} ${model.actors[e.from]?.id} ${model.events[e.type]?.id} (turn ${e.turn}, ${originWords(model, e)})`);
    if (parts.length > 50) break;
  }
  return parts.join(' ← ');
}

function originWords(model: Model, e: EventInstance): string {
  const rule = model.rules[e.rule]?.id ?? '';
  switch (e.origin) {
    case 'script':
      return `scripted ${rule.replace(/^inject:/, '')}`;
    case 'shock':
      return `shock ${rule.replace(/^shock:/, '')}`;
    case 'move':
      return `move ${rule.replace(/^move:[^:]+:/, '')}`;
    case 'reaction':
      return 'reaction';
  }
}

/**
 * A counterexample as a failing test should print it: the property, why this run broke it, the
 * variant's edits and a file to save them in, the breaking act's causes, the run's pathway as a
 * narrative, and the command that replays it. Pure.
 */
export function renderCounterexample(c: CounterexampleParts): string {
  const out = [`Property broken: ${c.property}`, `  in run ${c.index} of ${c.runs} (run seed ${c.seed}): ${c.verdict.because}`];
  if (c.edits.length > 0) {
    out.push('', `The variant: ${c.edits.length} edit${c.edits.length === 1 ? '' : 's'} to ${c.base.metadata.id}`);
    for (const e of c.edits) out.push(`  - ${describeEdit(c.base, e)}`);
    out.push('', 'Save this as variant.yaml in the directory you run brink from, to replay it:', ...(c.overlay ?? '').trimEnd().split('\n').map((l) => `  ${l}`));
  }
  if (c.verdict.act !== undefined && c.verdict.act >= 0) out.push('', `What led to it: ${renderCausalChain(c.model, c.record, c.verdict.act)}`);
  out.push('', c.narrative.trimEnd());
  if (!c.narrative.includes(c.replay)) out.push('', `Replay: ${c.replay}`);
  return `${out.join('\n')}\n`;
}
