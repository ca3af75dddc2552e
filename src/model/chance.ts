import { evaluate } from './evaluate.ts';
import { evalExpr } from './expression.ts';
import type { ChanceModel, EventInstance, WorldView } from './types.ts';

/**
 * A chance reaction's probability for the act being handled: the base adjusted by the modifiers whose
 * conditions hold (they may read the act), in order, clamped to [0, 1]. The reference meaning; the
 * compiled kernel and the generated code do the same arithmetic in the same order.
 */
export function chanceProbability(c: ChanceModel, world: WorldView, event: EventInstance | undefined): number {
  let p = c.probability;
  for (const m of c.modifiers) {
    if (!evaluate(m.when, world, event)) continue;
    const v = typeof m.value === 'number' ? m.value : evalExpr(m.value, world);
    if (m.kind === 'add') p += v;
    else if (m.kind === 'multiply') p *= v;
    else p = v;
  }
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

/** Whether chance reaction `rule` fires on the act: its draw (`WorldView.chance`) against its probability. Pure. */
export function chanceFires(rule: number, c: ChanceModel, world: WorldView, event: EventInstance): boolean {
  if (world.chance === undefined) throw new Error('chanceFires: this world view has no draws (a transition guard evaluated outside a run)');
  return world.chance(rule, event, chanceProbability(c, world, event));
}
