/**
 * What the classroom's pages and the server say to each other. Client messages are parsed with zod
 * (strict objects, bounded strings and lists) before anything reads them; the views are plain data
 * the server derives from the session, so a page never decides anything.
 */
import * as z from 'zod';

/** Largest live-channel message the server reads, in bytes (the `ws` server closes on a larger one). */
export const MAX_MESSAGE_BYTES = 8 * 1024;
/** Largest HTTP request body, in bytes (a scenario upload is the large one: the flagship is ≈130 KB). */
export const MAX_BODY_BYTES = 1024 * 1024;

const id = z.string().min(1).max(80).regex(/^[A-Za-z0-9_.:-]+$/, 'expected letters, digits, _ . : -');
const req = z.number().int().nonnegative().max(2 ** 31);
/** The turn a command is meant for, so a click that crosses a turn being played is refused, not misapplied. */
const turn = z.number().int().min(1).max(10_000);

/** The first message on the live channel: who is speaking, with their key. */
export const Hello = z.strictObject({
  type: z.literal('hello'),
  game: z.string().min(1).max(40).regex(/^[a-z0-9]+$/),
  role: z.enum(['team', 'facilitator']),
  /** A team member's token or the facilitator's secret. */
  key: z.string().min(1).max(100),
});

/** Every command a page may send after its hello; `req` numbers it for the acknowledgement. */
export const Command = z.discriminatedUnion('type', [
  /** `move`: a move's key (`MoveChoice.id`), or null for "no move". */
  z.strictObject({ type: z.literal('decide'), req, turn, move: z.string().min(1).max(500).nullable() }),
  z.strictObject({ type: z.literal('play'), req, turn }),
  z.strictObject({
    type: z.literal('inject'),
    req,
    turn,
    event: id,
    from: id,
    /** Recipients; absent: every actor but the sender. */
    to: z.array(id).min(1).max(64).optional(),
    /** Null: the act's own theatre. */
    theatre: id.nullable(),
  }),
  z.strictObject({ type: z.literal('shock'), req, turn, shock: id, mode: z.enum(['force', 'suppress', 'chance']) }),
  z.strictObject({ type: z.literal('pause'), req, paused: z.boolean() }),
  /** `turn`: the last turn played, the one to take back. */
  z.strictObject({ type: z.literal('takeBack'), req, turn }),
  z.strictObject({ type: z.literal('settings'), req, deadlineSeconds: z.number().int().min(10).max(24 * 3600).nullable() }),
  z.strictObject({ type: z.literal('end'), req }),
]);
export type Command = z.infer<typeof Command>;
export type Hello = z.infer<typeof Hello>;

/** The body of `POST /api/games`. */
export const CreateGame = z.strictObject({
  scenario: z.union([
    z.strictObject({ file: z.string().min(1).max(200) }),
    z.strictObject({ name: z.string().min(1).max(200), text: z.string().min(1).max(MAX_BODY_BYTES) }),
  ]),
  humans: z.array(id).min(1).max(20),
  seed: z.string().min(1).max(200).regex(/^\S+$/, 'expected a seed without spaces'),
  deadlineSeconds: z.number().int().min(10).max(24 * 3600).nullable(),
  undecided: z.enum(['none', 'policy']),
});
export type CreateGame = z.infer<typeof CreateGame>;

/** The body of `POST /api/scenarios/check`: an uploaded file to validate. */
export const CheckScenario = z.strictObject({ name: z.string().min(1).max(200), text: z.string().min(1).max(MAX_BODY_BYTES) });

/** The body of `POST /api/join`. */
export const Join = z.strictObject({ code: z.string().min(1).max(20), name: z.string().trim().min(1).max(40) });

/** A problem with what a page sent or asked for; `code` is `area/snake_case`. */
export interface Refusal {
  readonly code: string;
  readonly message: string;
}

/** A scenario problem with its place in the file, as `brink validate` prints it. */
export interface PositionedProblem {
  readonly line: number | null;
  readonly column: number | null;
  readonly path: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
  /** The whole line as `brink validate` prints it. */
  readonly text: string;
}

/** A scenario the facilitator may start a game of. */
export interface ScenarioChoice {
  /** Path under scenarios/ (for a shipped one) or the uploaded file's name. */
  readonly file: string;
  readonly title: string;
  readonly turns: number;
  readonly actors: ReadonlyArray<{ readonly id: string; readonly name: string; readonly briefing: string | null }>;
}

/** One act of the news, in words. */
export interface NewsAct {
  readonly actor: string;
  readonly actorName: string;
  readonly act: string;
  readonly description: string;
  readonly to: readonly string[];
  readonly rung: string;
  readonly rungName: string;
  readonly theatre: string | null;
  readonly origin: string;
  /** Why it happened, in words: a team's decision, the policy, a shock, the facilitator, a reaction. */
  readonly why: string;
  readonly claims: readonly string[];
  /** True when it raised a theatre's or the overall peak. */
  readonly step: boolean;
}

