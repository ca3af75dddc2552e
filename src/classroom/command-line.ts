/**
 * The classroom's line protocol: one command a line, as `brink play` reads it from a file or a
 * non-terminal stdin (docs/classroom.md). Pure: a line and the session give a command or a problem.
 *
 *   decide ACTOR MOVE          MOVE: a move's key or name, `none` (no move) or `policy`
 *   inject EVENT FROM [to=A,B] [against=A,B] [theatre=T] [FIELD=VALUE]…
 *   force SHOCK | suppress SHOCK | chance SHOCK
 *   withdraw N                 an inject of the coming turn, by its number (from 0)
 *   play | back | pause | resume | end
 *
 * Every command is for the coming turn. Blank lines and `#` comments are nothing (`null`).
 */
import type { GameCommand, Result } from './game-entry.ts';
import { comingTurn, type Session } from './session.ts';

/** The protocol's words, for help text. */
export const PROTOCOL_COMMANDS = ['decide', 'inject', 'force', 'suppress', 'chance', 'withdraw', 'play', 'back', 'pause', 'resume', 'end'] as const;

/** Parses one protocol line into a command for the coming turn; `null` for a blank or comment line. Pure. */
export function parseCommandLine(session: Session, line: string): Result<GameCommand | null> {
  const words = line.replace(/#.*$/, '').trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return { ok: true, value: null };
  const [verb, ...args] = words as [string, ...string[]];
  const turn = comingTurn(session);
  const need = (n: number, usage: string): Result<never> | undefined =>
    args.length < n ? bad(`"${verb}" needs ${usage}; found "${line.trim()}"`) : undefined;
  switch (verb) {
    case 'decide': {
      const missing = need(2, 'an actor and a move: decide ROK reviewing:shelve (or none, or policy)');
      if (missing !== undefined) return missing;
      if (args.length > 2) return bad(`"decide" takes one actor and one move; found "${line.trim()}"`);
      const move = args[1] as string;
      return { ok: true, value: { kind: 'decide', turn, actor: args[0] as string, moves: move === 'policy' ? 'policy' : move === 'none' ? [] : [move] } };
    }
    case 'inject': {
      const missing = need(2, 'an event type and its sender: inject INCIDENT DPRK to=ROK');
      if (missing !== undefined) return missing;
      const cmd: { -readonly [K in keyof Extract<GameCommand, { kind: 'inject' }>]: Extract<GameCommand, { kind: 'inject' }>[K] } = {
        kind: 'inject',
        turn,
        event: args[0] as string,
        from: args[1] as string,
      };
      const data: Record<string, string | number | boolean> = {};
      for (const a of args.slice(2)) {
        const eq = a.indexOf('=');
        if (eq <= 0) return bad(`expected KEY=VALUE after the sender (to=, against=, theatre= or a data field); found "${a}"`);
        const key = a.slice(0, eq);
        const value = a.slice(eq + 1);
        if (key === 'to') cmd.to = value.split(',').filter((x) => x !== '');
        else if (key === 'against') cmd.against = value.split(',').filter((x) => x !== '');
        else if (key === 'theatre') cmd.theatre = value;
        else data[key] = value === 'true' ? true : value === 'false' ? false : /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
      }
      if (Object.keys(data).length > 0) cmd.data = data;
      return { ok: true, value: cmd };
    }
    case 'force':
    case 'suppress':
    case 'chance': {
      const missing = need(1, 'a shock: force northEastAsiaIncident');
      if (missing !== undefined) return missing;
      return { ok: true, value: { kind: 'shock', turn, shock: args[0] as string, mode: verb } };
    }
    case 'withdraw': {
      const n = Number(args[0]);
      if (args.length !== 1 || !Number.isInteger(n) || n < 0) return bad(`"withdraw" needs the number of an inject of the coming turn (0, 1, …); found "${line.trim()}"`);
      return { ok: true, value: { kind: 'withdraw', turn, inject: n } };
    }
    case 'play':
      return { ok: true, value: { kind: 'play', turn } };
    case 'back':
      return { ok: true, value: { kind: 'takeBack', turn: turn - 1 } };
    case 'pause':
    case 'resume':
    case 'end':
      return { ok: true, value: { kind: verb } };
    default:
      return bad(`unknown command "${verb}" (commands: ${PROTOCOL_COMMANDS.join(', ')})`);
  }
}

/** A scripted decision of a moves file: `TURN ACTOR MOVE`, MOVE as in `decide`. */
export interface ScriptedDecision {
  readonly turn: number;
  readonly actor: string;
  readonly moves: readonly string[] | 'policy';
  /** 1-based line in the file. */
  readonly line: number;
}

/** Parses a moves file (`TURN ACTOR MOVE` a line; `#` comments). Pure. A bad line is a problem naming it. */
export function parseMovesFile(text: string, file = '<moves>'): Result<ScriptedDecision[]> {
  const out: ScriptedDecision[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const words = (lines[i] as string).replace(/#.*$/, '').trim().split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) continue;
    const turn = Number(words[0]);
    if (words.length !== 3 || !Number.isInteger(turn) || turn < 1) {
      return bad(`${file}:${i + 1}: expected "TURN ACTOR MOVE" (e.g. "3 ROK none"); found "${(lines[i] as string).trim()}"`);
    }
    const move = words[2] as string;
    out.push({ turn, actor: words[1] as string, moves: move === 'policy' ? 'policy' : move === 'none' ? [] : [move], line: i + 1 });
  }
  return { ok: true, value: out };
}

function bad(message: string): { ok: false; problem: { code: string; message: string } } {
  return { ok: false, problem: { code: 'classroom/bad_command', message } };
}
