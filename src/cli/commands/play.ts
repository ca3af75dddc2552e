import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type Command, Option } from 'commander';
import { parseCommandLine, parseMovesFile, PROTOCOL_COMMANDS, type ScriptedDecision } from '../../classroom/command-line.ts';
import type { GameCommand } from '../../classroom/game-entry.ts';
import { comingTurn, createGame, dateOf, isOver, replay, type Session } from '../../classroom/session.ts';
import { actorViews, decisionStatus, facilitatorMenu, gameStatus, newsOf, peaksNow, teamChoices } from '../../classroom/views.ts';
import { renderNews, renderObjective, renderPeaks, renderTeamScreen } from '../../report/classroom-text.ts';
import { GameLogFile } from '../../store/game-log-file.ts';
import { GameDriver } from '../game-driver.ts';
import { type CliContext, CliFailure, EXIT, type Io, loadOrFail, seedArg } from '../shared.ts';

interface PlayFlags {
  human?: string;
  seed: string;
  game?: string;
  resume?: string;
  showOdds?: boolean;
  moves?: string;
  undecided: 'none' | 'policy';
}

const CLEAR = '\x1b[2J\x1b[3J\x1b[H';

/** `brink play`: a classroom game in the terminal (hot-seat), or driven by the line protocol on a non-terminal stdin. */
export function registerPlay(program: Command, ctx: CliContext): void {
  program
    .command('play')
    .description('Play a classroom game: teams play countries, the rest play by policy; the log survives a crash (see docs/classroom.md)')
    .argument('[scenario]', 'scenario file (not with --resume)')
    .option('--human <actors>', 'the actors human teams play, comma-separated: ROK,CHN')
    .option('-s, --seed <seed>', "the game's seed (with no team, the game is the policy's run of it)", seedArg, '1')
    .option('--game <file>', 'where to keep the game log (default: <scenario id>-seed-<seed>.game)')
    .option('--resume <file>', 'continue the game in this log where it stopped')
    .option('--show-odds', "show the policy's chance of each move")
    .option('--moves <file>', 'scripted decisions, "TURN ACTOR MOVE" a line (MOVE: a move, none or policy)')
    .addOption(new Option('--undecided <what>', 'what a team that has not decided does when the turn plays').choices(['none', 'policy']).default('none'))
    .action(async (scenario: string | undefined, opts: PlayFlags) => {
      const scripted = opts.moves === undefined ? [] : readMoves(opts.moves);
      const driver = opts.resume !== undefined ? resumeGame(opts.resume, scenario, opts, ctx.io, scripted) : newGame(scenario, opts, ctx.io, scripted);
      const file = opts.resume ?? (opts.game as string);
      try {
        const ok = process.stdin.isTTY === true ? await playInTerminal(driver, opts, file) : await playByProtocol(driver, ctx.io, opts, file);
        if (!ok) ctx.exitCode = EXIT.failure;
      } finally {
        driver.close();
      }
    });
}

function readMoves(file: string): ScriptedDecision[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliFailure(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, EXIT.failure);
  }
  const r = parseMovesFile(text, file);
  if (!r.ok) throw new CliFailure(r.problem.message, EXIT.failure);
  return r.value;
}

function newGame(scenario: string | undefined, opts: PlayFlags, io: Io, scripted: readonly ScriptedDecision[]): GameDriver {
  if (scenario === undefined) throw new CliFailure("error: missing argument 'scenario' (or give --resume FILE)", EXIT.usage);
  if (opts.human === undefined) throw new CliFailure("error: required option '--human <actors>' not specified (e.g. --human ROK,CHN)", EXIT.usage);
  const loaded = loadOrFail(scenario, io);
  const text = loaded.files.length === 1 ? readFileSync(scenario, 'utf8') : JSON.stringify(loaded.scenario);
  const teams = opts.human.split(',').map((t) => t.trim()).filter((t) => t !== '');
  const created = createGame({ scenario: { file: scenario, text, hash: loaded.hash }, seed: opts.seed, teams, undecided: opts.undecided });
  if (!created.ok) throw new CliFailure(`${scenario}: ${created.problem.message}`, EXIT.failure);
  const file = opts.game ?? `${loaded.scenario.metadata.id}-seed-${opts.seed}.game`;
  opts.game = file;
  const log = GameLogFile.create(file, created.value.start);
  if (!log.ok) throw new CliFailure(log.problem.message, EXIT.failure);
  return new GameDriver(created.value, log.value, scripted);
}

