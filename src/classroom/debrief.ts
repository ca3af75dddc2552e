/**
 * The debrief of a classroom game: where its outcome sits among policy runs from the same start, and
 * for each human decision its counterfactual — the rest of the game replayed N times from that turn
 * with the policy choosing instead, and with each alternative move, on common random numbers. After
 * the decision every actor plays by the policy in every arm, so a difference between arms is that
 * decision's alone. `planDebrief` and `readDebrief` are pure; `debriefGame` plays the plan (on the
 * batch's worker threads).
 */
import { type Difference, pairedDifference } from '../analysis/paired-difference.ts';
import { type Proportion, wilson } from '../analysis/stats.ts';
import type { ArmTally, BranchJob, BranchPlan, BranchTally } from '../batch/branch.ts';
import { playBranches } from '../batch/play-branches.ts';
import { CompiledKernel } from '../engine/compiled-kernel.ts';
import { Runner, type TurnOverride } from '../engine/run.ts';
import { turnDate } from '../model/calendar.ts';
import { type ObjectiveStatus } from './objectives.ts';
import { moveKey, type Session, toOverride } from './session.ts';
import { deriveGameStory, type GameStory } from './story.ts';

/** A human decision and the arms that stand for its alternatives. */
export interface DecisionArms {
  readonly turn: number;
  readonly date: string;
  readonly actor: string;
  /** The move made (its key), or null for no move. */
  readonly chosen: string | null;
  /** The job (index into the plan's jobs) and its arms: the policy instead, and each other choice. */
  readonly job: number;
  readonly policyArm: number;
  readonly alternatives: ReadonlyArray<{ readonly move: string | null; readonly name: string; readonly event: string | null; readonly arm: number }>;
}

/** What to play for a debrief, and which decision each arm stands for. */
export interface DebriefPlan {
  readonly plan: BranchPlan;
  readonly decisions: readonly DecisionArms[];
}

/**
 * Plans a game's debrief with `runs` replications per arm. Job 0 is the policy's runs from the start
 * (an ordinary batch with the game's seed as its base seed: `brink run <scenario> --runs N --seed S`);
 * then one job per turn with a human decision: arm 0 is the turn as played, then for each decision
 * the policy instead and each other choice the team had. A decision is counted when the team chose
 * (not `policy`) and had at least one move. Pure.
 */
export function planDebrief(s: Session, runs: number): DebriefPlan {
  const m = s.model;
  const prefix: Array<TurnOverride | null> = [null];
  const jobs: BranchJob[] = [{ turn: 1, prefix: [], arms: [null] }];
  const decisions: DecisionArms[] = [];
  const runner = new Runner(m, new CompiledKernel(m), { specialise: false });
  runner.begin(s.start.seed);
  for (const played of s.turns) {
    const turn = played.plan.turn;
    const asPlayed = toOverride(s, played.plan);
    const arms: Array<TurnOverride | null> = [asPlayed];
    const found: DecisionArms[] = [];
    for (const d of played.plan.decisions) {
      if (d.moves === 'policy') continue;
      const a = m.actors.findIndex((x) => x.id === d.actor);
      const actor = m.actors[a];
      if (actor === undefined) continue;
      const options = runner.movesNow(a);
      if (options.length === 0) continue;
      const chosen = d.moves[0] ?? null;
      const without = (asPlayed.moves ?? []).filter(([x]) => x !== a);
      const policyArm = arms.push({ ...asPlayed, moves: without }) - 1;
      const alternatives: Array<{ move: string | null; name: string; event: string | null; arm: number }> = [];
      const choices: Array<number> = [-1, ...options.map((o) => o.move)];
      for (const k of choices) {
        const key = k < 0 ? null : moveKey(m, a, (actor.moves[k] as { rule: number }).rule);
        if (key === chosen) continue;
        const arm = arms.push({ ...asPlayed, moves: [...without, [a, k]] }) - 1;
        const mv = k < 0 ? undefined : actor.moves[k];
        alternatives.push({ move: key, name: mv?.id ?? 'no move', event: mv === undefined ? null : (m.events[mv.event] as { id: string }).id, arm });
      }
      found.push({ turn, date: turnDate(m.scenario.time, turn), actor: d.actor, chosen, job: jobs.length, policyArm, alternatives });
    }
    if (found.length > 0) {
      jobs.push({ turn, prefix: [...prefix], arms });
      decisions.push(...found);
    }
    runner.step(asPlayed);
    prefix.push(asPlayed);
  }
  return { plan: { gameSeed: s.start.seed, runSeed: s.start.seed, runs, objectiveActors: s.teamActors, jobs }, decisions };
}

/** A proportion of an arm, and its paired difference from the turn as played. */
export interface ArmEffect {
  readonly p: Proportion;
  /** This arm minus the game as played, paired on the same replications; b + c discordant pairs. */
  readonly difference: Difference;
  readonly discordant: number;
}

