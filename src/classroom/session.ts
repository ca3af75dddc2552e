/**
 * The classroom game session: a pure value and pure commands. A game is its log — the `start` entry
 * and every accepted command — and the session is a function of that log alone: the same log gives the
 * same session on any machine, in the terminal and on the server (`replay`). A refused command is a
 * problem as data and leaves the session unchanged.
 */
import { deriveRunReport, type NarratedAct } from '../analysis/run-report.ts';
import { deriveMeta } from '../analysis/summary.ts';
import { CompiledKernel } from '../engine/compiled-kernel.ts';
import { EngineError, type InjectAct, Runner, type TurnOverride } from '../engine/run.ts';
import { buildModel } from '../model/build-model.ts';
import { turnDate } from '../model/calendar.ts';
import type { Model, Scalar } from '../model/types.ts';
import { parseScenarioText } from '../scenario/load.ts';
import { formatProblem } from '../scenario/problem.ts';
import { VERSION } from '../version.ts';
import {
  type ClassroomProblem,
  type Decide,
  GAME_LOG_VERSION,
  type GameCommand,
  type GameEntry,
  type GameStart,
  type Inject,
  type Result,
  type SetShock,
} from './game-entry.ts';

/** Where a game is: teams deciding the coming turn, paused by the facilitator, or ended. */
export type Phase = 'deciding' | 'paused' | 'ended';

/** What has been decided for one turn: the teams' decisions, the facilitator's injects and shock settings. */
export interface TurnPlan {
  readonly turn: number;
  /** The latest decision of each team that decided, in the scenario's actor order. */
  readonly decisions: readonly Decide[];
  /** The facilitator's injects, in the order they will be queued. */
  readonly injects: readonly Inject[];
  /** Shocks forced or suppressed, in the scenario's shock order (`chance` ones are absent). */
  readonly shocks: readonly SetShock[];
}

/** A turn that was played: what was decided for it and what happened. */
export interface PlayedTurn {
  readonly plan: TurnPlan;
  /** The turn's acts, in delivery order, told as the run narrative tells them. */
  readonly acts: readonly NarratedAct[];
  /** The turn's changes of actors' states, in order. */
  readonly stateChanges: ReadonlyArray<{ readonly actor: string; readonly from: string; readonly to: string; readonly cause: number }>;
}

/**
 * A classroom game. Immutable: every command returns a new session. `log` is the whole game; the rest is
 * derived from it. Read it through the query functions (src/classroom/views.ts) rather than its fields
 * where one exists.
 */
export interface Session {
  readonly model: Model;
  readonly start: GameStart;
  /** Every accepted entry, `start` first: what a store keeps and `replay` reads. */
  readonly log: readonly GameEntry[];
  readonly phase: Phase;
  /** The turns played, in order (a taken-back turn is gone from here, but not from `log`). */
  readonly turns: readonly PlayedTurn[];
  /** What has been decided so far for the coming turn (`turns.length + 1`). */
  readonly pending: TurnPlan;
  /** Actor indices of the teams, in actor order. */
  readonly teamActors: readonly number[];
}

/** What `createGame` needs. */
export interface GameSetup {
  readonly scenario: { readonly file: string; readonly text: string; readonly hash: string };
  readonly seed: string;
  /** Actor ids that human teams play. */
  readonly teams: readonly string[];
  /** What an undecided team does when the turn plays. Default `none` (no move). */
  readonly undecided?: 'none' | 'policy';
}

/** Creates a game: the `start` entry from the setup, then the session. Refuses an unknown team or a scenario whose text does not give its hash. Pure. */
export function createGame(setup: GameSetup): Result<Session> {
  const start: GameStart = {
    kind: 'start',
    version: GAME_LOG_VERSION,
    brink: VERSION,
    scenario: { file: setup.scenario.file, text: setup.scenario.text, hash: setup.scenario.hash },
    seed: setup.seed,
    teams: [...setup.teams],
    undecided: setup.undecided ?? 'none',
  };
  return openGame(start);
}