function resumeGame(file: string, scenario: string | undefined, opts: PlayFlags, io: Io, scripted: readonly ScriptedDecision[]): GameDriver {
  if (scenario !== undefined) throw new CliFailure(`error: --resume takes the game from its log; drop the scenario argument "${scenario}"`, EXIT.usage);
  if (opts.human !== undefined) throw new CliFailure('error: --resume keeps the teams of the game; drop --human', EXIT.usage);
  const opened = GameLogFile.open(file);
  if (!opened.ok) throw new CliFailure(opened.problem.message, EXIT.failure);
  const { log, decoded } = opened.value;
  const r = replay(decoded.entries);
  if (!r.ok) {
    log.close();
    throw new CliFailure(`${file}: ${r.problem.message}`, EXIT.failure);
  }
  if (decoded.tornBytes > 0) {
    io.stderr(`${file}: the last entry was cut mid-write (${decoded.tornBytes} bytes, a crash); resuming from the last complete entry (${decoded.entries.length})\n`);
  }
  return new GameDriver(r.value, log, scripted);
}

// ——— the line protocol (stdin is not a terminal) ———

async function playByProtocol(driver: GameDriver, io: Io, opts: PlayFlags, file: string): Promise<boolean> {
  let ok = true;
  const say = (line: string) => io.stdout(`${line}\n`);
  const refused = (code: string, message: string) => {
    ok = false;
    say(`error ${code}: ${message}`);
  };
  const scriptedNow = () => {
    for (const f of driver.applyScripted((c) => say(`ok ${describe(c)} from the moves file`))) refused('classroom/moves_file', `${opts.moves}:${f.decision.line}: ${f.message}`);
  };
  const playTurn = (cmd: GameCommand) => {
    const r = driver.apply(cmd);
    if (!r.ok) return refused(r.problem.code, r.problem.message);
    const s = r.value;
    if (cmd.kind === 'play') {
      say(`ok play ${cmd.turn}`);
      io.stdout(renderNews(cmd.turn, dateOf(s, cmd.turn), newsOf(s, cmd.turn), { peaks: peaksNow(s), stateChanges: s.turns[cmd.turn - 1]?.stateChanges }));
    } else say(`ok ${describe(cmd)}`);
    scriptedNow();
  };
  say(`game ${file} · ${gameStatus(driver.session).scenario.id} · seed ${driver.session.start.seed} · teams ${driver.session.start.teams.join(',') || 'none'} · turn ${comingTurn(driver.session)} of ${driver.session.model.turns}`);
  scriptedNow();
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  for await (const raw of rl) {
    const line = raw.trim();
    const [verb, arg] = line.split(/\s+/);
    if (verb === 'finish') {
      while (!isOver(driver.session) && driver.session.phase === 'deciding') {
        const before = driver.session.turns.length;
        playTurn({ kind: 'play', turn: comingTurn(driver.session) });
        if (driver.session.turns.length === before) break;
      }
      continue;
    }
    if (verb === 'status') {
      say(statusLine(driver.session));
      continue;
    }
    if (verb === 'moves') {
      const c = teamChoices(driver.session, arg ?? '');
      say(`moves ${arg ?? ''} turn ${c.turn}: ${c.moves.map((m) => `${m.key} (${(m.probability * 100).toFixed(1)}%)`).join(', ') || 'none'}; no move ${(c.noMove * 100).toFixed(1)}%`);
      continue;
    }
    if (verb === 'help') {
      say(`commands: ${PROTOCOL_COMMANDS.join(', ')}, finish, status, moves ACTOR (docs/classroom.md)`);
      continue;
    }
    const parsed = parseCommandLine(driver.session, line);
    if (!parsed.ok) {
      refused(parsed.problem.code, parsed.problem.message);
      continue;
    }
    if (parsed.value === null) continue;
    playTurn(parsed.value);
  }
  io.stdout(finalWords(driver.session, file));
  return ok;
}

function describe(cmd: GameCommand): string {
  switch (cmd.kind) {
    case 'decide':
      return `decide ${cmd.actor} ${cmd.moves === 'policy' ? 'policy' : cmd.moves[0] ?? 'none'} (turn ${cmd.turn})`;
    case 'inject':
      return `inject ${cmd.event} from ${cmd.from} (turn ${cmd.turn})`;
    case 'shock':
      return `${cmd.mode} ${cmd.shock} (turn ${cmd.turn})`;
    case 'withdraw':
      return `withdraw ${cmd.inject} (turn ${cmd.turn})`;
    case 'play':
      return `play ${cmd.turn}`;
    case 'takeBack':
      return `back: turn ${cmd.turn} taken back`;
    case 'pause':
    case 'resume':
    case 'end':
      return cmd.kind;
    default:
      return '';
  }
}

