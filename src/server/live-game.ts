import { applyCommand, comingTurn, type GameCommand, type GameEntry, isOver, type Session } from '../classroom/index.ts';
import type { GameMeta, Member, ServerStore } from './server-store.ts';
import type { DebriefStatus, FacilitatorView, GameView, Refusal, ServerMessage } from './protocol.ts';
import { deriveFacilitatorView, deriveGameView, deriveTeamView } from './views.ts';

/** A page connected to a game, after its hello. */
export interface Connection {
  readonly role: 'team' | 'facilitator';
  /** The team's actor and the member's name (team pages only). */
  readonly actor: string | null;
  readonly member: string | null;
  send(message: ServerMessage): void;
  /** Sends an already serialised message. */
  sendText(text: string): void;
  /** The news this page has (the array last sent), so unchanged news is not sent again. */
  newsSeen?: unknown;
}

/** What a live game needs from the server around it. */
export interface LiveGameDeps {
  readonly store: ServerStore;
  readonly now: () => number;
  /** Join links and QR codes per team, made once. */
  readonly joins: () => FacilitatorView['joins'];
  /** Called after every accepted change (for the debrief once the game ends). */
  readonly onChange?: (game: LiveGame) => void;
}

/**
 * One game being played: its session (issue 14's pure core), the server's settings and members, and
 * the pages connected to it. Every accepted command is appended to the store, durably, before the
 * session moves on and before anyone hears of it.
 */
export class LiveGame {
  version = 1;
  deadlineAt: number | null = null;
  debrief: DebriefStatus = { state: 'none' };
  /** The debrief page once computed. */
  debriefHtml: string | null = null;
  readonly conns = new Set<Connection>();
  private timer: NodeJS.Timeout | null = null;
  private flushQueued = false;

  constructor(
    public session: Session,
    public meta: GameMeta,
    readonly members: Map<string, Member>,
    private readonly deps: LiveGameDeps,
  ) {
    this.scheduleDeadline(true);
  }

  get id(): string {
    return this.meta.id;
  }

  /** Applies a classroom command: refused (nothing changes, nothing is written) or durable, then shown. */
  apply(command: GameCommand): Refusal | null {
    const r = applyCommand(this.session, command);
    if (!r.ok) return r.problem;
    const before = this.session;
    this.deps.store.appendEntry(this.id, r.value.log[r.value.log.length - 1] as GameEntry);
    this.session = r.value;
    const turnChanged = comingTurn(before) !== comingTurn(r.value) || before.phase !== r.value.phase;
    this.changed(turnChanged);
    return null;
  }

  /** Changes the decision deadline (server setting, durable in the game's meta). */
  setDeadline(seconds: number | null): void {
    this.meta = { ...this.meta, deadlineSeconds: seconds };
    this.deps.store.writeMeta(this.meta);
    this.changed(true);
  }

  /** Something changed: bump the version, re-arm the deadline if a turn opened, show everyone. */
  changed(turnOpened: boolean): void {
    this.version++;
    if (turnOpened) this.scheduleDeadline(true);
    this.deps.onChange?.(this);
    this.queueFlush();
  }

  private scheduleDeadline(restart: boolean): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const secs = this.meta.deadlineSeconds;
    if (secs === null || this.session.phase !== 'deciding' || isOver(this.session)) {
      this.deadlineAt = null;
      return;
    }
    if (restart || this.deadlineAt === null) this.deadlineAt = this.deps.now() + secs * 1000;
    const turn = comingTurn(this.session);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (comingTurn(this.session) === turn && this.session.phase === 'deciding') this.apply({ kind: 'play', turn, by: 'deadline' });
    }, Math.max(0, this.deadlineAt - this.deps.now()));
    this.timer.unref();
  }

  /** Sends every connected page its view, once per event-loop turn however many changes came in. */
  queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.conns.size === 0) return;
    const base = this.baseView();
    const now = this.deps.now();
    // Each view is serialised once and shared: by the facilitator's pages, by a team's members; the
    // news, the largest part, only goes to a page that does not have it yet.
    const news = base.news;
    const texts = new Map<string, string>();
    const text = (key: string, make: () => object) => {
      let t = texts.get(key);
      if (t === undefined) {
        t = JSON.stringify(make());
        texts.set(key, t);
      }
      return t;
    };
    for (const c of this.conns) {
      const fresh = c.newsSeen !== news;
      const slim = (v: object) => (fresh ? v : { ...v, news: null });
      c.newsSeen = news;
      if (c.role === 'facilitator') {
        c.sendText(`{"type":"view","now":${now},"view":${text(`f:${fresh}`, () => slim(deriveFacilitatorView(this.session, base, this.deps.joins())))}}`);
      } else {
        const actor = c.actor as string;
        c.sendText(`{"type":"view","now":${now},"member":${JSON.stringify(c.member)},"view":${text(`t:${actor}:${fresh}`, () => slim(deriveTeamView(this.session, base, actor, '')))}}`);
      }
    }
  }

  /** The view of one page now (for a page that just connected). */
  viewFor(c: Connection): ServerMessage {
    const base = this.baseView();
    const now = this.deps.now();
    c.newsSeen = base.news;
    if (c.role === 'facilitator') return { type: 'view', view: deriveFacilitatorView(this.session, base, this.deps.joins()), now };
    return { type: 'view', view: deriveTeamView(this.session, base, c.actor as string, c.member as string), now };
  }

  private baseView(): GameView {
    const members = new Map<string, string[]>();
    for (const m of this.members.values()) {
      const list = members.get(m.actor) ?? [];
      if (!list.includes(m.name)) list.push(m.name);
      members.set(m.actor, list);
    }
    const online = new Map<string, number>();
    for (const c of this.conns) if (c.actor !== null) online.set(c.actor, (online.get(c.actor) ?? 0) + 1);
    return deriveGameView(this.session, {
      id: this.id,
      version: this.version,
      deadlineAt: this.deadlineAt,
      deadlineSeconds: this.meta.deadlineSeconds,
      members,
      online,
      debrief: this.debrief,
    });
  }

  /** Stops the deadline timer (the server is closing). */
  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
