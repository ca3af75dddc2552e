/**
 * Issue 15, the kill test: `brink serve` is SIGKILLed in the middle of a turn (two teams decided and
 * acknowledged, one decision in flight, one team not yet decided) and started again on the same data
 * folder and port. Every acknowledged decision is there; a real browser page reconnects by itself and
 * shows its team's choice; and the game, finished, is identical to the same game played without a kill.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { type GameEntry, replay } from '../../src/classroom/index.ts';
import type { FacilitatorView, TeamView } from '../../src/server/protocol.ts';
import { readGameLog } from '../../src/store/game-log-file.ts';
import { createFlagship, joinCodes, joinTeam, LiveClient, type ServerProcess, startServe } from './harness.ts';

const TEAMS = ['CHN', 'ROK', 'JPN', 'USA'] as const;
const CHROMIUM = '/usr/bin/chromium';
const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop('SIGKILL');
});

/** The scripted decision of a team in a turn: one of the moves it can make now, or no move. */
function pick(view: TeamView, turn: number, team: number): string | null {
  const k = (turn * 3 + team) % (view.moves.length + 1);
  return k === view.moves.length ? null : (view.moves[k]?.id ?? null);
}

interface Game {
  server: ServerProcess;
  game: string;
  secret: string;
  fac: LiveClient;
  teams: LiveClient[];
  tokens: string[];
}

async function setUp(server: ServerProcess): Promise<Game> {
  const { game, secret } = await createFlagship(server.url, [...TEAMS], '11');
  const codes = await joinCodes(server.url, game, secret);
  const tokens: string[] = [];
  for (const t of TEAMS) tokens.push((await joinTeam(server.url, codes[t] as string, `${t} student`)).token);
  return { server, game, secret, ...(await connect(server, game, secret, tokens)), tokens };
}

async function connect(server: ServerProcess, game: string, secret: string, tokens: string[]) {
  const fac = await LiveClient.connect(server.url, game, 'facilitator', secret);
  const teams: LiveClient[] = [];
  for (const token of tokens) teams.push(await LiveClient.connect(server.url, game, 'team', token));
  return { fac, teams };
}

async function decide(g: Game, i: number, turn: number): Promise<string | null> {
  const c = g.teams[i] as LiveClient;
  const v = (await c.until((x) => x.turn === turn - 1)) as TeamView;
  const move = pick(v, turn, i);
  expect(await c.command({ type: 'decide', turn, move })).toMatchObject({ type: 'ack' });
  return move;
}

async function playTurn(g: Game, turn: number): Promise<void> {
  await g.fac.until((v) => v.turn === turn - 1 && v.teams.every((t) => t.decided));
  expect(await g.fac.command({ type: 'play', turn })).toMatchObject({ type: 'ack' });
  await g.fac.until((v) => v.turn === turn);
}

function turnsOf(server: ServerProcess, game: string) {
  const read = readGameLog(join(server.dataDir, `${game}.game`));
  if (!read.ok) throw new Error(read.problem.message);
  const r = replay(read.value.entries as GameEntry[]);
  if (!r.ok) throw new Error(r.problem.message);
  return { entries: read.value.entries, turns: r.value.turns.map((t) => ({ plan: t.plan, acts: t.acts })), phase: r.value.phase };
}

describe('brink serve survives SIGKILL mid-turn (issue 15)', () => {
  it('keeps every acknowledged decision, reconnects pages, and ends as the uninterrupted game', { timeout: 600_000 }, async () => {
    // The uninterrupted game.
    const a = await startServe();
    servers.push(a);
    const ga = await setUp(a);
    for (let turn = 1; turn <= 4; turn++) {
      for (let i = 0; i < TEAMS.length; i++) await decide(ga, i, turn);
      await playTurn(ga, turn);
    }
    expect(await ga.fac.command({ type: 'end' })).toMatchObject({ type: 'ack' });
    const reference = turnsOf(a, ga.game);

    // The same game, killed in turn 3.
    const b = await startServe();
    servers.push(b);
    const gb = await setUp(b);
    const usePage = existsSync(CHROMIUM);
    const browser = usePage
      ? await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] })
      : null;
    try {
      const page = browser ? await (await browser.newContext()).newPage() : null;
      if (page) {
        // A second ROK student's page, joined the way a student joins.
        await page.goto(`${b.url}/join/${(await joinCodes(b.url, gb.game, gb.secret)).ROK}`);
        await page.getByLabel(/Your name/).fill('Pat');
        await page.getByRole('button', { name: 'Join' }).click();
        await page.getByText('live', { exact: true }).waitFor();
      }
      for (let turn = 1; turn <= 2; turn++) {
        for (let i = 0; i < TEAMS.length; i++) await decide(gb, i, turn);
        await playTurn(gb, turn);
      }
      const acked = [await decide(gb, 0, 3), await decide(gb, 1, 3)];
      // JPN's decision is sent and the server killed before its answer can matter.
      const jpnView = (await (gb.teams[2] as LiveClient).until((x) => x.turn === 2)) as TeamView;
      (gb.teams[2] as LiveClient).sendRaw(JSON.stringify({ type: 'decide', turn: 3, move: pick(jpnView, 3, 2), req: 999 }));
      await b.stop('SIGKILL');
      if (page) await page.getByText('reconnecting…').waitFor();

      const b2 = await startServe({ dataDir: b.dataDir, port: b.port });
      servers.push(b2);
      const again = await connect(b2, gb.game, gb.secret, gb.tokens);
      const g2: Game = { ...gb, server: b2, ...again };
      const fv = g2.fac.last as FacilitatorView;
      expect(fv.turn).toBe(2);
      expect(fv.teams.find((t) => t.actor === 'CHN')?.decided).toBe(true);
      expect(fv.teams.find((t) => t.actor === 'ROK')?.decided).toBe(true);
      expect(fv.teams.find((t) => t.actor === 'USA')?.decided).toBe(false);
      expect(((g2.teams[0] as LiveClient).last as TeamView).choice?.move ?? null).toBe(acked[0]);
      expect(((g2.teams[1] as LiveClient).last as TeamView).choice?.move ?? null).toBe(acked[1]);
      if (page) {
        // The page came back by itself and shows its team's acknowledged choice.
        await page.getByText('live', { exact: true }).waitFor({ timeout: 30_000 });
        await page.locator('.choice.made').waitFor();
        expect(await page.locator('.choice .muted').first().innerText()).toContain('ROK student');
      }
      // The in-flight decision may or may not have been kept; the page sends it again, as a page does.
      await decide(g2, 2, 3);
      await decide(g2, 3, 3);
      await playTurn(g2, 3);
      for (let i = 0; i < TEAMS.length; i++) await decide(g2, i, 4);
      await playTurn(g2, 4);
      expect(await g2.fac.command({ type: 'end' })).toMatchObject({ type: 'ack' });
      const killed = turnsOf(b2, gb.game);
      expect(killed.phase).toBe('ended');
      expect(killed.turns).toEqual(reference.turns);
    } finally {
      await browser?.close();
    }
  });
});
