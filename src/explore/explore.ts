import type { Model } from '../model/types.ts';
import { describeTarget, type ExploreTarget, HIT } from './goal.ts';
import { derivePathway, type Pathway, type PathNode } from './pathway.ts';
import { type Chooser, ExploreError, ExploreStepper } from './step.ts';

export { type ExploreTarget } from './goal.ts';
export type { Pathway, PathwayAct, PathwayChoice, PathwayTurn } from './pathway.ts';

/** How far to explore and what to look for. */
export interface ExploreOptions {
  /** Turns to explore, from 1 to the scenario's `time.turns`. Default: the scenario's. */
  readonly turns?: number;
  /** Most distinct states, summed over turns (the start included), before exploration stops. Default 1,000,000. */
  readonly maxStates?: number;
  /**
   * Most joint outcomes to play, summed over turns. A turn's count is known before it is played, so a
   * turn that would go past it is not started. Default 100,000,000.
   */
  readonly maxOutcomes?: number;
  /** What to look for: its shortest and most probable pathways, and the exact probability of reaching it by each turn. */
  readonly target?: ExploreTarget;
  /**
   * Keep every changeable variable and raisable dyad cell exactly in the state key, instead of only
   * what some condition reads (the cone, cone.ts). Same answers, more states: for comparison. Default false.
   */
  readonly fullKey?: boolean;
  /**
   * Bounded exploration: skip every partial joint outcome whose mass (the state's mass times the
   * probabilities of the draws chosen so far) falls below this, accounting its mass with the state it
   * came from. Default 0 (exact).
   */
  readonly minMass?: number;
  /** Bounded exploration: keep at most this many states a turn, the heaviest; the others' mass is accounted as pruned. Default unlimited. */
  readonly maxLayer?: number;
  /** Stop (keeping what was found) once more than this much probability mass has been pruned. Default 1 (never). */
  readonly maxPruned?: number;
  /** Polled between states: true stops, keeping the turns fully explored. */
  readonly shouldStop?: () => boolean;
  /** Called between states (a turn can take minutes): the turn being explored, states and joint outcomes so far. */
  readonly onProgress?: (turn: number, states: number, transitions: number) => void;
  /** Called after each fully explored turn. */
  readonly onTurn?: (turn: number, states: number, transitions: number) => void;
}

/** Whether and when a rung was reached, in one scope, and the exact probability of reaching it. */
export interface RungReach {
  /** `overall` or a theatre id. */
  readonly scope: string;
  readonly rung: string;
  readonly name: string;
  /** Earliest turn some pathway reaches it (peak ≥ rung); null when none does in the turns explored. */
  readonly firstTurn: number | null;
  /** P(peak ≥ rung by the last turn); null when exploration stopped early. */
  readonly probability: number | null;
  /** P(peak ≥ rung by turn t), `byTurn[t - 1]`, for every fully explored turn (a lower bound once mass was pruned). */
  readonly byTurn: readonly number[];
  /** Certified brackets [lo, hi] of P(peak ≥ rung by turn t), `bounds[t - 1]`: equal to the exact value when nothing was pruned. */
  readonly bounds: ReadonlyArray<readonly [number, number]>;
}

/** Whether and when an act of a type can happen. */
export interface ActReach {
  readonly event: string;
  readonly rung: string;
  readonly firstTurn: number | null;
}

/** The answer for `--to`. */
export interface TargetAnswer {
  readonly kind: ExploreTarget['kind'];
  /** The rung, event type or invariant id. */
  readonly id: string;
  /** The theatre of a rung target; null for overall or another kind. */
  readonly theatre: string | null;
  readonly text: string;
  /** Earliest turn it can happen (0: it holds at the start); null when it cannot in the turns explored. */
  readonly firstTurn: number | null;
  /** Exact probability that it happens by the last turn; null when exploration stopped early. */
  readonly probability: number | null;
  /** Exact probability that it has happened by turn t, `byTurn[t - 1]`, for every fully explored turn (a lower bound once mass was pruned). */
  readonly byTurn: readonly number[];
  /** Certified brackets [lo, hi] of the probability that it has happened by turn t. */
  readonly bounds: ReadonlyArray<readonly [number, number]>;
  /** Fewest turns, then fewest acts (then the more probable): null when unreachable. */
  readonly shortest: Pathway | null;
  /** Largest product of the probabilities of the chance outcomes (then fewer turns, then fewer acts). */
  readonly likeliest: Pathway | null;
}