/** What happened in one played turn. */
export interface NewsTurn {
  readonly turn: number;
  readonly date: string;
  readonly acts: readonly NewsAct[];
}

/** Where one theatre stands on the ladder. */
export interface Gauge {
  readonly theatre: string;
  readonly name: string;
  /** Index of the highest rung reached, or -1. */
  readonly peak: number;
}

/** The ladder, shared by the gauges. */
export interface LadderView {
  readonly rungs: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  readonly thresholds: ReadonlyArray<{ readonly id: string; readonly name: string; readonly at: number }>;
}

/** An objective and whether it holds now (null: decided only at the end). */
export interface ObjectiveView {
  readonly id: string;
  readonly text: string;
  readonly met: boolean | null;
}

/** One human team as everyone may see it: whether it decided, never what. */
export interface TeamStatus {
  readonly actor: string;
  readonly name: string;
  readonly decided: boolean;
  readonly members: readonly string[];
  readonly online: number;
}

/** A move a team can make now. */
export interface MoveChoice {
  readonly id: string;
  readonly event: string;
  readonly description: string;
  readonly to: readonly string[];
  readonly rung: string;
  readonly rungName: string;
}

/** What every page of a game shares. */
export interface GameView {
  readonly version: number;
  readonly game: string;
  readonly title: string;
  readonly seed: string;
  readonly scenarioHash: string;
  /** Turns played so far (0 before the first). */
  readonly turn: number;
  readonly turns: number;
  /** The month the next turn plays, e.g. "Jul 2024"; the last month when the game is over. */
  readonly date: string;
  readonly phase: 'deciding' | 'paused' | 'over' | 'ended';
  /** When the deadline plays the turn (epoch ms), or null. */
  readonly deadlineAt: number | null;
  readonly deadlineSeconds: number | null;
  readonly undecided: 'none' | 'policy';
  readonly ladder: LadderView;
  readonly gauges: readonly Gauge[];
  /** Actor ids in file order and the rung index each dyad reached (-1: none), `dyads[from][to]`. */
  readonly actors: ReadonlyArray<{ readonly id: string; readonly name: string; readonly human: boolean }>;
  readonly dyads: ReadonlyArray<readonly number[]>;
  /** Every played turn's news; null in a message when it has not changed since the page's last view. */
  readonly news: readonly NewsTurn[] | null;
  readonly teams: readonly TeamStatus[];
  readonly objectives: ReadonlyArray<{ readonly actor: string; readonly objectives: readonly ObjectiveView[] }>;
  /** Facilitator's notes for this turn (injects, forced or suppressed shocks), in words. */
  readonly pending: readonly string[];
  readonly debrief: DebriefStatus;
}

/** The debrief's progress once the game has ended. */
export type DebriefStatus =
  | { readonly state: 'none' }
  | { readonly state: 'running'; readonly done: number; readonly total: number }
  | { readonly state: 'ready' }
  | { readonly state: 'failed'; readonly message: string };

/** What a team's members see. */
export interface TeamView extends GameView {
  readonly role: 'team';
  readonly me: { readonly actor: string; readonly name: string; readonly member: string };
  readonly briefing: string | null;
  readonly states: readonly string[];
  readonly moves: readonly MoveChoice[];
  /** The team's current choice (null move: "no move"), who made it and when; null if none yet. */
  readonly choice: { readonly move: string | null; readonly by: string } | null;
}

/** What the facilitator sees: the projector view, the controls' options and the join codes. */
export interface FacilitatorView extends GameView {
  readonly role: 'facilitator';
  readonly joins: ReadonlyArray<{ readonly actor: string; readonly name: string; readonly code: string; readonly url: string; readonly qrSvg: string }>;
  readonly catalogue: ReadonlyArray<{ readonly id: string; readonly description: string; readonly theatre: string | null }>;
  readonly shocks: ReadonlyArray<{ readonly id: string; readonly description: string; readonly mode: 'force' | 'suppress' | null }>;
  readonly theatres: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  readonly canTakeBack: boolean;
}

/** Messages from the server on the live channel. */
export type ServerMessage =
  | {
      readonly type: 'view';
      /** The server's clock when sent (epoch ms). */
      readonly now: number;
      /** On a team page: the member's own name, to put in `view.me.member` (the view is shared by the team). */
      readonly member?: string;
      readonly view: TeamView | FacilitatorView;
    }
  | { readonly type: 'ack'; readonly req: number; readonly version: number }
  | { readonly type: 'refused'; readonly req: number | null; readonly code: string; readonly message: string };

/** Formats zod issues as one readable line each: `path: message`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(message)'}: ${i.message}`)
    .join('; ');
}
