/**
 * The scenario format, version 1. This zod schema is the single definition of the format: the
 * loader validates with it, `brink schema` prints the JSON Schema generated from it, and the types
 * below are inferred from it.
 */
import * as z from 'zod';

/** Limits that keep absurd input harmless. */
export const LIMITS = {
  turns: 1200,
  actors: 64,
  eventTypes: 1000,
  statesPerActor: 2000,
  stateDepth: 16,
  rungs: 64,
  variables: 1000,
  shocks: 1000,
  injects: 10_000,
  conditionDepth: 32,
  /** Levels of nesting in one expression (`{ add: [{ mul: [...] }] }` is 2 deep). */
  expressionDepth: 12,
  /** Numbers, variable references and operations in one expression. */
  expressionNodes: 200,
  stringLength: 10_000,
  /** YAML nodes in a file, before and after expanding aliases (counted as , [ ] { } - : and line ends before parsing). */
  yamlNodes: 300_000,
} as const;

const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

/** A name for an actor, state, event type, variable, move, shock, inject, theatre, rung or claim. */
export const Id = z
  .string()
  .max(100)
  .regex(ID_PATTERN, { error: 'expected a name of letters, digits and _ that starts with a letter' });

/** A state path relative to an actor's root: `treaty.ratified`. */
export const StatePath = z
  .string()
  .max(1000)
  .regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/, {
    error: 'expected a state path such as "treaty.ratified"',
  });

const Text = z.string().max(LIMITS.stringLength);
const Probability = z.number().min(0).max(1);
const Scalar = z.union([z.string().max(1000), z.number(), z.boolean()]);

/** `$self` stands for the actor that owns the rule. */
export const ActorRef = z.union([z.literal('$self'), Id]);

/**
 * Recipients or targets: a list of actors, or `all` (every actor but the sender). In an emit,
 * `$sender` stands for the sender (`from`) of the act being handled: the act answers it.
 */
export const ActorList = z.union([
  z.literal('all'),
  z.array(z.union([z.literal('$sender').meta({ description: 'In an emit: the sender of the act being handled (the act that triggered the transition or entered the state).' }), ActorRef])).max(LIMITS.actors),
]);

const Sourced = {
  /** Claim ids (see `claims`) that motivate this rule. */
  source: z.array(Id).min(1).max(50).optional(),
  /** Where the model adds something of its own: a one-line reason. */
  assumption: Text.optional(),
  description: Text.optional(),
};

/** Operators of an expression, one key each (exactly one per expression object). */
export const EXPRESSION_KINDS = ['var', 'turn', 'add', 'sub', 'mul', 'div', 'min', 'max', 'clamp'] as const;

/** A number computed from the world: a constant, a variable, the turn, or an operation on expressions. */
export type ExpressionInput = number | ExpressionObjectInput;
export interface ExpressionObjectInput {
  var?: string | undefined;
  turn?: Record<string, never> | undefined;
  add?: ExpressionInput[] | undefined;
  sub?: ExpressionInput[] | undefined;
  mul?: ExpressionInput[] | undefined;
  div?: ExpressionInput[] | undefined;
  min?: ExpressionInput[] | undefined;
  max?: ExpressionInput[] | undefined;
  clamp?: ExpressionInput[] | undefined;
}

const operands = (min: number, max: number, what: string) =>
  z.array(z.lazy(() => Expression)).min(min).max(max).optional().meta({ description: what });

/**
 * An expression as data (never evaluated as code): exactly one operator key. Sums, products, min and
 * max fold left over their list; `sub` is a − b, `div` a ÷ b with division by 0 giving 0; `clamp` is
 * [x, lo, hi] → min(hi, max(lo, x)). An operation whose result is not a number (∞ − ∞) gives 0.
 */
