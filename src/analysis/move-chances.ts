import type { Kernel } from '../engine/kernel.ts';
import { type RunRecord, Runner } from '../engine/run.ts';
import { evalExpr } from '../model/expression.ts';
import type { Model } from '../model/types.ts';

/** How likely a chosen move was: the policy's chance of picking it that turn, and what the scenario declares. */
export interface MoveChanceNote {
  /** The chance the actor's draw picked this move, on the world at the start of its turn (0–1, after modifiers). */
  readonly probability: number;
  /** The move's declared base probability (for a base given as an expression: its value that turn). */
  readonly base: number;
  /** How many modifiers the move declares. */
  readonly modifiers: number;
  /** Present when the probability came out past 1 (base and modifiers) and was clamped: the value before the clamp. */
  readonly unclamped?: number;
}

/**
 * Replays a seed with a trace, turn by turn, asking before each turn how likely each actor's possible
 * moves are (`Runner.movesNow`), and returns the run's record with the chance of every move it made,
 * by act id. The record is the one `runOnce(model, kernel, seed, { trace: true })` gives. Deterministic.
 */
export function replayWithMoveChances(model: Model, kernel: Kernel, seed: string): { record: RunRecord; chances: Map<number, MoveChanceNote> } {
  const runner = new Runner(model, kernel);
  const state = runner.begin(seed, { trace: true });
  const chances = new Map<number, MoveChanceNote>();
  let seen = 0;
  for (let turn = 1; turn <= model.turns; turn++) {
    const options = model.actors.map((_, a) => runner.movesNow(a));
    // A base given as an expression is read on the world at the start of the turn, as the draw reads it.
    const view = runner.view;
    const startTurn = view.turn + 1;
    const bases = model.actors.map((a) => a.moves.map((m) => (typeof m.probability === 'number' ? m.probability : evalExpr(m.probability, { vars: view.vars, turn: startTurn }))));
    runner.step();
    for (; seen < state.events.length; seen++) {
      const e = state.events[seen];
      if (e === undefined || e.origin !== 'move' || e.from < 0) continue;
      const actor = model.actors[e.from];
      const k = actor?.moves.findIndex((m) => m.rule === e.rule) ?? -1;
      const move = actor?.moves[k];
      const chance = options[e.from]?.find((o) => o.move === k);
      if (move !== undefined && chance !== undefined)
        chances.set(e.id, {
          probability: chance.probability,
          base: bases[e.from]?.[k] as number,
          modifiers: move.modifiers.length,
          ...(chance.unclamped !== undefined ? { unclamped: chance.unclamped } : {}),
        });
    }
  }
  return { record: runner.result(), chances };
}