function statusLine(s: Session): string {
  const st = gameStatus(s);
  const decided = decisionStatus(s).map((d) => `${d.actor}:${d.decided ? 'decided' : 'waiting'}`).join(' ');
  return `status ${st.phase} · played ${st.played} of ${st.turns}${st.coming === null ? '' : ` · coming turn ${st.coming.turn} (${st.coming.date})`} · ${decided || 'no teams'}`;
}

/** What the game ends with: where it stands, the peaks, and each team's objectives. */
function finalWords(s: Session, file: string): string {
  const st = gameStatus(s);
  const out = ['', st.over ? `Game over after ${st.played} turn${st.played === 1 ? '' : 's'}.` : `Game saved after ${st.played} of ${st.turns} turns.`, renderPeaks(peaksNow(s))];
  for (const a of actorViews(s).filter((x) => x.team)) {
    if (a.objectives.length === 0) continue;
    out.push(`${a.id} objectives:`, ...a.objectives.map((o) => `  ${renderObjective(o, st.over)}`));
  }
  out.push(st.over ? `Debrief: brink debrief ${file}` : `Resume: brink play --resume ${file}`, `Replay: brink replay ${file}`);
  return `${out.join('\n')}\n`;
}

// ——— the terminal game (stdin is a terminal) ———

async function playInTerminal(driver: GameDriver, opts: PlayFlags, file: string): Promise<boolean> {
  const out = (text: string) => process.stdout.write(text);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  let closed = false;
  rl.on('close', () => {
    closed = true;
  });
  const ask = (prompt: string) =>
    new Promise<string | undefined>((done) => {
      if (closed) return done(undefined);
      const onClose = () => done(undefined);
      rl.once('close', onClose);
      rl.question(prompt, (answer) => {
        rl.off('close', onClose);
        done(answer.trim());
      });
    });
  const saved = () => out(`\nGame saved to ${file}. Resume with: brink play --resume ${file}\n`);
  try {
    for (const f of driver.applyScripted()) out(`moves file line ${f.decision.line}: ${f.message}\n`);
    // Teams that already decided the coming turn (a resumed game) are not asked again, unless the turn was taken back.
    let askAll = false;
    while (!isOver(driver.session)) {
      const s = driver.session;
      const turn = comingTurn(s);
      // Everyone sees the news of the last turn first.
      out(CLEAR);
      out(`${s.model.scenario.metadata.title} · seed ${s.start.seed} · log ${file}\n\n`);
      if (s.turns.length > 0) {
        const last = s.turns.length;
        out(renderNews(last, dateOf(s, last), newsOf(s, last), { peaks: peaksNow(s), stateChanges: s.turns[last - 1]?.stateChanges }));
      } else out(`The game begins: ${gameStatus(s).turns} turns from ${dateOf(s, 1)}. Teams: ${s.start.teams.join(', ')}.\n`);
      if (s.phase === 'paused') {
        const a = await ask('\nThe game is paused. Type "resume" to go on (or Ctrl-C to stop): ');
        if (a === undefined) return (saved(), true);
        if (a === 'resume') driver.apply({ kind: 'resume' });
        continue;
      }
      const go = await ask(`\nTurn ${turn} · ${dateOf(s, turn)} — press Enter to begin the teams' decisions: `);
      if (go === undefined) return (saved(), true);
      for (const team of s.start.teams) {
        const decided = driver.session.pending.decisions.find((d) => d.actor === team);
        if (decided !== undefined && (decided.by === 'moves file' || !askAll)) continue;
        out(CLEAR);
        const ready = await ask(`Turn ${turn}: pass the keyboard to team ${team}. ${team}, press Enter when ready: `);
        if (ready === undefined) return (saved(), true);
        if (!(await decideTeam(driver, team, opts, ask, out))) return (saved(), true);
        out(CLEAR);
      }
      const next = await facilitate(driver, ask, out);
      if (next === 'quit') return (saved(), true);
      askAll = next === 'back';
    }
    out(CLEAR);
    const s = driver.session;
    const last = s.turns.length;
    if (last > 0) out(renderNews(last, dateOf(s, last), newsOf(s, last), { stateChanges: s.turns[last - 1]?.stateChanges }));
    out(finalWords(s, file));
    return true;
  } finally {
    rl.close();
  }
}