/** Opens a game from its `start` entry: checks the scenario's text against its hash, and the teams. Pure. */
export function openGame(start: GameStart): Result<Session> {
  const loaded = parseScenarioText(start.scenario.text, start.scenario.file);
  if (!loaded.ok) {
    const errors = loaded.problems.filter((p) => p.severity === 'error');
    return problem('bad_scenario', `the game's scenario (${start.scenario.file}) has ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${errors.map(formatProblem).join('\n')}`);
  }
  if (loaded.hash !== start.scenario.hash) {
    return problem(
      'scenario_hash_mismatch',
      `the game's scenario text gives hash ${loaded.hash}, not the ${start.scenario.hash} it was played with: the log was changed or damaged; use an untouched copy of the log`,
    );
  }
  const model = buildModel(loaded.scenario);
  const ids = model.actors.map((a) => a.id);
  const seen = new Set<string>();
  for (const t of start.teams) {
    if (!ids.includes(t)) return problem('unknown_actor', `no actor "${t}" in ${start.scenario.file} (actors: ${ids.join(', ')})`);
    if (seen.has(t)) return problem('duplicate_team', `actor "${t}" is listed twice among the teams`);
    seen.add(t);
  }
  const teamActors = model.actors.filter((a) => seen.has(a.id)).map((a) => a.index);
  const session: Session = {
    model,
    start: { ...start, teams: teamActors.map((a) => ids[a] as string) },
    log: [start],
    phase: 'deciding',
    turns: [],
    pending: emptyPlan(1),
    teamActors,
  };
  return { ok: true, value: session };
}

/**
 * Applies a command. Pure: the same session and command give the same result; a refused command gives
 * a problem and no new session. An accepted command is appended to the log as given (a decision's move
 * names are normalised to their keys).
 */
export function applyCommand(session: Session, command: GameCommand): Result<Session> {
  if (session.phase === 'ended') return problem('game_ended', 'the game has ended: no command is accepted');
  switch (command.kind) {
    case 'decide':
      return decide(session, command);
    case 'inject':
      return inject(session, command);
    case 'withdraw': {
      const open = openTurn(session, command.turn);
      if (open !== undefined) return open;
      if (command.inject >= session.pending.injects.length)
        return problem('unknown_inject', `turn ${command.turn} has ${session.pending.injects.length} inject${session.pending.injects.length === 1 ? '' : 's'}; there is no inject #${command.inject}`);
      const injects = session.pending.injects.filter((_, i) => i !== command.inject);
      return accept(session, command, { pending: { ...session.pending, injects } });
    }
    case 'shock':
      return setShock(session, command);
    case 'play':
      return play(session, command);
    case 'takeBack':
      return takeBack(session, command);
    case 'pause':
      if (session.phase === 'paused') return problem('already_paused', 'the game is already paused');
      return accept(session, command, { phase: 'paused' });
    case 'resume':
      if (session.phase !== 'paused') return problem('not_paused', 'the game is not paused');
      return accept(session, command, { phase: 'deciding' });
    case 'end':
      return accept(session, command, { phase: 'ended' });
    default:
      return assertNever(command);
  }
}

/**
 * Replays a log: opens its `start` entry and applies every command in order. Pure: the same log gives
 * the same session. A log whose first entry is not `start`, or with an entry the game refuses, is a
 * problem naming the entry (counting from 1).
 */
export function replay(log: readonly GameEntry[]): Result<Session> {
  const first = log[0];
  if (first === undefined || first.kind !== 'start') return problem('bad_log', 'a game log begins with its "start" entry; this one does not');
  const opened = openGame(first);
  if (!opened.ok) return opened;
  let s = opened.value;
  for (let i = 1; i < log.length; i++) {
    const e = log[i] as GameEntry;
    if (e.kind === 'start') return problem('bad_log', `entry ${i + 1} is a second "start" entry`);
    const r = applyCommand(s, e);
    if (!r.ok) return problem('bad_log', `entry ${i + 1} (${e.kind}) cannot be replayed: ${r.problem.message}`);
    s = r.value;
  }
  return { ok: true, value: s };
}

/** The number of the coming turn (the one being decided); `model.turns + 1` once every turn is played. */
export function comingTurn(session: Session): number {
  return session.turns.length + 1;
}

/** True when no more turn can be played: the game ended, or every turn of the scenario was played. */
export function isOver(session: Session): boolean {
  return session.phase === 'ended' || session.turns.length >= session.model.turns;
}

// ——— commands ———

