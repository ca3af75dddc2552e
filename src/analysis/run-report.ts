import { type RunRecord, reachedOutcome } from '../engine/run.ts';
import { turnDate } from '../model/calendar.ts';
import type { EventInstance, Model, Origin, RuleKind, Scalar } from '../model/types.ts';
import type { InvariantTallyData } from './invariants.ts';
import type { MoveChanceNote } from './move-chances.ts';
import { derivePathway } from './pathway.ts';
import type { ReportMeta } from './summary.ts';

/** One act, with names instead of indices and the reason it happened. */
export interface NarratedAct {
  readonly id: number;
  readonly turn: number;
  readonly date: string;
  readonly actor: string;
  readonly actorName: string;
  readonly act: string;
  readonly description: string;
  readonly rung: string;
  readonly rungName: string;
  readonly theatre: string | null;
  readonly to: readonly string[];
  readonly against: readonly string[];
  readonly data: Readonly<Record<string, Scalar>> | null;
  readonly origin: Origin;
  /** The act whose handling produced this one. */
  readonly cause: { readonly id: number; readonly actor: string; readonly act: string } | null;
  readonly rule: {
    readonly id: string;
    readonly kind: RuleKind;
    readonly source: readonly string[];
    readonly assumption: string | null;
  };
  /** The claims cited by the rule, with their text (and page and disputed mark, where the claim has them). */
  readonly claims: ReadonlyArray<{ readonly id: string; readonly text: string; readonly page?: string; readonly disputed?: true }>;
  /** True when this act raised the overall peak. */
  readonly step: boolean;
  /** For a move: how likely the actor was to choose it that turn; for a chance reaction's act, how likely the reaction was to fire (when the run was replayed for it). */
  readonly chance?: MoveChanceNote;
  /** For an act sent with a `delay`: the turn it was sent (`turn` is the turn it was delivered). */
  readonly sent?: number;
}

/** The report of one run: its pathway told act by act, and where each dyad and theatre ended. */
export interface RunReport {
  readonly kind: 'run';
  readonly meta: ReportMeta;
  readonly peak: { readonly overall: string | null; readonly theatres: ReadonlyArray<{ readonly id: string; readonly name: string; readonly peak: string | null }> };
  readonly thresholds: ReadonlyArray<{ readonly id: string; readonly name: string; readonly rung: string; readonly turn: number | null; readonly date: string | null }>;
  readonly signature: string;
  /** The ladder steps and their causal ancestors. */
  readonly pathway: readonly NarratedAct[];
  /** Every act of the run. */
  readonly acts: readonly NarratedAct[];
  readonly stateChanges: ReadonlyArray<{ readonly turn: number; readonly actor: string; readonly from: string; readonly to: string; readonly cause: number }>;
  readonly dyads: ReadonlyArray<{ readonly from: string; readonly to: string; readonly peak: string }>;
  /** Acts sent with a `delay` that the run ended before delivering (absent when there are none). */
  readonly undelivered?: ReadonlyArray<{ readonly actor: string; readonly act: string; readonly to: readonly string[]; readonly sent: number; readonly due: number; readonly rule: string }>;
  /** The scenario's invariants and whether this run broke them (absent when it declares none). */
  readonly invariants?: InvariantTallyData;
  /** The scenario's outcomes: whether this run reached each, and the first turn its condition held (absent when it declares none). */
  readonly outcomes?: ReadonlyArray<{
    readonly id: string;
    readonly text: string;
    readonly by: number | null;
    readonly reached: boolean;
    readonly firstTurn: number | null;
    readonly date: string | null;
  }>;
}

/** The rule of an act injected from outside the scenario (a classroom facilitator's inject: rule -1). */
export const FACILITATOR_RULE = { id: 'inject:facilitator', kind: 'inject' as RuleKind, source: [] as readonly string[], assumption: undefined };