async function decideTeam(driver: GameDriver, team: string, opts: PlayFlags, ask: (p: string) => Promise<string | undefined>, out: (t: string) => void): Promise<boolean> {
  for (;;) {
    const s = driver.session;
    const actor = actorViews(s).find((a) => a.id === team);
    if (actor === undefined) return true;
    const choices = teamChoices(s, team);
    out(CLEAR);
    out(renderTeamScreen(gameStatus(s), actor, choices, { showOdds: opts.showOdds === true }));
    const answer = await ask(`\n${team} decides [${choices.moves.length > 0 ? `1-${choices.moves.length}, ` : ''}0, p]: `);
    if (answer === undefined) return false;
    let moves: string[] | 'policy' | undefined;
    if (answer === '0') moves = [];
    else if (answer === 'p') moves = 'policy';
    else {
      const n = Number(answer);
      const m = Number.isInteger(n) && n >= 1 ? choices.moves[n - 1] : undefined;
      if (m !== undefined) moves = [m.key];
    }
    if (moves === undefined) {
      await ask(`"${answer}" is not one of the choices. Press Enter to choose again: `);
      continue;
    }
    const r = driver.apply({ kind: 'decide', turn: choices.turn, actor: team, moves });
    if (!r.ok) {
      await ask(`${r.problem.message}\nPress Enter to choose again: `);
      continue;
    }
    const what = moves === 'policy' ? "the policy's draw" : moves.length === 0 ? 'no move' : moves[0];
    const done = await ask(`\n${team}: ${what} — recorded. Press Enter, then pass the keyboard on: `);
    return done !== undefined;
  }
}

const FACILITATOR_HELP = `Facilitator commands (for the coming turn):
  Enter or play              play the turn
  inject EVENT FROM [to=A,B] [against=A,B] [theatre=T] [FIELD=VALUE]
  force SHOCK | suppress SHOCK | chance SHOCK
  withdraw N                 drop inject N
  back                       take back the last turn
  pause | resume | end
  events | shocks | status | help
  quit                       stop here (the game is saved; resume it later)`;

async function facilitate(driver: GameDriver, ask: (p: string) => Promise<string | undefined>, out: (t: string) => void): Promise<'played' | 'back' | 'quit' | 'other'> {
  out(CLEAR);
  for (;;) {
    const s = driver.session;
    const turn = comingTurn(s);
    const menu = facilitatorMenu(s);
    out(`Facilitator · turn ${turn} · ${dateOf(s, turn)}\n`);
    out(`  decided: ${decisionStatus(s).map((d) => `${d.actor} ${d.decided ? '✓' : '·'}`).join('  ') || 'no teams'}\n`);
    if (menu.injects.length > 0) out(`  injects: ${menu.injects.map((i) => `${i.index}. ${i.from} ${i.event}`).join('; ')}\n`);
    const set = menu.shocks.filter((x) => x.setting !== 'chance');
    if (set.length > 0) out(`  shocks: ${set.map((x) => `${x.id} ${x.setting}d`).join('; ')}\n`);
    const line = await ask(`facilitator (Enter plays turn ${turn}; help)> `);
    if (line === undefined || line === 'quit') return 'quit';
    if (line === 'help') {
      out(`${FACILITATOR_HELP}\n`);
      continue;
    }
    if (line === 'events') {
      out(`${menu.events.map((e) => `  ${e.id} (${e.rung}${e.theatre === null ? '' : `, ${e.theatre}`}): ${e.description}`).join('\n')}\n`);
      continue;
    }
    if (line === 'shocks') {
      out(`${menu.shocks.map((x) => `  ${x.id}: ${x.from} ${x.event} [${x.setting}]`).join('\n')}\n`);
      continue;
    }
    if (line === 'status') {
      out(`${statusLine(s)}\n`);
      continue;
    }
    const parsed = parseCommandLine(s, line === '' ? 'play' : line);
    if (!parsed.ok) {
      out(`${parsed.problem.message}\n`);
      continue;
    }
    if (parsed.value === null) continue;
    const r = driver.apply(parsed.value);
    if (!r.ok) {
      out(`${r.problem.message}\n`);
      continue;
    }
    const kind = parsed.value.kind;
    if (kind === 'play' || kind === 'takeBack' || kind === 'end' || kind === 'pause') {
      driver.applyScripted();
      return kind === 'play' ? 'played' : kind === 'takeBack' ? 'back' : 'other';
    }
    out(`ok: ${describe(parsed.value)}\n`);
  }
}

