import { useSignal } from '@preact/signals';
import { tokenKey } from './team.tsx';

/** Joining a team: the code (from the QR code's link or typed) and a name the team will see. */
export function JoinPage({ code }: { code: string }) {
  const typed = useSignal(code);
  const name = useSignal(localStorage.getItem('brink.name') ?? '');
  const error = useSignal<string | null>(null);
  const busy = useSignal(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    busy.value = true;
    error.value = null;
    try {
      const res = await fetch('/api/join', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: typed.value, name: name.value }),
      });
      const body = (await res.json()) as { game?: string; token?: string; message?: string };
      if (!res.ok || body.game === undefined || body.token === undefined) {
        error.value = body.message ?? `the server answered ${res.status}`;
        return;
      }
      localStorage.setItem(tokenKey(body.game), body.token);
      localStorage.setItem('brink.name', name.value.trim());
      location.assign(`/team/${body.game}`);
    } catch {
      error.value = 'cannot reach the server; check that you are on the classroom’s network';
    } finally {
      busy.value = false;
    }
  };
  return (
    <main class="narrow">
      <h1>Join your team</h1>
      <form class="card form" onSubmit={submit}>
        <label>
          Team code
          <input
            name="code"
            value={typed.value}
            onInput={(e) => (typed.value = (e.currentTarget as HTMLInputElement).value)}
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            placeholder="ABCD-EFGH"
            required
            maxLength={20}
          />
        </label>
        <label>
          Your name (your team sees who chose what)
          <input name="name" value={name.value} onInput={(e) => (name.value = (e.currentTarget as HTMLInputElement).value)} required maxLength={40} />
        </label>
        {error.value ? <p class="error" role="alert">{error.value}</p> : null}
        <button type="submit" class="primary" disabled={busy.value}>
          {busy.value ? 'Joining…' : 'Join'}
        </button>
      </form>
    </main>
  );
}
