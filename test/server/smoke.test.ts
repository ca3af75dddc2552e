import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamView } from '../../src/server/protocol.ts';
import { createFlagship, joinCodes, joinTeam, LiveClient, type ServerProcess, startServe } from './harness.ts';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServe();
});
afterAll(async () => {
  await server?.stop();
});

describe('brink serve (issue 15)', () => {
  it('plays a turn: a team decides, the facilitator plays, both pages see it', async () => {
    const { game, secret } = await createFlagship(server.url, ['ROK', 'CHN']);
    const codes = await joinCodes(server.url, game, secret);
    const m = await joinTeam(server.url, codes.ROK as string, 'Ana');
    const team = await LiveClient.connect(server.url, game, 'team', m.token);
    const fac = await LiveClient.connect(server.url, game, 'facilitator', secret);
    const tv = team.last as TeamView;
    expect(tv.me).toEqual({ actor: 'ROK', name: expect.any(String), member: 'Ana' });
    const move = tv.moves[0]?.id ?? null;
    expect(await team.command({ type: 'decide', turn: 1, move })).toMatchObject({ type: 'ack' });
    await fac.until((v) => v.teams.find((t) => t.actor === 'ROK')?.decided === true);
    expect(await fac.command({ type: 'play', turn: 1 })).toMatchObject({ type: 'ack' });
    const after = (await team.until((v) => v.turn === 1)) as TeamView;
    expect(after.news).toHaveLength(1);
    team.close();
    fac.close();
  });
});

describe('the decision deadline (issue 15)', () => {
  it('plays the turn by itself when the time is up; an undecided team makes no move', { timeout: 120_000 }, async () => {
    const { game, secret } = await createFlagship(server.url, ['ROK', 'CHN'], '9', { deadlineSeconds: 10 });
    const fac = await LiveClient.connect(server.url, game, 'facilitator', secret);
    const first = fac.last;
    expect(first.deadlineSeconds).toBe(10);
    expect(first.deadlineAt).toBeGreaterThan(Date.now() + 5_000);
    const codes = await joinCodes(server.url, game, secret);
    const rok = await LiveClient.connect(server.url, game, 'team', (await joinTeam(server.url, codes.ROK as string, 'Ana')).token);
    const move = (rok.last as TeamView).moves[0]?.id ?? null;
    expect(await rok.command({ type: 'decide', turn: 1, move })).toMatchObject({ type: 'ack' });
    const played = await fac.until((v) => v.turn === 1, 60_000);
    expect(played.news?.[0]?.acts.some((a) => a.why === "the CHN team's decision")).toBe(false);
    expect(played.deadlineAt).toBeGreaterThan(Date.now());
    fac.close();
    rok.close();
  });
});
