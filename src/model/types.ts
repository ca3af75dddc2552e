import type { Scenario } from '../scenario/schema.ts';

export type Scalar = string | number | boolean;

/** `$sender` in an emit's `to`/`against`: the sender of the act being handled, resolved as the act is emitted. */
export const SENDER = -2;
export type CompareOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte';

/** A condition with every name resolved to an index. */
export type Cond =
  | { readonly kind: 'all'; readonly of: readonly Cond[] }
  | { readonly kind: 'any'; readonly of: readonly Cond[] }
  | { readonly kind: 'not'; readonly of: Cond }
  | { readonly kind: 'state'; readonly actor: number; readonly state: number }
  /** In the state, for a number of turns (`turn - enteredAt`) that passes every test. */
  | { readonly kind: 'stateFor'; readonly actor: number; readonly state: number; readonly tests: readonly NumberTest[] }
  | { readonly kind: 'var'; readonly variable: number; readonly tests: readonly NumberTest[] }
  | { readonly kind: 'event'; readonly field: EventFieldRef; readonly test: ValueTest }
  | {
      readonly kind: 'happened';
      readonly event: number;
      readonly from: number;
      readonly to: number;
      readonly data: ReadonlyArray<readonly [string, Scalar]>;
      readonly atLeast: number;
      readonly withinTurns: number;
    }
  | { readonly kind: 'peak'; readonly from: number; readonly to: number; readonly theatre: number; readonly tests: readonly NumberTest[] }
  | { readonly kind: 'turn'; readonly tests: readonly NumberTest[] }
  /** `left op right` where a side is not a constant (`var: { name: a, gt: { var: b } }`). */
  | { readonly kind: 'compare'; readonly left: Expr; readonly op: CompareOp; readonly right: Expr };

/**
 * A number from the scenario: a constant (a plain number) or an expression over variables and the
 * turn, names resolved. Sums, products, min and max fold left; `div` by 0 gives 0; an operation whose
 * result is not a number gives 0 (evaluate.ts `evalExpr` is the reference).
 */
export type Expr = number | ExprNode;

export type ExprNode =
  | { readonly kind: 'var'; readonly variable: number }
  | { readonly kind: 'turn' }
  | { readonly kind: 'add' | 'mul' | 'min' | 'max'; readonly of: readonly Expr[] }
  | { readonly kind: 'sub' | 'div'; readonly of: readonly [Expr, Expr] }
  | { readonly kind: 'clamp'; readonly of: readonly [Expr, Expr, Expr] };

export interface NumberTest {
  readonly op: CompareOp;
  readonly value: number;
}

export type EventFieldRef =
  | { readonly kind: 'type' | 'from' | 'to' | 'against' | 'origin' | 'theatre' | 'rung' }
  | { readonly kind: 'data'; readonly name: string };

/** A test of an event field; names (actors, event types, theatres, rungs) are resolved to indices. */
export interface ValueTest {
  readonly eq?: Scalar;
  readonly ne?: Scalar;
  readonly in?: readonly Scalar[];
  readonly includes?: number;
}

export type Effect =
  | {
      readonly kind: 'emit';
      readonly event: number;
      /** Recipients; `undefined` means every actor but the sender. */
      readonly to: readonly number[] | undefined;
      readonly against: readonly number[] | undefined;
      readonly data: Readonly<Record<string, Scalar>> | undefined;
      readonly theatre: number | undefined;
      /** Turns until delivery; 0: in the same turn. */
      readonly delay: number;
      /** The act's own rung; `undefined` means the event type's. */
      readonly rung?: number | undefined;
    }
  | { readonly kind: 'set' | 'add'; readonly variable: number; readonly value: Expr };

export type Modifier =
  | { readonly kind: 'add' | 'multiply' | 'set'; readonly value: Expr; readonly when: Cond };

export type RuleKind = 'transition' | 'entry' | 'move' | 'shock' | 'inject';

/** Anything that can fire: listed for coverage and cited in narratives. */
export interface Rule {
  readonly index: number;
  /** Stable, readable id: `move:ROK:reviewing:deliverLethalAid`. */
  readonly id: string;
  readonly kind: RuleKind;
  /** Owning actor's index, or -1 for shocks and injects. */
  readonly actor: number;
  readonly source: readonly string[];
  readonly assumption: string | undefined;
  readonly description: string | undefined;
}

