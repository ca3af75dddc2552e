import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { PositionedProblem, ScenarioChoice } from '../../src/server/protocol.ts';

type Source = { kind: 'file'; file: string } | { kind: 'upload'; name: string; text: string };

/** The facilitator's start: pick or upload a scenario, choose the teams, the seed and a deadline. */
export function HomePage() {
  const scenarios = useSignal<ScenarioChoice[]>([]);
  const source = useSignal<Source | null>(null);
  const chosen = useSignal<ScenarioChoice | null>(null);
  const problems = useSignal<PositionedProblem[]>([]);
  const humans = useSignal<string[]>([]);
  const seed = useSignal(String(1 + Math.floor(Math.random() * 9999)));
  const deadline = useSignal('0');
  const undecided = useSignal<'none' | 'policy'>('none');
  const error = useSignal<string | null>(null);
  const busy = useSignal(false);

  useEffect(() => {
    void fetch('/api/scenarios')
      .then((r) => r.json())
      .then((list: ScenarioChoice[]) => {
        scenarios.value = list;
        const first = list.find((s) => s.file.includes('russia-dprk-2024')) ?? list[0];
        if (first) pick(first);
      });
  }, []);

  const pick = (s: ScenarioChoice) => {
    source.value = { kind: 'file', file: s.file };
    chosen.value = s;
    problems.value = [];
    humans.value = [];
  };

  const upload = async (e: Event) => {
    const f = (e.currentTarget as HTMLInputElement).files?.[0];
    if (!f) return;
    const text = await f.text();
    error.value = null;
    const res = await fetch('/api/scenarios/check', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: f.name, text }),
    });
    const body = (await res.json()) as { ok: boolean; choice?: ScenarioChoice; problems?: PositionedProblem[]; message?: string };
    if (!res.ok) {
      error.value = body.message ?? `the server answered ${res.status}`;
      return;
    }
    problems.value = body.problems ?? [];
    humans.value = [];
    if (body.ok && body.choice) {
      chosen.value = body.choice;
      source.value = { kind: 'upload', name: f.name, text };
    } else {
      chosen.value = null;
      source.value = null;
    }
  };

  const create = async (e: Event) => {
    e.preventDefault();
    const src = source.value;
    if (src === null) return;
    busy.value = true;
    error.value = null;
    try {
      const res = await fetch('/api/games', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          scenario: src.kind === 'file' ? { file: src.file } : { name: src.name, text: src.text },
          humans: humans.value,
          seed: seed.value.trim(),
          deadlineSeconds: deadline.value === '0' ? null : Number(deadline.value),
          undecided: undecided.value,
        }),
      });
      const body = (await res.json()) as { ok?: boolean; game?: string; secret?: string; message?: string; problems?: PositionedProblem[] };
      if (!res.ok || body.game === undefined || body.secret === undefined) {
        error.value = body.message ?? `the server answered ${res.status}`;
        problems.value = body.problems ?? [];
        return;
      }
      location.assign(`/facilitate/${body.game}#${body.secret}`);
    } finally {
      busy.value = false;
    }
  };

  const toggle = (id: string) => {
    humans.value = humans.value.includes(id) ? humans.value.filter((h) => h !== id) : [...humans.value, id];
  };
  const c = chosen.value;
  return (
    <main class="narrow wide">
      <h1>Brink classroom</h1>
      <p class="lead">
        Students: <a href="/join">join your team with its code</a>. Teacher: start a game below.
      </p>
      <form class="card form" onSubmit={create}>
        <h2>New game</h2>
        <fieldset>
          <legend>Scenario</legend>
          <select
            aria-label="Scenario"
            value={source.value?.kind === 'file' ? source.value.file : ''}
            onChange={(e) => {
              const s = scenarios.value.find((x) => x.file === (e.currentTarget as HTMLSelectElement).value);
              if (s) pick(s);
            }}
          >
            {source.value?.kind === 'upload' ? <option value="">{source.value.name} (uploaded)</option> : null}
            {scenarios.value.map((s) => (
              <option key={s.file} value={s.file}>
                {s.title} — {s.file}
              </option>
            ))}
          </select>
          <label class="upload">
            or upload a scenario file (YAML or JSON): <input type="file" accept=".yaml,.yml,.json" onChange={upload} />
          </label>
          {problems.value.length > 0 ? (
            <div class="problems" role="alert">
              <p>
                <b>The file has {problems.value.filter((p) => p.severity === 'error').length} error(s); fix them and upload it again:</b>
              </p>
              <ul>
                {problems.value.map((p, i) => (
                  <li key={i} class={p.severity}>
                    <code>{p.text}</code>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </fieldset>
        {c ? (
          <fieldset>
            <legend>Teams: which countries do students play? (the rest play by the scenario’s policy)</legend>
            <div class="actors">
              {c.actors.map((a) => (
                <label key={a.id} class="check">
                  <input type="checkbox" name="human" value={a.id} checked={humans.value.includes(a.id)} onChange={() => toggle(a.id)} />
                  <b>{a.name}</b> <span class="muted">({a.id})</span>
                </label>
              ))}
            </div>
          </fieldset>
        ) : null}
        <div class="row">
          <label>
            Seed
            <input name="seed" value={seed.value} onInput={(e) => (seed.value = (e.currentTarget as HTMLInputElement).value)} required maxLength={200} />
          </label>
          <label>
            Decision deadline per turn
            <select name="deadline" value={deadline.value} onChange={(e) => (deadline.value = (e.currentTarget as HTMLSelectElement).value)}>
              <option value="0">none: I play each turn</option>
              <option value="60">1 minute</option>
              <option value="120">2 minutes</option>
              <option value="180">3 minutes</option>
              <option value="300">5 minutes</option>
              <option value="600">10 minutes</option>
            </select>
          </label>
          <label>
            A team that has not decided
            <select name="undecided" value={undecided.value} onChange={(e) => (undecided.value = (e.currentTarget as HTMLSelectElement).value as 'none' | 'policy')}>
              <option value="none">makes no move</option>
              <option value="policy">lets the model decide</option>
            </select>
          </label>
        </div>
        {error.value ? <p class="error" role="alert">{error.value}</p> : null}
        <button type="submit" class="primary" disabled={busy.value || c === null || humans.value.length === 0}>
          {humans.value.length === 0 ? 'Choose at least one team' : `Create the game with ${humans.value.length} team${humans.value.length === 1 ? '' : 's'}`}
        </button>
        <p class="muted small">The next page is your facilitator link: bookmark it, and share it with no one — it is the only key to the game’s controls.</p>
      </form>
    </main>
  );
}
