/**
 * The game log's entries: a game is its first entry (`start`: the scenario, the seed, the teams) and
 * the commands accepted after it, in order. This zod schema is the log's single definition: a store
 * validates every entry it reads with it, and the session replays exactly these values.
 */
import * as z from 'zod';
import { Id, LIMITS } from '../scenario/schema.ts';

/** The log format's version; a log of another version is refused. */
export const GAME_LOG_VERSION = 1;

const Turn = z.int().min(1).max(LIMITS.turns);
const Scalar = z.union([z.string().max(1000), z.number(), z.boolean()]);
/** Who issued a command (a student's or device's name, for the record); free text, never interpreted. */
const By = z.string().max(200).optional();

/** What a team plays when the turn is played without its decision. */
export const UNDECIDED = ['none', 'policy'] as const;

/** The first entry: everything needed to replay the game anywhere. */
export const GameStart = z.strictObject({
  kind: z.literal('start'),
  version: z.literal(GAME_LOG_VERSION),
  /** The Brink version that wrote the log (informative). */
  brink: z.string().max(100),
  scenario: z.strictObject({
    /** The file it was loaded from (informative). */
    file: z.string().max(4096),
    /** The scenario's text: the file's own text, or the resolved scenario as JSON when it `extends` another. */
    text: z.string().max(20_000_000),
    /** The loader's content hash of the resolved scenario (`sha256:…`); a text that no longer gives it is refused. */
    hash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  }),
  /** The seed of the game's run: with no team, the game is `brink run <scenario> --seed <seed>`. */
  seed: z.string().min(1).max(200).regex(/^\S+$/),
  /** The actors human teams play, in the scenario's actor order. */
  teams: z.array(Id).max(LIMITS.actors),
  /** A team that has not decided when the turn plays makes no move (`none`) or lets the policy draw (`policy`). */
  undecided: z.enum(UNDECIDED),
});

/**
 * A team's decision for a turn: the keys of the moves it makes (`state path:move name`, see
 * `MoveOption.key`; today at most one, and `[]` is "no move"), or `policy` to let the scenario's policy
 * draw for it. A later decision of the same team for the same turn replaces it.
 */
export const Decide = z.strictObject({
  kind: z.literal('decide'),
  turn: Turn,
  actor: Id,
  moves: z.union([z.literal('policy'), z.array(z.string().max(2000)).max(64)]),
  by: By,
});

/** The facilitator injects an act of the catalogue into the coming turn (queued after the scripted injects). */
export const Inject = z.strictObject({
  kind: z.literal('inject'),
  turn: Turn,
  event: Id,
  from: Id,
  /** Recipients; absent: every actor but the sender. */
  to: z.array(Id).max(LIMITS.actors).optional(),
  /** Targets; absent: the recipients. */
  against: z.array(Id).max(LIMITS.actors).optional(),
  /** Absent: the event type's theatre. */
  theatre: Id.optional(),
  data: z.record(Id, Scalar).optional(),
  by: By,
});

/** The facilitator withdraws an inject of the coming turn (by its index among the turn's injects). */
export const Withdraw = z.strictObject({
  kind: z.literal('withdraw'),
  turn: Turn,
  inject: z.int().min(0).max(10_000),
  by: By,
});

/** The facilitator forces a shock to strike in the coming turn, suppresses it, or leaves it to chance again. */
export const SetShock = z.strictObject({
  kind: z.literal('shock'),
  turn: Turn,
  shock: Id,
  mode: z.enum(['force', 'suppress', 'chance']),
  by: By,
});

/** Plays turn `turn` (the coming one) with the decisions, injects and shock settings made for it. */
export const Play = z.strictObject({ kind: z.literal('play'), turn: Turn, by: By });

/**
 * Takes back turn `turn` (the last one played): the game returns to deciding that turn, with its
 * decisions, injects and shock settings as they were. Recorded in the log, never erased.
 */
export const TakeBack = z.strictObject({ kind: z.literal('takeBack'), turn: Turn, by: By });

/** Pauses the game (no decision and no turn is accepted), or resumes it. */
export const Pause = z.strictObject({ kind: z.literal('pause'), by: By });
export const Resume = z.strictObject({ kind: z.literal('resume'), by: By });

/** Ends the game (before its last turn, or after it): no further command is accepted. */
export const End = z.strictObject({ kind: z.literal('end'), by: By });

/** A command: what a team or the facilitator asks of a game. Accepted commands are the log's entries. */
export const GameCommand = z.discriminatedUnion('kind', [Decide, Inject, Withdraw, SetShock, Play, TakeBack, Pause, Resume, End]);

/** One entry of a game log. */
export const GameEntry = z.discriminatedUnion('kind', [GameStart, Decide, Inject, Withdraw, SetShock, Play, TakeBack, Pause, Resume, End]);

export type GameStart = z.output<typeof GameStart>;
export type GameCommand = z.output<typeof GameCommand>;
export type GameEntry = z.output<typeof GameEntry>;
export type Decide = z.output<typeof Decide>;
export type Inject = z.output<typeof Inject>;
export type SetShock = z.output<typeof SetShock>;

/** A problem with a command, a log or a game: data until a CLI or a server shows it. */
export interface ClassroomProblem {
  /** `classroom/snake_case`, e.g. `classroom/unknown_move`. */
  readonly code: string;
  /** What was expected, what was found, and what to do. */
  readonly message: string;
}

/** The outcome of anything that may be refused: a value, or the problem (nothing changed). */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: ClassroomProblem };

/** Validates one entry read from a log or a network message. Pure. */
export function parseGameEntry(value: unknown): Result<GameEntry> {
  const r = GameEntry.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, problem: { code: 'classroom/bad_entry', message: `not a game log entry: ${summarizeIssues(r.error.issues)}` } };
}

/** Validates one command (e.g. a message from a page). Pure. */
export function parseGameCommand(value: unknown): Result<GameCommand> {
  const r = GameCommand.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, problem: { code: 'classroom/bad_command', message: `not a command: ${summarizeIssues(r.error.issues)}` } };
}

function summarizeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.length === 0 ? '' : `${i.path.join('.')}: `}${i.message}`)
    .join('; ');
}
