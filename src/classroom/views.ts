/**
 * What a classroom page or screen shows, computed from a session. Pure: the same session gives the
 * same views. Teams see their own objectives and moves; `decisionStatus` tells who has decided, not what.
 */
import type { NarratedAct } from '../analysis/run-report.ts';
import type { Model } from '../model/types.ts';
import { deriveObjectives, type ObjectiveStatus, objectiveWorld } from './objectives.ts';
import { comingTurn, dateOf, isOver, liveOf, type MoveOption, moveOptions, type Phase, type Session } from './session.ts';

/** Where the game stands. */
export interface GameStatus {
  readonly scenario: { readonly id: string; readonly title: string; readonly file: string; readonly hash: string };
  readonly seed: string;
  readonly phase: Phase;
  /** True when no further turn can be played (ended, or every turn played). */
  readonly over: boolean;
  /** Turns played so far. */
  readonly played: number;
  readonly turns: number;
  /** The coming turn and its date (absent once every turn is played). */
  readonly coming: { readonly turn: number; readonly date: string } | null;
  /** The date of the last turn played (absent before the first). */
  readonly lastDate: string | null;
  /** Actor ids played by teams. */
  readonly teams: readonly string[];
}

export function gameStatus(s: Session): GameStatus {
  const coming = comingTurn(s);
  const meta = s.model.scenario.metadata;
  return {
    scenario: { id: meta.id, title: meta.title, file: s.start.scenario.file, hash: s.start.scenario.hash },
    seed: s.start.seed,
    phase: s.phase,
    over: isOver(s),
    played: s.turns.length,
    turns: s.model.turns,
    coming: coming > s.model.turns || s.phase === 'ended' ? null : { turn: coming, date: dateOf(s, coming) },
    lastDate: s.turns.length === 0 ? null : dateOf(s, s.turns.length),
    teams: s.start.teams,
  };
}

/** One actor as a page shows it. */
export interface ActorView {
  readonly id: string;
  readonly name: string;
  /** True when a team plays it. */
  readonly team: boolean;
  readonly description: string | null;
  /** What it wants and fears (the scenario's briefing). */
  readonly briefing: string | null;
  /** Its active atomic states now, as dotted paths. */
  readonly states: readonly string[];
  /** Its objectives and whether each holds on the world now (at the end of the game: met or not). */
  readonly objectives: readonly ObjectiveStatus[];
}

/** Every actor, in the scenario's order, with its states and objectives now. */
export function actorViews(s: Session): ActorView[] {
  const live = liveOf(s);
  const world = objectiveWorld(live.runner.view, live.runner.result().events);
  return s.model.actors.map((a) => {
    const def = s.model.scenario.actors[a.id];
    return {
      id: a.id,
      name: a.name,
      team: s.teamActors.includes(a.index),
      description: def?.description ?? null,
      briefing: def?.briefing ?? null,
      states: live.runner.label(a.index).split(', ').filter((x) => x !== ''),
      objectives: deriveObjectives(s.model, a.index, world),
    };
  });
}

/** The objectives of one actor now (`actor` is an id). */
export function objectivesOf(s: Session, actor: string): ObjectiveStatus[] {
  const index = s.model.actors.findIndex((a) => a.id === actor);
  if (index < 0) return [];
  const live = liveOf(s);
  return deriveObjectives(s.model, index, objectiveWorld(live.runner.view, live.runner.result().events));
}

/** A team's choices for the coming turn. */
export interface TeamChoices {
  readonly actor: string;
  readonly turn: number;
  /** The moves it can make now, with the policy's chance of each. */
  readonly moves: readonly MoveOption[];
  /** The policy's chance of making no move. */
  readonly noMove: number;
  /** The team's current decision for the turn (move keys, or `policy`), or null before it decides. */
  readonly decision: readonly string[] | 'policy' | null;
  readonly by: string | null;
}

/** The moves `actor` (an id) can make in the coming turn and its decision so far. Empty moves once the game is over. */
export function teamChoices(s: Session, actor: string): TeamChoices {
  const index = s.model.actors.findIndex((a) => a.id === actor);
  const moves = index < 0 ? [] : moveOptions(s, index);
  const d = s.pending.decisions.find((x) => x.actor === actor);
  const total = moves.reduce((sum, m) => sum + m.probability, 0);
  return {
    actor,
    turn: comingTurn(s),
    moves,
    noMove: Math.max(0, 1 - total),
    decision: d === undefined ? null : d.moves,
    by: d?.by ?? null,
  };
}

/** Which teams have decided the coming turn (not what they decided), in actor order. */
export function decisionStatus(s: Session): ReadonlyArray<{ readonly actor: string; readonly decided: boolean; readonly by: string | null }> {
  return s.start.teams.map((actor) => {
    const d = s.pending.decisions.find((x) => x.actor === actor);
    return { actor, decided: d !== undefined, by: d?.by ?? null };
  });
}