/** One decision's counterfactuals on the headline measure and on the team's objectives. */
export interface DecisionEffect {
  readonly turn: number;
  readonly date: string;
  readonly actor: string;
  readonly chosen: string | null;
  /** The headline measure after the decision as played (the rest by the policy). */
  readonly asPlayed: Proportion;
  readonly policy: ArmEffect;
  readonly alternatives: ReadonlyArray<{ readonly move: string | null; readonly name: string } & ArmEffect>;
  /** The largest |difference| from the game as played over the policy and the alternatives: how much the decision mattered. */
  readonly weight: number;
  /** The team's objectives: rate as played, with the policy instead, and with each alternative (same order). */
  readonly objectives: ReadonlyArray<{ readonly id: string; readonly description: string; readonly asPlayed: Proportion; readonly policy: ArmEffect; readonly alternatives: readonly ArmEffect[] }>;
  /** "had ROK shelved … in Nov 2024, P(NEA ≥ L7 by May 2026) would have been 9% [8–10] instead of 31% [29–33]". */
  readonly sentence: string;
}

/** Where the game's outcome sits among the policy's runs. */
export interface DebriefPosition {
  readonly scope: string;
  readonly name: string;
  /** The game's peak there (rung id; null: nothing escalated). */
  readonly peak: string | null;
  /** Share of policy runs that peaked lower, and lower or equal (the game's percentile lies between). */
  readonly below: number;
  readonly atOrBelow: number;
  /** P(peak ≥ the game's peak) among the policy runs. */
  readonly atLeast: Proportion | null;
}

export interface Debrief {
  readonly story: GameStory;
  readonly runs: number;
  /** `brink run <scenario> --runs N --seed <runSeed>` is the policy's batch from the start. */
  readonly runSeed: string;
  readonly positions: readonly DebriefPosition[];
  /** Every team's objectives: met in the game, and the policy runs' rate. */
  readonly objectives: ReadonlyArray<ObjectiveStatus & { readonly rate: Proportion }>;
  /** The measure decisions are told and ranked by: P(scope ≥ rung by the last date). */
  readonly headline: { readonly scope: string; readonly rung: string; readonly label: string; readonly policyRate: Proportion };
  /** Every counted decision, in game order. */
  readonly decisions: readonly DecisionEffect[];
  /** The decisions that mattered most, largest effect first (at most 5, with a nonzero effect). */
  readonly ranked: readonly DecisionEffect[];
}

/**
 * Reads the plan's tallies into the debrief. Pure. The headline measure is the (scope, rung) whose
 * policy rate is closest to one half among the ladder's thresholds — where decisions can matter most.
 */