/** Tells one traced run; `chances` (from `replayWithMoveChances`) add each move's likelihood. Pure. */
export function deriveRunReport(model: Model, record: RunRecord, meta: ReportMeta, chances?: ReadonlyMap<number, MoveChanceNote>): RunReport {
  const time = model.scenario.time;
  const claims = model.scenario.claims ?? {};
  const rungId = (i: number) => (i < 0 ? null : (model.rungs[i] as { id: string }).id);
  const stepIds = new Set(record.steps.filter((s) => s.theatre === -1).map((s) => s.event));
  const narrate = (e: EventInstance): NarratedAct => {
    const actor = model.actors[e.from] as { id: string; name: string };
    const type = model.events[e.type] as { id: string; description: string };
    const rule = (model.rules[e.rule] ?? FACILITATOR_RULE) as { id: string; kind: RuleKind; source: readonly string[]; assumption: string | undefined };
    const cause = e.cause >= 0 ? (record.events[e.cause] as EventInstance) : undefined;
    return {
      id: e.id,
      turn: e.turn,
      date: turnDate(time, e.turn),
      actor: actor.id,
      actorName: actor.name,
      act: type.id,
      description: type.description,
      rung: rungId(e.rung) as string,
      rungName: (model.rungs[e.rung] as { name: string }).name,
      theatre: e.theatre >= 0 ? (model.theatres[e.theatre] as { id: string }).id : null,
      to: e.to.map((a) => (model.actors[a] as { id: string }).id),
      against: e.against.map((a) => (model.actors[a] as { id: string }).id),
      data: e.data ?? null,
      origin: e.origin,
      cause:
        cause === undefined
          ? null
          : { id: cause.id, actor: (model.actors[cause.from] as { id: string }).id, act: (model.events[cause.type] as { id: string }).id },
      rule: { id: rule.id, kind: rule.kind, source: rule.source, assumption: rule.assumption ?? null },
      claims: rule.source.map((id) => {
        const c = claims[id];
        return { id, text: c?.text ?? '', ...(c?.page === undefined ? {} : { page: String(c.page) }), ...(c?.disputed === true ? { disputed: true as const } : {}) };
      }),
      step: stepIds.has(e.id),
      ...(chances?.has(e.id) === true ? { chance: chances.get(e.id) as MoveChanceNote } : {}),
      ...(e.sent !== e.turn ? { sent: e.sent } : {}),
    };
  };
  const pathway = derivePathway(model, record);
  const n = model.actors.length;
  const dyads: Array<{ from: string; to: string; peak: string }> = [];
  for (let f = 0; f < n; f++)
    for (let t = 0; t < n; t++) {
      const p = record.dyadPeaks[f * n + t] as number;
      if (p >= 0) dyads.push({ from: (model.actors[f] as { id: string }).id, to: (model.actors[t] as { id: string }).id, peak: rungId(p) as string });
    }

  return {
    kind: 'run',
    meta,
    peak: {
      overall: rungId(record.overallPeak),
      theatres: model.theatres.map((t, i) => ({ id: t.id, name: t.name, peak: rungId(record.theatrePeaks[i] as number) })),
    },
    thresholds: model.thresholds.map((t, k) => {
      const turn = record.thresholdTurns[k] as number;
      return { id: t.id, name: t.name, rung: rungId(t.rung) as string, turn: turn === 0 ? null : turn, date: turn === 0 ? null : turnDate(time, turn) };
    }),
    signature: pathway.signature,
    pathway: pathway.acts.map(narrate),
    acts: record.events.map(narrate),
    stateChanges: (record.stateChanges ?? []).map((c) => ({
      turn: c.turn,
      actor: (model.actors[c.actor] as { id: string }).id,
      from: c.from,
      to: c.to,
      cause: c.cause,
    })),
    dyads,
    ...(record.undelivered.length === 0
      ? {}
      : {
          undelivered: record.undelivered.map((u) => ({
            actor: (model.actors[u.from] as { id: string }).id,
            act: (model.events[u.type] as { id: string }).id,
            to: u.to.map((a) => (model.actors[a] as { id: string }).id),
            sent: u.sent,
            due: u.due,
            rule: model.rules[u.rule]?.id ?? FACILITATOR_RULE.id,
          })),
        }),
    ...(model.outcomes.length === 0
      ? {}
      : {
          outcomes: model.outcomes.map((o, k) => {
            const first = record.outcomeTurns[k] as number;
            return {
              id: o.id,
              text: o.text,
              by: o.by === 0 ? null : o.by,
              reached: reachedOutcome(model, record, k),
              firstTurn: first === 0 ? null : first,
              date: first === 0 ? null : turnDate(time, first),
            };
          }),
        }),
  };

}