function decide(s: Session, c: Decide): Result<Session> {
  const open = openTurn(s, c.turn);
  if (open !== undefined) return open;
  const actor = s.model.actors.find((a) => a.id === c.actor);
  if (actor === undefined) return problem('unknown_actor', `no actor "${c.actor}" (actors: ${s.model.actors.map((a) => a.id).join(', ')})`);
  if (!s.teamActors.includes(actor.index))
    return problem('not_a_team', `no team plays ${c.actor} in this game (teams: ${s.start.teams.join(', ') || 'none'}); the policy plays it`);
  let moves: string[] | 'policy' = 'policy';
  if (c.moves !== 'policy') {
    if (c.moves.length > 1) return problem('too_many_moves', `${c.actor} may make at most one move a turn; found ${c.moves.length}`);
    const options = moveOptions(s, actor.index);
    const keys: string[] = [];
    for (const m of c.moves) {
      const found = options.find((o) => o.key === m) ?? uniqueByName(options, m);
      if (found === undefined) {
        const declared = actor.moves.some((x) => moveKey(s.model, actor.index, x.rule) === m || x.id === m);
        const now = options.length === 0 ? 'none' : options.map((o) => o.key).join(', ');
        return problem(
          declared ? 'move_not_possible' : 'unknown_move',
          declared
            ? `${c.actor} cannot make move "${m}" in turn ${c.turn}: it is not possible now (moves possible now: ${now})`
            : `${c.actor} has no move "${m}" (moves possible now: ${now})`,
        );
      }
      keys.push(found.key);
    }
    moves = keys;
  }
  const entry: Decide = { ...c, moves };
  const decisions = [...s.pending.decisions.filter((d) => d.actor !== c.actor), entry].sort((a, b) => actorIndex(s, a.actor) - actorIndex(s, b.actor));
  return accept(s, entry, { pending: { ...s.pending, decisions } });
}

function inject(s: Session, c: Inject): Result<Session> {
  const open = openTurn(s, c.turn);
  if (open !== undefined) return open;
  const m = s.model;
  const type = m.events.find((e) => e.id === c.event);
  if (type === undefined) return problem('unknown_event', `no event type "${c.event}" in the catalogue (${m.events.map((e) => e.id).join(', ')})`);
  const ids = m.actors.map((a) => a.id);
  for (const who of [c.from, ...(c.to ?? []), ...(c.against ?? [])]) {
    if (!ids.includes(who)) return problem('unknown_actor', `no actor "${who}" (actors: ${ids.join(', ')})`);
  }
  if (c.theatre !== undefined && !m.theatres.some((t) => t.id === c.theatre))
    return problem('unknown_theatre', `no theatre "${c.theatre}" (theatres: ${m.theatres.map((t) => t.id).join(', ') || 'none'})`);
  const fields = m.scenario.events[c.event]?.fields ?? {};
  for (const [k, v] of Object.entries(c.data ?? {})) {
    const allowed = fields[k];
    if (allowed === undefined) return problem('unknown_field', `${c.event} has no data field "${k}" (fields: ${Object.keys(fields).join(', ') || 'none'})`);
    if (!allowed.includes(v)) return problem('bad_field_value', `${c.event}.${k} may be ${allowed.map(String).join(', ')}; found ${String(v)}`);
  }
  return accept(s, c, { pending: { ...s.pending, injects: [...s.pending.injects, c] } });
}

function setShock(s: Session, c: SetShock): Result<Session> {
  const open = openTurn(s, c.turn);
  if (open !== undefined) return open;
  const index = s.model.shocks.findIndex((x) => x.id === c.shock);
  if (index < 0) return problem('unknown_shock', `no shock "${c.shock}" (shocks: ${s.model.shocks.map((x) => x.id).join(', ') || 'none'})`);
  const rest = s.pending.shocks.filter((x) => x.shock !== c.shock);
  const shocks = c.mode === 'chance' ? rest : [...rest, c].sort((a, b) => shockIndex(s, a.shock) - shockIndex(s, b.shock));
  return accept(s, c, { pending: { ...s.pending, shocks } });
}

