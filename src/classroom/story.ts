import type { Decide, GameEntry, Inject, Result, SetShock } from './game-entry.ts';
import type { ObjectiveStatus } from './objectives.ts';
import { applyCommand, dateOf, openGame, type Session } from './session.ts';
import { actorViews, type GameStatus, gameStatus, type NewsLine, newsOf, type PeakView, peaksNow } from './views.ts';

/** Something that happened in a game, in log order. */
export type StoryEvent =
  | {
      readonly kind: 'turn';
      readonly turn: number;
      readonly date: string;
      readonly decisions: readonly Decide[];
      readonly injects: readonly Inject[];
      readonly shocks: readonly SetShock[];
      readonly news: readonly NewsLine[];
      readonly stateChanges: ReadonlyArray<{ readonly actor: string; readonly from: string; readonly to: string }>;
      readonly peaks: PeakView;
    }
  | { readonly kind: 'takeBack'; readonly turn: number; readonly date: string }
  | { readonly kind: 'pause' | 'resume' }
  | { readonly kind: 'end'; readonly played: number };

/** A whole game told from its log: every turn played (taken-back ones too), and how it ended. */
export interface GameStory {
  readonly status: GameStatus;
  readonly events: readonly StoryEvent[];
  readonly peaks: PeakView;
  /** The teams' objectives on the final world. */
  readonly objectives: readonly ObjectiveStatus[];
  readonly session: Session;
}

/** Tells a game from its log. Pure: the same log, the same story. */
export function deriveGameStory(log: readonly GameEntry[]): Result<GameStory> {
  const first = log[0];
  if (first === undefined || first.kind !== 'start') return { ok: false, problem: { code: 'classroom/bad_log', message: 'a game log begins with its "start" entry; this one does not' } };
  const opened = openGame(first);
  if (!opened.ok) return opened;
  let s = opened.value;
  const events: StoryEvent[] = [];
  for (let i = 1; i < log.length; i++) {
    const e = log[i] as GameEntry;
    if (e.kind === 'start') return { ok: false, problem: { code: 'classroom/bad_log', message: `entry ${i + 1} is a second "start" entry` } };
    const r = applyCommand(s, e);
    if (!r.ok) return { ok: false, problem: { code: 'classroom/bad_log', message: `entry ${i + 1} (${e.kind}) cannot be replayed: ${r.problem.message}` } };
    s = r.value;
    if (e.kind === 'play') {
      const played = s.turns[e.turn - 1];
      if (played === undefined) continue;
      events.push({
        kind: 'turn',
        turn: e.turn,
        date: dateOf(s, e.turn),
        decisions: played.plan.decisions,
        injects: played.plan.injects,
        shocks: played.plan.shocks,
        news: newsOf(s, e.turn),
        stateChanges: played.stateChanges,
        peaks: peaksNow(s),
      });
    } else if (e.kind === 'takeBack') events.push({ kind: 'takeBack', turn: e.turn, date: dateOf(s, e.turn) });
    else if (e.kind === 'pause' || e.kind === 'resume') events.push({ kind: e.kind });
    else if (e.kind === 'end') events.push({ kind: 'end', played: s.turns.length });
  }
  const objectives = actorViews(s)
    .filter((a) => a.team)
    .flatMap((a) => a.objectives);
  return { ok: true, value: { status: gameStatus(s), events, peaks: peaksNow(s), objectives, session: s } };
}
