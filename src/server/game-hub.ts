import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { WSContext } from 'hono/ws';
import { createGame as createSession, type GameCommand, replay } from '../classroom/index.ts';
import { loadScenarioFile, parseScenarioText } from '../scenario/load.ts';
import { overlay } from '../scenario/merge.ts';
import { formatProblem, type Problem } from '../scenario/problem.ts';
import {
  createJoinCode,
  createSecret,
  formatJoinCode,
  hashSecret,
  normalizeJoinCode,
  secretMatches,
} from './codes.ts';
import { DebriefRunner } from './debrief-runner.ts';
import { type GameMeta, type Member, ServerStore } from './server-store.ts';
import { type Connection, LiveGame } from './live-game.ts';
import { renderQrSvg } from './qr.ts';
import {
  Command,
  type CreateGame,
  describeIssues,
  type FacilitatorView,
  Hello,
  MAX_MESSAGE_BYTES,
  type PositionedProblem,
  type Refusal,
  type ScenarioChoice,
  type ServerMessage,
} from './protocol.ts';

/** What the hub needs from the server around it. */
export interface HubOptions {
  readonly dataDir: string;
  readonly scenariosDir: string;
  readonly now: () => number;
  /** The address students reach the server at (for join links), known once it listens. */
  readonly publicUrl: () => string;
  /** Replications per comparison of a debrief (default 1,000). */
  readonly debriefRuns?: number;
}

/** What `createGame` and `checkScenario` answer. */
export type CreateResult =
  | { readonly ok: true; readonly game: string; readonly secret: string }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly problems?: readonly PositionedProblem[] };

/** A page's handle on the live channel. */
export interface LiveHandle {
  receive(text: string | null): void;
  close(): void;
}

/**
 * Every game the server holds, their join codes and members, and the live channel's protocol: who a
 * page is (its hello), what it may do (a team decides for its own actor only; the facilitator's
 * commands need the game's secret), and every message checked before anything reads it.
 */
export class GameHub {
  private readonly games = new Map<string, LiveGame>();
  private readonly codes = new Map<string, { game: string; actor: string }>();
  private scenarioList: ScenarioChoice[] | null = null;
  private readonly validated = new Map<string, { ok: true; text: string; hash: string } | { ok: false; problems: PositionedProblem[] }>();

  private readonly debriefs: DebriefRunner;

  private constructor(
    private readonly options: HubOptions,
    private readonly store: ServerStore,
  ) {
    this.debriefs = new DebriefRunner({ dir: options.dataDir, runs: options.debriefRuns ?? 1000, workers: Math.min(2, availableParallelism()), now: options.now });
  }

  /** Opens the store and replays every game in it. A game that cannot be replayed is skipped and named in `skipped`. */
  static async open(options: HubOptions): Promise<GameHub> {
    const hub = new GameHub(options, new ServerStore(options.dataDir));
    for (const id of hub.store.list()) await hub.restore(id);
    return hub;
  }

  /** Games that could not be restored, with why (shown by `brink serve` at start). */
  readonly skipped: string[] = [];

  private async restore(id: string): Promise<void> {
    const opened = this.store.open(id);
    if (!opened.ok) {
      this.skipped.push(`${id}: ${opened.problem.message}`);
      return;
    }
    const stored = opened.value;
    const r = replay(stored.entries);
    if (!r.ok) {
      this.skipped.push(`${id}: ${r.problem.message}`);
      return;
    }
    const members = new Map<string, Member>(stored.members.map((m) => [m.tokenHash, m]));
    await this.adopt(r.value, stored.meta, members);
  }

