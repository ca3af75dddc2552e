/**
 * `npm run bench:serve`: the web classroom under a class-sized load, on loopback. A `brink serve`
 * child process; 10 flagship games × 5 teams × 4 devices (200 team pages) plus a facilitator page per
 * game; 24 turns. Each turn, each team decides once, from one of its devices picked at random, at a
 * random moment within 1.5 s; the facilitator plays the turn as soon as every team of the game has
 * decided. Measured: from a decision's sending to the moment every page of its game has a view that
 * includes it (21 pages); from "play" to every page showing the new turn; errors; the server's peak
 * resident memory (VmHWM). Checked before anything is reported: every game's log replays to 24 played
 * turns whose team decisions are exactly the last ones each team sent.
 * Options: --games N --teams N --devices N --turns N (defaults 10, 5, 4, 24).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { replay } from '../src/classroom/index.ts';
import { createRandom } from '../src/engine/rng.ts';
import type { FacilitatorView, TeamView } from '../src/server/protocol.ts';
import { readGameLog } from '../src/store/game-log-file.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? d : Number(process.argv[i + 1]);
};
const GAMES = arg('games', 10);
const TEAMS = ['ROK', 'CHN', 'JPN', 'USA', 'RUS', 'DPRK', 'UKR', 'NATO'].slice(0, arg('teams', 5));
const DEVICES = arg('devices', 4);
const TURNS = arg('turns', 24);
const WINDOW_MS = 1500;
const random = createRandom('bench:serve');

const dataDir = mkdtempSync(join(tmpdir(), 'brink-bench-serve-'));
const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'serve', '--port', '0', '--data', dataDir], {
  cwd: ROOT,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const base = await new Promise<string>((resolve, reject) => {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /Brink classroom: (http:\/\/\S+?)\/ /.exec(out);
    if (m) resolve(m[1] as string);
  });
  child.once('exit', (c) => reject(new Error(`brink serve exited with ${c}`)));
});
const origin = base;

/** A page on the live channel; records when each view version arrived, parses views only on demand. */
class Page {
  readonly seen: Array<[version: number, turn: number, at: number]> = [];
  lastText = '';
  errors = 0;
  private req = 0;
  private readonly acks = new Map<number, (m: { type: string; version?: number; message?: string }) => void>();
  constructor(
    readonly ws: WebSocket,
    readonly game: number,
  ) {
    ws.on('message', (data) => {
      const at = performance.now();
      const text = String(data);
      if (text.startsWith('{"type":"view"')) {
        const v = /"view":\{"version":(\d+)/.exec(text);
        const t = /"scenarioHash":"[^"]*","turn":(\d+)/.exec(text);
        this.seen.push([Number(v?.[1]), Number(t?.[1]), at]);
        this.lastText = text;
        return;
      }
      const m = JSON.parse(text) as { type: string; req: number | null; version?: number; message?: string };
      if (m.type === 'refused') this.errors++;
      if (m.req !== null && this.acks.has(m.req)) {
        (this.acks.get(m.req) as (x: typeof m) => void)(m);
        this.acks.delete(m.req);
      }
    });
    ws.on('close', () => this.errors++);
  }
  static async open(game: number, hello: object): Promise<Page> {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/live`, { origin });
    await new Promise<void>((res, rej) => {
      ws.once('open', () => res());
      ws.once('error', rej);
    });
    const p = new Page(ws, game);
    ws.send(JSON.stringify(hello));
    while (p.seen.length === 0) await sleep(5);
    return p;
  }
  view<V>(): V {
    return (JSON.parse(this.lastText) as { view: V }).view;
  }
  command(cmd: object): Promise<{ type: string; version?: number; message?: string }> {
    const req = ++this.req;
    return new Promise((res) => {
      this.acks.set(req, res);
      this.ws.send(JSON.stringify({ ...cmd, req }));
    });
  }
  /** When this page first saw a view of at least this version (or a turn), or undefined. */
  firstAt(test: (version: number, turn: number) => boolean): number | undefined {
    return this.seen.find(([v, t]) => test(v, t))?.[2];
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function post(path: string, body: object): Promise<any> {
  const r = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

console.log(`bench:serve — ${GAMES} games × ${TEAMS.length} teams × ${DEVICES} devices, ${TURNS} turns, on ${cpus().length} cores (${cpus()[0]?.model ?? '?'})`);
const t0 = performance.now();
const games: Array<{ id: string; fac: Page; teams: Page[][]; sent: Map<string, string | null>[] }> = [];
for (let g = 0; g < GAMES; g++) {
  const { game, secret } = await post('/api/games', { scenario: { file: 'russia-dprk-2024.yaml' }, humans: TEAMS, seed: `bench-${g}`, deadlineSeconds: null, undecided: 'none' });
  const fac = await Page.open(g, { type: 'hello', game, role: 'facilitator', key: secret });
  const codes = Object.fromEntries(fac.view<FacilitatorView>().joins.map((j) => [j.actor, j.code]));
  const teams: Page[][] = [];
  for (const actor of TEAMS) {
    const devices: Page[] = [];
    for (let d = 0; d < DEVICES; d++) {
      const { token } = await post('/api/join', { code: codes[actor], name: `${actor}-${d}` });
      devices.push(await Page.open(g, { type: 'hello', game, role: 'team', key: token }));
    }
    teams.push(devices);
  }
  games.push({ id: game, fac, teams, sent: [] });
}
console.log(`  set up ${GAMES * (TEAMS.length * DEVICES + 1)} pages in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const decisionLatency: number[] = [];
const ackLatency: number[] = [];
const playLatency: number[] = [];
const playAck: number[] = [];
const pagesOf = (g: (typeof games)[number]) => [g.fac, ...g.teams.flat()];
const waitAll = async (pages: Page[], test: (v: number, t: number) => boolean): Promise<number> => {
  for (;;) {
    const times = pages.map((p) => p.firstAt(test));
    if (times.every((x) => x !== undefined)) return Math.max(...(times as number[]));
    await sleep(5);
  }
};

const tRun = performance.now();
for (let turn = 1; turn <= TURNS; turn++) {
  await Promise.all(
    games.map(async (g) => {
      const sent = new Map<string, string | null>();
      g.sent.push(sent);
      await Promise.all(
        TEAMS.map(async (actor, i) => {
          await sleep(random() * WINDOW_MS);
          const page = (g.teams[i] as Page[])[Math.floor(random() * DEVICES)] as Page;
          const view = page.view<TeamView>();
          const k = Math.floor(random() * (view.moves.length + 1));
          const move = k === view.moves.length ? null : (view.moves[k]?.id as string);
          const at = performance.now();
          const ack = await page.command({ type: 'decide', turn, move });
          ackLatency.push(performance.now() - at);
          if (ack.type !== 'ack') throw new Error(`decision refused: ${ack.message}`);
          sent.set(actor, move);
          const version = ack.version as number;
          decisionLatency.push((await waitAll(pagesOf(g), (v) => v >= version)) - at);
        }),
      );
      const at = performance.now();
      const ack = await g.fac.command({ type: 'play', turn });
      playAck.push(performance.now() - at);
      if (ack.type !== 'ack') throw new Error(`play refused: ${ack.message}`);
      playLatency.push((await waitAll(pagesOf(g), (_v, t) => t >= turn)) - at);
    }),
  );
  if (turn % 6 === 0) console.log(`  turn ${turn} done at ${((performance.now() - tRun) / 1000).toFixed(1)} s`);
}
const runSeconds = (performance.now() - tRun) / 1000;
const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
const errors = games.reduce((n, g) => n + pagesOf(g).reduce((m, p) => m + p.errors, 0), 0);
for (const g of games) for (const p of pagesOf(g)) p.ws.removeAllListeners('close');
for (const g of games) for (const p of pagesOf(g)) p.ws.close();
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));

