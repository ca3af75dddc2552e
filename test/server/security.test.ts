/**
 * Issue 15, security: a team's token acting for another actor or as the facilitator, a forged
 * facilitator secret, malformed, oversized and out-of-phase messages, a foreign Origin, and a flood of
 * join attempts — each refused with a clear error, nothing changed, the server alive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FacilitatorView, TeamView } from '../../src/server/protocol.ts';
import { createFlagship, joinCodes, joinTeam, LiveClient, post, type ServerProcess, startServe } from './harness.ts';

let server: ServerProcess;
let game: string;
let secret: string;
let codes: Record<string, string>;
let rok: LiveClient;
let fac: LiveClient;

beforeAll(async () => {
  server = await startServe();
  ({ game, secret } = await createFlagship(server.url, ['ROK', 'CHN'], '3'));
  codes = await joinCodes(server.url, game, secret);
  const m = await joinTeam(server.url, codes.ROK as string, 'Ana');
  rok = await LiveClient.connect(server.url, game, 'team', m.token);
  fac = await LiveClient.connect(server.url, game, 'facilitator', secret);
});
afterAll(async () => {
  rok?.close();
  fac?.close();
  await server?.stop();
});

/** The facilitator's view now (a fresh connection, so nothing cached). */
async function state(): Promise<FacilitatorView> {
  const f = await LiveClient.connect(server.url, game, 'facilitator', secret);
  const v = f.last as FacilitatorView;
  f.close();
  return v;
}

/** The server still answers (a new connection: the one a refused upload used may have been cut). */
async function alive(): Promise<void> {
  const r = await fetch(`${server.url}/api/scenarios`).catch(() => fetch(`${server.url}/api/scenarios`));
  expect(r.status).toBe(200);
  expect(server.child.exitCode).toBeNull();
}

