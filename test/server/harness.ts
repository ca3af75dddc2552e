import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import type { FacilitatorView, ServerMessage, TeamView } from '../../src/server/protocol.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A `brink serve` child process, started as a user starts it (node + tsx, never npx). */
export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `brink serve --port <port> --data <dir>` and waits for its address line. */
export async function startServe(options: { dataDir?: string; port?: number; args?: string[] } = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'brink-serve-'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'serve', '--port', String(options.port ?? 0), '--data', dataDir, '--debrief-runs', '200', ...(options.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`brink serve did not start in 30 s\n${out}\n${err}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Brink classroom: (http:\/\/\S+?)\/ /.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m[1] as string);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`brink serve exited with ${code}\n${out}\n${err}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    child,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** POSTs JSON as a page of the server would (with its Origin). */
export async function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, body: parsed };
}

/** Creates a flagship game; returns its id and secret. */
export async function createFlagship(base: string, humans: string[], seed = '7', extra: Record<string, unknown> = {}): Promise<{ game: string; secret: string }> {
  const r = await post(base, '/api/games', { scenario: { file: 'russia-dprk-2024.yaml' }, humans, seed, deadlineSeconds: null, undecided: 'none', ...extra });
  if (r.status !== 200) throw new Error(`create failed: ${JSON.stringify(r.body)}`);
  return r.body as { game: string; secret: string };
}

/** The join codes of a game, read from its facilitator's view. */
export async function joinCodes(base: string, game: string, secret: string): Promise<Record<string, string>> {
  const f = await LiveClient.connect(base, game, 'facilitator', secret);
  const v = f.last as FacilitatorView;
  f.close();
  return Object.fromEntries(v.joins.map((j) => [j.actor, j.code]));
}

/** A live-channel client as a page is: hello, views, commands with acknowledgements. */
export class LiveClient {
  readonly views: Array<TeamView | FacilitatorView> = [];
  readonly messages: ServerMessage[] = [];
  private waiters: Array<() => void> = [];
  /** Messages before this index have been read by `next`. */
  private cursor = 0;

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
  private req = 0;
  closed: { code: number; reason: string } | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as ServerMessage;
      this.messages.push(m);
      if (m.type === 'view') {
        // As a page does: unchanged news (null) is the news it had; the member's name goes into `me`.
        let v = m.view;
        if (v.news === null) v = { ...v, news: this.last?.news ?? [] };
        if (m.member !== undefined && v.role === 'team') v = { ...v, me: { ...v.me, member: m.member } };
        this.views.push(v);
      }
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.messages.push({ type: 'refused', req: null, code: 'test/closed', message: `closed ${code}` });
      this.wake();
    });
  }

  static async open(base: string, origin: string | null = base): Promise<LiveClient> {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/live`, origin === null ? {} : { origin });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return new LiveClient(ws);
  }

  static async connect(base: string, game: string, role: 'team' | 'facilitator', key: string): Promise<LiveClient> {
    const c = await LiveClient.open(base);
    c.sendRaw(JSON.stringify({ type: 'hello', game, role, key }));
    const first = await c.next(60_000);
    if (first.type !== 'view') throw new Error(`hello refused: ${JSON.stringify(first)}`);
    return c;
  }

  /** Sends a text as is; what was received before it is marked read. */
  sendRaw(text: string): void {
    this.cursor = this.messages.length;
    this.ws.send(text);
  }

  /** The next message that is not a view (an answer). */
  async answer(): Promise<ServerMessage> {
    for (;;) {
      const m = await this.next();
      if (m.type !== 'view') return m;
    }
  }

  /** The next message not yet read (any kind): none is ever skipped, however they arrive. */
  async next(timeoutMs = 30_000): Promise<ServerMessage> {
    const end = Date.now() + timeoutMs;
    while (this.cursor >= this.messages.length) await this.wait(Math.max(1, end - Date.now()));
    return this.messages[this.cursor++] as ServerMessage;
  }

  private wait(timeoutMs: number): Promise<void> {
    const where = new Error('no message in time');
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        where.message = `no message in ${timeoutMs} ms; last view: turn ${this.last?.turn}, phase ${this.last?.phase}, decided ${this.last?.teams.map((x) => `${x.actor}:${x.decided}`).join(' ')}; last message ${JSON.stringify(this.messages[this.messages.length - 1]).slice(0, 200)}`;
        reject(where);
      }, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** The next view. */
  async nextView(): Promise<TeamView | FacilitatorView> {
    for (;;) {
      const m = await this.next();
      if (m.type === 'view') return m.view;
    }
  }

  /** Waits until the latest view satisfies `test` (unread messages are read on the way). */
  async until(test: (v: TeamView | FacilitatorView) => boolean, timeoutMs = 30_000): Promise<TeamView | FacilitatorView> {
    this.cursor = this.messages.length;
    const last = this.views[this.views.length - 1];
    if (last && test(last)) return last;
    const end = Date.now() + timeoutMs;
    for (;;) {
      const m = await this.next(Math.max(1, end - Date.now()));
      if (m.type === 'view' && test(m.view)) return m.view;
    }
  }

  /** Sends a command and waits for its ack or refusal. */
  async command(cmd: Record<string, unknown>): Promise<ServerMessage> {
    const req = ++this.req;
    this.cursor = this.messages.length;
    this.ws.send(JSON.stringify({ ...cmd, req }));
    for (;;) {
      const m = await this.next();
      if ((m.type === 'ack' || m.type === 'refused') && m.req === req) return m;
      if (m.type === 'refused' && m.code === 'test/closed') return m;
    }
  }

  get last(): TeamView | FacilitatorView {
    return this.views[this.views.length - 1] as TeamView | FacilitatorView;
  }

  close(): void {
    this.ws.close();
  }
}

/** Joins a team by its code; returns the member's token. */
export async function joinTeam(base: string, code: string, name: string): Promise<{ game: string; actor: string; token: string }> {
  const r = await post(base, '/api/join', { code, name });
  if (r.status !== 200) throw new Error(`join failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