  private async adopt(session: LiveGame['session'], meta: GameMeta, members: Map<string, Member>): Promise<LiveGame> {
    for (const actor of session.start.teams) this.codes.set(meta.codes[actor] as string, { game: meta.id, actor });
    // Join links name the address students reach, known once the server listens: made on first use.
    let joins: FacilitatorView['joins'] | null = null;
    const makeJoins = (): FacilitatorView['joins'] =>
      (joins ??= session.start.teams.map((actor) => {
        const code = formatJoinCode(meta.codes[actor] as string);
        const url = `${this.options.publicUrl()}/join/${code}`;
        const name = session.model.actors.find((a) => a.id === actor)?.name ?? actor;
        return { actor, name, code, url, qrSvg: renderQrSvg(url) };
      }));
    const game = new LiveGame(session, meta, members, { store: this.store, now: this.options.now, joins: makeJoins, onChange: (g) => this.debriefs.consider(g) });
    this.games.set(meta.id, game);
    this.debriefs.consider(game);
    return game;
  }

  /**
   * The scenarios under the scenarios folder, sorted by file, read cheaply (YAML parsed, `extends`
   * followed, not validated: validating all of them blocks the server for seconds). A game is only
   * created from one that validates.
   */
  scenarios(): ScenarioChoice[] {
    if (this.scenarioList !== null) return this.scenarioList;
    const dir = this.options.scenariosDir;
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (/\.(ya?ml|json)$/.test(e.name) && !e.name.endsWith('.schema.json')) files.push(join(d, e.name));
      }
    };
    walk(dir);
    const out: ScenarioChoice[] = [];
    for (const f of files) {
      const raw = readRaw(f);
      if (raw === null) continue;
      out.push(choiceOf(relative(dir, f).split('\\').join('/'), raw));
    }
    this.scenarioList = out;
    return out;
  }

  /** A shipped scenario, validated (once): its text as the log keeps it and its hash, or its problems. */
  private shipped(file: string): { ok: true; text: string; hash: string } | { ok: false; problems: PositionedProblem[] } {
    const cached = this.validated.get(file);
    if (cached !== undefined) return cached;
    const path = join(this.options.scenariosDir, file);
    const r = loadScenarioFile(path);
    const result: { ok: true; text: string; hash: string } | { ok: false; problems: PositionedProblem[] } = r.ok
      ? // A scenario that extends another is kept resolved, as JSON, so its log replays anywhere.
        { ok: true, text: r.files.length > 1 ? JSON.stringify(r.scenario) : readFileSync(path, 'utf8'), hash: r.hash }
      : { ok: false, problems: r.problems.map(positioned) };
    this.validated.set(file, result);
    return result;
  }

  /** Validates an uploaded scenario: its choice, or every problem with its line and column. */
  checkScenario(name: string, text: string): { ok: true; choice: ScenarioChoice; problems: PositionedProblem[] } | { ok: false; problems: PositionedProblem[] } {
    const r = parseScenarioText(text, name);
    if (!r.ok) return { ok: false, problems: r.problems.map(positioned) };
    return { ok: true, choice: choiceOf(name, r.scenario as RawScenario), problems: r.warnings.map(positioned) };
  }

  /** Creates a game: its log's first entry, its secret and a join code per team, all durable before it answers. */
  async createGame(body: CreateGame): Promise<CreateResult> {
    let file: string;
    let text: string;
    let hash: string;
    const src = body.scenario;
    if ('file' in src) {
      if (!this.scenarios().some((s) => s.file === src.file))
        return { ok: false, code: 'game/unknown_scenario', message: `no scenario "${src.file}" on this server (known: ${this.scenarios().map((s) => s.file).join(', ')})` };
      const known = this.shipped(src.file);
      if (!known.ok) return { ok: false, code: 'game/bad_scenario', message: `${src.file} does not validate`, problems: known.problems };
      file = src.file;
      text = known.text;
      hash = known.hash;
    } else {
      const r = parseScenarioText(src.text, src.name);
      if (!r.ok) return { ok: false, code: 'game/bad_scenario', message: `${src.name} has errors`, problems: r.problems.map(positioned) };
      file = src.name;
      text = src.text;
      hash = r.hash;
    }
    const created = createSession({ scenario: { file, text, hash }, seed: body.seed, teams: body.humans, undecided: body.undecided });
    if (!created.ok) return { ok: false, code: created.problem.code, message: created.problem.message };
    const secret = createSecret();
    const codes: Record<string, string> = {};
    for (const actor of created.value.start.teams) {
      let code = createJoinCode();
      while (this.codes.has(code) || Object.values(codes).includes(code)) code = createJoinCode();
      codes[actor] = code;
    }
    const stored = this.store.create(created.value.start, (id) => ({
      id,
      secretHash: hashSecret(secret),
      codes,
      deadlineSeconds: body.deadlineSeconds,
      created: this.options.now(),
    }));
    if (!stored.ok) return { ok: false, code: stored.problem.code, message: stored.problem.message };
    await this.adopt(created.value, stored.value, new Map());
    return { ok: true, game: stored.value.id, secret };
  }

  /** A student joins the team of a code: a token for their device, or null for an unknown code. */
  join(typed: string, name: string): { game: string; actor: string; token: string } | null {
    const found = this.codes.get(normalizeJoinCode(typed));
    if (found === undefined) return null;
    const game = this.games.get(found.game);
    if (game === undefined) return null;
    const token = createSecret();
    const member: Member = { tokenHash: hashSecret(token), actor: found.actor, name: name.trim() };
    this.store.addMember(game.id, member);
    game.members.set(member.tokenHash, member);
    game.changed(false);
    return { game: game.id, actor: found.actor, token };
  }

  /** The debrief's status for a page holding the game's secret or a member's token. */
  debriefStatus(gameId: string, key: string): { ok: true; game: LiveGame } | { ok: false; status: 403 | 404; refusal: Refusal } {
    const game = this.games.get(gameId);
    if (game === undefined) return { ok: false, status: 404, refusal: { code: 'debrief/unknown_game', message: 'no such game on this server' } };
    if (!secretMatches(key, game.meta.secretHash) && !game.members.has(hashSecret(key)))
      return { ok: false, status: 403, refusal: { code: 'debrief/bad_key', message: 'this link does not belong to the game; open the debrief from your game page' } };
    return { ok: true, game };
  }

  /** Opens a live channel for a page: nothing is accepted before a valid hello. */
  open(ws: WSContext): LiveHandle {
    let conn: Connection | null = null;
    let game: LiveGame | null = null;
    const sendText = (text: string) => {
      if (ws.readyState === 1) ws.send(text);
    };
    const send = (m: ServerMessage) => sendText(JSON.stringify(m));
    const refuse = (req: number | null, r: Refusal) => send({ type: 'refused', req, code: r.code, message: r.message });
    return {
      receive: (text) => {
        if (text === null || text.length > MAX_MESSAGE_BYTES) return refuse(null, { code: 'live/bad_message', message: `expected a JSON text message of at most ${MAX_MESSAGE_BYTES} bytes` });
        let raw: unknown;
        try {
          raw = JSON.parse(text);
        } catch {
          return refuse(null, { code: 'live/bad_json', message: 'the message is not JSON' });
        }
        if (conn === null || game === null) {
          const h = Hello.safeParse(raw);
          if (!h.success) return refuse(null, { code: 'hello/invalid', message: `say who you are first: ${describeIssues(h.error)}` });
          const g = this.games.get(h.data.game);
          if (g === undefined) return refuse(null, { code: 'hello/unknown_game', message: 'no such game on this server (it may have been deleted)' });
          if (h.data.role === 'facilitator') {
            if (!secretMatches(h.data.key, g.meta.secretHash))
              return refuse(null, { code: 'hello/bad_secret', message: 'this is not the facilitator link of this game' });
            conn = { role: 'facilitator', actor: null, member: null, send, sendText };
          } else {
            const m = g.members.get(hashSecret(h.data.key));
            if (m === undefined) return refuse(null, { code: 'hello/unknown_member', message: 'this device has not joined this game; join again with your team’s code' });
            conn = { role: 'team', actor: m.actor, member: m.name, send, sendText };
          }
          game = g;
          g.conns.add(conn);
          send(g.viewFor(conn));
          g.changed(false);
          return;
        }
        const parsed = Command.safeParse(raw);
        const req = typeof raw === 'object' && raw !== null && typeof (raw as { req?: unknown }).req === 'number' ? ((raw as { req: number }).req | 0) : null;
        if (!parsed.success) return refuse(req, { code: 'live/invalid', message: describeIssues(parsed.error) });
        const r = this.command(game, conn, parsed.data);
        if (r !== null) return refuse(parsed.data.req, r);
        send({ type: 'ack', req: parsed.data.req, version: game.version });
      },
      close: () => {
        if (conn !== null && game !== null) {
          game.conns.delete(conn);
          game.changed(false);
        }
        conn = null;
        game = null;
      },
    };
  }

  /** Checks a command's sender and maps it to the classroom's command. Null when accepted. */
  private command(game: LiveGame, conn: Connection, c: Command): Refusal | null {
    const by = conn.member ?? 'facilitator';
    if (conn.role === 'team') {
      if (c.type !== 'decide') return { code: 'live/not_allowed', message: `a team page cannot ${c.type}: only the facilitator can` };
      return game.apply({ kind: 'decide', turn: c.turn, actor: conn.actor as string, moves: c.move === null ? [] : [c.move], by });
    }
    let cmd: GameCommand;
    switch (c.type) {
      case 'decide':
        return { code: 'live/not_allowed', message: 'the facilitator does not decide for a team; the team’s page does' };
      case 'play':
        cmd = { kind: 'play', turn: c.turn, by };
        break;
      case 'inject':
        cmd = { kind: 'inject', turn: c.turn, event: c.event, from: c.from, ...(c.to ? { to: c.to } : {}), ...(c.theatre !== null ? { theatre: c.theatre } : {}), by };
        break;
      case 'shock':
        cmd = { kind: 'shock', turn: c.turn, shock: c.shock, mode: c.mode, by };
        break;
      case 'pause':
        cmd = c.paused ? { kind: 'pause', by } : { kind: 'resume', by };
        break;
      case 'takeBack':
        cmd = { kind: 'takeBack', turn: c.turn, by };
        break;
      case 'end':
        cmd = { kind: 'end', by };
        break;
      case 'settings':
        game.setDeadline(c.deadlineSeconds);
        return null;
      default:
        return assertNever(c);
    }
    return game.apply(cmd);
  }

  /** The live game (tests and the debrief). */
  game(id: string): LiveGame | undefined {
    return this.games.get(id);
  }

  close(): void {
    for (const g of this.games.values()) g.stop();
    this.store.close();
  }
}