function play(s: Session, c: Extract<GameCommand, { kind: 'play' }>): Result<Session> {
  const open = openTurn(s, c.turn);
  if (open !== undefined) return open;
  const live = liveOf(s);
  const turn = c.turn;
  try {
    live.runner.step(toOverride(s, s.pending));
  } catch (e) {
    LIVE.delete(s); // the runner is mid-turn: rebuild it from the log on next use
    if (e instanceof EngineError) return problem('engine_error', `turn ${turn} cannot be played: ${e.message} (${e.code})`);
    throw e;
  }
  const playedTurn = describeTurn(s, live, turn);
  LIVE.delete(s);
  return accept(s, c, { turns: [...s.turns, playedTurn], pending: emptyPlan(turn + 1) }, live);
}

function takeBack(s: Session, c: Extract<GameCommand, { kind: 'takeBack' }>): Result<Session> {
  if (s.phase === 'paused') return problem('paused', 'the game is paused: resume it first');
  const last = s.turns[s.turns.length - 1];
  if (last === undefined) return problem('nothing_to_take_back', 'no turn has been played yet');
  if (c.turn !== last.plan.turn) return problem('wrong_turn', `only the last turn played (${last.plan.turn}) can be taken back; found turn ${c.turn}`);
  return accept(s, c, { turns: s.turns.slice(0, -1), pending: last.plan });
}

// ——— helpers ———

function accept(s: Session, entry: GameEntry, change: Partial<Omit<Session, 'log'>>, live?: Live): Result<Session> {
  const next: Session = { ...s, ...change, log: [...s.log, entry] };
  const keep = live ?? (change.turns === undefined ? LIVE.get(s) : undefined);
  if (keep !== undefined) LIVE.set(next, keep);
  return { ok: true, value: next };
}

/** A problem when the coming turn cannot take a command for `turn` now; undefined when it can. */
function openTurn(s: Session, turn: number): { ok: false; problem: ClassroomProblem } | undefined {
  if (s.phase === 'paused') return problem('paused', 'the game is paused: nothing is accepted until the facilitator resumes it');
  const coming = comingTurn(s);
  if (coming > s.model.turns) return problem('no_more_turns', `all ${s.model.turns} turns have been played`);
  if (turn < coming) return problem('turn_played', `turn ${turn} has already been played; the coming turn is ${coming}`);
  if (turn > coming) return problem('turn_not_open', `turn ${turn} is not open yet; the coming turn is ${coming}`);
  return undefined;
}

function problem(code: string, message: string): { ok: false; problem: ClassroomProblem } {
  return { ok: false, problem: { code: `classroom/${code}`, message } };
}

function emptyPlan(turn: number): TurnPlan {
  return { turn, decisions: [], injects: [], shocks: [] };
}

function actorIndex(s: Session, id: string): number {
  return s.model.actors.findIndex((a) => a.id === id);
}

function shockIndex(s: Session, id: string): number {
  return s.model.shocks.findIndex((x) => x.id === id);
}

function uniqueByName(options: readonly MoveOption[], name: string): MoveOption | undefined {
  const found = options.filter((o) => o.name === name);
  return found.length === 1 ? found[0] : undefined;
}

/** A move's key: its declaring state's path (`(root)` for the root) and its name, `reviewing:shelve`. Unique within its actor. */
export function moveKey(model: Model, actor: number, rule: number): string {
  const id = (model.rules[rule] as { id: string }).id;
  return id.slice(`move:${(model.actors[actor] as { id: string }).id}:`.length);
}

/** A move a team can make now, as its page shows it. */
export interface MoveOption {
  /** What a decision names: `state path:move name` (see `moveKey`). */
  readonly key: string;
  /** The move's name in the scenario. */
  readonly name: string;
  /** Index into the actor's moves in the model. */
  readonly index: number;
  readonly event: string;
  /** The event type's one-line description (the move's own `description` when it has one). */
  readonly description: string;
  readonly rung: string;
  readonly rungName: string;
  readonly theatre: string | null;
  readonly to: readonly string[];
  readonly against: readonly string[];
  readonly data: Readonly<Record<string, Scalar>> | null;
  /** The chance the scenario's policy would make this move this turn (0–1). */
  readonly probability: number;
}

/**
 * The moves the actor can make in the coming turn, on the start-of-turn world, in document order, with
 * the policy's chance of each (what remains to 1 is the chance of no move). Empty once the game is over.
 */
