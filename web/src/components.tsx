import type { ComponentChildren } from 'preact';
import type { GameView, LadderView, NewsTurn, ObjectiveView, TeamStatus } from '../../src/server/protocol.ts';
import type { LinkState } from './live.ts';

/** Words kept in capitals when an id is put in words: the scenario's actor ids and a few common ones. */
const ACRONYMS = new Set(['US', 'UN', 'EU', 'UK', 'NATO', 'ICBM', 'WMD']);

/** Teaches `humanize` the scenario's actor ids (ROK, DPRK…). */
export function learnAcronyms(ids: readonly string[]): void {
  for (const id of ids) if (/^[A-Z]+$/.test(id)) ACRONYMS.add(id);
}

/** `NATO_PARTNERSHIP` → `NATO partnership`; `lethalAidDelivered` → `Lethal aid delivered`. */
export function humanize(id: string): string {
  const words = id
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[_\s]+/)
    .filter((w) => w !== '')
    .map((w) => (ACRONYMS.has(w.toUpperCase()) && (w === w.toUpperCase() || w.length <= 2) ? w.toUpperCase() : w.toLowerCase()));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A state path in words: `ukraineAid.lethalAidDelivered` → `Ukraine aid: lethal aid delivered`. */
export function stateLabel(path: string): string {
  const parts = path.split('.').map(humanize);
  if (parts.length === 1) return parts[0] ?? path;
  const rest = parts.slice(1).map((p) => (ACRONYMS.has(p.split(' ')[0] ?? '') ? p : p.charAt(0).toLowerCase() + p.slice(1)));
  return `${parts[0]}: ${rest.join(' › ')}`;
}

/** A colour per rung: calm greens to red, by position on the ladder. */
export function rungColour(index: number, count: number): string {
  if (index < 0) return 'var(--empty)';
  const t = count <= 1 ? 1 : index / (count - 1);
  const hue = Math.round(140 - 140 * t);
  return `hsl(${hue} 70% ${t > 0.75 ? 42 : 45}%)`;
}

export function LinkDot({ state }: { state: LinkState }) {
  const label = { connecting: 'connecting…', live: 'live', offline: 'reconnecting…', refused: 'refused' }[state];
  return (
    <span class={`link link-${state}`} role="status" aria-live="polite">
      <span class="dot" aria-hidden="true" />
      {label}
    </span>
  );
}

