import {
  actorViews,
  allNews,
  dateOf,
  decisionStatus,
  facilitatorMenu,
  gameStatus,
  peaksNow,
  type Session,
  teamChoices,
} from '../classroom/index.ts';
import type { DebriefStatus, FacilitatorView, GameView, NewsTurn, TeamView } from './protocol.ts';

/** What the server adds to a session for its pages: settings, members and the debrief's progress. */
export interface GameExtras {
  readonly id: string;
  readonly version: number;
  readonly deadlineAt: number | null;
  readonly deadlineSeconds: number | null;
  /** Members' names per team actor, in joining order, and how many of their pages are connected. */
  readonly members: ReadonlyMap<string, readonly string[]>;
  readonly online: ReadonlyMap<string, number>;
  readonly debrief: DebriefStatus;
}

/**
 * What changes only when a turn is played or taken back: the actors' states and objectives, the
 * peaks, the news, the moves. Cached by the session's array of played turns, which a command replaces
 * exactly when one of them may change (a decision or an inject keeps it), so 200 pages re-render a
 * decision without re-deriving the world.
 */
interface TurnDerived {
  readonly actors: ReturnType<typeof actorViews>;
  readonly peaks: ReturnType<typeof peaksNow>;
  readonly news: NewsTurn[];
  readonly moves: Map<string, ReturnType<typeof teamChoices>['moves']>;
}
const TURN_CACHE = new WeakMap<Session['turns'], TurnDerived>();

function turnDerived(s: Session): TurnDerived {
  const hit = TURN_CACHE.get(s.turns);
  if (hit !== undefined) return hit;
  const d: TurnDerived = { actors: actorViews(s), peaks: peaksNow(s), news: deriveNews(s), moves: new Map() };
  TURN_CACHE.set(s.turns, d);
  return d;
}

function deriveNews(s: Session): NewsTurn[] {
  return allNews(s).map((lines, i) => ({
    turn: i + 1,
    date: dateOf(s, i + 1),
    acts: lines.map((l) => ({
      actor: l.act.actor,
      actorName: l.act.actorName,
      act: l.act.act,
      description: l.text,
      to: l.act.to,
      rung: l.act.rung,
      rungName: l.act.rungName,
      theatre: l.act.theatre,
      origin: l.act.origin,
      why: l.why,
      claims: l.claims.map((c) => c.id),
      step: l.step,
    })),
  }));
}

/** The part of the view every page of a game shares. Pure. */
export function deriveGameView(s: Session, x: GameExtras): GameView {
  const m = s.model;
  const status = gameStatus(s);
  const derived = turnDerived(s);
  const actors = derived.actors;
  const peaks = derived.peaks;
  const rungIndex = new Map(m.rungs.map((r, i) => [r.id, i]));
  const ids = m.actors.map((a) => a.id);
  const dyads = ids.map(() => ids.map(() => -1));
  for (const d of peaks.dyads) (dyads[ids.indexOf(d.from)] as number[])[ids.indexOf(d.to)] = rungIndex.get(d.peak) ?? -1;
  const news = derived.news;
  const menu = facilitatorMenu(s);
  const pending: string[] = [
    ...s.pending.injects.map((i) => `Inject: ${i.from} ${i.event}${i.to ? ` to ${i.to.join(', ')}` : ''}`),
    ...menu.shocks.filter((sh) => sh.setting !== 'chance').map((sh) => `Shock ${sh.id}: ${sh.setting === 'force' ? 'strikes' : 'cannot strike'} this turn`),
  ];
  const phase = s.phase === 'ended' ? 'ended' : status.over ? 'over' : s.phase;
  return {
    version: x.version,
    game: x.id,
    title: status.scenario.title,
    seed: status.seed,
    scenarioHash: status.scenario.hash,
    turn: status.played,
    turns: status.turns,
    date: status.coming?.date ?? status.lastDate ?? '',
    phase,
    deadlineAt: phase === 'deciding' ? x.deadlineAt : null,
    deadlineSeconds: x.deadlineSeconds,
    undecided: s.start.undecided,
    ladder: {
      rungs: m.rungs.map((r) => ({ id: r.id, name: r.name })),
      thresholds: m.thresholds.map((t) => ({ id: t.id, name: t.name, at: t.rung })),
    },
    gauges: peaks.theatres.map((t) => ({ theatre: t.id, name: t.name, peak: t.peak === null ? -1 : (rungIndex.get(t.peak) ?? -1) })),
    actors: actors.map((a) => ({ id: a.id, name: a.name, human: a.team })),
    dyads,
    news,
    teams: decisionStatus(s).map((d) => ({
      actor: d.actor,
      name: actors.find((a) => a.id === d.actor)?.name ?? d.actor,
      decided: d.decided,
      members: x.members.get(d.actor) ?? [],
      online: x.online.get(d.actor) ?? 0,
    })),
    objectives: actors
      .filter((a) => a.team)
      .map((a) => ({ actor: a.id, objectives: a.objectives.map((o) => ({ id: o.id, text: o.description, met: o.holds })) })),
    pending,
    debrief: x.debrief,
  };
}

/** A team's view: the shared view plus its briefing, states, moves and choice. Pure. */
export function deriveTeamView(s: Session, base: GameView, actor: string, member: string): TeamView {
  const derived = turnDerived(s);
  const a = derived.actors.find((v) => v.id === actor);
  let moves = derived.moves.get(actor);
  if (moves === undefined) {
    moves = teamChoices(s, actor).moves;
    derived.moves.set(actor, moves);
  }
  const decision = s.pending.decisions.find((x) => x.actor === actor);
  const d = decision === undefined ? null : decision.moves;
  return {
    ...base,
    role: 'team',
    me: { actor, name: a?.name ?? actor, member },
    briefing: a?.briefing ?? null,
    states: a?.states ?? [],
    moves:
      base.phase === 'deciding' || base.phase === 'paused'
        ? moves.map((m) => ({ id: m.key, event: m.event, description: m.description, to: m.to, rung: m.rung, rungName: m.rungName }))
        : [],
    choice: d === null || d === 'policy' ? null : { move: d[0] ?? null, by: decision?.by ?? 'someone' },
  };
}

/** The facilitator's view: the shared view plus the controls' menus and the join codes. Pure. */
export function deriveFacilitatorView(s: Session, base: GameView, joins: FacilitatorView['joins']): FacilitatorView {
  const menu = facilitatorMenu(s);
  return {
    ...base,
    role: 'facilitator',
    joins,
    catalogue: menu.events.map((e) => ({ id: e.id, description: e.description, theatre: e.theatre })),
    shocks: menu.shocks.map((sh) => ({ id: sh.id, description: sh.description ?? sh.event, mode: sh.setting === 'chance' ? null : sh.setting })),
    theatres: s.model.theatres.map((t) => ({ id: t.id, name: t.name })),
    canTakeBack: s.turns.length > 0 && s.phase === 'deciding',
  };
}