export interface StateModel {
  readonly index: number;
  /** Dotted path from the actor's root; the root is `''`. */
  readonly path: string;
  readonly parent: number;
  readonly kind: 'atomic' | 'compound' | 'parallel';
  readonly children: readonly number[];
  /** Index into `children` of the initial child (compound only), else -1. */
  readonly initial: number;
  readonly depth: number;
  readonly entry: readonly Effect[];
  /** Rule index for the entry effects, or -1 when there are none. */
  readonly entryRule: number;
  readonly source: readonly string[];
  readonly assumption: string | undefined;
  readonly description: string | undefined;
}

export interface TransitionModel {
  readonly rule: number;
  /** The state that declares the transition. */
  readonly state: number;
  readonly event: number;
  /** Resolved target state index, or -1 for a targetless transition. */
  readonly target: number;
  readonly when: Cond | undefined;
  readonly effects: readonly Effect[];
  /** A chance reaction's odds (`probability:`), or undefined for a deterministic transition. */
  readonly chance: ChanceModel | undefined;
}

/**
 * A chance reaction's odds: the transition is enabled only when its `when` holds and the world's
 * counter-based draw for (its rule, the act) falls below the probability (`WorldView.chance`).
 */
export interface ChanceModel {
  readonly probability: number;
  /** Evaluated with the act being handled, in order; the result is clamped to [0, 1]. */
  readonly modifiers: readonly Modifier[];
}

/** An act as a move, shock or inject declares it: names resolved; `undefined` keeps the default. */
export interface ActDeclaration {
  readonly rule: number;
  readonly id: string;
  readonly event: number;
  /** Recipients; `undefined` means every actor but the sender. */
  readonly to: readonly number[] | undefined;
  /** Targets; `undefined` means the recipients. */
  readonly against: readonly number[] | undefined;
  readonly data: Readonly<Record<string, Scalar>> | undefined;
  /** `undefined` means the event type's theatre. */
  readonly theatre: number | undefined;
  /** The act's own rung; `undefined` means the event type's. */
  readonly rung?: number | undefined;
}

export interface MoveModel extends ActDeclaration {
  readonly state: number;
  /** The base probability: a constant or an expression (the result is clamped to [0, 1] after the modifiers). */
  readonly probability: Expr;
  readonly modifiers: readonly Modifier[];
  /** A precondition on the start-of-turn world; undefined = none. */
  readonly when: Cond | undefined;
  /** Turns until the act is delivered; 0: in the same turn. */
  readonly delay: number;
}

export interface ActorModel {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  /** States in document order; index 0 is the root. */
  readonly states: readonly StateModel[];
  /** Transitions in document order (state by state, event by event, list order). */
  readonly transitions: readonly TransitionModel[];
  /** Moves in document order. */
  readonly moves: readonly MoveModel[];
  /** The actor's classroom objectives, in document order. */
  readonly objectives: readonly ObjectiveModel[];
}

/** A classroom objective: holds when `when` holds on the world at the end of the game. */
export interface ObjectiveModel {
  readonly id: string;
  readonly description: string;
  readonly when: Cond;
  readonly source: readonly string[];
}

export interface ShockModel extends ActDeclaration {
  readonly from: number;
  readonly probability: Expr;
  readonly modifiers: readonly Modifier[];
  readonly when: Cond | undefined;
}

export interface InjectModel extends ActDeclaration {
  /** The turn it happens in; 0 when it is timed relative to an act (`after`). */
  readonly turn: number;
  /** `turns` after the first turn an act of `event` (from `from`, to `to`; -1: any) was delivered. */
  readonly after: { readonly event: number; readonly from: number; readonly to: number; readonly turns: number } | undefined;
  readonly from: number;
  readonly when: Cond | undefined;
}

export interface EventTypeModel {
  readonly index: number;
  readonly id: string;
  readonly rung: number;
  /** Theatre index, or -1 when the event type has none. */
  readonly theatre: number;
  readonly description: string;
  readonly source: readonly string[];
}

export interface RungModel {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly weight: number | undefined;
}

export interface ThresholdModel {
  readonly id: string;
  readonly name: string;
  readonly rung: number;
}

export interface VariableModel {
  readonly index: number;
  readonly id: string;
  readonly initial: number;
  readonly min: number;
  readonly max: number;
}