/** What exploring a scenario found. Deterministic: the same model and options give the same result. */
export interface ExploreResult {
  /** Turns asked for. */
  readonly turns: number;
  /** Turns every state of which was expanded: `turns` when complete. */
  readonly exploredTurns: number;
  readonly complete: boolean;
  readonly maxStates: number;
  readonly maxOutcomes: number;
  /**
   * Where a budget ran out, when one did: the turn being explored, the states seen by then (states),
   * or the joint outcomes that playing the whole turn would have taken (outcomes).
   */
  readonly exhausted:
    | { readonly budget: 'states'; readonly turn: number; readonly states: number }
    | { readonly budget: 'outcomes'; readonly turn: number; readonly outcomes: number; readonly from: number }
    | { readonly budget: 'pruned'; readonly turn: number; readonly pruned: number }
    | { readonly budget: 'stopped'; readonly turn: number }
    | null;
  /**
   * Probability mass pruned by bounded exploration (--min-mass, --max-layer), summed over turns: 0 when
   * the answers are exact. Then every `bounds` is [exact, exact] and "unreachable" is a proof.
   */
  readonly pruned: number;
  /** Distinct states, summed over turns, the start included. */
  readonly states: number;
  /** Distinct states at the end of each turn: `statesByTurn[0]` is the start (1). */
  readonly statesByTurn: readonly number[];
  /** Joint outcomes played (state × combination of chance outcomes). */
  readonly transitions: number;
  /** Bytes per state key. */
  readonly keyBytes: number;
  /** 1 minus the total probability of the last explored turn's states: rounding error, near 0. */
  readonly lostProbability: number;
  /** Every rung in every scope (overall, then theatres in file order), in ladder order. */
  readonly rungs: readonly RungReach[];
  /** Every event type, in file order. */
  readonly acts: readonly ActReach[];
  readonly target: TargetAnswer | null;
}

interface StateNode {
  mass: number;
  short: PathNode;
  likely: PathNode;
}

/** A pathway that ends by hitting the target at act `hitIndex` of its last turn (-1: at the start). */
interface Hit extends PathNode {
  readonly hitIndex: number;
}

const ROOT: PathNode = { parent: undefined, outcome: -1, turn: 0, acts: 0, probability: 1 };

/**
 * Explores every combination of chance outcomes of the scenario, turn by turn (breadth first), merging
 * worlds with the same state key (step.ts): whether each rung, act type and the target can be
 * reached within the turns, the target's shortest and most probable pathways, and the exact
 * probability of reaching each rung (and the target) by each turn — the numbers a batch estimates.
 * Stops, with `complete: false`, when the states seen would exceed `maxStates` or the joint outcomes
 * played `maxOutcomes`. Pure and deterministic.
 * Throws ExploreError for a scenario fault (a cascade that does not end).
 */
