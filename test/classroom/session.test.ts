import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { applyCommand, createGame, gameStatus, actorViews, allNews, replay, teamChoices, type GameCommand, type Session, moveKey } from '../../src/classroom/index.ts';
import { liveOf } from '../../src/classroom/session.ts';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import { runOnce } from '../../src/engine/run.ts';
import { ROOT, loadValid } from '../helpers.ts';

const FLAGSHIP = resolve(ROOT, 'scenarios/russia-dprk-2024.yaml');
const flagship = loadValid(FLAGSHIP);
const text = readFileSync(FLAGSHIP, 'utf8');
const ACTORS = flagship.model.actors.map((a) => a.id);

function game(seed: string, teams: readonly string[], undecided: 'none' | 'policy' = 'none'): Session {
  const r = createGame({ scenario: { file: 'scenarios/russia-dprk-2024.yaml', text, hash: flagship.hash }, seed, teams, undecided });
  if (!r.ok) throw new Error(r.problem.message);
  return r.value;
}

function must(s: Session, c: GameCommand): Session {
  const r = applyCommand(s, c);
  if (!r.ok) throw new Error(`${c.kind}: ${r.problem.message}`);
  return r.value;
}

/** The session's observable state: what every page shows. */
function observed(s: Session): string {
  return JSON.stringify({ status: gameStatus(s), actors: actorViews(s), news: allNews(s).map((t) => t.map((n) => n.headline)), pending: s.pending, choices: s.start.teams.map((t) => teamChoices(s, t)) });
}

describe('a game whose teams decide what the policy drew', () => {
  test.prop([fc.integer({ min: 1, max: 1_000_000 }), fc.subarray(ACTORS, { minLength: 1, maxLength: 4 })], { numRuns: 6 })(
    'equals the plain run of its seed, act for act and state change for state change',
    (n, teams) => {
      const seed = String(n);
      const model = flagship.model;
      const plain = runOnce(model, new CompiledKernel(model), seed, { trace: true });
      let s = game(seed, teams);
      for (let turn = 1; turn <= model.turns; turn++) {
        for (const id of s.start.teams) {
          const a = model.actors.findIndex((x) => x.id === id);
          const drawn = plain.events.find((e) => e.turn === turn && e.origin === 'move' && e.from === a);
          s = must(s, { kind: 'decide', turn, actor: id, moves: drawn === undefined ? [] : [moveKey(model, a, drawn.rule)] });
        }
        s = must(s, { kind: 'play', turn });
      }
      const record = liveOf(s).runner.result();
      expect(record.events).toEqual(plain.events);
      expect(record.stateChanges).toEqual(plain.stateChanges);
      expect(Array.from(record.ruleCounts)).toEqual(Array.from(plain.ruleCounts));
    },
  );

  test.prop([fc.integer({ min: 1, max: 1_000_000 })], { numRuns: 3 })('a game with no team, or whose teams let the policy decide, is the plain run', (n) => {
    const seed = String(n);
    const model = flagship.model;
    const plain = runOnce(model, new CompiledKernel(model), seed, { trace: true });
    let a = game(seed, []);
    let b = game(seed, ['ROK', 'USA'], 'policy');
    for (let turn = 1; turn <= model.turns; turn++) {
      a = must(a, { kind: 'play', turn });
      b = must(b, { kind: 'play', turn });
    }
    expect(liveOf(a).runner.result().events).toEqual(plain.events);
    expect(liveOf(b).runner.result().events).toEqual(plain.events);
  });

  test('a different decision changes the game, but not the draws of the rest of the world', () => {
    // Turn 1: the ROK team makes no move where the policy's draw made one; shocks and other actors draw the same numbers.
    const model = flagship.model;
    let seed = 1;
    let plain = runOnce(model, new CompiledKernel(model), String(seed), { trace: true });
    const rok = model.actors.findIndex((x) => x.id === 'ROK');
    while (!plain.events.some((e) => e.turn === 1 && e.origin === 'move' && e.from === rok)) plain = runOnce(model, new CompiledKernel(model), String(++seed), { trace: true });
    let s = game(String(seed), ['ROK']);
    s = must(must(s, { kind: 'decide', turn: 1, actor: 'ROK', moves: [] }), { kind: 'play', turn: 1 });
    const mine = liveOf(s).runner.result().events.filter((e) => e.depth === 0);
    const theirs = plain.events.filter((e) => e.turn === 1 && e.depth === 0);
    expect(mine.map((e) => [e.from, e.type])).toEqual(theirs.filter((e) => e.from !== rok).map((e) => [e.from, e.type]));
  });
});

