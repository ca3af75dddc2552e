import { mkdtempSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { applyCommand, createGame, gameStatus, actorViews, replay, teamChoices, type Session, type GameEntry } from '../../src/classroom/index.ts';
import { decodeLog, encodeEntry, GameLogFile, readGameLog } from '../../src/store/game-log-file.ts';
import { GameStore } from '../../src/store/game-store.ts';
import { ROOT, loadValid } from '../helpers.ts';

const FILE = resolve(ROOT, 'test/fixtures/valid/duel.yaml');
const duel = loadValid(FILE);

/** A short played game of the duel fixture: its log. */
function playedLog(): readonly GameEntry[] {
  const created = createGame({ scenario: { file: 'duel.yaml', text: readFileSync(FILE, 'utf8'), hash: duel.hash }, seed: '5', teams: [duel.model.actors[0]?.id as string] });
  if (!created.ok) throw new Error(created.problem.message);
  let s: Session = created.value;
  const team = s.start.teams[0] as string;
  for (let turn = 1; turn <= Math.min(6, s.model.turns); turn++) {
    const moves = teamChoices(s, team).moves;
    const r1 = applyCommand(s, { kind: 'decide', turn, actor: team, moves: moves.length > 0 && turn % 2 === 0 ? [(moves[0] as { key: string }).key] : [] });
    if (r1.ok) s = r1.value;
    const r2 = applyCommand(s, { kind: 'play', turn });
    if (!r2.ok) throw new Error(r2.problem.message);
    s = r2.value;
  }
  return s.log;
}

const log = playedLog();
const lines = log.map(encodeEntry);
const bytes = Buffer.from(lines.join(''), 'utf8');
const ends = lines.reduce<number[]>((acc, l) => [...acc, (acc[acc.length - 1] ?? 0) + Buffer.byteLength(l)], []);

const view = (s: Session) => JSON.stringify({ status: gameStatus(s), actors: actorViews(s), pending: s.pending });

describe('the game log file', () => {
  test('reads back what was written', () => {
    const r = decodeLog(bytes);
    expect(r.ok && r.value.entries).toEqual(log);
    expect(r.ok && r.value.tornBytes).toBe(0);
  });

  test.prop([fc.integer({ min: ends[0] as number, max: bytes.length })], { numRuns: 25 })(
    'a log cut at any byte reads as its last complete entry, and replays to that state',
    (cut) => {
      const r = decodeLog(bytes.subarray(0, cut));
      if (!r.ok) throw new Error(r.problem.message);
      const complete = ends.filter((e) => e <= cut).length;
      expect(r.value.entries).toEqual(log.slice(0, complete));
      expect(r.value.tornBytes).toBe(cut - (ends[complete - 1] as number));
      const a = replay(r.value.entries);
      const b = replay(log.slice(0, complete));
      expect(a.ok && b.ok && view(a.value) === view(b.value)).toBe(true);
    },
  );

  test('a log cut inside its start entry is not a game log', () => {
    const r = decodeLog(bytes.subarray(0, 100));
    expect(r.ok ? '' : r.problem.code).toBe('store/not_a_game_log');
  });

  test('a damaged entry before the end is refused, naming its line', () => {
    const damaged = Buffer.from(bytes);
    const at = (ends[1] as number) + 30; // inside the third line
    damaged[at] = damaged[at] === 0x61 ? 0x62 : 0x61;
    const r = decodeLog(damaged, 'g.game');
    expect(r.ok ? '' : r.problem.message).toMatch(/^g\.game:3: damaged entry/);
  });

  test('a foreign file is refused', () => {
    const r = decodeLog(Buffer.from('{"hello": 1}\nsomething else\n'), 'x.txt');
    expect(r.ok ? '' : r.problem.code).toBe('store/not_a_game_log');
  });

  test('opening a log with a torn tail cuts it off before appending', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-log-'));
    const file = join(dir, 'g.game');
    writeFileSync(file, bytes.subarray(0, (ends[2] as number) + 17));
    const opened = GameLogFile.open(file);
    if (!opened.ok) throw new Error(opened.problem.message);
    expect(opened.value.decoded.tornBytes).toBe(17);
    opened.value.log.append(log[3] as GameEntry);
    opened.value.log.close();
    const again = readGameLog(file);
    expect(again.ok && again.value.entries).toEqual(log.slice(0, 4));
    appendFileSync(file, 'garbage');
    expect(readGameLog(file).ok).toBe(true);
  });

  test('create refuses to overwrite; the store keeps many games', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brink-store-'));
    const store = new GameStore(dir);
    const a = store.create(log[0] as Extract<GameEntry, { kind: 'start' }>);
    const b = store.create(log[0] as Extract<GameEntry, { kind: 'start' }>);
    if (!a.ok || !b.ok) throw new Error('create failed');
    a.value.log.append(log[1] as GameEntry);
    a.value.log.close();
    b.value.log.close();
    expect(store.list()).toEqual([a.value.id, b.value.id].sort());
    const read = store.read(a.value.id);
    expect(read.ok && read.value.entries.length).toBe(2);
    expect(store.read('../etc').ok).toBe(false);
    const again = GameLogFile.create(join(dir, `${a.value.id}.game`), log[0] as Extract<GameEntry, { kind: 'start' }>);
    expect(again.ok ? '' : again.problem.code).toBe('store/exists');
  });
});
