/**
 * Issue 15: the server's game is the terminal's game. The same decisions, injects and shock settings on
 * the same seed, played once through `brink serve` (pages on the live channel) and once through
 * `brink play`'s line protocol, give the same log (but for who typed each command and the scenario's
 * file name, which are informative), the same `brink replay` narrative and the same `brink debrief`
 * (but for those names).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GameEntry } from '../../src/classroom/index.ts';
import type { FacilitatorView, TeamView } from '../../src/server/protocol.ts';
import { readGameLog } from '../../src/store/game-log-file.ts';
import { createFlagship, joinCodes, joinTeam, LiveClient, ROOT, type ServerProcess, startServe } from './harness.ts';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServe();
});
afterAll(async () => {
  await server?.stop();
});

function brink(args: string[], input = '') {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A log's entries without what only names who or where (`by`, the scenario's file name). */
function essence(entries: readonly GameEntry[]): unknown[] {
  return entries.map((e) => {
    const { by: _by, ...rest } = e as GameEntry & { by?: string };
    if (rest.kind === 'start') return { ...rest, scenario: { ...rest.scenario, file: '(file)' } };
    return rest;
  });
}

function logOf(file: string): GameEntry[] {
  const r = readGameLog(file);
  if (!r.ok) throw new Error(r.problem.message);
  return [...r.value.entries];
}

describe('the server game equals the terminal game (issue 15)', () => {
  it('gives the same log and the same narrative for the same commands and seed', { timeout: 600_000 }, async () => {
    const { game, secret } = await createFlagship(server.url, ['ROK', 'CHN'], '5');
    const codes = await joinCodes(server.url, game, secret);
    const rok = await LiveClient.connect(server.url, game, 'team', (await joinTeam(server.url, codes.ROK as string, 'Ana')).token);
    const chn = await LiveClient.connect(server.url, game, 'team', (await joinTeam(server.url, codes.CHN as string, 'Li')).token);
    const fac = await LiveClient.connect(server.url, game, 'facilitator', secret);
    const script: string[] = [];
    for (let turn = 1; turn <= 5; turn++) {
      for (const [i, [actor, c]] of ([['ROK', rok], ['CHN', chn]] as const).entries()) {
        const v = (await c.until((x) => x.turn === turn - 1)) as TeamView;
        const k = (turn + i) % (v.moves.length + 1);
        const move = k === v.moves.length ? null : (v.moves[k]?.id as string);
        expect(await c.command({ type: 'decide', turn, move })).toMatchObject({ type: 'ack' });
        script.push(`decide ${actor} ${move ?? 'none'}`);
      }
      if (turn === 2) {
        expect(await fac.command({ type: 'inject', turn, event: 'INCIDENT', from: 'DPRK', to: ['ROK'], theatre: null })).toMatchObject({ type: 'ack' });
        script.push('inject INCIDENT DPRK to=ROK');
      }
      if (turn === 3) {
        const shock = (fac.last as FacilitatorView).shocks[0]?.id as string;
        expect(await fac.command({ type: 'shock', turn, shock, mode: 'force' })).toMatchObject({ type: 'ack' });
        script.push(`force ${shock}`);
      }
      expect(await fac.command({ type: 'play', turn })).toMatchObject({ type: 'ack' });
      script.push('play');
      if (turn === 4) {
        expect(await fac.command({ type: 'takeBack', turn })).toMatchObject({ type: 'ack' });
        script.push('back');
        expect(await fac.command({ type: 'play', turn })).toMatchObject({ type: 'ack' });
        script.push('play');
      }
      await fac.until((x) => x.turn === turn);
    }
    expect(await fac.command({ type: 'end' })).toMatchObject({ type: 'ack' });
    script.push('end');
    const ready = await fac.until((v) => v.debrief.state === 'ready' || v.debrief.state === 'failed', 300_000);
    expect(ready.debrief).toEqual({ state: 'ready' });
    const served = await fetch(`${server.url}/api/games/${game}/debrief?key=${encodeURIComponent(secret)}`);
    expect(served.status).toBe(200);
    const servedDebrief = await served.text();
    for (const c of [rok, chn, fac]) c.close();

    const dir = mkdtempSync(join(tmpdir(), 'brink-terminal-'));
    const terminalLog = join(dir, 'game.game');
    const played = brink(['play', 'scenarios/russia-dprk-2024.yaml', '--human', 'ROK,CHN', '--seed', '5', '--game', terminalLog], `${script.join('\n')}\n`);
    expect(played.stderr).toBe('');
    expect(played.status).toBe(0);

    const serverLog = join(server.dataDir, `${game}.game`);
    expect(essence(logOf(serverLog))).toEqual(essence(logOf(terminalLog)));
    // The served game's log file is one `brink replay` reads: the same narrative, but for the file name.
    const a = brink(['replay', serverLog]);
    const b = brink(['replay', terminalLog]);
    expect(a.status).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(500);
    // The served game names who decided ("(Ana)"); the terminal's protocol lines name nobody.
    const unname = (t: string) => t.replaceAll('scenarios/russia-dprk-2024.yaml', 'russia-dprk-2024.yaml').replace(/ \((Ana|Li)\)/g, '');
    expect(unname(a.stdout)).toBe(unname(b.stdout));
    // And the debrief the server computed on its workers is the terminal's `brink debrief` of the same runs.
    const d = brink(['debrief', terminalLog, '--runs', '200', '--format', 'html', '--progress', 'none']);
    expect([d.status, d.stderr]).toEqual([0, '']);
    expect(servedDebrief).toMatch(/Debrief/);
    expect(unname(servedDebrief)).toBe(unname(d.stdout));
  });
});
