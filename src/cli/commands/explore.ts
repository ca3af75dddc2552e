import { type Command, InvalidArgumentError, Option } from 'commander';
import { escapeJsonControls, escapeTerminal } from '../../report/escape.ts';
import { type ExploreResult, type ExploreTarget, exploreAsync, type Pathway, type RungReach } from '../../explore/explore.ts';
import { ExploreError } from '../../explore/step.ts';
import { buildModel } from '../../model/build-model.ts';
import { turnDate } from '../../model/calendar.ts';
import type { Model } from '../../model/types.ts';
import { table } from '../../report/format.ts';
import { VERSION } from '../../version.ts';
import { type CliContext, CliFailure, EXIT, emit, loadOrFail, outArg, positiveInt } from '../shared.ts';

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

interface ExploreFlags {
  turns?: number;
  to?: string;
  theatre?: string;
  maxStates: number;
  maxOutcomes: number;
  format: Format;
  out?: string;
  stats?: boolean;
  fullKey?: boolean;
  minMass?: number;
  maxLayer?: number;
  maxPruned?: number;
}

/** A probability mass strictly between 0 and 1. */
function massArg(value: string): number {
  const n = Number(value);
  if (!/^(\d+(\.\d*)?|\.\d+)(e-?\d+)?$/i.test(value) || !(n > 0 && n < 1)) throw new InvalidArgumentError(`expected a number above 0 and below 1 (such as 1e-8); found "${value}"`);
  return n;
}

/** What `brink explore` reports: the result with what reproduces it. */
export interface ExploreReport {
  readonly meta: {
    readonly scenario: { readonly id: string; readonly title: string; readonly hash: string; readonly files: readonly string[] };
    readonly version: string;
    readonly firstDate: string;
    readonly lastDate: string;
  };
  readonly result: ExploreResult;
}

