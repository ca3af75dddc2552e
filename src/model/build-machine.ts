import { type AnyStateMachine, setup } from 'xstate';
import { emptyRecord } from '../scenario/own.ts';
import { chanceFires } from './chance.ts';
import { evaluate } from './evaluate.ts';
import type { ActorModel, ChanceModel, Cond, Effect, EventInstance, Model, WorldView } from './types.ts';

/** An effect to carry out, with the rule that decided it. */
export interface EffectEntry {
  readonly effect: Effect;
  readonly rule: number;
}

/**
 * What a machine's actions record while handling one event: fired rules and effects, in order.
 * Reused across deliveries: `clear()` keeps the arrays and resets the counts.
 */
export class DeliveryLog {
  readonly fired: number[] = [];
  firedCount = 0;
  readonly effects: EffectEntry[] = [];
  effectCount = 0;
  /** States entered by the delivery, in entry order (the reference kernel dates them: `forTurns`). */
  readonly entered: number[] = [];
  enteredCount = 0;

  clear(): void {
    this.firedCount = 0;
    this.effectCount = 0;
    this.enteredCount = 0;
  }

  enter(state: number): void {
    this.entered[this.enteredCount++] = state;
  }

  fire(rule: number): void {
    this.fired[this.firedCount++] = rule;
  }

  effect(entry: EffectEntry): void {
    this.effects[this.effectCount++] = entry;
  }
}

/**
 * The XState event for an act: its type is the event type's id. The world is read by guards; the
 * log collects what actions decide. Machines never change the world themselves.
 */
export interface Envelope {
  readonly type: string;
  readonly instance: EventInstance;
  readonly world: WorldView;
  readonly log: DeliveryLog;
}

interface TransitionConfig {
  target?: string;
  guard?: { type: 'when'; params: { cond: Cond } } | { type: 'chance'; params: ChanceGuard };
  actions: ActionConfig[];
}
type ActionConfig =
  | { type: 'enter'; params: { state: number } }
  | { type: 'fire'; params: { rule: number } }
  | { type: 'effect'; params: { effect: Effect; rule: number } };
/** A chance reaction's guard: its `when` (if any), then its draw. */
interface ChanceGuard {
  readonly cond: Cond | undefined;
  readonly rule: number;
  readonly chance: ChanceModel;
}
interface StateConfig {
  type?: 'parallel';
  initial?: string;
  states?: Record<string, StateConfig>;
  on?: Record<string, TransitionConfig[]>;
  entry?: ActionConfig[];
}

/**
 * Builds the XState v5 machine of one actor: named, parameterised guards (`when`) and actions (`fire`,
 * `effect`). Pure: no randomness, no clock; guards read the world carried by the event, actions only
 * append to the event's log.
 */
export function buildMachine(model: Model, actor: ActorModel): AnyStateMachine {
  const eventId = (i: number) => (model.events[i] as { id: string }).id;
  const name = (i: number) => (actor.states[i]?.path.split('.').pop() as string);
  const build = (i: number): StateConfig => {
    const st = actor.states[i];
    if (st === undefined) throw new Error(`buildMachine: no state ${i}`);
    const config: StateConfig = {};
    if (st.kind === 'parallel') config.type = 'parallel';
    if (st.kind === 'compound') config.initial = name(st.children[st.initial] as number);
    if (st.children.length > 0) {
      config.states = emptyRecord<StateConfig>();
      for (const c of st.children) config.states[name(c)] = build(c);
    }
    const on = emptyRecord<TransitionConfig[]>();
    for (const t of actor.transitions) {
      if (t.state !== i) continue;
      const tc: TransitionConfig = {
        actions: [{ type: 'fire', params: { rule: t.rule } }, ...t.effects.map((effect) => effectAction(effect, t.rule))],
      };
      if (t.target >= 0) tc.target = `#${actor.id}.${actor.states[t.target]?.path}`;
      if (t.chance !== undefined) tc.guard = { type: 'chance', params: { cond: t.when, rule: t.rule, chance: t.chance } };
      else if (t.when !== undefined) tc.guard = { type: 'when', params: { cond: t.when } };
      (on[eventId(t.event)] ??= []).push(tc);
    }
    if (Object.keys(on).length > 0) config.on = on;
    // Every state but the root notes its entry, so that the kernel can date it (`forTurns`).
    const entry: ActionConfig[] = i === 0 ? [] : [{ type: 'enter', params: { state: i } }];
    if (st.entry.length > 0) entry.push({ type: 'fire', params: { rule: st.entryRule } }, ...st.entry.map((effect) => effectAction(effect, st.entryRule)));
    if (entry.length > 0) config.entry = entry;
    return config;
  };
  const root = build(0);
  const machineSetup = setup({
    types: { events: {} as Envelope },
    guards: {
      when: ({ event }, params: { cond: Cond }) => evaluate(params.cond, event.world, event.instance),
      // The draw only where the condition holds: exploration branches on exactly the draws a run makes.
      chance: ({ event }, params: ChanceGuard) =>
        (params.cond === undefined || evaluate(params.cond, event.world, event.instance)) && chanceFires(params.rule, params.chance, event.world, event.instance),
    },
    actions: {
      // Entry actions of the initial configuration run on XState's own init event, which carries no
      // log: a run starts in its initial states without any act having entered them.
      enter: ({ event }, params: { state: number }) => {
        (event as Partial<Envelope>).log?.enter(params.state);
      },
      fire: ({ event }, params: { rule: number }) => {
        (event as Partial<Envelope>).log?.fire(params.rule);
      },
      effect: ({ event }, params: { effect: Effect; rule: number }) => {
        (event as Partial<Envelope>).log?.effect(params);
      },
    },
  });
  return machineSetup.createMachine({ id: actor.id, ...root } as Parameters<typeof machineSetup.createMachine>[0]);
}

function effectAction(effect: Effect, rule: number): ActionConfig {
  return { type: 'effect', params: { effect, rule } };
}