export const ExpressionObject: z.ZodType<ExpressionObjectInput, ExpressionObjectInput> = z.lazy(() =>
  z
    .strictObject({
      var: Id.optional().meta({ description: "A variable's current value." }),
      turn: z.strictObject({}).optional().meta({ description: 'The turn being played (1, 2, …): write { turn: {} }.' }),
      add: operands(1, 100, 'The sum of the list.'),
      sub: operands(2, 2, 'The first minus the second: [a, b].'),
      mul: operands(1, 100, 'The product of the list.'),
      div: operands(2, 2, 'The first divided by the second: [a, b]; division by 0 gives 0.'),
      min: operands(1, 100, 'The smallest of the list.'),
      max: operands(1, 100, 'The largest of the list.'),
      clamp: operands(3, 3, '[x, lo, hi]: x held within lo and hi.'),
    })
    .superRefine(exactlyOne(EXPRESSION_KINDS, 'an expression')),
);

/** A number or an expression over variables and the turn. */
export const Expression: z.ZodType<ExpressionInput, ExpressionInput> = z.lazy(() =>
  z.union([z.number(), ExpressionObject]).meta({
    description: 'A number, or an expression: { var: name }, { turn: {} }, { add: [...] }, { sub: [a, b] }, { mul: [...] }, { div: [a, b] }, { min: [...] }, { max: [...] }, { clamp: [x, lo, hi] }.',
  }),
);

/** A constant in `range`, or an expression (its value is clamped where it is used). */
const NumberOrExpression = (constant: z.ZodNumber, description: string) => z.union([constant, ExpressionObject]).meta({ description });

const NumberCompare = {
  eq: Expression.optional(),
  ne: Expression.optional(),
  gt: Expression.optional(),
  gte: Expression.optional(),
  lt: Expression.optional(),
  lte: Expression.optional(),
};

const RungCompare = {
  eq: Id.optional(),
  ne: Id.optional(),
  gt: Id.optional(),
  gte: Id.optional(),
  lt: Id.optional(),
  lte: Id.optional(),
};

const TurnCount = z.int().min(0).max(LIMITS.turns);

/** Comparisons of a number of turns (whole, 0–1200), such as `forTurns: { gte: 3 }`. */
const TurnsCompare = z
  .strictObject({
    eq: TurnCount.optional(),
    ne: TurnCount.optional(),
    gt: TurnCount.optional(),
    gte: TurnCount.optional(),
    lt: TurnCount.optional(),
    lte: TurnCount.optional(),
  })
  .superRefine(atLeastOneComparison);

/** Event fields a condition can read. `data.<name>` reads a data field. */
const EventField = z
  .string()
  .regex(/^(type|from|to|against|origin|theatre|rung|data\.[A-Za-z][A-Za-z0-9_]*)$/, {
    error: 'expected one of type, from, to, against, origin, theatre, rung, data.<field>',
  });

export const CONDITION_KINDS = ['all', 'any', 'not', 'state', 'var', 'event', 'happened', 'peak', 'turn'] as const;