describe('replay', () => {
  const commandArb = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('decide' as const), team: fc.nat(), pick: fc.integer({ min: -2, max: 4 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('play' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('takeBack' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('inject' as const), event: fc.nat(), from: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('shock' as const), shock: fc.nat(), mode: fc.constantFrom('force' as const, 'suppress' as const, 'chance' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('pause' as const) }) },
  );
  test.prop([fc.integer({ min: 1, max: 1000 }), fc.array(commandArb, { minLength: 5, maxLength: 40 })], { numRuns: 8 })(
    'gives the live session, whatever the commands (accepted or refused)',
    (n, commands) => {
      const model = flagship.model;
      let s = game(String(n), ['ROK', 'CHN', 'DPRK']);
      for (const c of commands) {
        const turn = s.turns.length + 1;
        let cmd: GameCommand;
        switch (c.kind) {
          case 'decide': {
            const actor = s.start.teams[c.team % s.start.teams.length] as string;
            const options = teamChoices(s, actor).moves;
            const moves = c.pick === -2 ? 'policy' : c.pick === -1 || options.length === 0 ? [] : [(options[c.pick % options.length] as { key: string }).key];
            cmd = { kind: 'decide', turn, actor, moves };
            break;
          }
          case 'play':
            cmd = { kind: 'play', turn };
            break;
          case 'takeBack':
            cmd = { kind: 'takeBack', turn: turn - 1 };
            break;
          case 'inject':
            cmd = { kind: 'inject', turn, event: (model.events[c.event % model.events.length] as { id: string }).id, from: ACTORS[c.from % ACTORS.length] as string };
            break;
          case 'shock':
            cmd = { kind: 'shock', turn, shock: (model.shocks[c.shock % model.shocks.length] as { id: string }).id, mode: c.mode };
            break;
          case 'pause':
            cmd = s.phase === 'paused' ? { kind: 'resume' } : { kind: 'pause' };
            break;
        }
        const r = applyCommand(s, cmd);
        if (r.ok) s = r.value;
      }
      const again = replay(s.log);
      if (!again.ok) throw new Error(again.problem.message);
      expect(observed(again.value)).toEqual(observed(s));
      expect(again.value.log).toEqual(s.log);
    },
  );
});

describe('bad commands are problems, and the game is unchanged', () => {
  const s0 = must(game('3', ['ROK', 'CHN']), { kind: 'decide', turn: 1, actor: 'ROK', moves: [] });
  const before = observed(s0);
  const rok = flagship.model.actors.findIndex((a) => a.id === 'ROK');
  const possible = teamChoices(s0, 'ROK').moves.map((m) => m.key);
  const impossible = flagship.model.actors[rok]?.moves.map((m) => moveKey(flagship.model, rok, m.rule)).find((k) => !possible.includes(k)) as string;
  const cases: Array<[string, GameCommand, string]> = [
    ['an unknown move', { kind: 'decide', turn: 1, actor: 'ROK', moves: ['nowhere:nothing'] }, 'classroom/unknown_move'],
    ['a move its actor cannot make now', { kind: 'decide', turn: 1, actor: 'ROK', moves: [impossible] }, 'classroom/move_not_possible'],
    ['a decision for an actor no team plays', { kind: 'decide', turn: 1, actor: 'USA', moves: [] }, 'classroom/not_a_team'],
    ['a decision for an unknown actor', { kind: 'decide', turn: 1, actor: 'XYZ', moves: [] }, 'classroom/unknown_actor'],
    ['a decision for a turn not open', { kind: 'decide', turn: 2, actor: 'ROK', moves: [] }, 'classroom/turn_not_open'],
    ['an inject of an unknown event', { kind: 'inject', turn: 1, event: 'NOPE', from: 'RUS' }, 'classroom/unknown_event'],
    ['an inject from an unknown actor', { kind: 'inject', turn: 1, event: 'PROTEST', from: 'XYZ' }, 'classroom/unknown_actor'],
    ['an unknown shock', { kind: 'shock', turn: 1, shock: 'nope', mode: 'force' }, 'classroom/unknown_shock'],
    ['taking back before any turn', { kind: 'takeBack', turn: 1 }, 'classroom/nothing_to_take_back'],
  ];
  for (const [what, cmd, code] of cases) {
    test(what, () => {
      const r = applyCommand(s0, cmd);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.problem.code.startsWith(code)).toBe(true);
      expect(observed(s0)).toBe(before);
    });
  }
  test('a decision after the turn played', () => {
    const s1 = must(s0, { kind: 'play', turn: 1 });
    const r = applyCommand(s1, { kind: 'decide', turn: 1, actor: 'CHN', moves: [] });
    expect(r.ok ? '' : r.problem.code).toBe('classroom/turn_played');
  });
  test('a log whose scenario text no longer gives its hash is refused', () => {
    const start = { ...s0.start, scenario: { ...s0.start.scenario, text: s0.start.scenario.text.replace('probability: 0.2', 'probability: 0.3') } };
    const r = replay([start, ...s0.log.slice(1)]);
    expect(r.ok ? '' : r.problem.code).toBe('classroom/scenario_hash_mismatch');
  });
  test('take back returns to deciding the turn, with its decisions; the log keeps both', () => {
    const s1 = must(s0, { kind: 'play', turn: 1 });
    const s2 = must(s1, { kind: 'takeBack', turn: 1 });
    expect(observed(s2)).toBe(before);
    expect(s2.log.map((e) => e.kind)).toEqual(['start', 'decide', 'play', 'takeBack']);
  });
});

describe('sessions are values', () => {
  test('an earlier session keeps its own views after a later one played a turn', () => {
    const s0 = game('8', ['ROK']);
    const before = observed(s0);
    const s1 = must(s0, { kind: 'decide', turn: 1, actor: 'ROK', moves: [] });
    const s2 = must(s1, { kind: 'play', turn: 1 });
    expect(observed(s0)).toBe(before);
    expect(observed(s2)).not.toBe(before);
  });
});
