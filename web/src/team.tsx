import { useSignal } from '@preact/signals';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { MoveChoice, TeamView } from '../../src/server/protocol.ts';
import { Countdown, Gauges, humanize, LinkDot, News, Objectives, rungColour, Section, stateLabel, TurnLine } from './components.tsx';
import { LiveChannel } from './live.ts';
import { useClock } from './clock.ts';

/** Where a team member's token is kept between visits (per game). */
export const tokenKey = (game: string) => `brink.team.${game}`;

/** The team's page: made for a phone first. */
export function TeamPage({ game }: { game: string }) {
  const token = localStorage.getItem(tokenKey(game));
  if (token === null)
    return (
      <main class="narrow">
        <h1>Not joined</h1>
        <p>
          This device has not joined this game. <a href="/join">Join with your team’s code</a>.
        </p>
      </main>
    );
  return <TeamLive game={game} token={token} />;
}

function TeamLive({ game, token }: { game: string; token: string }) {
  const live = useMemo(() => new LiveChannel<TeamView>(game, 'team', token), [game, token]);
  useEffect(() => () => live.close(), [live]);
  const view = live.view.value;
  const now = useClock(view?.deadlineAt ?? null, live.skew);
  const sending = useSignal<string | null | undefined>(undefined);
  const error = useSignal<string | null>(null);
  const [showBriefing, setShowBriefing] = useState(false);

  if (live.state.value === 'refused')
    return (
      <main class="narrow">
        <h1>Cannot open this team</h1>
        <p class="error">{live.refusal.value}</p>
        <p>
          <a href="/join">Join again with your team’s code</a>.
        </p>
      </main>
    );
  if (view === null)
    return (
      <main class="narrow">
        <p class="muted">Connecting…</p>
      </main>
    );

  const open = view.phase === 'deciding';
  const choose = async (move: string | null) => {
    sending.value = move;
    error.value = null;
    const a = await live.send({ type: 'decide', turn: view.turn + 1, move });
    if (!a.ok && a.code !== 'live/superseded') error.value = a.message;
    if (sending.value === move) sending.value = undefined;
  };
  const chosen = view.choice;
  const chosenMove = chosen ? view.moves.find((m) => m.id === chosen.move) : undefined;
  const choiceText = chosen === null ? null : chosen.move === null ? 'No move this month' : chosenMove ? humanize(chosenMove.event) : chosen.move;

  return (
    <main class="team">
      <header class="bar">
        <div>
          <div class="who">{view.me.name}</div>
          <div class="small">
            <TurnLine view={view} /> · you are <b>{view.me.member}</b>
          </div>
        </div>
        <div class="bar-right">
          <Countdown at={view.deadlineAt} now={now} />
          <LinkDot state={live.state.value} />
        </div>
      </header>

      {view.phase === 'paused' ? <p class="banner paused">The facilitator has paused the game.</p> : null}
      {view.phase === 'over' || view.phase === 'ended' ? (
        <p class="banner over">
          The game is over. {view.debrief.state === 'ready' ? <a href={`/debrief/${view.game}#${token}`}>Open the debrief</a> : 'The debrief will open here when it is ready.'}
        </p>
      ) : null}

      {open || chosen !== null ? (
        <section class={`card choice ${chosen === null ? 'none' : 'made'}`} aria-live="polite">
          <h2>Your team’s decision for {view.date}</h2>
          {chosen === null ? (
            <p>No decision yet. Choose one of the moves below{view.undecided === 'policy' ? ' (if you do not, the model decides for you)' : ' (if you do not, you make no move)'}.</p>
          ) : (
            <p>
              <b class="chosen">{choiceText}</b> <span class="muted">— chosen by {chosen.by}</span>
              {open ? <span class="muted small"> · you can change it until the turn is played</span> : null}
            </p>
          )}
          {error.value ? <p class="error">{error.value}</p> : null}
        </section>
      ) : null}

      {open ? (
        <Section title="Moves you can make now">
          <ul class="moves">
            {view.moves.map((m) => (
              <MoveCard
                key={m.id}
                move={m}
                view={view}
                selected={chosen !== null && chosen.move === m.id}
                pending={sending.value === m.id}
                onChoose={() => void choose(m.id)}
              />
            ))}
            <li>
              <button
                type="button"
                class={`move${chosen !== null && chosen.move === null ? ' selected' : ''}`}
                aria-pressed={chosen !== null && chosen.move === null}
                onClick={() => void choose(null)}
              >
                <span class="move-title">No move</span>
                <span class="move-desc">Do nothing new this month; your country still reacts to what others do.</span>
              </button>
            </li>
          </ul>
        </Section>
      ) : null}

      <Section title="Your objectives">
        <Objectives list={view.objectives.find((o) => o.actor === view.me.actor)?.objectives ?? []} />
      </Section>

      <Section title="Where your country stands">
        <ul class="states">
          {view.states.map((s) => (
            <li key={s} title={s}>
              {stateLabel(s)}
            </li>
          ))}
        </ul>
        {view.briefing ? (
          <details open={showBriefing} onToggle={(e) => setShowBriefing((e.currentTarget as HTMLDetailsElement).open)}>
            <summary>Briefing</summary>
            <p class="briefing">{view.briefing}</p>
          </details>
        ) : null}
      </Section>

      <Section title="The ladder">
        <Gauges view={view} />
      </Section>

      <Section title="News">
        <News news={view.news ?? []} ladder={view.ladder} />
      </Section>
    </main>
  );
}

function MoveCard(props: { move: MoveChoice; view: TeamView; selected: boolean; pending: boolean; onChoose: () => void }) {
  const { move, view } = props;
  const rung = view.ladder.rungs.findIndex((r) => r.id === move.rung);
  return (
    <li>
      <button type="button" class={`move${props.selected ? ' selected' : ''}${props.pending ? ' pending' : ''}`} aria-pressed={props.selected} onClick={props.onChoose}>
        <span class="move-title">
          {humanize(move.event)}
          <span class="rung" style={{ background: rungColour(rung, view.ladder.rungs.length) }} title={move.rungName}>
            {move.rung}
          </span>
        </span>
        <span class="move-desc">{move.description}</span>
        {move.to.length > 0 ? <span class="move-to small muted">to {move.to.join(', ')}</span> : null}
        {props.selected ? <span class="move-by small">✓ chosen by {view.choice?.by}</span> : null}
      </button>
    </li>
  );
}
