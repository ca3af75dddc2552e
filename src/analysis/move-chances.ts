import type { Kernel } from '../engine/kernel.ts';
import { type RunRecord, Runner } from '../engine/run.ts';
import type { Model } from '../model/types.ts';

/**
 * How likely a chosen move was: the policy's chance of picking it that turn, and what the scenario
 * declares. For a reaction emitted by a chance reaction (a transition with `probability:`), the chance
 * that transition fired on the act it handled.
 */
export interface MoveChanceNote {
  /** The chance the actor's draw picked this move, on the world at the start of its turn (0–1, after modifiers); for a reaction, its chance of firing then. */
  readonly probability: number;
  /** The move's (or chance reaction's) declared base probability. */
  readonly base: number;
  /** How many modifiers the move declares. */
  readonly modifiers: number;
}

/**
 * Replays a seed with a trace, turn by turn, asking before each turn how likely each actor's possible
 * moves are (`Runner.movesNow`), and returns the run's record with the chance of every move it made,
 * and of every chance reaction that emitted an act, by act id. The record is the one `runOnce(model, kernel, seed, { trace: true })` gives. Deterministic.
 */
export function replayWithMoveChances(model: Model, kernel: Kernel, seed: string): { record: RunRecord; chances: Map<number, MoveChanceNote> } {
  const runner = new Runner(model, kernel);
  // Chance reactions that fired: `rule:act id` → the probability they had.
  const fired = new Map<string, number>();
  const state = runner.begin(seed, { trace: true, onChance: (rule, act, p, yes) => yes && fired.set(`${rule}:${act.id}`, p) });
  const chances = new Map<number, MoveChanceNote>();
  const transitions = new Map(model.actors.flatMap((a) => a.transitions.map((t) => [t.rule, t] as const)));
  let seen = 0;
  for (let turn = 1; turn <= model.turns; turn++) {
    const options = model.actors.map((_, a) => runner.movesNow(a));
    runner.step();
    for (; seen < state.events.length; seen++) {
      const e = state.events[seen];
      if (e !== undefined && e.origin === 'reaction') {
        const chance = transitions.get(e.rule)?.chance;
        const p = fired.get(`${e.rule}:${e.cause}`);
        if (chance !== undefined && p !== undefined) chances.set(e.id, { probability: p, base: chance.probability, modifiers: chance.modifiers.length });
        continue;
      }
      if (e === undefined || e.origin !== 'move' || e.from < 0) continue;
      const actor = model.actors[e.from];
      const k = actor?.moves.findIndex((m) => m.rule === e.rule) ?? -1;
      const move = actor?.moves[k];
      const chance = options[e.from]?.find((o) => o.move === k);
      if (move !== undefined && chance !== undefined) chances.set(e.id, { probability: chance.probability, base: move.probability, modifiers: move.modifiers.length });
    }
  }
  return { record: runner.result(), chances };
}
