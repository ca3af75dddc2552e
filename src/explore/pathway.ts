import { turnDate } from '../model/calendar.ts';
import type { EventInstance, Model } from '../model/types.ts';
import type { Chooser, ExploreStepper } from './step.ts';

/**
 * A pathway through the explored states, as a chain back to the start: each node is the joint
 * outcome (numbered as in explore.ts) chosen in its turn. `acts` and `probability` are the totals so far.
 */
export interface PathNode {
  readonly parent: PathNode | undefined;
  readonly outcome: number;
  /** The chance reactions' decisions in the turn (1 fired, 0 did not), in the order met; absent when none. */
  readonly chance?: readonly number[];
  readonly turn: number;
  readonly acts: number;
  readonly probability: number;
}

/** One act of a pathway, with names. */
export interface PathwayAct {
  /** Id within the pathway (counting from 0 at turn 1), as in a run's trace. */
  readonly id: number;
  readonly turn: number;
  readonly actor: string;
  readonly act: string;
  readonly rung: string;
  readonly rungName: string;
  readonly theatre: string | null;
  readonly against: readonly string[];
  readonly origin: EventInstance['origin'];
  /** Id of the act whose handling emitted it; null for injects, shocks and moves. */
  readonly cause: number | null;
  /** The move, shock or inject id, or the transition's rule id for a reaction. */
  readonly rule: string;
  /** True when it raised the overall peak or its theatre's peak (a ladder step). */
  readonly step: boolean;
}

/** A draw of the turn that had more than one possible outcome, and the outcome the pathway takes. */
export interface PathwayChoice {
  readonly kind: 'shock' | 'actor' | 'reaction';
  /** The shock's or the actor's id; a chance reaction's rule id. */
  readonly id: string;
  /** The move or shock taken; null for no move, or the shock (or chance reaction) not firing. */
  readonly outcome: string | null;
  readonly probability: number;
}

/** One turn of a pathway: its chance outcomes and the acts that followed. */
export interface PathwayTurn {
  readonly turn: number;
  readonly date: string;
  /** Probability of this turn's joint outcome, given the state it started from. */
  readonly probability: number;
  readonly choices: readonly PathwayChoice[];
  readonly acts: readonly PathwayAct[];
  /**
   * Uniform numbers that make the engine take this turn's outcomes: one per shock, then one per actor,
   * in file order (the engine's draw schedule). A run fed these (RunOptions.random) replays the pathway
   * where it meets no chance reaction (their draws are counter-based, not from this source).
   */
  readonly draws: readonly number[];
}

/** A pathway as a narrative: its turns with the chance outcomes taken and the acts that followed. */
export interface Pathway {
  readonly turns: number;
  /** Acts up to and including the one that reached the target. */
  readonly acts: number;
  /** Product of the probabilities of every chance outcome on it. */
  readonly probability: number;
  /** Turn by turn, from turn 1. */
  readonly narrative: readonly PathwayTurn[];
}

/**
 * Replays a pathway from the start with a fresh stepper (same model and target as the exploration
 * that found it) and names its turns, chances and acts. The last turn's acts stop at `hitIndex`
 * (the act that reached the target; -1 keeps them all).
 */
export function derivePathway(model: Model, stepper: ExploreStepper, end: PathNode, hitIndex: number): Pathway {
  const outcomes: number[] = [];
  const scripts: Array<readonly number[]> = [];
  for (let n: PathNode | undefined = end; n !== undefined && n.parent !== undefined; n = n.parent) {
    outcomes.unshift(n.outcome);
    scripts.unshift(n.chance ?? []);
  }
  const turns: PathwayTurn[] = [];
  let key = stepper.initialKey();
  let nextId = 0;
  outcomes.forEach((outcome, i) => {
    const turn = i + 1;
    const choosers = stepper.prepare(stepper.decode(key), turn);
    const picks = toPicks(choosers, outcome);
    stepper.setChance(scripts[i] as readonly number[]);
    const all = stepper.play(choosers, picks, nextId);
    const kept = i === outcomes.length - 1 && hitIndex >= 0 ? all.slice(0, hitIndex + 1) : all;
    const raised = new Set<number>();
    for (let k = 0; k < stepper.raiseCount; k++) raised.add((stepper.raises[k] as { index: number }).index);
    let probability = 1;
    const choices: PathwayChoice[] = [];
    const draws: number[] = [];
    choosers.forEach((c, k) => {
      const o = c.options[picks[k] as number] as Chooser['options'][number];
      probability *= o.hi - o.lo;
      draws.push((o.lo + o.hi) / 2);
      if (c.options.length < 2) return;
      choices.push({
        kind: c.kind,
        id: c.kind === 'shock' ? (model.shocks[c.index] as { id: string }).id : (model.actors[c.index] as { id: string }).id,
        outcome: o.act === undefined ? null : o.label,
        probability: o.hi - o.lo,
      });
    });
    // Chance reactions met on the way, with the branch taken (the engine's counter-based draws: not in `draws`).
    for (let k = 0; k < stepper.chanceCount; k++) {
      const q = stepper.chanceOdds[k] as number;
      const fired = stepper.chanceScript[k] === 1;
      probability *= fired ? q : 1 - q;
      const id = (model.rules[stepper.chanceRules[k] as number] as { id: string }).id;
      choices.push({ kind: 'reaction', id, outcome: fired ? id : null, probability: fired ? q : 1 - q });
    }
    stepper.setChance([]);
    turns.push({ turn, date: turnDate(model.scenario.time, turn), probability, choices, acts: kept.map((e, k) => nameAct(model, e, raised.has(k))), draws });
    nextId += all.length;
    key = stepper.encode();
  });
  return { turns: outcomes.length, acts: end.acts, probability: end.probability, narrative: turns };
}

/** The picks of a joint outcome's number (mixed radix, first chooser most significant). */
export function toPicks(choosers: readonly Chooser[], outcome: number): number[] {
  const picks = new Array<number>(choosers.length).fill(0);
  let rest = outcome;
  for (let i = choosers.length - 1; i >= 0; i--) {
    const n = (choosers[i] as Chooser).options.length;
    picks[i] = rest % n;
    rest = Math.floor(rest / n);
  }
  return picks;
}

function nameAct(model: Model, e: EventInstance, step: boolean): PathwayAct {
  const actor = (a: number) => (model.actors[a] as { id: string }).id;
  const rung = model.rungs[e.rung] as { id: string; name: string };
  const rule = model.rules[e.rule] as { id: string };
  return {
    id: e.id,
    turn: e.turn,
    actor: actor(e.from),
    act: (model.events[e.type] as { id: string }).id,
    rung: rung.id,
    rungName: rung.name,
    theatre: e.theatre < 0 ? null : (model.theatres[e.theatre] as { id: string }).id,
    against: e.against.filter((a) => a !== e.from).map(actor),
    origin: e.origin,
    cause: e.cause < 0 ? null : e.cause,
    rule: e.origin === 'reaction' ? rule.id : rule.id.slice(rule.id.lastIndexOf(':') + 1),
    step,
  };
}