export function moveOptions(s: Session, actor: number): MoveOption[] {
  if (isOver(s)) return [];
  const m = s.model;
  const a = m.actors[actor];
  if (a === undefined) return [];
  const live = liveOf(s);
  const others = m.actors.map((x) => x.index).filter((x) => x !== actor);
  return live.runner.movesNow(actor).map(({ move, probability }) => {
    const mv = a.moves[move] as (typeof a.moves)[number];
    const et = m.events[mv.event] as (typeof m.events)[number];
    const theatre = mv.theatre ?? et.theatre;
    const to = mv.to ?? others;
    const rule = m.rules[mv.rule];
    return {
      key: moveKey(m, actor, mv.rule),
      name: mv.id,
      index: move,
      event: et.id,
      description: rule?.description ?? et.description,
      rung: (m.rungs[et.rung] as { id: string }).id,
      rungName: (m.rungs[et.rung] as { name: string }).name,
      theatre: theatre >= 0 ? (m.theatres[theatre] as { id: string }).id : null,
      to: to.map((x) => (m.actors[x] as { id: string }).id),
      against: (mv.against ?? to).map((x) => (m.actors[x] as { id: string }).id),
      data: mv.data ?? null,
      probability,
    };
  });
}

/** The engine's override for a plan: the teams' decisions, the undecided teams, injects and shocks. */
export function toOverride(s: Session, plan: TurnPlan): TurnOverride {
  const m = s.model;
  const moves: Array<readonly [number, number]> = [];
  for (const a of s.teamActors) {
    const d = plan.decisions.find((x) => x.actor === (m.actors[a] as { id: string }).id);
    if (d === undefined) {
      if (s.start.undecided === 'none') moves.push([a, -1]);
      continue;
    }
    if (d.moves === 'policy') continue;
    const key = d.moves[0];
    const actor = m.actors[a] as (typeof m.actors)[number];
    moves.push([a, key === undefined ? -1 : actor.moves.findIndex((x) => moveKey(m, a, x.rule) === key)]);
  }
  const idOf = (id: string) => m.actors.findIndex((x) => x.id === id);
  const injects: InjectAct[] = plan.injects.map((i) => ({
    event: m.events.findIndex((e) => e.id === i.event),
    from: idOf(i.from),
    to: i.to?.map(idOf),
    against: i.against?.map(idOf),
    theatre: i.theatre === undefined ? undefined : m.theatres.findIndex((t) => t.id === i.theatre),
    data: i.data,
  }));
  const shocks = plan.shocks.map((x) => [shockIndex(s, x.shock), x.mode === 'force'] as const);
  return { moves, injects, shocks };
}

// ——— the live run behind a session ———

interface Live {
  readonly runner: Runner;
}

/** The runner positioned at the start of the coming turn, per session (a cache: rebuilt from the log when absent). */
const LIVE = new WeakMap<Session, Live>();

/** The session's live runner, replaying the played turns when the cache has none. */
export function liveOf(s: Session): Live {
  const cached = LIVE.get(s);
  // Sessions of one game share a runner until one of them plays a turn on it: then it is ahead of the others.
  if (cached !== undefined && cached.runner.turn === s.turns.length) return cached;
  const runner = new Runner(s.model, new CompiledKernel(s.model), { specialise: false });
  runner.begin(s.start.seed, { trace: true });
  for (const t of s.turns) runner.step(toOverride(s, t.plan));
  const live = { runner };
  LIVE.set(s, live);
  return live;
}

function describeTurn(s: Session, live: Live, turn: number): PlayedTurn {
  const record = live.runner.result();
  const meta = deriveMeta(s.model, { hash: s.start.scenario.hash, files: [s.start.scenario.file], seed: s.start.seed, runs: 1, engine: 'compiled' });
  const report = deriveRunReport(s.model, record, meta);
  return {
    plan: s.pending,
    acts: report.acts.filter((a) => a.turn === turn),
    stateChanges: report.stateChanges.filter((c) => c.turn === turn).map(({ actor, from, to, cause }) => ({ actor, from, to, cause })),
  };
}

/** The date of a turn, as the scenario's calendar names it. */
export function dateOf(s: Session, turn: number): string {
  return turnDate(s.model.scenario.time, turn);
}

function assertNever(x: never): never {
  throw new Error(`unhandled command ${JSON.stringify(x)}`);
}
