import { useSignal } from '@preact/signals';
import { useEffect, useMemo } from 'preact/hooks';
import type { FacilitatorView } from '../../src/server/protocol.ts';
import { useClock } from './clock.ts';
import { Countdown, DyadMatrix, Gauges, humanize, LinkDot, News, Objectives, Section, TeamsDecided, TurnLine } from './components.tsx';
import { type Answer, LiveChannel, type Outgoing } from './live.ts';

/** The facilitator's page: the projector view, the controls, the join codes. The secret is the URL's fragment. */
export function FacilitatorPage({ game }: { game: string }) {
  const secret = location.hash.slice(1);
  const live = useMemo(() => new LiveChannel<FacilitatorView>(game, 'facilitator', secret), [game, secret]);
  useEffect(() => () => live.close(), [live]);
  const view = live.view.value;
  const now = useClock(view?.deadlineAt ?? null, live.skew);
  const projector = useSignal(false);
  const message = useSignal<{ ok: boolean; text: string } | null>(null);
  const busy = useSignal(false);

  if (live.state.value === 'refused')
    return (
      <main class="narrow">
        <h1>This link does not open the game’s controls</h1>
        <p class="error">{live.refusal.value}</p>
        <p>Use the facilitator link you got when you created the game (it ends with a long key after #).</p>
      </main>
    );
  if (view === null)
    return (
      <main class="narrow">
        <p class="muted">Connecting…</p>
      </main>
    );

  const run = async (cmd: Outgoing, done: string) => {
    busy.value = true;
    const a: Answer = await live.send(cmd);
    busy.value = false;
    message.value = a.ok ? { ok: true, text: done } : { ok: false, text: a.message };
  };
  const over = view.phase === 'over' || view.phase === 'ended';
  const decided = view.teams.filter((t) => t.decided).length;

  return (
    <main class={`facilitator${projector.value ? ' projector' : ''}`}>
      <header class="bar">
        <div>
          <div class="who">{view.title}</div>
          <div class="small">
            <TurnLine view={view} /> · seed {view.seed}
            {view.phase === 'paused' ? <b class="paused-tag"> · paused</b> : null}
          </div>
        </div>
        <div class="bar-right">
          <Countdown at={view.deadlineAt} now={now} />
          <LinkDot state={live.state.value} />
          <button type="button" class="ghost" onClick={() => (projector.value = !projector.value)}>
            {projector.value ? 'Show controls' : 'Projector view'}
          </button>
        </div>
      </header>

      <div class="grid">
        <div class="wall">
          <Section title={over ? 'Teams' : `Teams: ${decided} of ${view.teams.length} decided`} class="teams-card">
            <TeamsDecided teams={view.teams} />
          </Section>
          <div class="wall-left">
            <Section title="The escalation ladder" class="gauges-card">
              <Gauges view={view} />
            </Section>
            <Section title="Who escalated against whom" class="matrix-card">
              <DyadMatrix view={view} />
            </Section>
            {view.objectives.every((g) => g.objectives.length === 0) ? null : (
              <Section title="Objectives (holding now)" class="objectives-card">
                <div class="objective-groups">
                  {view.objectives.map((g) => (
                    <div key={g.actor}>
                      <h3>{view.actors.find((a) => a.id === g.actor)?.name ?? g.actor}</h3>
                      <Objectives list={g.objectives} />
                    </div>
                  ))}
                </div>
              </Section>
            )}
          </div>
          <Section title="News" class="news-card">
            <News news={view.news ?? []} ladder={view.ladder} limit={projector.value ? 3 : undefined} />
          </Section>
        </div>

        {projector.value ? null : (
          <aside class="controls">
            <Section title="Controls">
              {message.value ? <p class={message.value.ok ? 'ok' : 'error'}>{message.value.text}</p> : null}
              {over ? (
                <DebriefLink view={view} secret={secret} />
              ) : (
                <>
                  <button
                    type="button"
                    class="primary big"
                    disabled={busy.value || view.phase !== 'deciding'}
                    onClick={() => void run({ type: 'play', turn: view.turn + 1 }, `Played ${view.date}.`)}
                  >
                    Play {view.date}
                    <span class="small">{decided === view.teams.length ? 'every team has decided' : `${view.teams.length - decided} team(s) still deciding`}</span>
                  </button>
                  {view.pending.length > 0 ? (
                    <ul class="pending small">
                      {view.pending.map((p) => (
                        <li key={p}>{p}</li>
                      ))}
                    </ul>
                  ) : null}
                  <div class="row">
                    <button type="button" disabled={busy.value} onClick={() => void run({ type: 'pause', paused: view.phase !== 'paused' }, view.phase === 'paused' ? 'Resumed.' : 'Paused.')}>
                      {view.phase === 'paused' ? 'Resume' : 'Pause'}
                    </button>
                    <button
                      type="button"
                      disabled={busy.value || !view.canTakeBack}
                      onClick={() => {
                        if (confirm(`Take back the last turn played? The teams decide it again.`)) void run({ type: 'takeBack', turn: view.turn }, 'The last turn was taken back.');
                      }}
                    >
                      Take back last turn
                    </button>
                    <button
                      type="button"
                      class="danger"
                      disabled={busy.value}
                      onClick={() => {
                        if (confirm('End the game now and open the debrief?')) void run({ type: 'end' }, 'The game has ended.');
                      }}
                    >
                      End game
                    </button>
                  </div>
                  <InjectForm view={view} run={run} />
                  <ShockForm view={view} run={run} />
                  <DeadlineForm view={view} run={run} />
                </>
              )}
            </Section>
            <Section title="Join codes">
              <p class="small muted">Students scan their team’s code or open {location.host}/join and type it.</p>
              <div class="joins">
                {view.joins.map((j) => (
                  <figure key={j.actor} class="join">
                    <img alt={`QR code to join ${j.name}`} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(j.qrSvg)}`} width={132} height={132} />
                    <figcaption>
                      <b>{j.name}</b>
                      <code class="code">{j.code}</code>
                    </figcaption>
                  </figure>
                ))}
              </div>
            </Section>
          </aside>
        )}
      </div>
    </main>
  );
}

type Run = (cmd: Outgoing, done: string) => Promise<void>;

function DebriefLink({ view, secret }: { view: FacilitatorView; secret: string }) {
  const d = view.debrief;
  if (d.state === 'running')
    return (
      <div>
        <p>Computing the debrief…</p>
        <progress max={d.total} value={d.done} />
        <p class="small muted">
          {d.done} of {d.total} runs
        </p>
      </div>
    );
  if (d.state === 'failed') return <p class="error">The debrief failed: {d.message}</p>;
  if (d.state === 'ready')
    return (
      <a class="button primary big" href={`/debrief/${view.game}#${secret}`}>
        Open the debrief
      </a>
    );
  return <p class="muted">The debrief starts when the game ends.</p>;
}

function InjectForm({ view, run }: { view: FacilitatorView; run: Run }) {
  const event = useSignal(view.catalogue[0]?.id ?? '');
  const from = useSignal(view.actors[0]?.id ?? '');
  const to = useSignal<string[]>([]);
  const theatre = useSignal('');
  return (
    <details class="tool">
      <summary>Inject an act</summary>
      <form
        class="form compact"
        onSubmit={(e) => {
          e.preventDefault();
          void run(
            { type: 'inject', turn: view.turn + 1, event: event.value, from: from.value, ...(to.value.length > 0 ? { to: to.value.filter((x) => x !== from.value) } : {}), theatre: theatre.value === '' ? null : theatre.value },
            `Injected ${humanize(event.value)} by ${from.value} into ${view.date}.`,
          );
        }}
      >
        <label>
          Act
          <select value={event.value} onChange={(e) => (event.value = (e.currentTarget as HTMLSelectElement).value)}>
            {view.catalogue.map((c) => (
              <option key={c.id} value={c.id} title={c.description}>
                {humanize(c.id)}
              </option>
            ))}
          </select>
        </label>
        <p class="small muted">{view.catalogue.find((c) => c.id === event.value)?.description}</p>
        <label>
          By
          <select value={from.value} onChange={(e) => (from.value = (e.currentTarget as HTMLSelectElement).value)}>
            {view.actors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset class="to">
          <legend>To (none ticked: everyone)</legend>
          {view.actors
            .filter((a) => a.id !== from.value)
            .map((a) => (
              <label key={a.id} class="check">
                <input
                  type="checkbox"
                  checked={to.value.includes(a.id)}
                  onChange={() => (to.value = to.value.includes(a.id) ? to.value.filter((x) => x !== a.id) : [...to.value, a.id])}
                />
                {a.id}
              </label>
            ))}
        </fieldset>
        <label>
          Theatre
          <select value={theatre.value} onChange={(e) => (theatre.value = (e.currentTarget as HTMLSelectElement).value)}>
            <option value="">the act’s own</option>
            {view.theatres.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Inject into {view.date}</button>
      </form>
    </details>
  );
}

function ShockForm({ view, run }: { view: FacilitatorView; run: Run }) {
  if (view.shocks.length === 0) return null;
  return (
    <details class="tool">
      <summary>Force or suppress a shock</summary>
      <ul class="shocks">
        {view.shocks.map((s) => (
          <li key={s.id}>
            <span>
              <b>{humanize(s.id)}</b> <span class="small muted">{s.description}</span>
            </span>
            <select
              aria-label={`${s.id} this turn`}
              value={s.mode ?? 'chance'}
              onChange={(e) => {
                const mode = (e.currentTarget as HTMLSelectElement).value as 'force' | 'suppress' | 'chance';
                void run({ type: 'shock', turn: view.turn + 1, shock: s.id, mode }, `${humanize(s.id)}: ${mode === 'chance' ? 'left to chance' : mode === 'force' ? 'will strike' : 'will not strike'} in ${view.date}.`);
              }}
            >
              <option value="chance">by chance</option>
              <option value="force">strikes this turn</option>
              <option value="suppress">cannot strike this turn</option>
            </select>
          </li>
        ))}
      </ul>
    </details>
  );
}

function DeadlineForm({ view, run }: { view: FacilitatorView; run: Run }) {
  return (
    <details class="tool">
      <summary>Decision deadline: {view.deadlineSeconds === null ? 'none' : `${Math.round(view.deadlineSeconds / 60)} min`}</summary>
      <select
        aria-label="Decision deadline"
        value={String(view.deadlineSeconds ?? 0)}
        onChange={(e) => {
          const v = Number((e.currentTarget as HTMLSelectElement).value);
          void run({ type: 'settings', deadlineSeconds: v === 0 ? null : v }, v === 0 ? 'No deadline: you play each turn.' : `Each turn now plays ${v / 60} min after it opens.`);
        }}
      >
        <option value="0">none: I play each turn</option>
        {[60, 120, 180, 300, 600].map((s) => (
          <option key={s} value={String(s)}>
            {s / 60} minute{s === 60 ? '' : 's'}
          </option>
        ))}
      </select>
      <p class="small muted">An undecided team {view.undecided === 'policy' ? 'lets the model decide' : 'makes no move'} when the turn plays.</p>
    </details>
  );
}