/** The parts of a scenario the facilitator's form shows; tolerant of a document that does not validate. */
interface RawScenario {
  metadata?: { title?: unknown };
  time?: { turns?: unknown };
  actors?: Record<string, { name?: unknown; briefing?: unknown }>;
}

function readRaw(file: string, depth = 0): RawScenario | null {
  if (depth > 16) return null;
  let value: unknown;
  try {
    value = parseYaml(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const ext = (value as { extends?: unknown }).extends;
  if (typeof ext === 'string') {
    const base = readRaw(join(dirname(file), ext), depth + 1);
    return base === null ? null : (overlay(base, value) as RawScenario);
  }
  return value as RawScenario;
}

function choiceOf(file: string, s: RawScenario): ScenarioChoice {
  const text = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
  return {
    file,
    title: text(s.metadata?.title, file),
    turns: typeof s.time?.turns === 'number' ? s.time.turns : 0,
    actors: Object.entries(s.actors ?? {}).map(([id, a]) => ({ id, name: text(a?.name, id), briefing: typeof a?.briefing === 'string' ? a.briefing : null })),
  };
}

function positioned(p: Problem): PositionedProblem {
  return {
    line: p.line ?? null,
    column: p.column ?? null,
    path: p.path.map(String).join('.'),
    message: p.message,
    severity: p.severity,
    text: formatProblem(p),
  };
}

function assertNever(x: never): never {
  throw new Error(`unhandled command ${JSON.stringify(x)}`);
}