export function readDebrief(s: Session, dp: DebriefPlan, tallies: readonly BranchTally[]): Debrief {
  const m = s.model;
  const story = deriveGameStory(s.log);
  if (!story.ok) throw new Error(`readDebrief: the session's own log does not replay: ${story.problem.message}`);
  const runs = dp.plan.runs;
  const rungs = m.rungs.length;
  const scopes = [{ id: 'overall', name: 'Overall' }, ...m.theatres.map((t) => ({ id: t.id, name: t.name }))];
  const base = (tallies[0] as BranchTally).arms[0] as ArmTally;
  const atLeast = (arm: ArmTally, scope: number, rung: number) => {
    let n = 0;
    for (let r = rung; r < rungs; r++) n += arm.peaks[scope * (rungs + 1) + r + 1] as number;
    return n;
  };
  const rungIndex = (id: string | null) => (id === null ? -1 : m.rungs.findIndex((r) => r.id === id));
  const gamePeaks = [story.value.peaks.overall, ...story.value.peaks.theatres.map((t) => t.peak)];
  const positions: DebriefPosition[] = scopes.map((sc, k) => {
    const peak = rungIndex(gamePeaks[k] ?? null);
    let below = 0;
    for (let r = -1; r < peak; r++) below += base.peaks[k * (rungs + 1) + r + 1] as number;
    const at = base.peaks[k * (rungs + 1) + peak + 1] as number;
    return { scope: sc.id, name: sc.name, peak: gamePeaks[k] ?? null, below: below / runs, atOrBelow: (below + at) / runs, atLeast: peak < 0 ? null : wilson(atLeast(base, k, peak), runs) };
  });
  const objectives = story.value.objectives.map((o, i) => ({ ...o, rate: wilson(base.objectives[i] as number, runs) }));

  // The headline: a threshold rung in some scope, policy rate closest to 1/2.
  const candidates = (m.thresholds.length > 0 ? m.thresholds.map((t) => t.rung) : m.rungs.map((r) => r.index)).filter((r) => r > 0);
  let best = { scope: 0, rung: candidates[0] ?? 0, score: Infinity };
  scopes.forEach((_, k) => {
    for (const r of candidates) {
      const score = Math.abs(atLeast(base, k, r) / runs - 0.5);
      if (score < best.score) best = { scope: k, rung: r, score };
    }
  });
  const scopeName = (scopes[best.scope] as { id: string }).id;
  const rungId = (m.rungs[best.rung] as { id: string }).id;
  const lastDate = turnDate(m.scenario.time, m.turns);
  const label = `P(${scopeName === 'overall' ? 'peak' : scopeName} ≥ ${rungId} by ${lastDate})`;
  const measure = best.scope * rungs + best.rung;
  const objectiveBase = scopes.length * rungs;

  const effect = (arms: readonly ArmTally[], k: number, value: (arm: ArmTally) => number, mIndex: number): ArmEffect => {
    const arm = arms[k] as ArmTally;
    const yes = value(arm);
    const b = arm.b[mIndex] as number;
    const c = arm.c[mIndex] as number;
    const both = yes - b;
    const difference = pairedDifference({ both, variantOnly: b, baseOnly: c, neither: runs - both - b - c });
    return { p: wilson(yes, runs), difference, discordant: b + c };
  };

  const teamObjectiveOffset = (actor: string): number => {
    let off = 0;
    for (const a of dp.plan.objectiveActors) {
      const am = m.actors[a] as { id: string; objectives: readonly unknown[] };
      if (am.id === actor) return off;
      off += am.objectives.length;
    }
    return off;
  };

  const decisions: DecisionEffect[] = dp.decisions.map((d) => {
    const arms = (tallies[d.job] as BranchTally).arms;
    const headline = (arm: ArmTally) => atLeast(arm, best.scope, best.rung);
    const asPlayed = wilson(headline(arms[0] as ArmTally), runs);
    const policy = effect(arms, d.policyArm, headline, measure);
    const alternatives = d.alternatives.map((alt) => ({ move: alt.move, name: alt.name, ...effect(arms, alt.arm, headline, measure) }));
    const weight = Math.max(Math.abs(policy.difference.estimate), ...alternatives.map((a) => Math.abs(a.difference.estimate)));
    const actor = m.actors.find((a) => a.id === d.actor);
    const offset = teamObjectiveOffset(d.actor);
    const objs = (actor?.objectives ?? []).map((o, i) => {
      const oi = offset + i;
      const value = (arm: ArmTally) => arm.objectives[oi] as number;
      return {
        id: o.id,
        description: o.description,
        asPlayed: wilson(value(arms[0] as ArmTally), runs),
        policy: effect(arms, d.policyArm, value, objectiveBase + oi),
        alternatives: d.alternatives.map((alt) => effect(arms, alt.arm, value, objectiveBase + oi)),
      };
    });
    const strongest = [{ name: null as string | null, move: null as string | null, ...policy }, ...alternatives].reduce((a, b) => (Math.abs(b.difference.estimate) > Math.abs(a.difference.estimate) ? b : a));
    const what =
      strongest.name === null ? `let the policy choose for ${d.actor}` : strongest.move === null ? `${d.actor} made no move` : `${d.actor} chosen ${strongest.name}`;
    const sentence = `had ${what} in ${d.date}, ${label} would have been ${pctInterval(strongest.p)} instead of ${pctInterval(asPlayed)}`;
    return { turn: d.turn, date: d.date, actor: d.actor, chosen: d.chosen, asPlayed, policy, alternatives, weight, objectives: objs, sentence };
  });
  const ranked = [...decisions].filter((d) => d.weight > 0).sort((a, b) => b.weight - a.weight || a.turn - b.turn).slice(0, 5);
  return {
    story: story.value,
    runs,
    runSeed: dp.plan.runSeed,
    positions,
    objectives,
    headline: { scope: scopeName, rung: rungId, label, policyRate: wilson(atLeast(base, best.scope, best.rung), runs) },
    decisions,
    ranked,
  };
}

/** `31% [29–33]`. */
export function pctInterval(p: Proportion): string {
  const f = (x: number) => {
    const v = x * 100;
    return v >= 10 || v === 0 || v === 100 ? v.toFixed(0) : v.toFixed(1);
  };
  return `${f(p.p)}% [${f(p.low)}–${f(p.high)}]`;
}

/** Options of `debriefGame`. */
export interface DebriefOptions {
  /** Replications per arm (and policy runs from the start). Default 1,000. */
  readonly runs?: number;
  /** Worker threads (default: one per core from 20,000 replications). */
  readonly workers?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Plans, plays and reads a game's debrief. Deterministic: the same log and runs give the same debrief, whatever the workers. */
export async function debriefGame(s: Session, options: DebriefOptions = {}): Promise<Debrief> {
  const dp = planDebrief(s, options.runs ?? 1000);
  const tallies = await playBranches(s.model, dp.plan, { workers: options.workers, onProgress: options.onProgress });
  return readDebrief(s, dp, tallies);
}

