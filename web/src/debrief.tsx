import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { DebriefStatus } from '../../src/server/protocol.ts';

/** The debrief of an ended game: a progress bar while the workers compute it, then the report itself. */
export function DebriefPage({ game }: { game: string }) {
  const key = location.hash.slice(1);
  const status = useSignal<DebriefStatus | { state: 'error'; message: string } | null>(null);
  useEffect(() => {
    let stop = false;
    const poll = async () => {
      try {
        const r = await fetch(`/api/games/${game}/debrief/status?key=${encodeURIComponent(key)}`);
        const body = (await r.json()) as DebriefStatus & { message?: string };
        status.value = r.ok ? body : { state: 'error', message: body.message ?? `the server answered ${r.status}` };
        if (r.ok && (body.state === 'ready' || body.state === 'failed')) return;
      } catch {
        status.value = { state: 'error', message: 'cannot reach the server; retrying…' };
      }
      if (!stop) setTimeout(() => void poll(), 500);
    };
    void poll();
    return () => {
      stop = true;
    };
  }, [game, key]);
  const s = status.value;
  if (s !== null && s.state === 'ready') {
    const src = `/api/games/${game}/debrief?key=${encodeURIComponent(key)}`;
    return (
      <div class="debrief-page">
        <header class="bar">
          <a href="#" onClick={(e) => (e.preventDefault(), history.back())}>
            ← Back to the game
          </a>
          <a href={src} download={`debrief-${game}.html`}>
            Save the debrief
          </a>
        </header>
        <iframe class="debrief-frame" title="Debrief" src={src} />
      </div>
    );
  }
  return (
    <main class="narrow">
      <h1>Debrief</h1>
      {s === null ? <p class="muted">Loading…</p> : null}
      {s?.state === 'none' ? <p>The game has not ended yet: the debrief is computed when the facilitator ends it.</p> : null}
      {s?.state === 'running' ? (
        <div class="card">
          <p>Setting your game against thousands of simulated ones…</p>
          <progress class="wide-progress" max={s.total} value={s.done} />
          <p class="small muted">
            {s.done.toLocaleString()} of {s.total.toLocaleString()} runs
          </p>
        </div>
      ) : null}
      {s?.state === 'failed' || s?.state === 'error' ? <p class="error">{s.message}</p> : null}
    </main>
  );
}
