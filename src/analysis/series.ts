/**
 * Per-turn series of a run in long form — `(run, seed, turn, metric, value, label)` — for the metrics a
 * user names, like Mesa's DataCollector: peaks, dyad peaks, variables and actors' states at the end of
 * every turn.
 */
import type { Runner } from '../engine/run.ts';
import type { Model } from '../model/types.ts';
import { TraceView } from './trace-view.ts';

/** One metric to record each turn. */
export type SeriesMetric =
  | { readonly kind: 'peak'; readonly name: string; readonly theatre: number }
  | { readonly kind: 'dyad'; readonly name: string; readonly from: number; readonly to: number }
  | { readonly kind: 'var'; readonly name: string; readonly index: number }
  | { readonly kind: 'state'; readonly name: string; readonly actor: number };

/** One row of the long series. Peaks: `value` the rung index (null: nothing yet), `label` its id; variables: `value`; states: `label`, the active states. */
export interface SeriesRow {
  readonly run: number;
  readonly seed: string;
  readonly turn: number;
  readonly metric: string;
  readonly value: number | null;
  readonly label: string | null;
}

/** The metric names a scenario offers, for messages: groups first, then each metric. */
export function seriesMetricNames(model: Model): string[] {
  return ['peaks', 'dyads', 'vars', 'states', ...allMetrics(model).map((m) => m.name)];
}

function allMetrics(model: Model): SeriesMetric[] {
  return [...groupMetrics(model, 'peaks'), ...groupMetrics(model, 'dyads'), ...groupMetrics(model, 'vars'), ...groupMetrics(model, 'states')];
}

function groupMetrics(model: Model, group: 'peaks' | 'dyads' | 'vars' | 'states'): SeriesMetric[] {
  switch (group) {
    case 'peaks':
      return [{ kind: 'peak', name: 'peak', theatre: -1 }, ...model.theatres.map((t, i) => ({ kind: 'peak' as const, name: `peak.${t.id}`, theatre: i }))];
    case 'dyads':
      return model.actors.flatMap((a, f) =>
        model.actors.flatMap((b, t) => (f === t ? [] : [{ kind: 'dyad' as const, name: `dyad.${a.id}.${b.id}`, from: f, to: t }])),
      );
    case 'vars':
      return model.variables.map((v, i) => ({ kind: 'var' as const, name: `var.${v.id}`, index: i }));
    case 'states':
      return model.actors.map((a, i) => ({ kind: 'state' as const, name: `state.${a.id}`, actor: i }));
  }
}

/**
 * Parses a comma-separated list of metrics: `peaks`, `dyads`, `vars`, `states` (every metric of the
 * kind), or single ones — `peak`, `peak.<theatre>`, `dyad.<from>.<to>`, `var.<name>`, `state.<actor>`.
 * Duplicates are dropped; order is the list's. Pure.
 */
export function parseSeriesMetrics(model: Model, spec: string): { readonly ok: true; readonly metrics: SeriesMetric[] } | { readonly ok: false; readonly message: string } {
  const all = allMetrics(model);
  const out: SeriesMetric[] = [];
  for (const raw of spec.split(',')) {
    const name = raw.trim();
    const found =
      name === 'peaks' || name === 'dyads' || name === 'vars' || name === 'states' ? groupMetrics(model, name) : all.filter((m) => m.name === name);
    if (found.length === 0 && !(name === 'vars' || name === 'dyads')) {
      const known = seriesMetricNames(model);
      return { ok: false, message: `unknown metric "${name}" (known: ${known.slice(0, 24).join(', ')}${known.length > 24 ? `, … ${known.length - 24} more` : ''})` };
    }
    for (const m of found) if (!out.some((o) => o.name === m.name)) out.push(m);
  }
  return { ok: true, metrics: out };
}

/**
 * Plays run `index` of a batch from its run seed (`deriveRunSeed(batchSeed, index)`; a single run plays
 * its seed as given), traced, and returns its series: for every turn 1 … T, a row per metric, in the
 * metrics' order. Deterministic: the run is the batch's own, so its peaks match the batch's row for it.
 */
export function deriveSeries(model: Model, runner: Runner, runSeed: string, index: number, metrics: readonly SeriesMetric[]): SeriesRow[] {
  const vars: Float64Array[] = [];
  const wantVars = metrics.some((m) => m.kind === 'var');
  const record = runner.run(runSeed, { trace: true, ...(wantVars ? { onTurnEnd: (_turn: number, world: { readonly vars: Float64Array }) => void vars.push(world.vars.slice()) } : {}) });
  const view = new TraceView(model, record);
  const rung = (i: number) => (i < 0 ? null : (model.rungs[i] as { id: string }).id);
  const rows: SeriesRow[] = [];
  for (let turn = 1; turn <= model.turns; turn++) {
    view.advanceTo(turn);
    for (const m of metrics) {
      let value: number | null = null;
      let label: string | null = null;
      switch (m.kind) {
        case 'peak': {
          const p = view.peak(-1, -1, m.theatre);
          value = p < 0 ? null : p;
          label = rung(p);
          break;
        }
        case 'dyad': {
          const p = view.peak(m.from, m.to, -1);
          value = p < 0 ? null : p;
          label = rung(p);
          break;
        }
        case 'var':
          value = (vars[turn - 1] as Float64Array)[m.index] as number;
          break;
        case 'state': {
          const actor = model.actors[m.actor];
          label = actor === undefined ? null : actor.states.filter((s, i) => s.kind === 'atomic' && s.path !== '' && view.inState(m.actor, i)).map((s) => s.path).join(', ');
          break;
        }
        default: {
          const never: never = m;
          throw new Error(`unhandled metric ${JSON.stringify(never)}`);
        }
      }
      rows.push({ run: index, seed: runSeed, turn, metric: m.name, value, label });
    }
  }
  return rows;
}
