/**
 * `brink/classroom`: the classroom game's pure core — the session value, its commands, the game log's
 * entries, `replay`, the views a page or a terminal shows, and the debrief. The terminal game
 * (`brink play`) and the web classroom (`brink serve`) both call exactly this.
 *
 * @example
 * const created = createGame({ scenario: { file, text, hash }, seed: '7', teams: ['ROK', 'CHN'] });
 * if (!created.ok) throw new Error(created.problem.message);
 * let game = created.value;
 * const r = applyCommand(game, { kind: 'decide', turn: 1, actor: 'ROK', moves: [] });
 * if (r.ok) game = r.value; else console.log(r.problem.message);   // the game is unchanged
 * game = must(applyCommand(game, { kind: 'play', turn: 1 }));
 * newsOf(game, 1);                       // what happened, with sources
 * replay(game.log);                      // the same session, from the log alone
 */
export {
  GAME_LOG_VERSION,
  GameCommand,
  GameEntry,
  GameStart,
  UNDECIDED,
  parseGameCommand,
  parseGameEntry,
} from './game-entry.ts';
export type { ClassroomProblem, Decide, Inject, Result, SetShock } from './game-entry.ts';
export { applyCommand, comingTurn, createGame, dateOf, isOver, moveKey, moveOptions, openGame, replay, toOverride } from './session.ts';
export type { GameSetup, MoveOption, Phase, PlayedTurn, Session, TurnPlan } from './session.ts';
export { deriveObjectives, objectiveWorld } from './objectives.ts';
export type { ObjectiveStatus } from './objectives.ts';
export {
  actorViews,
  allNews,
  decisionStatus,
  facilitatorMenu,
  gameStatus,
  newsOf,
  objectivesOf,
  peaksNow,
  teamChoices,
} from './views.ts';
export type { ActorView, FacilitatorMenu, GameStatus, NewsLine, PeakView, TeamChoices } from './views.ts';
export { PROTOCOL_COMMANDS, parseCommandLine, parseMovesFile } from './command-line.ts';
export type { ScriptedDecision } from './command-line.ts';
export { deriveGameStory } from './story.ts';
export type { GameStory, StoryEvent } from './story.ts';
export { debriefGame, pctInterval, planDebrief, readDebrief } from './debrief.ts';
export type { ArmEffect, Debrief, DebriefOptions, DebriefPlan, DebriefPosition, DecisionArms, DecisionEffect } from './debrief.ts';
