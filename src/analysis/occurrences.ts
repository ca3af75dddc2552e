import type { RunRecord } from '../engine/run.ts';
import type { PatternModel } from '../model/invariants.ts';
import type { EventInstance, Model } from '../model/types.ts';
import { type Occurrence, describeAct, matchesAct } from './invariants.ts';
import { initialLeaves, isActivePath } from './trace-view.ts';

/**
 * Every time the pattern came to hold in a run, in run order: each matching act; for a state, the start
 * (when an actor starts in it) and each entry into it from outside (moves between its own substates do
 * not count again). A state pattern needs a traced run. Pure.
 */
export function occurrences(model: Model, record: RunRecord, p: PatternModel): Occurrence[] {
  const found: Occurrence[] = [];
  if (p.kind === 'act') {
    for (const e of record.events) if (matchesAct(p, e)) found.push({ turn: e.turn, act: e.id, moment: 2 * e.id, text: describeAct(model, e) });
    return found;
  }
  const changes = record.stateChanges;
  if (changes === undefined) throw new Error('occurrences: a state pattern needs a traced run ({ trace: true })');
  const actor = model.actors[p.actor];
  if (actor === undefined) return found;
  const path = actor.states[p.state]?.path ?? '';
  const leaves = (label: string) => (label === '' ? [] : label.split(', '));
  let active = isActivePath(initialLeaves(actor), path);
  if (active) found.push({ turn: 0, act: -1, moment: -1, text: `${actor.id} starts in ${path}` });
  for (const c of changes) {
    if (c.actor !== p.actor) continue;
    const now = isActivePath(leaves(c.to), path);
    if (now && !active) {
      const cause = record.events[c.cause] as EventInstance;
      found.push({ turn: c.turn, act: c.cause, moment: 2 * c.cause + 1, text: `${actor.id} entered ${path} on ${describeAct(model, cause)}` });
    }
    active = now;
  }
  return found;
}
