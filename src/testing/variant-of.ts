import * as fc from 'fast-check';
import type { Scenario, StateNodeDef } from '../scenario/schema.ts';
import { flattenStates } from '../scenario/state-tree.ts';
import { type EditKind, type ScenarioEdit, editKey } from './edits.ts';
import { type InjectOptions, freshInjectIds, injectArb } from './inject-script.ts';
import { type Variant, createVariant } from './variant.ts';

export interface VariantOptions {
  /** Kinds of edit to make. Default: every kind. */
  readonly kinds?: readonly EditKind[];
  /** Most edits besides added injects. Default 3. */
  readonly maxEdits?: number;
  /** Largest change of a move's or a shock's probability, either way; results stay in [0, 1], in steps of 0.01. Default 0.2. */
  readonly maxProbabilityChange?: number;
  /**
   * Leave moves and shocks declared with probability 0 at 0. Such a move is usually gated: its
   * modifiers `set` its odds where the model allows it, so any other value changes the model's logic,
   * not its odds. Default false: they are perturbed like the others.
   */
  readonly keepZeroProbabilities?: boolean;
  /** Largest change of a variable's initial value, either way, in whole steps, within its min and max. Default 2. */
  readonly maxVariableChange?: number;
  /** Most injects added. Default 2. */
  readonly maxAddedInjects?: number;
  /** Actors whose moves and initial states may change. Default: every actor. */
  readonly actors?: readonly string[];
  /** What added injects may be (event types, senders, turns). */
  readonly injects?: InjectOptions;
}

interface MoveSite {
  readonly actor: string;
  readonly state: string;
  readonly move: string;
  readonly probability: number;
}

interface CompoundSite {
  readonly actor: string;
  readonly parent: string;
  readonly initial: string;
  readonly others: readonly string[];
}

const ALL_KINDS: readonly EditKind[] = ['setProbability', 'disableMove', 'setShockProbability', 'setInitialState', 'setVariable', 'addInject', 'removeInject'];

/** `old + steps/100`, clamped to [0, 1]; `old` itself for no steps. */
function nudge(old: number, steps: number): number {
  if (steps === 0) return old;
  return Math.min(100, Math.max(0, Math.round(old * 100) + steps)) / 100;
}

/**
 * Valid variants of a scenario: move and shock probabilities perturbed within bounds, other initial
 * states for compound states, variables' initial values changed, moves removed, injects added or
 * removed. Every variant passes `crossCheck` (unreachable states aside, which are warnings). A variant
 * is a list of edits, so fast-check shrinks a failure toward fewer edits and smaller changes, and
 * prints it as the edits in words.
 */
export function variantOf(scenario: Scenario, options: VariantOptions = {}): fc.Arbitrary<Variant> {
  const kinds = new Set(options.kinds ?? ALL_KINDS);
  const actors = options.actors ?? Object.keys(scenario.actors);
  const moves: MoveSite[] = [];
  const compounds: CompoundSite[] = [];
  for (const actor of actors) {
    const chart = scenario.actors[actor]?.statechart;
    if (chart === undefined) throw new Error(`variantOf: unknown actor "${actor}"`);
    for (const st of flattenStates(chart as StateNodeDef)) {
      // A probability given as an expression is not nudged (it is not one number).
      for (const [move, m] of Object.entries(st.def.moves ?? {})) if (typeof m.probability === 'number') moves.push({ actor, state: st.path, move, probability: m.probability });
      const initial = st.def.initial;
      const children = Object.keys(st.def.states ?? {});
      if (st.kind === 'compound' && initial !== undefined && children.length > 1)
        compounds.push({ actor, parent: st.path, initial, others: children.filter((c) => c !== initial) });
    }
  }
  const shocks: Array<[string, { probability: number }]> = Object.entries(scenario.shocks ?? {}).flatMap(([id, sh]): Array<[string, { probability: number }]> => (typeof sh.probability === 'number' ? [[id, { probability: sh.probability }]] : []));
  const perturbable = <T extends { probability: number }>(p: T) => options.keepZeroProbabilities !== true || p.probability > 0;
  const movesToPerturb = moves.filter(perturbable);
  const shocksToPerturb = shocks.filter(([, sh]) => perturbable(sh));
  const variables = Object.entries(scenario.variables ?? {});
  const injects = Object.keys(scenario.script ?? {});
  const pSteps = Math.round((options.maxProbabilityChange ?? 0.2) * 100);
  const vSteps = options.maxVariableChange ?? 2;
  const pick = (n: number) => fc.nat({ max: n - 1 });

  const arbs: Array<fc.Arbitrary<ScenarioEdit>> = [];
  if (kinds.has('setProbability') && movesToPerturb.length > 0 && pSteps > 0)
    arbs.push(
      fc.tuple(pick(movesToPerturb.length), fc.integer({ min: -pSteps, max: pSteps })).map(([i, d]): ScenarioEdit => {
        const m = movesToPerturb[i] as MoveSite;
        return { kind: 'setProbability', actor: m.actor, state: m.state, move: m.move, value: nudge(m.probability, d) };
      }),
    );
  if (kinds.has('disableMove') && moves.length > 0)
    arbs.push(
      pick(moves.length).map((i): ScenarioEdit => {
        const m = moves[i] as MoveSite;
        return { kind: 'disableMove', actor: m.actor, state: m.state, move: m.move };
      }),
    );
  if (kinds.has('setShockProbability') && shocksToPerturb.length > 0 && pSteps > 0)
    arbs.push(
      fc.tuple(pick(shocksToPerturb.length), fc.integer({ min: -pSteps, max: pSteps })).map(([i, d]): ScenarioEdit => {
        const [shock, def] = shocksToPerturb[i] as [string, { probability: number }];
        return { kind: 'setShockProbability', shock, value: nudge(def.probability, d) };
      }),
    );
  if (kinds.has('setInitialState') && compounds.length > 0)
    arbs.push(
      fc.tuple(pick(compounds.length), fc.nat()).map(([i, j]): ScenarioEdit => {
        const c = compounds[i] as CompoundSite;
        return { kind: 'setInitialState', actor: c.actor, parent: c.parent, initial: c.others[j % c.others.length] as string };
      }),
    );
  if (kinds.has('setVariable') && variables.length > 0 && vSteps > 0)
    arbs.push(
      fc.tuple(pick(variables.length), fc.integer({ min: -vSteps, max: vSteps })).map(([i, d]): ScenarioEdit => {
        const [variable, v] = variables[i] as [string, { initial: number; min?: number; max?: number }];
        return { kind: 'setVariable', variable, initial: Math.min(v.max ?? Infinity, Math.max(v.min ?? -Infinity, v.initial + d)) };
      }),
    );
  if (kinds.has('removeInject') && injects.length > 0)
    arbs.push(pick(injects.length).map((i): ScenarioEdit => ({ kind: 'removeInject', id: injects[i] as string })));

  const edits = arbs.length === 0 ? fc.constant([]) : fc.uniqueArray(fc.oneof(...arbs), { maxLength: options.maxEdits ?? 3, selector: editKey });
  const maxAdded = kinds.has('addInject') ? (options.maxAddedInjects ?? 2) : 0;
  const added = maxAdded === 0 ? fc.constant([]) : fc.array(injectArb(scenario, options.injects), { maxLength: maxAdded });
  return fc.tuple(edits, added).map(([changes, injected]) => {
    const ids = freshInjectIds(scenario, injected.length);
    const adds = injected.map((inject, i): ScenarioEdit => ({ kind: 'addInject', id: ids[i] as string, inject }));
    return createVariant(scenario, [...changes, ...adds]);
  });
}