/** One line of a turn's news: an act in words, why it happened, and the claims behind it. */
export interface NewsLine {
  readonly turn: number;
  readonly date: string;
  /** `ROK LETHAL_AID_DECIDED against RUS, DPRK — L5 Military-technical transfer, EUR`. */
  readonly headline: string;
  /** The act's description. */
  readonly text: string;
  /** Why it happened: a team's or the policy's move, a shock, a script, the facilitator, a reaction. */
  readonly why: string;
  readonly claims: ReadonlyArray<{ readonly id: string; readonly text: string }>;
  readonly assumption: string | null;
  /** True when it raised the overall peak. */
  readonly step: boolean;
  readonly act: NarratedAct;
}

/** The news of a played turn (1-based), in delivery order; empty for a turn not played. */
export function newsOf(s: Session, turn: number): NewsLine[] {
  const played = s.turns[turn - 1];
  if (played === undefined) return [];
  const teams = new Set(played.plan.decisions.filter((d) => d.moves !== 'policy').map((d) => d.actor));
  if (s.start.undecided === 'none') for (const t of s.start.teams) teams.add(t);
  return played.acts.map((a) => toNewsLine(a, teams));
}

/** The news of every played turn, turn by turn. */
export function allNews(s: Session): NewsLine[][] {
  return s.turns.map((_, i) => newsOf(s, i + 1));
}

function toNewsLine(a: NarratedAct, teams: ReadonlySet<string>): NewsLine {
  const targets = a.against.length > 0 ? ` against ${a.against.join(', ')}` : '';
  const data = a.data === null ? '' : ` (${Object.entries(a.data).map(([k, v]) => `${k}: ${String(v)}`).join(', ')})`;
  let why: string;
  switch (a.origin) {
    case 'script':
      why = a.rule.id === 'inject:facilitator' ? 'injected by the facilitator' : `scripted (${a.rule.id.replace(/^inject:/, '')})`;
      break;
    case 'shock':
      why = `shock ${a.rule.id.replace(/^shock:/, '')}`;
      break;
    case 'move':
      why = teams.has(a.actor) ? `the ${a.actor} team's decision` : `${a.actor}'s move (policy)`;
      break;
    case 'reaction':
      why = a.cause === null ? 'a reaction' : `reaction to ${a.cause.actor} ${a.cause.act}`;
      break;
    default:
      why = '';
  }
  return {
    turn: a.turn,
    date: a.date,
    headline: `${a.actor} ${a.act}${data}${targets} — ${a.rung} ${a.rungName}${a.theatre === null ? '' : `, ${a.theatre}`}`,
    text: a.description,
    why,
    claims: a.claims,
    assumption: a.rule.assumption,
    step: a.step,
    act: a,
  };
}

/** The peaks reached so far: overall, per theatre, and per dyad (`from → to`), as rung ids (null: none). */
export interface PeakView {
  readonly overall: string | null;
  readonly theatres: ReadonlyArray<{ readonly id: string; readonly name: string; readonly peak: string | null }>;
  readonly dyads: ReadonlyArray<{ readonly from: string; readonly to: string; readonly peak: string }>;
}

export function peaksNow(s: Session): PeakView {
  const m: Model = s.model;
  const w = liveOf(s).runner.view;
  const rung = (i: number) => (i < 0 ? null : (m.rungs[i] as { id: string }).id);
  const dyads: Array<{ from: string; to: string; peak: string }> = [];
  for (const f of m.actors)
    for (const t of m.actors) {
      const p = w.peak(f.index, t.index, -1);
      if (p >= 0) dyads.push({ from: f.id, to: t.id, peak: rung(p) as string });
    }
  return { overall: rung(w.peak(-1, -1, -1)), theatres: m.theatres.map((t, i) => ({ id: t.id, name: t.name, peak: rung(w.peak(-1, -1, i)) })), dyads };
}

/** What the facilitator can inject and force: the act catalogue, the actors and the shocks. */
export interface FacilitatorMenu {
  readonly events: ReadonlyArray<{ readonly id: string; readonly rung: string; readonly theatre: string | null; readonly description: string; readonly fields: Readonly<Record<string, readonly (string | number | boolean)[]>> }>;
  readonly actors: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  readonly shocks: ReadonlyArray<{ readonly id: string; readonly event: string; readonly from: string; readonly description: string | null; readonly setting: 'force' | 'suppress' | 'chance' }>;
  /** The injects queued for the coming turn, by index (what `withdraw` names). */
  readonly injects: ReadonlyArray<{ readonly index: number; readonly event: string; readonly from: string }>;
}

export function facilitatorMenu(s: Session): FacilitatorMenu {
  const m = s.model;
  return {
    events: m.events.map((e) => ({
      id: e.id,
      rung: (m.rungs[e.rung] as { id: string }).id,
      theatre: e.theatre >= 0 ? (m.theatres[e.theatre] as { id: string }).id : null,
      description: e.description,
      fields: m.scenario.events[e.id]?.fields ?? {},
    })),
    actors: m.actors.map((a) => ({ id: a.id, name: a.name })),
    shocks: m.shocks.map((sh) => ({
      id: sh.id,
      event: (m.events[sh.event] as { id: string }).id,
      from: (m.actors[sh.from] as { id: string }).id,
      description: m.rules[sh.rule]?.description ?? null,
      setting: s.pending.shocks.find((x) => x.shock === sh.id)?.mode ?? 'chance',
    })),
    injects: s.pending.injects.map((i, index) => ({ index, event: i.event, from: i.from })),
  };
}
