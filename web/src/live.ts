import { signal } from '@preact/signals';
import type { Command, FacilitatorView, ServerMessage, TeamView } from '../../src/server/protocol.ts';
import { learnAcronyms } from './components.tsx';

/** The state of the live channel as the page shows it. */
export type LinkState = 'connecting' | 'live' | 'offline' | 'refused';

/** A command without its request number: the channel numbers it. */
export type Outgoing = Command extends infer C ? (C extends { req: number } ? Omit<C, 'req'> : never) : never;

/** The answer to one command. */
export type Answer = { ok: true } | { ok: false; code: string; message: string };

/**
 * The page's live channel: one WebSocket to /live that says who the page is, receives the view on
 * every change and answers commands. It reconnects by itself (0.25 s, doubling to 4 s) and asks for
 * the whole view again, so a page that was away catches up. A decision not yet acknowledged when the
 * link drops is sent again once it is back; other commands are not, so a control never fires twice.
 */
export class LiveChannel<V extends TeamView | FacilitatorView> {
  readonly view = signal<V | null>(null);
  readonly state = signal<LinkState>('connecting');
  readonly refusal = signal<string | null>(null);
  /** The server's clock minus this device's, in ms (from the last view), so deadlines count down right. */
  skew = 0;
  private ws: WebSocket | null = null;
  private req = 0;
  private readonly waiting = new Map<number, { cmd: Outgoing; done: (a: Answer) => void }>();
  private delay = 250;
  private stopped = false;

  constructor(
    private readonly game: string,
    private readonly role: 'team' | 'facilitator',
    private readonly key: string,
  ) {
    this.connect();
  }

  private connect(): void {
    if (this.stopped) return;
    this.state.value = 'connecting';
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/live`);
    this.ws = ws;
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: 'hello', game: this.game, role: this.role, key: this.key }));
    };
    ws.onmessage = (e) => this.receive(JSON.parse(String(e.data)) as ServerMessage);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.state.value === 'refused' || this.stopped) return;
      this.state.value = 'offline';
      for (const [req, w] of [...this.waiting]) {
        if (w.cmd.type !== 'decide') {
          this.waiting.delete(req);
          w.done({ ok: false, code: 'live/disconnected', message: 'the connection dropped before the server answered; check the page and try again' });
        }
      }
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(4000, this.delay * 2);
    };
  }

  private receive(msg: ServerMessage): void {
    switch (msg.type) {
      case 'view': {
        const first = this.state.value !== 'live';
        this.skew = msg.now - Date.now();
        learnAcronyms(msg.view.actors.map((a) => a.id));
        let v = msg.view;
        if (v.news === null) v = { ...v, news: this.view.value?.news ?? [] };
        if (msg.member !== undefined && v.role === 'team') v = { ...v, me: { ...v.me, member: msg.member } };
        this.view.value = v as V;
        this.state.value = 'live';
        this.delay = 250;
        if (first) for (const [req, w] of this.waiting) this.ws?.send(JSON.stringify({ ...w.cmd, req }));
        return;
      }
      case 'ack': {
        const w = this.waiting.get(msg.req);
        this.waiting.delete(msg.req);
        w?.done({ ok: true });
        return;
      }
      case 'refused': {
        if (msg.req === null) {
          if (msg.code.startsWith('hello/')) {
            this.state.value = 'refused';
            this.refusal.value = msg.message;
            this.ws?.close();
          } else this.refusal.value = msg.message;
          return;
        }
        const w = this.waiting.get(msg.req);
        this.waiting.delete(msg.req);
        w?.done({ ok: false, code: msg.code, message: msg.message });
        return;
      }
    }
  }

  /** Sends a command; resolves with the server's acknowledgement or refusal. */
  send(cmd: Outgoing): Promise<Answer> {
    const req = ++this.req;
    return new Promise((done) => {
      if (cmd.type === 'decide')
        for (const [r, w] of [...this.waiting])
          if (w.cmd.type === 'decide') {
            this.waiting.delete(r);
            w.done({ ok: false, code: 'live/superseded', message: 'a newer choice replaced this one' });
          }
      this.waiting.set(req, { cmd, done });
      if (this.state.value === 'live') this.ws?.send(JSON.stringify({ ...cmd, req }));
      else if (cmd.type !== 'decide') {
        this.waiting.delete(req);
        done({ ok: false, code: 'live/offline', message: 'not connected to the server; wait for the green dot and try again' });
      }
    });
  }

  close(): void {
    this.stopped = true;
    this.ws?.close();
  }
}