// The answer first: every game's log holds the 24 turns with exactly the decisions sent.
for (const g of games) {
  const read = readGameLog(join(dataDir, `${g.id}.game`));
  if (!read.ok) throw new Error(read.problem.message);
  const r = replay(read.value.entries);
  if (!r.ok) throw new Error(r.problem.message);
  if (r.value.turns.length !== TURNS) throw new Error(`game ${g.id}: ${r.value.turns.length} turns played, not ${TURNS}`);
  r.value.turns.forEach((t, i) => {
    for (const actor of TEAMS) {
      const d = t.plan.decisions.find((x) => x.actor === actor);
      const want = (g.sent[i] as Map<string, string | null>).get(actor);
      const got = d === undefined || d.moves === 'policy' ? undefined : (d.moves[0] ?? null);
      if (got !== want) throw new Error(`game ${g.id} turn ${i + 1} ${actor}: log has ${got}, sent ${want}`);
    }
  });
}
console.log(`  ✓ every game's log replays to ${TURNS} turns with exactly the decisions sent`);
rmSync(dataDir, { recursive: true, force: true });

const f = (xs: number[]) => ({ p50: +percentile(xs, 50).toFixed(1), p95: +percentile(xs, 95).toFixed(1), p99: +percentile(xs, 99).toFixed(1), max: +Math.max(...xs).toFixed(1), n: xs.length });
const results = {
  date: new Date().toISOString(),
  node: process.version,
  cores: cpus().length,
  loadAverage: (await import('node:os')).loadavg().map((x) => +x.toFixed(1)),
  setup: { games: GAMES, teams: TEAMS.length, devices: DEVICES, pages: GAMES * (TEAMS.length * DEVICES + 1), turns: TURNS, decisionWindowMs: WINDOW_MS },
  decisionToEveryPageMs: f(decisionLatency),
  decisionAckMs: f(ackLatency),
  playToEveryPageMs: f(playLatency),
  playAckMs: f(playAck),
  errors,
  serverPeakRssMb: +(peakKb / 1024).toFixed(1),
  runSeconds: +runSeconds.toFixed(1),
};
console.log(JSON.stringify(results, null, 2));
writeFileSync(join(ROOT, 'bench/serve-results.json'), `${JSON.stringify(results, null, 2)}\n`);