export interface ConditionInput {
  all?: ConditionInput[] | undefined;
  any?: ConditionInput[] | undefined;
  not?: ConditionInput | undefined;
  state?: { actor?: string | undefined; in: string; forTurns?: NumberCompareInput | undefined } | undefined;
  var?: ({ name: string } & NumberCompareInput) | undefined;
  event?:
    | {
        field: string;
        eq?: string | number | boolean | undefined;
        ne?: string | number | boolean | undefined;
        in?: Array<string | number | boolean> | undefined;
        includes?: string | undefined;
      }
    | undefined;
  happened?:
    | {
        event: string;
        from?: string | undefined;
        to?: string | undefined;
        data?: Record<string, string | number | boolean> | undefined;
        atLeast?: number | undefined;
        withinTurns?: number | undefined;
      }
    | undefined;
  peak?:
    | ({ from?: string | undefined; to?: string | undefined; theatre?: string | undefined } & RungCompareInput)
    | undefined;
  turn?: NumberCompareInput | undefined;
}
type NumberCompareInput = { [K in 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte']?: ExpressionInput | undefined };
type RungCompareInput = { [K in 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte']?: string | undefined };

function exactlyOne(keys: readonly string[], what: string) {
  return (value: object, ctx: z.RefinementCtx) => {
    const record = value as Record<string, unknown>;
    const present = keys.filter((k) => record[k] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          present.length === 0
            ? `expected ${what} with one of the keys ${keys.join(', ')}; found none`
            : `expected ${what} with exactly one of the keys ${keys.join(', ')}; found ${present.join(', ')}`,
      });
    }
  };
}

function atLeastOneComparison(value: object, ctx: z.RefinementCtx) {
  const record = value as Record<string, unknown>;
  const ops = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'includes'].filter((k) => record[k] !== undefined);
  if (ops.length === 0) {
    ctx.addIssue({
      code: 'custom',
      message: 'expected a comparison: one or more of eq, ne, gt, gte, lt, lte (in, includes for event fields)',
    });
  }
}

/**
 * A condition is data: exactly one of its keys says what kind it is. Conditions read the event being
 * handled, other actors' states, variables, the peaks reached so far, the turn, and what has happened.
 */
export const Condition: z.ZodType<ConditionInput, ConditionInput> = z.lazy(() =>
  z
    .strictObject({
      all: z.array(Condition).min(1).max(100).optional(),
      any: z.array(Condition).min(1).max(100).optional(),
      not: Condition.optional(),
      state: z
        .strictObject({
          actor: ActorRef.optional(),
          in: StatePath,
          forTurns: TurnsCompare.optional().meta({
            description:
              'How long the actor has been in the state: the current turn minus the turn it last entered it (0 in the turn of entry; a state active since the start counts as entered at turn 0). Holds only while the state is active.',
          }),
        })
        .optional(),
      var: z.strictObject({ name: Id, ...NumberCompare }).superRefine(atLeastOneComparison).optional(),
      event: z
        .strictObject({
          field: EventField,
          eq: Scalar.optional(),
          ne: Scalar.optional(),
          in: z.array(Scalar).min(1).max(1000).optional(),
          includes: ActorRef.optional(),
        })
        .superRefine(atLeastOneComparison)
        .optional(),
      happened: z
        .strictObject({
          event: Id,
          from: ActorRef.optional(),
          to: ActorRef.optional(),
          data: z.record(Id, Scalar).optional(),
          atLeast: z.int().min(1).max(1_000_000).optional(),
          withinTurns: z.int().min(1).max(LIMITS.turns).optional(),
        })
        .optional(),
      peak: z
        .strictObject({ from: ActorRef.optional(), to: ActorRef.optional(), theatre: Id.optional(), ...RungCompare })
        .superRefine(atLeastOneComparison)
        .optional(),
      turn: z.strictObject(NumberCompare).superRefine(atLeastOneComparison).optional(),
    })
    .superRefine(exactlyOne(CONDITION_KINDS, 'a condition')),
);

/** How many turns later an act is delivered (1–1200): it is sent now and delivered first thing in that turn. */
const Delay = z
  .int()
  .min(1)
  .max(LIMITS.turns)
  .meta({ description: 'Deliver the act this many turns later (1 or more): first in that turn, before its scripted injects; undelivered at the run\'s end, it is reported as in transit.' });

const EmitEffect = z.strictObject({
  event: Id,
  to: ActorList.optional(),
  against: ActorList.optional(),
  data: z.record(Id, Scalar).optional(),
  theatre: Id.optional(),
  delay: Delay.optional(),
  rung: Id.optional().meta({ description: "This act's ladder rung (a rung id), overriding its event type's: one type can signal different rungs (DEFCON 3, DEFCON 2)." }),
});

/** An effect of a transition or of entering a state: emit an event, or set or add to a variable. */
export const Effect = z
  .strictObject({
    emit: EmitEffect.optional(),
    set: z.strictObject({ var: Id, value: Expression.meta({ description: 'The new value: a number or an expression (then clamped to the variable\'s min and max).' }) }).optional(),
    add: z.strictObject({ var: Id, value: Expression.meta({ description: 'The amount added: a number or an expression.' }) }).optional(),
  })
  .superRefine(exactlyOne(['emit', 'set', 'add'], 'an effect'));

/** A modifier adjusts a base probability when its condition holds; the result is clamped to [0, 1]. */
export const Modifier = z
  .strictObject({
    when: Condition,
    add: NumberOrExpression(z.number().min(-1).max(1), 'Added to the probability: a number from -1 to 1, or an expression.').optional(),
    multiply: NumberOrExpression(z.number().min(0).max(1000), 'Multiplies the probability: a number from 0 to 1000, or an expression.').optional(),
    set: NumberOrExpression(Probability, 'Replaces the probability: a number from 0 to 1, or an expression.').optional(),
    reason: Text.optional(),
    source: z.array(Id).min(1).max(50).optional(),
    /** Where the modifier is the model's own: a one-line reason. */
    assumption: Text.optional(),
  })
  .superRefine(exactlyOne(['add', 'multiply', 'set'], 'a modifier'));

const Modifiers = z.array(Modifier).max(100);

export const Transition = z.strictObject({
  /** A sibling state's name, or a path from the actor's root (`treaty.inForce`). */
  target: StatePath.optional(),
  when: Condition.optional(),
  effects: z.array(Effect).max(100).optional(),
  probability: Probability.optional().meta({
    description:
      'A chance reaction: the transition is enabled only when its `when` holds and a draw falls below this probability (0–1); when the draw fails, the next transition on the event is tried, as when a guard fails. The draw is counter-based (run seed, turn, rule, act), so it shifts no other draw.',
  }),
  modifiers: Modifiers.optional().meta({
    description:
      "Adjust a chance reaction's probability when their conditions hold (they may read the act being handled), in order; the result is clamped to [0, 1]. Needs `probability`.",
  }),
  ...Sourced,
});

/** A move an actor may choose on its own in a turn, while in the state that declares it. */
export const Move = z.strictObject({
  event: Id,
  to: ActorList.optional(),
  against: ActorList.optional(),
  data: z.record(Id, Scalar).optional(),
  theatre: Id.optional(),
  rung: Id.optional().meta({ description: "This act's ladder rung (a rung id), overriding its event type's: one type can signal different rungs (DEFCON 3, DEFCON 2)." }),
  /** Base probability per turn. */
  probability: NumberOrExpression(Probability, 'Base probability per turn: a number from 0 to 1, or an expression over variables and the turn (clamped to [0, 1] after the modifiers).'),
  modifiers: Modifiers.optional(),
  /**
   * The move is possible only while this holds on the world at the start of the turn, whatever its
   * odds (a precondition, where a modifier would only change the odds).
   */
  when: Condition.optional(),
  /**
   * At most once a run: the move is possible only while its actor has not yet sent an act of its event
   * type (with its data) in the run — the precondition `not happened { event, from: $self, data }`.
   */
  once: z.boolean().optional(),
  delay: Delay.optional(),
  ...Sourced,
});

export interface StateNodeInput {
  type?: 'compound' | 'parallel' | undefined;
  initial?: string | undefined;
  states?: Record<string, StateNodeInput> | undefined;
  on?: Record<string, z.input<typeof Transition> | Array<z.input<typeof Transition>>> | undefined;
  entry?: Array<z.input<typeof Effect>> | undefined;
  moves?: Record<string, z.input<typeof Move>> | undefined;
  source?: string[] | undefined;
  assumption?: string | undefined;
  description?: string | undefined;
}

/** A statechart node: atomic, compound (with `initial`) or parallel (every child region active). */
export const StateNode: z.ZodType<StateNodeInput, StateNodeInput> = z.lazy(() =>
  z.strictObject({
    type: z.enum(['compound', 'parallel']).optional(),
    initial: Id.optional(),
    states: z.record(Id, StateNode).optional(),
    on: z.record(Id, z.union([Transition, z.array(Transition).min(1).max(50)])).optional(),
    entry: z.array(Effect).max(100).optional(),
    moves: z.record(Id, Move).optional(),
    ...Sourced,
  }),
);

/**
 * What a classroom team playing the actor tries to bring about: a condition on the world at the end of
 * the game (states, variables, peaks, what happened, the turn), shown to the team and scored at the end.
 */
export const Objective = z.strictObject({
  /** The objective in a sentence, as the team reads it. */
  description: Text,
  /** Holds at the end of the game when this condition holds on the final world. */
  when: Condition,
  source: z.array(Id).min(1).max(50).optional(),
  assumption: Text.optional(),
});

export const Actor = z.strictObject({
  name: Text,
  description: Text.optional(),
  /** What this country wants and fears, for a reader in a minute. */
  briefing: Text.optional(),
  /** The actor's objectives in a classroom game, in the order a team reads them. */
  objectives: z.record(Id, Objective).optional(),
  statechart: StateNode,
  source: z.array(Id).min(1).max(50).optional(),
  assumption: Text.optional(),
});

export const EventType = z.strictObject({
  /** The ladder rung this act signals. */
  rung: Id,
  theatre: Id.optional(),
  description: Text,
  /** Data fields the event may carry, with their allowed values. */
  fields: z.record(Id, z.array(Scalar).min(1).max(1000)).optional(),
  source: z.array(Id).min(1).max(50).optional(),
  assumption: Text.optional(),
});

export const Shock = z.strictObject({
  event: Id,
  from: Id,
  to: ActorList.optional(),
  against: ActorList.optional(),
  data: z.record(Id, Scalar).optional(),
  theatre: Id.optional(),
  rung: Id.optional().meta({ description: "This act's ladder rung (a rung id), overriding its event type's: one type can signal different rungs (DEFCON 3, DEFCON 2)." }),
  probability: NumberOrExpression(Probability, 'Probability per turn: a number from 0 to 1, or an expression over variables and the turn (clamped to [0, 1] after the modifiers).'),
  modifiers: Modifiers.optional(),
  /** The shock can happen only while this holds. */
  when: Condition.optional(),
  ...Sourced,
});

/** An inject's time relative to an act: `turns` after the first turn an act matching the pattern was delivered. */
const InjectAfter = z.strictObject({
  event: Id.meta({ description: 'The event type of the act to wait for.' }),
  from: Id.optional().meta({ description: 'Only acts of this sender.' }),
  to: Id.optional().meta({ description: 'Only acts with this recipient.' }),
  turns: z.int().min(1).max(LIMITS.turns).meta({ description: 'How many turns after the first turn such an act was delivered (1 or more).' }),
});

export const Inject = z
  .strictObject({
  turn: z.int().min(1).max(LIMITS.turns).optional().meta({ description: 'The turn the inject happens in (or give `after`).' }),
  after: InjectAfter.optional().meta({
    description:
      'Instead of `turn`: the inject happens, once, `turns` turns after the first turn in which an act matching `event` (and `from`, `to`) was delivered — if its `when` holds then.',
  }),
  event: Id,
  from: Id,
  to: ActorList.optional(),
  against: ActorList.optional(),
  data: z.record(Id, Scalar).optional(),
  theatre: Id.optional(),
  rung: Id.optional().meta({ description: "This act's ladder rung (a rung id), overriding its event type's: one type can signal different rungs (DEFCON 3, DEFCON 2)." }),
  /** The inject happens only if this holds at the start of its turn. */
  when: Condition.optional(),
  ...Sourced,
})
  .superRefine(exactlyOne(['turn', 'after'], 'an inject'));

/**
 * What an invariant looks for in a run: an act (`event`, optionally narrowed by `from`, `to`,
 * `against`, `theatre` and `data`, like a `happened` condition) or an actor being in a state
 * (`state: { actor, in }`, like a state condition). `event` may list several types: any of them.
 * A bare event type's name is short for `{ event: NAME }`.
 */
const PatternObject = z
  .strictObject({
    event: z.union([Id, z.array(Id).min(1).max(100)]).optional(),
    from: Id.optional(),
    to: Id.optional(),
    against: Id.optional(),
    theatre: Id.optional(),
    data: z.record(Id, Scalar).optional(),
    state: z.strictObject({ actor: Id, in: StatePath }).optional(),
  })
  .superRefine(exactlyOne(['event', 'state'], 'a pattern'))
  .superRefine((value, ctx) => {
    if (value.state === undefined) return;
    const extra = (['from', 'to', 'against', 'theatre', 'data'] as const).filter((k) => value[k] !== undefined);
    if (extra.length > 0)
      ctx.addIssue({ code: 'custom', message: `a state pattern takes no ${extra.join(', ')}: those narrow an act pattern (with "event")` });
  });

export const Pattern = z.union([Id, PatternObject]);

/**
 * A rule every run must keep, checked by `brink run`: exactly one of `never` (the pattern never
 * happens), `precedes` (`then` never happens unless `first` happened earlier in the run) and `always`
 * (a condition on states, variables, peaks, acts so far and the turn that holds at the end of every turn).
 */
export const Invariant = z
  .strictObject({
    never: Pattern.optional(),
    precedes: z.strictObject({ first: Pattern, then: Pattern }).optional(),
    always: Condition.optional(),
    ...Sourced,
  })
  .superRefine(exactlyOne(['never', 'precedes', 'always'], 'an invariant'));

/**
 * A named result of a run, such as `settled` or `treaty war`: a condition on the world (states,
 * variables, peaks, acts so far, the turn) checked at the end of every turn. Without `by`, a run
 * reaches the outcome when the condition holds at the end of its last turn; with `by: T`, when it
 * held at the end of any turn up to T. Reports also give the first turn it held.
 */
export const Outcome = z.strictObject({
  when: Condition,
  /** Reached when the condition held at the end of some turn up to this one; default: at the run's end. */
  by: z.int().min(1).max(LIMITS.turns).optional(),
  ...Sourced,
});

export const Rung = z.strictObject({
  id: Id,
  name: Text,
  description: Text.optional(),
  /** Escalation weight (Rivera-style points). */
  weight: z.number().optional(),
});

export const Threshold = z.strictObject({
  id: Id,
  name: Text,
  /** Crossing the threshold means reaching this rung or higher. */
  at: Id,
  description: Text.optional(),
});

export const Ladder = z.strictObject({
  rungs: z.array(Rung).min(1).max(LIMITS.rungs),
  thresholds: z.array(Threshold).max(LIMITS.rungs).optional(),
});

export const Variable = z.strictObject({
  initial: z.number(),
  min: z.number().optional(),
  max: z.number().optional(),
  ...Sourced,
});

export const Claim = z.strictObject({
  text: Text,
  author: Text.optional(),
  quote: Text.optional(),
  /** Key of the document in `sources`. */
  document: Id.optional(),
  /** Where in the document: a page number or a range such as `12–14`. */
  page: z.union([z.int().min(1), z.string().max(100)]).optional(),
  /** The claim is contested (other sources disagree): reports mark it. */
  disputed: z.boolean().optional(),
});

export const SourceDocument = z.strictObject({
  title: Text,
  author: Text.optional(),
  url: z.string().max(2000).optional(),
  date: z.string().max(100).optional(),
  note: Text.optional(),
});

export const Time = z.strictObject({
  turns: z.int().min(1).max(LIMITS.turns).meta({ description: 'How many turns a run plays (1–1200).' }),
  /** What one turn is. */
  unit: z.enum(['day', 'week', 'month', 'quarter', 'year', 'turn']).default('turn').meta({ description: 'What one turn is: day, week, month, quarter, year or turn.' }),
  /** The first turn's date: `YYYY-MM` or `YYYY-MM-DD`. */
  start: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/, { error: 'expected a date as YYYY-MM or YYYY-MM-DD' })
    .optional()
    .meta({ description: "The first turn's date: YYYY-MM or YYYY-MM-DD; reports date every act from it." }),
});