export function Section({ title, children, class: cls }: { title: string; children: ComponentChildren; class?: string }) {
  return (
    <section class={`card ${cls ?? ''}`}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/** The ladder as a row of segments, filled up to the theatre's peak, thresholds marked. */
export function Gauge({ name, peak, ladder }: { name: string; peak: number; ladder: LadderView }) {
  const n = ladder.rungs.length;
  const top = peak >= 0 ? ladder.rungs[peak] : undefined;
  return (
    <div class="gauge">
      <div class="gauge-head">
        <span class="gauge-name">{name}</span>
        <span class="gauge-peak">
          {top ? (
            <>
              <span class="rung" style={{ background: rungColour(peak, n) }}>
                {top.id}
              </span>{' '}
              {top.name}
            </>
          ) : (
            'calm'
          )}
        </span>
      </div>
      <div class="gauge-bar" role="img" aria-label={`${name}: ${top ? `${top.id} ${top.name}` : 'no rung reached'}`}>
        {ladder.rungs.map((r, i) => {
          const threshold = ladder.thresholds.find((t) => t.at === i);
          return (
            <span
              key={r.id}
              class={`seg${threshold ? ' threshold' : ''}`}
              title={`${r.id} ${r.name}${threshold ? ` — threshold: ${threshold.name}` : ''}`}
              style={{ background: i <= peak ? rungColour(i, n) : undefined }}
            >
              {r.id}
            </span>
          );
        })}
      </div>
    </div>
  );
}

export function Gauges({ view }: { view: GameView }) {
  return (
    <div class="gauges">
      {view.gauges.map((g) => (
        <Gauge key={g.theatre} name={g.name} peak={g.peak} ladder={view.ladder} />
      ))}
    </div>
  );
}

/** Who has escalated against whom: a rung per dyad, row = from, column = against. */
export function DyadMatrix({ view }: { view: GameView }) {
  const n = view.ladder.rungs.length;
  return (
    <div class="matrix-wrap">
      <table class="matrix">
        <thead>
          <tr>
            <th class="corner" title="row acted against column">from ↓ against →</th>
            {view.actors.map((a) => (
              <th key={a.id} title={a.name}>
                {a.id}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {view.actors.map((a, i) => (
            <tr key={a.id}>
              <th title={a.name} class={a.human ? 'human' : ''}>
                {a.id}
              </th>
              {view.actors.map((b, j) => {
                const level = view.dyads[i]?.[j] ?? -1;
                return (
                  <td
                    key={b.id}
                    class={i === j ? 'self' : level < 0 ? 'none' : ''}
                    style={level >= 0 ? { background: rungColour(level, n) } : undefined}
                    title={level >= 0 ? `${a.name} → ${b.name}: ${view.ladder.rungs[level]?.id} ${view.ladder.rungs[level]?.name}` : undefined}
                  >
                    {i === j ? '' : level >= 0 ? view.ladder.rungs[level]?.id : '·'}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const ORIGIN: Record<string, string> = { move: 'move', reaction: 'reaction', shock: 'incident', script: 'event' };

/** The news of each played turn, newest first. */
export function News({ news, ladder, limit }: { news: readonly NewsTurn[]; ladder: LadderView; limit?: number | undefined }) {
  if (news.length === 0) return <p class="muted">No turn has been played yet.</p>;
  const shown = [...news].reverse().slice(0, limit ?? news.length);
  return (
    <ol class="news">
      {shown.map((t) => (
        <li key={t.turn} class="news-turn">
          <h3>
            {t.date} <span class="muted">· turn {t.turn}</span>
          </h3>
          {t.acts.length === 0 ? (
            <p class="muted">A quiet month: nobody acted.</p>
          ) : (
            <ul>
              {t.acts.map((a, k) => (
                <li key={k} class={a.step ? 'act step' : 'act'}>
                  <span class="rung" style={{ background: rungColour(ladder.rungs.findIndex((r) => r.id === a.rung), ladder.rungs.length) }}>
                    {a.rung}
                  </span>
                  <span class="act-text">
                    <b>{a.actorName}</b>: {a.description}
                    {a.to.length > 0 && a.to.length < 4 ? <span class="muted"> → {a.to.join(', ')}</span> : null}
                    <span class="tag" title={ORIGIN[a.origin] ?? a.origin}>
                      {a.why}
                    </span>
                    {a.theatre ? <span class="tag">{a.theatre}</span> : null}
                    {a.step ? <span class="tag tag-step">new peak</span> : null}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}

export function Objectives({ list }: { list: readonly ObjectiveView[] }) {
  if (list.length === 0) return <p class="muted">The scenario gives this team no objectives.</p>;
  return (
    <ul class="objectives">
      {list.map((o) => (
        <li key={o.id} class={o.met === true ? 'met' : o.met === false ? 'unmet' : ''}>
          <span class="mark" aria-hidden="true">
            {o.met === true ? '✓' : o.met === false ? '✗' : '…'}
          </span>
          <span>{o.text}</span>
          <span class="muted small">{o.met === true ? 'holds now' : o.met === false ? 'not yet' : 'scored at the end'}</span>
        </li>
      ))}
    </ul>
  );
}

/** Which teams have decided this turn (never what). */
export function TeamsDecided({ teams }: { teams: readonly TeamStatus[] }) {
  return (
    <ul class="teams">
      {teams.map((t) => (
        <li key={t.actor} class={t.decided ? 'decided' : 'waiting'}>
          <span class="mark" aria-hidden="true">
            {t.decided ? '✓' : '…'}
          </span>
          <b>{t.name}</b>
          <span class="muted small">
            {t.decided ? 'decided' : 'deciding'} · {t.online} online
          </span>
        </li>
      ))}
    </ul>
  );
}

/** "Turn 3 of 6 · Sep 2024", or the end. */
export function TurnLine({ view }: { view: GameView }) {
  if (view.phase === 'over' || view.phase === 'ended') return <span>Game over after {view.turn} turns</span>;
  return (
    <span>
      <b>{view.date}</b> · turn {view.turn + 1} of {view.turns}
    </span>
  );
}

/** Seconds left before the deadline plays the turn; re-rendered by the page's clock. */
export function Countdown({ at, now }: { at: number | null; now: number }) {
  if (at === null) return null;
  const s = Math.max(0, Math.round((at - now) / 1000));
  const text = s >= 60 ? `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}` : `${s} s`;
  return <span class={`countdown${s <= 30 ? ' soon' : ''}`}>⏱ {text}</span>;
}
