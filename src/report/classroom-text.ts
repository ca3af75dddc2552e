/**
 * The terminal classroom's screens and the replayed game's narrative, as text. Pure: data in, string out.
 */
import type { ObjectiveStatus } from '../classroom/objectives.ts';
import { escapeTerminal } from './escape.ts';
import type { GameStory } from '../classroom/story.ts';
import type { ActorView, GameStatus, NewsLine, PeakView, TeamChoices } from '../classroom/views.ts';

/** The news of one turn: each act in words, why it happened, the claims behind it; then the peaks. */
export function renderNews(
  turn: number,
  date: string,
  news: readonly NewsLine[],
  options: { peaks?: PeakView | undefined; stateChanges?: ReadonlyArray<{ actor: string; from: string; to: string }> | undefined } = {},
): string {
  const out = [`── Turn ${turn} · ${date} ${'─'.repeat(Math.max(4, 60 - `Turn ${turn} · ${date}`.length))}`];
  if (news.length === 0) out.push('  Nothing happened.');
  for (const n of news) {
    out.push(`  ${n.step ? '▲' : '·'} ${n.headline}`);
    out.push(...wrap(n.text, 90).map((l) => `      ${l}`));
    out.push(`      why: ${n.why}`);
    for (const c of n.claims) out.push(...wrap(`${c.id}: ${c.text}`, 90).map((l, i) => `      ${i === 0 ? '' : '  '}${l}`));
    if (n.assumption !== null) out.push(...wrap(`assumption: ${n.assumption}`, 90).map((l) => `      ${l}`));
  }
  if (options.stateChanges !== undefined && options.stateChanges.length > 0) {
    out.push('  Changes:');
    for (const c of options.stateChanges) out.push(`    ${c.actor}: ${stateDiff(c.from, c.to)}`);
  }
  if (options.peaks !== undefined) out.push(`  ${renderPeaks(options.peaks)}`);
  return escapeTerminal(`${out.join('\n')}\n`);
}

/** The states left and entered by a change of active states: `ukraineAid.nonLethalOnly → ukraineAid.reviewingLethalAid`. */
export function stateDiff(from: string, to: string): string {
  const before = from.split(', ');
  const after = to.split(', ');
  const left = before.filter((x) => !after.includes(x));
  const entered = after.filter((x) => !before.includes(x));
  return `${left.join(', ') || '—'} → ${entered.join(', ') || '—'}`;
}

/** `Peaks now: overall L6 · NEA L6 · EUR L5`. */
export function renderPeaks(p: PeakView): string {
  const theatres = p.theatres.map((t) => `${t.id} ${t.peak ?? '—'}`).join(' · ');
  return `Peaks now: overall ${p.overall ?? '—'}${theatres === '' ? '' : ` · ${theatres}`}`;
}

/** One objective line: `[✓] id  description`. */
export function renderObjective(o: ObjectiveStatus, final = false): string {
  return `[${o.holds ? '✓' : ' '}] ${o.description}${final ? (o.holds ? '  — met' : '  — not met') : o.holds ? '  (holds now)' : ''}`;
}

/**
 * A team's screen for the coming turn: who it is, its briefing and objectives, its states, and the
 * moves it can make now numbered from 1 (0: no move; p: the policy decides), with the policy's odds
 * when `showOdds`.
 */
export function renderTeamScreen(status: GameStatus, actor: ActorView, choices: TeamChoices, options: { showOdds?: boolean } = {}): string {
  const odds = (p: number) => (options.showOdds === true ? `  [policy ${pctOf(p)}]` : '');
  const out = [
    `${actor.id} — ${actor.name}`,
    `Turn ${choices.turn} of ${status.turns}${status.coming === null ? '' : ` · ${status.coming.date}`}`,
    '',
  ];
  if (actor.briefing !== null) out.push('Briefing', ...wrap(actor.briefing, 96).map((l) => `  ${l}`), '');
  if (actor.objectives.length > 0) out.push('Objectives', ...actor.objectives.map((o) => `  ${renderObjective(o)}`), '');
  out.push('Now', ...actor.states.map((s) => `  ${s}`), '');
  out.push('Moves you can make now');
  choices.moves.forEach((m, i) => {
    const targets = m.against.length > 0 ? ` against ${m.against.join(', ')}` : '';
    out.push(`  ${i + 1}. ${m.name} — ${m.event} (${m.rung} ${m.rungName}${m.theatre === null ? '' : `, ${m.theatre}`})${targets}${odds(m.probability)}`);
    out.push(...wrap(m.description, 90).map((l) => `       ${l}`));
  });
  out.push(`  0. no move${odds(choices.noMove)}`);
  out.push(`  p. let the scenario's policy decide for ${actor.id}`);
  return escapeTerminal(`${out.join('\n')}\n`);
}

/** A percentage for the odds: `12%`, `0.4%`. */
export function pctOf(p: number): string {
  const v = p * 100;
  return `${v >= 10 || v === 0 ? v.toFixed(0) : v.toFixed(1)}%`;
}

/** Wraps text at word boundaries. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A whole game as a narrative (`brink replay`): each turn's decisions and news, take-backs, the end. */
export function renderGameStory(story: GameStory): string {
  const st = story.status;
  const out = [
    `${st.scenario.title} — a classroom game`,
    `Scenario ${st.scenario.file} (${st.scenario.hash.slice(0, 19)}…) · seed ${st.seed} · teams ${st.teams.join(', ') || 'none'}`,
    `${st.played} of ${st.turns} turns played${st.over ? '' : ' (the game can be resumed)'}`,
    '',
  ];
  for (const e of story.events) {
    switch (e.kind) {
      case 'turn': {
        const decided = e.decisions.map((d) => `${d.actor}: ${d.moves === 'policy' ? "policy's draw" : d.moves[0] ?? 'no move'}${d.by === undefined ? '' : ` (${d.by})`}`);
        const facilitator = [
          ...e.injects.map((i) => `injected ${i.from} ${i.event}${i.to === undefined ? '' : ` to ${i.to.join(',')}`}`),
          ...e.shocks.map((x) => `${x.mode === 'force' ? 'forced' : 'suppressed'} shock ${x.shock}`),
        ];
        const body = renderNews(e.turn, e.date, e.news, { stateChanges: e.stateChanges, peaks: e.peaks }).split('\n');
        out.push(body[0] as string);
        if (decided.length > 0) out.push(`  Teams decided: ${decided.join('; ')}`);
        if (facilitator.length > 0) out.push(`  Facilitator: ${facilitator.join('; ')}`);
        out.push(...body.slice(1));
        break;
      }
      case 'takeBack':
        out.push(`── Turn ${e.turn} · ${e.date} taken back by the facilitator: it is played again below`, '');
        break;
      case 'pause':
        out.push('(paused)', '');
        break;
      case 'resume':
        out.push('(resumed)', '');
        break;
      case 'end':
        out.push(`The facilitator ended the game after ${e.played} turn${e.played === 1 ? '' : 's'}.`, '');
        break;
      default:
        break;
    }
  }
  out.push(renderPeaks(story.peaks).replace('Peaks now', 'Final peaks'));
  if (story.objectives.length > 0) {
    out.push('Objectives');
    for (const o of story.objectives) out.push(`  ${o.actor} ${renderObjective(o, st.over)}`);
  }
  return escapeTerminal(`${out.join('\n')}\n`);
}