export const Limits = z.strictObject({
  /** Longest chain of reactions one act may set off in a turn. */
  maxCascadeDepth: z.int().min(1).max(10_000).default(64),
  /** Most event deliveries in one turn. */
  maxEventsPerTurn: z.int().min(1).max(1_000_000).default(10_000),
});

export const Metadata = z.strictObject({
  /** A slug: letters, digits, `-` and `_`. */
  id: z
    .string()
    .max(100)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, { error: 'expected a slug of letters, digits, - and _' }),
  title: Text,
  description: Text.optional(),
  authors: z.array(Text).max(100).optional(),
  version: z.string().max(100).optional(),
});

/** A whole scenario document, after any `extends` has been merged. */
export const Scenario = z.strictObject({
  version: z.literal(1).meta({ description: 'The format version: 1.' }),
  /** Path of a scenario this one overrides, relative to this file. Resolved by the loader. */
  extends: z.string().max(1000).optional().meta({ description: 'A scenario this file overrides, relative to this file: mappings merge key by key, null removes a key, lists replace whole.' }),
  metadata: Metadata.meta({ description: 'The scenario id (used in reports and file names), its title and a summary.' }),
  sources: z.record(Id, SourceDocument).optional().meta({ description: 'The documents the model is built from, by id.' }),
  claims: z.record(Id, Claim).optional().meta({ description: 'Claims of the sources, by id (C1, C2, …): rules cite them in `source`.' }),
  time: Time.meta({ description: 'How many turns a run plays, how long a turn is, and the date of the first.' }),
  ladder: Ladder.meta({ description: 'The escalation ladder: rungs from lowest to highest, and named thresholds between them.' }),
  theatres: z.record(Id, z.strictObject({ name: Text, description: Text.optional() })).optional().meta({ description: 'Theatres, by id: each event type may belong to one; reports give each its own peaks.' }),
  variables: z.record(Id, Variable).optional().meta({ description: 'World variables, by name: a number with its initial value and bounds, changed by `set` and `add` effects.' }),
  events: z.record(Id, EventType).meta({ description: 'The event types (acts), by name: the rung each signals, its theatre, description and data fields.' }),
  actors: z.record(Id, Actor).meta({ description: 'The state actors, by id, in turn order: each a statechart whose states declare moves.' }),
  shocks: z.record(Id, Shock).optional().meta({ description: 'Exogenous events, by name: one draw each per turn against a probability that conditions may change.' }),
  script: z.record(Id, Inject).optional().meta({ description: 'Scripted injects, by name: an event delivered on a given turn (if its `when` holds).' }),
  /** Rules every run must keep; `brink run` reports the runs that break them, with their seeds. */
  invariants: z.record(Id, Invariant).optional().meta({ description: 'Rules every run must keep (never, precedes, always); `brink run` reports the runs that break them.' }),
  /** Named results of a run (`settled`, `treaty war`): every report counts them as it counts a rung. */
  outcomes: z.record(Id, Outcome).optional().meta({ description: 'Named results of a run, each a condition checked at the end of every turn; reports count them like rungs.' }),
  limits: Limits.optional().meta({ description: 'Engine limits for this scenario, such as the longest cascade of reactions in a turn.' }),
});

export type ScenarioInput = z.input<typeof Scenario>;
export type Scenario = z.output<typeof Scenario>;
export type StateNodeDef = StateNodeInput;
export type TransitionDef = z.output<typeof Transition>;
export type MoveDef = z.output<typeof Move>;
export type ShockDef = z.output<typeof Shock>;
export type InjectDef = z.output<typeof Inject>;
export type EffectDef = z.output<typeof Effect>;
export type ModifierDef = z.output<typeof Modifier>;
export type ConditionDef = ConditionInput;
export type ExpressionDef = ExpressionInput;
export type ActorDef = z.output<typeof Actor>;
export type ObjectiveDef = z.output<typeof Objective>;
export type EventTypeDef = z.output<typeof EventType>;
export type ActorListDef = z.output<typeof ActorList>;
export type PatternDef = z.output<typeof Pattern>;
export type InvariantDef = z.output<typeof Invariant>;
export type OutcomeDef = z.output<typeof Outcome>;