/** `brink explore <scenario>`: every pathway, exhaustively, within a number of turns and a state budget. */
export function registerExplore(program: Command, ctx: CliContext): void {
  program
    .command('explore')
    .description(
      'Explore every combination of chance outcomes (exhaustive, merging identical states): what can happen within T turns, the shortest and the most probable pathway to a target, and exact probabilities',
    )
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('-t, --turns <n>', "turns to explore (default: the scenario's)", positiveInt(100_000))
    .option('--to <target>', 'a rung id, an event type id, an invariant id or an outcome id (prefix rung:, act:, invariant: or outcome: when ids clash)')
    .option('--theatre <theatre>', 'with a rung target: reach it in this theatre rather than overall')
    .option('--max-states <n>', 'stop when more distinct states than this have been seen (summed over turns)', positiveInt(1_000_000_000), 1_000_000)
    .option('--max-outcomes <n>', 'do not start a turn that would take the joint outcomes played (summed over turns) past this', positiveInt(Number.MAX_SAFE_INTEGER), 100_000_000)
    .addOption(new Option('-f, --format <format>', 'report format').choices(FORMATS).default('text'))
    .option('-o, --out <file>', 'write the report to a file instead of standard output', outArg)
    .option('--stats', 'print the states, joint outcomes and time per turn on standard error')
    .option('--min-mass <p>', 'bounded: skip partial joint outcomes whose probability mass is below p, accounting it in certified brackets', massArg)
    .option('--max-layer <n>', 'bounded: keep at most n states a turn, the heaviest', positiveInt(1_000_000_000))
    .option('--max-pruned <p>', 'bounded: stop, keeping what was found, once more than p of the mass has been pruned', massArg)
    .option('--full-key', 'keep every dyad cell and changed variable in the state key, not only what conditions read (same answers, more states; for comparison)')
    .action(async (file: string, opts: ExploreFlags) => {
      const loaded = loadOrFail(file, ctx.io, ctx.loadOptions);
      const model = buildModel(loaded.scenario);
      if (opts.turns !== undefined && opts.turns > model.turns)
        throw new CliFailure(`error: option '--turns <n>' argument '${opts.turns}' is more than the scenario's ${model.turns} turns`, EXIT.usage);
      const target = opts.to === undefined ? undefined : parseTarget(model, opts.to, opts.theatre);
      if (opts.to === undefined && opts.theatre !== undefined) throw new CliFailure("error: option '--theatre <theatre>' needs a rung target (--to RUNG)", EXIT.usage);
      const started = performance.now();
      const stats = opts.stats === true;
      let lastProgress = 0;
      let result: ExploreResult;
      let interrupted = false;
      const onSigint = () => {
        interrupted = true;
      };
      process.once('SIGINT', onSigint);
      try {
        result = await exploreAsync(model, {
          ...(opts.minMass === undefined ? {} : { minMass: opts.minMass }),
          ...(opts.maxLayer === undefined ? {} : { maxLayer: opts.maxLayer }),
          ...(opts.maxPruned === undefined ? {} : { maxPruned: opts.maxPruned }),
          shouldStop: () => interrupted,
          ...(opts.turns === undefined ? {} : { turns: opts.turns }),
          maxStates: opts.maxStates,
          maxOutcomes: opts.maxOutcomes,
          fullKey: opts.fullKey === true,
          ...(target === undefined ? {} : { target }),
          // A turn can take minutes: on a terminal, a line every 5 s once exploring has taken 2 s.
          ...(process.stderr.isTTY || stats
            ? {
                onProgress: (turn: number, states: number, transitions: number) => {
                  const now = performance.now();
                  if (now - started < 2000 || now - lastProgress < 5000) return;
                  lastProgress = now;
                  ctx.io.stderr(`explore: turn ${turn} of ${opts.turns ?? model.turns} in progress: ${thousands(states)} states, ${thousands(transitions)} joint outcomes so far, ${((now - started) / 1000).toFixed(0)} s\n`);
                },
              }
            : {}),
          ...(stats
            ? {
                onTurn: (turn: number, states: number, transitions: number) => {
                  const s = (performance.now() - started) / 1000;
                  ctx.io.stderr(`explore: turn ${turn} done: ${states} states, ${transitions} joint outcomes so far, ${s.toFixed(2)} s (${Math.round(states / s)} states/s)\n`);
                },
              }
            : {}),
        });
      } catch (e) {
        if (e instanceof ExploreError) throw new CliFailure(`${file}: error: ${e.message}\n  (${e.code}; found while exploring turn ${e.turn})`, EXIT.failure);
        throw e;
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
      if (stats) {
        const s = (performance.now() - started) / 1000;
        ctx.io.stderr(
          `explore: ${result.states} states, ${result.transitions} joint outcomes in ${s.toFixed(2)} s: ${Math.round(result.states / s)} states/s, ${Math.round(result.transitions / s)} outcomes/s; ${result.keyBytes}-byte keys\n`,
        );
      }
      const ex = result.exhausted;
      const keep = ex !== null && (ex.budget === 'pruned' || ex.budget === 'stopped') && result.exploredTurns > 0;
      if (!result.complete && !keep) throw new CliFailure(budgetMessage(file, model, result, opts), EXIT.failure);
      if (ex?.budget === 'pruned') ctx.io.stderr(`explore: stopped after turn ${result.exploredTurns}: ${prob(ex.pruned)} of the mass pruned, more than --max-pruned ${opts.maxPruned}; the brackets so far follow\n`);
      if (ex?.budget === 'stopped') ctx.io.stderr(`explore: stopped during turn ${ex.turn}; the brackets of the ${result.exploredTurns} turn(s) done follow\n`);
      const report: ExploreReport = {
        meta: {
          scenario: { id: loaded.scenario.metadata.id, title: loaded.scenario.metadata.title, hash: loaded.hash, files: loaded.files },
          version: VERSION,
          firstDate: turnDate(model.scenario.time, 1),
          lastDate: turnDate(model.scenario.time, result.turns),
        },
        result,
      };
      emit(opts.format === 'json' ? escapeJsonControls(`${JSON.stringify(report, null, 2)}\n`) : renderExploreText(report), opts.out, ctx.io);
      // Stopped by Ctrl-C: the answers so far are printed, and scripts can tell them from a finished exploration.
      if (ex?.budget === 'stopped') ctx.exitCode = EXIT.interrupted;
    });
}

/** Resolves `--to`: a rung, an event type, an invariant or an outcome, by id (with an optional `kind:` prefix). */
function parseTarget(model: Model, text: string, theatre: string | undefined): ExploreTarget {
  const m = /^(rung|act|invariant|outcome):(.*)$/.exec(text);
  const kind = m?.[1];
  const id = m === null ? text : (m[2] as string);
  const rung = model.rungs.findIndex((r) => r.id === id);
  const event = model.events.findIndex((e) => e.id === id);
  const invariant = model.invariants.find((i) => i.id === id);
  const outcome = model.outcomes.find((o) => o.id === id);
  const found: ExploreTarget[] = [];
  let th = -1;
  if (theatre !== undefined) {
    th = model.theatres.findIndex((t) => t.id === theatre);
    if (th < 0) throw usage(`'--theatre <theatre>' argument '${theatre}' is not a theatre (known: ${list(model.theatres.map((t) => t.id))})`);
  }
  if (rung >= 0 && (kind === undefined || kind === 'rung')) found.push({ kind: 'rung', rung, theatre: th });
  if (event >= 0 && (kind === undefined || kind === 'act')) found.push({ kind: 'act', event });
  if (invariant !== undefined && (kind === undefined || kind === 'invariant')) found.push({ kind: 'invariant', invariant });
  if (outcome !== undefined && (kind === undefined || kind === 'outcome')) found.push({ kind: 'outcome', outcome });
  if (found.length === 0) {
    throw usage(
      `'--to <target>' argument '${text}' is not a rung, an event type, an invariant or an outcome (rungs: ${list(model.rungs.map((r) => r.id))}; event types: ${list(model.events.map((e) => e.id))}; invariants: ${list(model.invariants.map((i) => i.id))}; outcomes: ${list(model.outcomes.map((o) => o.id))})`,
    );
  }
  if (found.length > 1) throw usage(`'--to <target>' argument '${text}' names ${found.map((f) => ARTICLE[f.kind]).join(' and ')}: say which with ${found.map((f) => `${f.kind}:${id}`).join(' or ')}`);
  const t = found[0] as ExploreTarget;
  if (theatre !== undefined && t.kind !== 'rung') throw usage("'--theatre <theatre>' applies only to a rung target");
  return t;
}

const ARTICLE: Readonly<Record<ExploreTarget['kind'], string>> = { rung: 'a rung', act: 'an act', invariant: 'an invariant', outcome: 'an outcome' };

function usage(message: string): CliFailure {
  return new CliFailure(`error: option ${message}`, EXIT.usage);
}

function list(ids: readonly string[]): string {
  return ids.length === 0 ? 'none' : ids.join(', ');
}

function budgetMessage(file: string, model: Model, r: ExploreResult, opts: ExploreFlags): string {
  const ex = r.exhausted;
  if (ex === null) return `${file}: exploration stopped early`;
  const perTurn = r.statesByTurn.map((n, t) => `${t === 0 ? 'start' : `turn ${t}`}: ${thousands(n)}`).join(', ');
  if (ex.budget === 'pruned' || ex.budget === 'stopped') return `${file}: exploration stopped during turn ${ex.turn}, before any turn was done`;
  const lines =
    ex.budget === 'states'
      ? [
          `${file}: the state budget ran out: more than ${thousands(r.maxStates)} distinct states by turn ${ex.turn} of ${r.turns} (${perTurn}; turn ${ex.turn} unfinished).`,
        ]
      : [
          `${file}: the outcome budget would run out: turn ${ex.turn} of ${r.turns} would play ${thousands(ex.outcomes)} joint outcomes from ${thousands(ex.from)} states, past ${thousands(r.maxOutcomes)} in all (${thousands(r.transitions)} played so far; states ${perTurn}).`,
        ];
  const t = r.target;
  if (t !== null) {
    lines.push(
      t.firstTurn === null
        ? r.pruned > 0
          ? `  ${t.text}: not found within the ${r.exploredTurns} turn${r.exploredTurns === 1 ? '' : 's'} explored (some mass was pruned, so this is no proof).`
          : `  ${t.text}: not reachable within the ${r.exploredTurns} turn${r.exploredTurns === 1 ? '' : 's'} fully explored.`
        : `  ${t.text}: reachable, first on turn ${t.firstTurn} (${turnDate(model.scenario.time, t.firstTurn)}).`,
    );
  }
  const fewer = `fewer turns (--turns ${Math.max(1, ex.turn - 1)})`;
  lines.push(
    ex.budget === 'states'
      ? `  Try ${fewer} or a larger budget (--max-states ${Math.max(opts.maxStates * 10, ex.states * 2)}).`
      : `  Try ${fewer} or a larger budget (--max-outcomes ${r.transitions + ex.outcomes}).`,
  );
  return lines.join('\n');
}

/** `1,234,567`: digits grouped by three, whatever the locale. */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The probability as a short exact-looking number: `0.984125`, `1`, `2.5e-7`. */
function prob(x: number): string {
  return String(Number(x.toPrecision(6)));
}

/** Renders an exploration as plain text. Pure: same report, same text. */
export function renderExploreText(report: ExploreReport): string {
  const { meta, result: r } = report;
  const T = r.exploredTurns;
  const bounded = r.pruned > 0;
  const bracket = (b: readonly [number, number] | undefined) => (b === undefined ? '?' : `[${prob(b[0])}, ${prob(b[1])}]`);
  const out: string[] = [
    `${meta.scenario.title} (${meta.scenario.id})`,
    `Brink ${meta.version} · scenario ${meta.scenario.hash.slice(0, 19)} · explore · ${r.turns} turn${r.turns === 1 ? '' : 's'} (${meta.firstDate} – ${meta.lastDate})`,
    '',
    bounded
      ? `Explored with pruning: ${r.states} distinct states (${r.statesByTurn.map((n, t) => (t === 0 ? `start ${n}` : `turn ${t}: ${n}`)).join(' · ')}), ${r.transitions} joint outcomes played; ${prob(r.pruned)} of the probability mass pruned, so each probability below is a certified bracket [lo, hi] that contains the exact value.`
      : `Explored every pathway${T < r.turns ? ` of the first ${T} turn${T === 1 ? '' : 's'}` : ''}: ${r.states} distinct states (${r.statesByTurn.map((n, t) => (t === 0 ? `start ${n}` : `turn ${t}: ${n}`)).join(' · ')}), ${r.transitions} joint outcomes.`,
  ];
  if (T < r.turns) out.push(`Stopped after turn ${T} of ${r.turns}: the answers below are by turn ${T}.`);
  out.push('');
  const t = r.target;
  if (t !== null) {
    out.push(`Target: ${t.text}`);
    if (t.firstTurn === null) {
      out.push(
        bounded
          ? `  Not found within ${T} turn${T === 1 ? '' : 's'}, but mass was pruned, so this is no proof: P by turn ${T} is in ${bracket(t.bounds[T - 1])}.`
          : `  Not reachable within ${T} turn${T === 1 ? '' : 's'}: no combination of chance outcomes leads to it.`,
      );
    } else {
      out.push(t.firstTurn === 0 ? '  Reachable: it holds at the start.' : `  Reachable: first on turn ${t.firstTurn} (${t.shortest?.narrative.at(-1)?.date}).`);
      if (bounded) out.push(`  Probability by turn ${T}: in ${bracket(t.bounds[T - 1])} (certified); by turn: ${t.bounds.map(bracket).join(' · ')}`);
      else out.push(`  Probability by turn ${T}: ${prob(t.byTurn[T - 1] ?? 0)} (exact); by turn: ${t.byTurn.map(prob).join(' · ')}`);
      const found = bounded ? ' (exact narrative of a pathway found; a pruned branch may hold a shorter or likelier one)' : '';
      if (t.shortest !== null) out.push('', ...pathwayText(`Shortest pathway${found}`, t.shortest));
      if (t.likeliest !== null) out.push('', ...pathwayText(`Most probable pathway${found}`, t.likeliest));
    }
    out.push('');
  }
  out.push(bounded ? `P(peak ≥ rung by turn ${T}), certified brackets, and the first turn a pathway found reaches it` : `P(peak ≥ rung by turn ${T}), exact, and the first turn a pathway reaches it`);
  const scopes = [...new Set(r.rungs.map((x) => x.scope))];
  const byScope = new Map<string, RungReach[]>(scopes.map((s) => [s, r.rungs.filter((x) => x.scope === s)]));
  const rows: string[][] = [['', ...scopes]];
  const first = byScope.get('overall') ?? [];
  first.forEach((rung, i) => {
    rows.push([
      `≥ ${rung.rung} ${rung.name}`,
      ...scopes.map((s) => {
        const x = (byScope.get(s) as RungReach[])[i] as RungReach;
        if (bounded) return `${bracket(x.bounds[T - 1])}${x.firstTurn === null ? ' (not found)' : ` (turn ${x.firstTurn})`}`;
        return x.firstTurn === null ? '— (unreachable)' : `${prob(x.byTurn[T - 1] ?? 0)} (turn ${x.firstTurn})`;
      }),
    ]);
  });
  out.push(...table(rows).map((l) => `  ${l}`), '');
  out.push(bounded ? 'Acts: the first turn a pathway found has each' : 'Acts: the first turn each can happen');
  out.push(
    ...table(r.acts.map((a) => [a.event, a.rung, a.firstTurn === null ? (bounded ? `not found within ${T} turn${T === 1 ? '' : 's'}` : `unreachable within ${T} turn${T === 1 ? '' : 's'}`) : `turn ${a.firstTurn}`])).map((l) => `  ${l}`),
  );
  return escapeTerminal(`${out.join('\n')}\n`);
}

function pathwayText(title: string, p: Pathway): string[] {
  const out = [`  ${title}: ${p.turns} turn${p.turns === 1 ? '' : 's'}, ${p.acts} act${p.acts === 1 ? '' : 's'}, probability ${prob(p.probability)}`];
  for (const turn of p.narrative) {
    out.push(`    Turn ${turn.turn} · ${turn.date} · p ${prob(turn.probability)}`);
    if (turn.choices.length > 0)
      out.push(`      chance: ${turn.choices.map((c) => `${c.id} ${c.kind === 'actor' ? (c.outcome ?? 'no move') : c.outcome === null ? 'does not fire' : 'fires'} (${prob(c.probability)})`).join(' · ')}`);
    for (const a of turn.acts) {
      const against = a.against.length > 0 ? ` against ${a.against.join(', ')}` : '';
      const why = a.origin === 'reaction' ? `reaction to #${a.cause}` : `${a.origin} ${a.rule}`;
      out.push(`      ${a.step ? '▲' : '·'} #${a.id} ${a.actor} ${a.act}${against} — ${a.rung} ${a.rungName}${a.theatre === null ? '' : `, ${a.theatre}`} (${why})`);
    }
  }
  return out;
}
