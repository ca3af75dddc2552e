import type { CheckResult, SampledAnswer } from '../batch/check.ts';
import { escapeJsonControls, escapeTerminal } from './escape.ts';

/** What `brink check` reports: the answer with what reproduces it. */
export interface CheckReport {
  readonly meta: {
    readonly scenarios: ReadonlyArray<{ readonly name: string; readonly file: string; readonly id: string; readonly title: string; readonly hash: string }>;
    readonly version: string;
    readonly seed: string;
    readonly query: string;
    /** The query in canonical form. */
    readonly canonical: string;
    readonly workers: number;
  };
  readonly result: CheckResult;
  /** The guarantee in words. */
  readonly guarantee: string;
}

/** `0.05`, `0.0012`, `1.2e-7`: a probability with up to four significant digits. */
export function num(x: number): string {
  if (x === 0 || x === 1) return String(x);
  return Math.abs(x) < 1e-4 ? x.toExponential(2) : String(Number(x.toPrecision(4)));
}

function pc(x: number): string {
  return `${Number((x * 100).toPrecision(3))}%`;
}

function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The guarantee of an answer, in plain words for an analyst. Pure. */
export function describeGuarantee(result: CheckResult, query: string): string {
  const a = result.answer;
  if (a.method === 'exact') return 'Exact: explore enumerated every combination of chance outcomes, merging identical states; no sampling error.';
  if (a.method === 'splitting')
    return (
      `Fixed-effort multilevel splitting with the rungs ${a.levels.join(', ')} as levels: each stage restarts ${a.effort.toLocaleString('en-US')} runs from worlds where earlier runs first crossed the previous level (replaying the draws that led there) and counts those that cross the next; the product of the stages' fractions is an unbiased estimate. ` +
      `The interval is a Student-t interval over ${a.replications} independent replications: its ${pc(a.interval.confidence)} coverage is approximate (it rests on the replications' spread), which the tests check against exact values.` +
      (a.verdict === 'undecided' ? ' (The runs ran out before the interval was as narrow as asked.)' : '')
    );
  if (a.verdict === 'undecided' && a.sprt === null && a.estimate === null)
    return `None yet: the runs ran out (or the check was stopped) before the estimate reached its precision; the interval shown is a plain Clopper–Pearson interval on the ${thousands(a.runs)} runs played.`;
  if (a.method === 'sprt' && a.sprt !== null) {
    const s = a.sprt;
    const cmp = s.below ? '<' : '>';
    const undecided = a.verdict === 'undecided' ? ' (Undecided: neither boundary was reached within the runs allowed; no claim is made.)' : '';
    return (
      `If the true probability were ${s.below ? '≥' : '≤'} ${num(s.pFails)}, this test would say "holds" with probability at most ${pc(s.alpha)}; ` +
      `if it were ${s.below ? '≤' : '≥'} ${num(s.pHolds)}, it would say "does not hold" with probability at most ${pc(s.beta)}. ` +
      `Between the two (the indifference region ${num(s.threshold)} ± ${num(s.delta)}) either answer may come. ` +
      `Wald's sequential probability ratio test, reading runs in seed order until it can decide "${cmp} ${num(s.threshold)}"; its bounds make the error rates at most α/(1−β) and β/(1−α), in practice below α and β.${undecided}`
    );
  }
  if (a.method === 'paired-sprt' && a.sprt !== null) {
    const s = a.sprt;
    return (
      `Only runs where the two sides differ (one happened and the other did not, on the same seed) tell them apart; let q be the share of those runs in which the left side is the one that happened (q = 1/2 when both probabilities are equal). ` +
      `If q were ${s.below ? '≥' : '≤'} ${num(s.pFails)}, this test would say "holds" with probability at most ${pc(s.alpha)}; ` +
      `if q were ${s.below ? '≤' : '≥'} ${num(s.pHolds)}, it would say "does not hold" with probability at most ${pc(s.beta)}. Between the two either answer may come. ` +
      `Wald's sequential probability ratio test on the runs that differ (a sequential sign test), on common random numbers.${a.verdict === 'undecided' ? ' (Undecided within the runs allowed; no claim is made.)' : ''}`
    );
  }
  const e = a.estimate;
  if (e === null) return '';
  const conf = pc(e.interval.confidence);
  if (a.method === 'two-stage' && a.design !== null && 'pilot' in a.design)
    return (
      `${conf} of intervals built this way contain the true probability, whatever it is and despite sampling until precise enough: ` +
      `a pilot of ${thousands(a.design.pilot)} runs fixed in advance how many fresh runs to play (${thousands(e.runs)}), and the Clopper–Pearson interval is computed from those fresh runs only (a two-stage design).`
    );
  if (a.method === 'inverse-binomial' && a.design !== null && 'hits' in a.design)
    return (
      `${conf} of intervals built this way contain the true probability, whatever it is, despite the stopping rule: ` +
      `runs were played until the event had happened ${a.design.hits} times (inverse binomial sampling), and the interval is exact for that stopping rule; the estimate (k−1)/(N−1) is unbiased.`
    );
  return `${query}`;
}