/** A scenario with every name resolved to an index: what the engine runs. Immutable. */
export interface Model {
  readonly scenario: Scenario;
  readonly turns: number;
  readonly actors: readonly ActorModel[];
  readonly events: readonly EventTypeModel[];
  readonly rungs: readonly RungModel[];
  readonly thresholds: readonly ThresholdModel[];
  readonly theatres: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  readonly variables: readonly VariableModel[];
  readonly shocks: readonly ShockModel[];
  readonly injects: readonly InjectModel[];
  readonly rules: readonly Rule[];
  readonly limits: { readonly maxCascadeDepth: number; readonly maxEventsPerTurn: number };
  /** The scenario's invariants, in file order: rules every run must keep, checked after a run. */
  readonly invariants: readonly InvariantModel[];
  /** The scenario's outcomes, in file order: checked by the runner at the end of every turn. */
  readonly outcomes: readonly OutcomeModel[];
}

/** A named result of a run (scenario `outcomes:`), with its condition resolved. */
export interface OutcomeModel {
  readonly index: number;
  readonly id: string;
  /** The condition in words. */
  readonly text: string;
  readonly condition: Cond;
  /** Reached when the condition held at the end of some turn ≤ `by`; 0: when it holds at the end of the run. */
  readonly by: number;
  readonly description: string | undefined;
  readonly source: readonly string[];
}

export type Origin = 'script' | 'shock' | 'move' | 'reaction';

/** One act in a run. Ids count from 0 within a run; `cause` is -1 for an act nobody else caused. */
export interface EventInstance {
  readonly id: number;
  /** The turn it was delivered. */
  readonly turn: number;
  /** The turn it was sent: `turn` but for a delayed act (`delay`). */
  readonly sent: number;
  readonly type: number;
  readonly from: number;
  readonly to: readonly number[];
  readonly against: readonly number[];
  readonly data: Readonly<Record<string, Scalar>> | undefined;
  /** Theatre index, or -1. */
  readonly theatre: number;
  readonly rung: number;
  readonly cause: number;
  readonly origin: Origin;
  /** The rule (move, shock, inject, transition or entry) that produced it. */
  readonly rule: number;
  /** Length of the causal chain within the turn: 0 for injects, shocks and moves. */
  readonly depth: number;
}

/** What conditions may read of the world. The engine implements it; conditions never change it. */
export interface WorldView {
  readonly turn: number;
  readonly vars: Float64Array;
  inState(actor: number, state: number): boolean;
  /**
   * The turn in which the actor last entered the state (0: active since the run's start). Meaningful
   * only while the state is active.
   */
  enteredAt(actor: number, state: number): number;
  /** Highest rung index reached (-1 = none); -1 for from, to or theatre means any. */
  peak(from: number, to: number, theatre: number): number;
  /** How many delivered acts match (the act being handled included). */
  countHappened(event: number, from: number, to: number, data: ReadonlyArray<readonly [string, Scalar]>, withinTurns: number): number;
  /**
   * Whether chance reaction `rule` fires on act `event`, whose probability is `probability` (clamped):
   * in a run, a counter-based draw of (run stream, turn, rule, the act's place in the turn) below it;
   * in exploration, the branch being explored. Pure for a given run: asking twice gives one answer.
   * For an act that is not being delivered (id -1: asking whether a move is possible), true when the
   * probability is above 0. Absent from views that evaluate no transition guard (objectives, trace checks).
   */
  chance?(rule: number, event: EventInstance, probability: number): boolean;
}

/** Acts of one of `events`; -1 for `from`, `to`, `against` or `theatre` means any. */
export interface ActPatternModel {
  readonly kind: 'act';
  readonly events: readonly number[];
  readonly from: number;
  readonly to: number;
  readonly against: number;
  readonly theatre: number;
  readonly data: ReadonlyArray<readonly [string, Scalar]>;
}

/** An actor being in a state (by index in the actor's state table). */
export interface StatePatternModel {
  readonly kind: 'state';
  readonly actor: number;
  readonly state: number;
}

export type PatternModel = ActPatternModel | StatePatternModel;

/** An invariant of the scenario file with every name resolved. `text` says it in words. */
export type InvariantModel = {
  readonly id: string;
  readonly text: string;
  readonly description: string | undefined;
  readonly source: readonly string[];
} & (
  | { readonly kind: 'never'; readonly pattern: PatternModel }
  | { readonly kind: 'precedes'; readonly first: PatternModel; readonly then: PatternModel }
  | { readonly kind: 'always'; readonly condition: Cond }
);