describe('brink serve refuses what it must (issue 15)', () => {
  it('lets a team decide only for its own actor, and never as the facilitator', async () => {
    const before = await state();
    // The decision names no actor: the server takes the team from the token. A CHN move key is unknown to ROK.
    expect(before.teams.map((t) => t.decided)).toEqual([false, false]);
    const asChn = await rok.command({ type: 'decide', turn: 1, move: 'nonexistent:move', actor: 'CHN' });
    expect(asChn).toMatchObject({ type: 'refused', code: 'live/invalid' });
    expect((asChn as { message: string }).message).toMatch(/actor/);
    for (const cmd of [{ type: 'play', turn: 1 }, { type: 'end' }, { type: 'pause', paused: true }, { type: 'takeBack', turn: 1 }]) {
      const r = await rok.command(cmd);
      expect(r).toMatchObject({ type: 'refused', code: 'live/not_allowed' });
      expect((r as { message: string }).message).toMatch(/only the facilitator/);
    }
    const unknownMove = await rok.command({ type: 'decide', turn: 1, move: 'nowhere:invade' });
    expect(unknownMove).toMatchObject({ type: 'refused', code: 'classroom/unknown_move' });
    const after = await state();
    expect(after.turn).toBe(0);
    expect(after.teams.map((t) => t.decided)).toEqual([false, false]);
    expect(after.phase).toBe('deciding');
    await alive();
  });

  it('refuses a forged facilitator secret, an unknown member token and a command before hello', async () => {
    for (const [role, key, code] of [
      ['facilitator', `${secret.slice(0, -2)}xx`, 'hello/bad_secret'],
      ['facilitator', 'guess', 'hello/bad_secret'],
      ['team', secret, 'hello/unknown_member'],
      ['team', 'x'.repeat(43), 'hello/unknown_member'],
    ] as const) {
      const c = await LiveClient.open(server.url);
      c.sendRaw(JSON.stringify({ type: 'hello', game, role, key }));
      const m = await c.answer();
      expect(m).toMatchObject({ type: 'refused', req: null, code });
      c.sendRaw(JSON.stringify({ type: 'play', turn: 1, req: 1 }));
      expect(await c.answer()).toMatchObject({ type: 'refused', code: 'hello/invalid' });
      c.close();
    }
    expect((await state()).turn).toBe(0);
    await alive();
  });

  it('refuses malformed, oversized and out-of-phase messages with a clear error and keeps the connection', async () => {
    rok.sendRaw('{not json');
    expect(await rok.answer()).toMatchObject({ type: 'refused', code: 'live/bad_json', message: 'the message is not JSON' });
    expect(await rok.command({ type: 'decide', turn: 'one', move: null })).toMatchObject({ type: 'refused', code: 'live/invalid' });
    expect(await rok.command({ type: 'launch', turn: 1 })).toMatchObject({ type: 'refused', code: 'live/invalid' });
    // Out of phase: a turn not open yet, and any decision while paused.
    expect(await rok.command({ type: 'decide', turn: 2, move: null })).toMatchObject({ type: 'refused', code: 'classroom/turn_not_open' });
    expect(await fac.command({ type: 'pause', paused: true })).toMatchObject({ type: 'ack' });
    const paused = await rok.command({ type: 'decide', turn: 1, move: null });
    expect(paused).toMatchObject({ type: 'refused', code: 'classroom/paused' });
    expect(await fac.command({ type: 'play', turn: 1 })).toMatchObject({ type: 'refused', code: 'classroom/paused' });
    expect(await fac.command({ type: 'pause', paused: false })).toMatchObject({ type: 'ack' });
    expect(await fac.command({ type: 'takeBack', turn: 1 })).toMatchObject({ type: 'refused', code: 'classroom/nothing_to_take_back' });
    // The connection still works.
    expect(await rok.command({ type: 'decide', turn: 1, move: null })).toMatchObject({ type: 'ack' });
    expect(((await rok.until((v) => (v as TeamView).choice !== null)) as TeamView).choice).toEqual({ move: null, by: 'Ana' });

    // Oversized: the server closes that one connection (1009), and only it.
    const big = await LiveClient.connect(server.url, game, 'facilitator', secret);
    big.sendRaw(JSON.stringify({ type: 'inject', turn: 1, event: 'X', from: 'ROK', theatre: null, req: 1, pad: 'x'.repeat(20_000) }));
    await big.answer();
    for (let i = 0; i < 50 && big.closed === null; i++) await new Promise((r) => setTimeout(r, 100));
    expect(big.closed?.code).toBe(1009);
    expect(await rok.command({ type: 'decide', turn: 1, move: null })).toMatchObject({ type: 'ack' });
    const tooBig = await post(server.url, '/api/join', { code: 'x'.repeat(2_000_000), name: 'a' });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.message).toMatch(/larger than/);
    expect((await state()).turn).toBe(0);
    await alive();
  });

  it('refuses the live channel and POSTs from another site', async () => {
    await expect(LiveClient.open(server.url, 'http://evil.example')).rejects.toThrow(/403/);
    await expect(LiveClient.open(server.url, null)).rejects.toThrow(/403/);
    const r = await post(server.url, '/api/join', { code: codes.ROK, name: 'Eve' }, { origin: 'http://evil.example' });
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('http/bad_origin');
    await alive();
  });

  it('rate-limits a flood of wrong join codes: after 10 wrong ones, even a right code waits for the window', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await post(server.url, '/api/join', { code: `WRNG${String(i).padStart(4, 'X')}`, name: 'Mallory' })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404));
    expect(statuses.slice(10)).toEqual(Array(20).fill(429));
    const blocked = await post(server.url, '/api/join', { code: codes.CHN, name: 'Mallory' });
    expect(blocked.status).toBe(429);
    expect(blocked.body.message).toMatch(/too many wrong codes; try again in \d+ s/);
    // Nobody joined CHN.
    expect((await state()).teams.find((t) => t.actor === 'CHN')?.members).toEqual([]);
    await alive();
  });

  it('never renders scenario text as HTML: the page carries a strict CSP and no inline script', async () => {
    const r = await fetch(`${server.url}/team/${game}`);
    const html = await r.text();
    expect(r.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    const web = await import('node:fs').then((fs) => fs.readdirSync(new URL('../../web/src', import.meta.url)));
    for (const f of web) {
      const text = await import('node:fs').then((fs) => fs.readFileSync(new URL(`../../web/src/${f}`, import.meta.url), 'utf8'));
      expect(text, f).not.toMatch(/dangerouslySetInnerHTML|innerHTML/);
    }
  });
});