function verdictLine(a: SampledAnswer | CheckResult['answer']): string {
  if (a.method === 'splitting') return a.verdict === 'estimated' ? 'ESTIMATED' : 'UNDECIDED';
  if (a.method === 'exact' && a.verdict === 'estimated') return 'EXACT';
  switch (a.verdict) {
    case 'holds':
      return 'HOLDS';
    case 'fails':
      return 'DOES NOT HOLD';
    case 'estimated':
      return 'ESTIMATED';
    case 'undecided':
      return 'UNDECIDED';
  }
}

/** Renders a check as plain text. Pure: same report, same text. */
export function renderCheckText(report: CheckReport): string {
  const { meta, result } = report;
  const a = result.answer;
  const base = meta.scenarios[0];
  const out: string[] = [];
  if (base !== undefined) out.push(`${base.title} (${base.id})`);
  out.push(`Brink ${meta.version} · scenario ${base?.hash.slice(0, 19) ?? ''} · check · seed ${meta.seed}`);
  for (const s of meta.scenarios.slice(1)) out.push(`  variant ${s.name}: ${s.file} (${s.hash.slice(0, 19)})`);
  out.push('', `Query: ${meta.canonical}`);
  if (a.method === 'exact') {
    out.push(`Answer: ${verdictLine(a)} — exactly, by exhaustive explore (${thousands(a.states)} states, ${thousands(a.outcomes)} joint outcomes; no runs sampled)`);
    result.texts.forEach((t, i) => {
      out.push(`  ${t} = ${num(a.probabilities[i] ?? 0)} (exact)`);
      const p = a.pathways[i];
      if (p !== null && p !== undefined) out.push(`    most probable pathway (probability ${num(p.probability)}): ${p.steps.join(' → ') || 'holds at the start'}`);
    });
  } else if (a.method === 'splitting') {
    out.push(`Answer: ${verdictLine(a)} — by multilevel splitting after ${thousands(a.runs)} runs (${thousands(a.runTurns)} run-turns, replayed prefixes included)`);
    out.push(`  ${result.texts[0]} = ${num(a.estimate)}, ${pc(a.interval.confidence)} interval [${num(a.interval.low)}, ${num(a.interval.high)}] (${a.replications} replications of ${a.levels.length} stages × ${thousands(a.effort)} runs)`);
    if (result.exactSkipped !== null) out.push(`  Not answered exactly: ${result.exactSkipped}.`);
  } else {
    const how =
      a.method === 'sprt'
        ? "Wald's SPRT"
        : a.method === 'paired-sprt'
          ? "Wald's SPRT on the runs where the two sides differ"
          : a.method === 'two-stage'
            ? 'a two-stage estimate'
            : 'inverse binomial sampling';
    const stopped = result.stopped ? ' (stopped)' : '';
    out.push(`Answer: ${verdictLine(a)} — ${a.verdict === 'undecided' ? 'no decision' : 'decided'} by ${how} after ${thousands(a.runs)} runs${stopped}`);
    if (a.estimate !== null) {
      const e = a.estimate;
      out.push(`  ${result.texts[0]} = ${num(e.estimate)}, ${pc(e.interval.confidence)} interval [${num(e.interval.low)}, ${num(e.interval.high)}] (${thousands(e.hits)} of ${thousands(e.runs)} runs)`);
    }
    if (a.sprt !== null && a.method === 'sprt')
      out.push(`  A test of fixed size with the same guarantee needs ${thousands(a.sprt.fixedSampleRuns)} runs.`);
    for (const s of a.sides)
      if (a.estimate === null)
        out.push(`  ${s.text}: ${thousands(s.hits)} of ${thousands(s.runs)} runs (${num(s.estimate)}; ${pc(s.interval.confidence)} Clopper–Pearson [${num(s.interval.low)}, ${num(s.interval.high)}], for information)`);
    if (a.paired !== null) out.push(`  Runs: left only ${thousands(a.paired.leftOnly)} · right only ${thousands(a.paired.rightOnly)} · both ${thousands(a.paired.both)} · neither ${thousands(a.paired.neither)}`);
    if (result.exactSkipped !== null) out.push(`  Not answered exactly: ${result.exactSkipped}.`);
  }
  out.push('', `Guarantee: ${report.guarantee}`);
  if (a.method !== 'exact' && a.method !== 'splitting' && a.witnesses.length > 0) {
    out.push('', 'Witness runs:');
    for (const w of a.witnesses) {
      const side = a.method === 'paired-sprt' ? w.side : 0;
      const subjectName = side === 0 ? subjectOf(result.texts[0] ?? '') : subjectOf(result.texts[1] ?? '');
      const file = meta.scenarios.find((s) => s.name === subjectName)?.file ?? base?.file ?? '';
      out.push(`  run ${w.index}: ${w.shows} · replay: brink run ${file} --seed ${w.seed}`);
    }
  }
  out.push('', `Check seed ${meta.seed}: the same seed gives the same answer on any number of workers (run i plays the seed derived from ${meta.seed} and i).`);
  return escapeTerminal(`${out.join('\n')}\n`);
}

/** The subject name of `P[name](…)`, or `base`. */
function subjectOf(text: string): string {
  const m = /^P\[([^\]]+)\]/.exec(text);
  return m === null ? 'base' : (m[1] as string);
}

/** The report as JSON. */
export function renderCheckJson(report: CheckReport): string {
  return escapeJsonControls(`${JSON.stringify(report, null, 2)}\n`);
}