export function explore(model: Model, options: ExploreOptions = {}): ExploreResult {
  const steps = exploreSteps(model, options);
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

/**
 * `explore`, giving the event loop a turn every few states, so that a signal handler (Ctrl-C, which
 * `shouldStop` then reports) or a timer can run while a long exploration goes on. Same result.
 */
export async function exploreAsync(model: Model, options: ExploreOptions = {}): Promise<ExploreResult> {
  const steps = exploreSteps(model, options);
  for (let i = 1; ; i++) {
    const r = steps.next();
    if (r.done === true) return r.value;
    if (i % 8 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The exploration as a generator: it yields between states (where `onProgress` is called) and every 16,384 joint outcomes of a state. */
function* exploreSteps(model: Model, options: ExploreOptions): Generator<void, ExploreResult, void> {
  const turns = options.turns ?? model.turns;
  if (!Number.isInteger(turns) || turns < 1 || turns > model.turns) throw new RangeError(`explore: turns must be a whole number from 1 to ${model.turns}; found ${turns}`);
  const maxStates = options.maxStates ?? 1_000_000;
  const maxOutcomes = options.maxOutcomes ?? 100_000_000;
  const target = options.target?.kind === 'outcome' && options.target.endTurn === undefined ? { ...options.target, endTurn: turns } : options.target;
  const stepper = new ExploreStepper(model, target, options.fullKey === true);
  const R = model.rungs.length;
  const scopes = model.theatres.length + 1;
  const rungFirst = new Int32Array(scopes * R);
  const rungByTurn: number[][] = Array.from({ length: scopes * R }, () => []);
  const actFirst = new Int32Array(model.events.length);
  const targetByTurn: number[] = [];
  let shortest: Hit | undefined;
  let likeliest: Hit | undefined;

  let layer = new Map<string, StateNode>();
  const start = stepper.initialKey();
  layer.set(start, { mass: 1, short: ROOT, likely: ROOT });
  if (stepper.codec.statusOf(start) === HIT) shortest = likeliest = { ...ROOT, hitIndex: -1 };
  let states = 1;
  let transitions = 0;
  const statesByTurn = [1];
  let exhausted: ExploreResult['exhausted'] = null;
  let exploredTurns = 0;
  const picks = new Int32Array(model.shocks.length + model.actors.length);
  const prefix = new Float64Array(picks.length + 1);
  const below = new Float64Array(picks.length + 1);
  const minMass = options.minMass ?? 0;
  const maxLayer = options.maxLayer ?? Number.POSITIVE_INFINITY;
  const maxPruned = options.maxPruned ?? 1;
  // Pruned mass, accounted with the peaks and target status of the state it was pruned from: peaks only
  // rise and a hit target stays hit, so that mass surely reached what its state had reached.
  const prunedSure = new Float64Array(scopes * R);
  let prunedHit = 0;
  let pruned = 0;
  const bounds: Array<Array<[number, number]>> = Array.from({ length: scopes * R }, () => []);
  const targetBounds: Array<[number, number]> = [];
  const prune = (key: string, mass: number) => {
    pruned += mass;
    const overall = stepper.codec.overallOf(key);
    for (let r = 0; r <= overall; r++) prunedSure[r] = (prunedSure[r] as number) + mass;
    for (let t = 0; t < scopes - 1; t++) {
      const peak = stepper.codec.theatrePeakOf(key, t);
      for (let r = 0; r <= peak; r++) prunedSure[(t + 1) * R + r] = (prunedSure[(t + 1) * R + r] as number) + mass;
    }
    if (stepper.codec.statusOf(key) === HIT) prunedHit += mass;
  };

  turnsLoop: for (let turn = 1; turn <= turns; turn++) {
    let planned = transitions;
    // A bounded exploration plays far fewer outcomes than a turn has: its budgets are the pruned mass and the layer size.
    const bounded = minMass > 0 || Number.isFinite(maxLayer);
    if (!bounded) for (const key of layer.keys()) planned += outcomeCount(stepper.prepare(stepper.decode(key), turn), turn);
    if (planned > maxOutcomes) {
      exhausted = { budget: 'outcomes', turn, outcomes: planned - transitions, from: layer.size };
      break;
    }
    const next = new Map<string, StateNode>();
    for (const [key, node] of layer) {
      options.onProgress?.(turn, states, transitions);
      yield;
      if (options.shouldStop?.() === true) {
        exhausted = { budget: 'stopped', turn };
        break turnsLoop;
      }
      const choosers = stepper.prepare(stepper.decode(key), turn);
      const count = outcomeCount(choosers, turn);
      picks.fill(0);
      prefix[0] = 1;
      for (let i = 0; i < choosers.length; i++) prefix[i + 1] = (prefix[i] as number) * width(choosers[i] as Chooser, 0);
      // below[i]: joint outcomes that share the first i picks (mixed radix, the last chooser fastest).
      below[choosers.length] = 1;
      for (let i = choosers.length - 1; i >= 0; i--) below[i] = (below[i + 1] as number) * (choosers[i] as Chooser).options.length;
      for (let outcome = 0; outcome < count; outcome++) {
        // A flagship state can have hundreds of thousands of joint outcomes (seconds): yield within it too.
        if ((outcome & 0x3fff) === 0x3fff) {
          yield;
          if (options.shouldStop?.() === true) {
            exhausted = { budget: 'stopped', turn };
            break turnsLoop;
          }
        }
        if (outcome > 0) advance(choosers, picks, prefix);
        if (minMass > 0) {
          // Skip the whole subtree of the first partial outcome that falls below minMass.
          let cut = -1;
          for (let i = 0; i < choosers.length; i++) {
            if (node.mass * (prefix[i + 1] as number) < minMass) {
              cut = i;
              break;
            }
          }
          if (cut >= 0) {
            prune(key, node.mass * (prefix[cut + 1] as number));
            for (let j = cut + 1; j < choosers.length; j++) picks[j] = (choosers[j] as Chooser).options.length - 1;
            outcome += (below[cut + 1] as number) - 1;
            continue;
          }
        }
        const joint = prefix[choosers.length] as number;
        // Each chance reaction met while playing branches (fires / does not): play every script of them.
        do {
          const acts = stepper.play(choosers, picks);
          const p = joint * stepper.chanceMass();
          const chance = stepper.chanceCount === 0 ? undefined : stepper.chanceScript.slice(0, stepper.chanceCount);
          const childKey = stepper.encode();
          transitions++;
          for (let k = 0; k < stepper.raiseCount; k++) {
            const r = stepper.raises[k] as { theatre: number; from: number; to: number };
            const base = (r.theatre + 1) * R;
            for (let x = r.from + 1; x <= r.to; x++) if (rungFirst[base + x] === 0) rungFirst[base + x] = turn;
          }
          for (let i = 0; i < acts.length; i++) {
            const type = (acts[i] as { type: number }).type;
            if (actFirst[type] === 0) actFirst[type] = turn;
          }
          const hitIndex = stepper.monitor?.hitIndex ?? -1;
          if (hitIndex >= 0) {
            const s = node.short;
            if (shortest === undefined || isShorter(turn, s.acts + hitIndex + 1, s.probability * p, shortest))
              shortest = { parent: s, outcome, turn, acts: s.acts + hitIndex + 1, probability: s.probability * p, hitIndex, ...(chance === undefined ? {} : { chance }) };
            const l = node.likely;
            if (likeliest === undefined || isLikelier(turn, l.acts + hitIndex + 1, l.probability * p, likeliest))
              likeliest = { parent: l, outcome, turn, acts: l.acts + hitIndex + 1, probability: l.probability * p, hitIndex, ...(chance === undefined ? {} : { chance }) };
          }
          const child = next.get(childKey);
          if (child === undefined) {
            if (states >= maxStates) {
              exhausted = { budget: 'states', turn, states: states + 1 };
              break turnsLoop;
            }
            states++;
            const short = extend(node.short, outcome, turn, acts.length, p, chance);
            next.set(childKey, { mass: node.mass * p, short, likely: node.likely === node.short ? short : extend(node.likely, outcome, turn, acts.length, p, chance) });
            continue;
          }
          child.mass += node.mass * p;
          const s = node.short;
          if (isShorter(turn, s.acts + acts.length, s.probability * p, child.short)) child.short = extend(s, outcome, turn, acts.length, p, chance);
          const l = node.likely;
          if (isLikelier(turn, l.acts + acts.length, l.probability * p, child.likely)) child.likely = extend(l, outcome, turn, acts.length, p, chance);
        } while (stepper.nextChance());
      }
    }
    if (next.size > maxLayer) {
      // Keep the heaviest states (ties by key, so the cut is deterministic); account the others as pruned.
      const order = [...next.entries()].sort(([ka, a], [kb, b]) => (b.mass !== a.mass ? b.mass - a.mass : ka < kb ? -1 : ka > kb ? 1 : 0));
      for (const [k, n] of order.slice(maxLayer)) {
        prune(k, n.mass);
        next.delete(k);
      }
    }
    layer = next;
    exploredTurns = turn;
    statesByTurn.push(layer.size);
    accumulate(stepper, layer, R, rungByTurn, targetByTurn);
    rungByTurn.forEach((list, i) => {
      const lo = (list[list.length - 1] as number) + (prunedSure[i] as number);
      (bounds[i] as Array<[number, number]>).push([Math.min(1, lo), Math.min(1, lo + pruned - (prunedSure[i] as number))]);
    });
    if (stepper.monitor !== undefined) {
      const lo = (targetByTurn[targetByTurn.length - 1] as number) + prunedHit;
      targetBounds.push([Math.min(1, lo), Math.min(1, lo + pruned - prunedHit)]);
    }
    options.onTurn?.(turn, states, transitions);
    if (pruned > maxPruned) {
      exhausted = { budget: 'pruned', turn, pruned };
      break;
    }
  }

  const complete = exhausted === null;
  let total = 0;
  if (complete) for (const node of layer.values()) total += node.mass;
  const rungs: RungReach[] = [];
  for (let scope = 0; scope < scopes; scope++) {
    for (let r = 0; r < R; r++) {
      const rung = model.rungs[r] as { id: string; name: string };
      const first = rungFirst[scope * R + r] as number;
      const byTurn = rungByTurn[scope * R + r] as number[];
      rungs.push({
        scope: scope === 0 ? 'overall' : (model.theatres[scope - 1] as { id: string }).id,
        rung: rung.id,
        name: rung.name,
        firstTurn: first === 0 ? null : first,
        probability: complete && pruned === 0 ? (byTurn[turns - 1] as number) : null,
        byTurn,
        bounds: bounds[scope * R + r] as Array<[number, number]>,
      });
    }
  }
  const acts: ActReach[] = model.events.map((e, i) => ({
    event: e.id,
    rung: (model.rungs[e.rung] as { id: string }).id,
    firstTurn: actFirst[i] === 0 ? null : (actFirst[i] as number),
  }));
  return {
    turns,
    exploredTurns,
    complete,
    maxStates,
    maxOutcomes,
    exhausted,
    states,
    statesByTurn,
    transitions,
    keyBytes: stepper.codec.length,
    lostProbability: complete ? 1 - total - pruned : 0,
    pruned,
    rungs,
    acts,
    target:
      target === undefined
        ? null
        : {
            kind: target.kind,
            id: targetId(model, target),
            theatre: target.kind === 'rung' && target.theatre >= 0 ? (model.theatres[target.theatre] as { id: string }).id : null,
            text: describeTarget(model, target),
            firstTurn: shortest === undefined ? null : shortest.turn,
            probability: complete && pruned === 0 ? (targetByTurn[turns - 1] as number) : null,
            byTurn: targetByTurn,
            bounds: targetBounds,
            shortest: shortest === undefined ? null : derivePathway(model, new ExploreStepper(model, target, options.fullKey === true), shortest, shortest.hitIndex),
            likeliest: likeliest === undefined ? null : derivePathway(model, new ExploreStepper(model, target, options.fullKey === true), likeliest, likeliest.hitIndex),
          },
  };
}

/** A pathway one turn longer: `acts` more acts, an outcome of probability `p` (with its chance reactions' script). */
function extend(path: PathNode, outcome: number, turn: number, acts: number, p: number, chance: readonly number[] | undefined): PathNode {
  return { parent: path, outcome, turn, acts: path.acts + acts, probability: path.probability * p, ...(chance === undefined ? {} : { chance }) };
}

/** Fewer turns, then fewer acts, then the more probable; a tie keeps what was found first. */
function isShorter(turn: number, acts: number, probability: number, than: PathNode): boolean {
  if (turn !== than.turn) return turn < than.turn;
  if (acts !== than.acts) return acts < than.acts;
  return probability > than.probability;
}

/** More probable, then fewer turns, then fewer acts; a tie keeps what was found first. */
function isLikelier(turn: number, acts: number, probability: number, than: PathNode): boolean {
  if (probability !== than.probability) return probability > than.probability;
  if (turn !== than.turn) return turn < than.turn;
  return acts < than.acts;
}

function targetId(model: Model, t: ExploreTarget): string {
  switch (t.kind) {
    case 'rung':
      return (model.rungs[t.rung] as { id: string }).id;
    case 'act':
      return (model.events[t.event] as { id: string }).id;
    case 'invariant':
      return t.invariant.id;
    case 'outcome':
      return t.outcome.id;
  }
}

/** Adds the turn's probabilities of peak ≥ rung (per scope) and of the target having been hit. */
function accumulate(stepper: ExploreStepper, layer: Map<string, StateNode>, R: number, rungByTurn: number[][], targetByTurn: number[]): void {
  const theatres = (rungByTurn.length / R) - 1;
  const mass = new Float64Array(rungByTurn.length);
  let hit = 0;
  for (const [key, node] of layer) {
    const overall = stepper.codec.overallOf(key);
    for (let r = 0; r <= overall; r++) mass[r] = (mass[r] as number) + node.mass;
    for (let t = 0; t < theatres; t++) {
      const peak = stepper.codec.theatrePeakOf(key, t);
      for (let r = 0; r <= peak; r++) mass[(t + 1) * R + r] = (mass[(t + 1) * R + r] as number) + node.mass;
    }
    if (stepper.codec.statusOf(key) === HIT) hit += node.mass;
  }
  rungByTurn.forEach((list, i) => list.push(mass[i] as number));
  if (stepper.monitor !== undefined) targetByTurn.push(hit);
}

function width(c: Chooser, k: number): number {
  const o = c.options[k] as { lo: number; hi: number };
  return o.hi - o.lo;
}

/** The number of joint outcomes of a turn; they are numbered in mixed radix, the first chooser most significant. */
function outcomeCount(choosers: readonly Chooser[], turn: number): number {
  let n = 1;
  for (const c of choosers) n *= c.options.length;
  if (n > Number.MAX_SAFE_INTEGER)
    throw new ExploreError('explore/too_many_outcomes', `turn ${turn} has more than 2^53 combinations of chance outcomes from one state`, turn);
  return n;
}

/** Moves `picks` to the next joint outcome (last chooser fastest) and updates the prefix products. */
function advance(choosers: readonly Chooser[], picks: Int32Array, prefix: Float64Array): void {
  let i = choosers.length - 1;
  while (i >= 0 && (picks[i] as number) + 1 >= (choosers[i] as Chooser).options.length) {
    picks[i] = 0;
    i--;
  }
  if (i < 0) return;
  picks[i] = (picks[i] as number) + 1;
  for (let j = i; j < choosers.length; j++) prefix[j + 1] = (prefix[j] as number) * width(choosers[j] as Chooser, picks[j] as number);
}
