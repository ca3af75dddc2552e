import type { Kernel } from '../engine/kernel.ts';
import { type MoveChance, type RunRecord, Runner } from '../engine/run.ts';
import { evalExpr } from '../model/expression.ts';
import { describeCondition } from '../model/invariants.ts';
import type { Model, Modifier } from '../model/types.ts';
import type { ModifierDef, StateNodeDef } from '../scenario/schema.ts';

/** A modifier that applied to a chosen move that turn: its effect and why, in words. */
export interface AppliedModifier {
  readonly kind: Modifier['kind'];
  /** The amount added, the factor, or the probability set. */
  readonly value: number;
  /** The modifier's `reason`, or a short form of its condition (`when DPRK in conflict.war`). */
  readonly reason: string;
}

/**
 * How likely a chosen move was: the policy's chance of picking it that turn, and what the scenario
 * declares. For a reaction emitted by a chance reaction (a transition with `probability:`), the chance
 * that transition fired on the act it handled.
 */
export interface MoveChanceNote {
  /** The chance the actor's draw picked this move, on the world at the start of its turn (0–1, after modifiers); for a reaction, its chance of firing then. */
  readonly probability: number;
  /** The move's (or chance reaction's) declared base probability (for a base given as an expression: its value that turn). */
  readonly base: number;
  /** How many modifiers the move declares. */
  readonly modifiers: number;
  /** The modifiers whose conditions held that turn, in declaration order (absent in notes made before they were recorded). */
  readonly applied?: readonly AppliedModifier[];
  /** Present when the probability came out past 1 (base and modifiers) and was clamped: the value before the clamp. */
  readonly unclamped?: number;
}

const REASON_CHARS = 80;

/** The declared modifiers of an actor's move, found by its state path and id in the scenario. */
function declaredModifiers(model: Model, actor: number, move: number): readonly ModifierDef[] {
  const a = model.actors[actor];
  const m = a?.moves[move];
  if (a === undefined || m === undefined) return [];
  let node: StateNodeDef | undefined = model.scenario.actors[a.id]?.statechart;
  const path = a.states[m.state]?.path ?? '';
  for (const seg of path === '' ? [] : path.split('.')) node = node?.states?.[seg];
  return node?.moves?.[m.id]?.modifiers ?? [];
}

function reasonOf(def: ModifierDef | undefined, actorId: string): string {
  if (def === undefined) return '';
  if (def.reason !== undefined) return def.reason;
  const text = `when ${describeCondition(def.when).replaceAll('$self', actorId)}`;
  return text.length > REASON_CHARS ? `${text.slice(0, REASON_CHARS - 1)}…` : text;
}

/**
 * Replays a seed with a trace, turn by turn, asking before each turn how likely each actor's possible
 * moves are (`Runner.movesNow`) and, for each move made, which of its modifiers applied
 * (`Runner.modifiersNow`), and returns the run's record with the chance of every move it made, and of
 * every chance reaction that emitted an act, by act id. The record is the one
 * `runOnce(model, kernel, seed, { trace: true })` gives. Deterministic.
 */
export function replayWithMoveChances(model: Model, kernel: Kernel, seed: string): { record: RunRecord; chances: Map<number, MoveChanceNote> } {
  const runner = new Runner(model, kernel);
  // Chance reactions that fired: `rule:act id` → the probability they had.
  const fired = new Map<string, number>();
  const state = runner.begin(seed, { trace: true, onChance: (rule, act, p, yes) => yes && fired.set(`${rule}:${act.id}`, p) });
  const chances = new Map<number, MoveChanceNote>();
  const transitions = new Map(model.actors.flatMap((a) => a.transitions.map((t) => [t.rule, t] as const)));
  let seen = 0;
  // The options of every turn so far: a delayed move was chosen in the turn it was sent.
  const byTurn: MoveChance[][][] = [];
  const heldByTurn: Array<Array<Map<number, readonly number[]>>> = [];
  const viewByTurn: Array<{ vars: Float64Array; turn: number }> = [];
  for (let turn = 1; turn <= model.turns; turn++) {
    const options = model.actors.map((_, a) => runner.movesNow(a));
    byTurn[turn] = options;
    // Which modifiers hold, for every possible move, on the start-of-turn world (read before the turn changes it).
    heldByTurn[turn] = options.map((list, a) => new Map(list.map((o) => [o.move, runner.modifiersNow(a, o.move)])));
    // Expressions (a base, a modifier's amount) are read on the world at the start of the turn, as the draw reads them.
    const view = runner.view;
    viewByTurn[turn] = { vars: Float64Array.from(view.vars), turn: view.turn + 1 };
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
      const chance = byTurn[e.sent]?.[e.from]?.find((o) => o.move === k);
      const at = viewByTurn[e.sent];
      if (actor === undefined || move === undefined || chance === undefined || at === undefined) continue;
      const value = (x: number | Parameters<typeof evalExpr>[0]) => (typeof x === 'number' ? x : evalExpr(x, at));
      const defs = declaredModifiers(model, e.from, k);
      const applied = (heldByTurn[e.sent]?.[e.from]?.get(k) ?? []).map((i): AppliedModifier => {
        const m = move.modifiers[i] as Modifier;
        return { kind: m.kind, value: value(m.value), reason: reasonOf(defs[i], actor.id) };
      });
      chances.set(e.id, {
        probability: chance.probability,
        base: value(move.probability),
        modifiers: move.modifiers.length,
        applied,
        ...(chance.unclamped !== undefined ? { unclamped: chance.unclamped } : {}),
      });
    }
  }
  return { record: runner.result(), chances };
}
