/**
 * `npm run bench:check`: what `brink check` and bounded explore cost on the flagship, measured, and
 * written to bench/check-results.json (docs/check.md quotes it). Answers are checked before anything
 * is reported: the SPRT's verdict against a large Monte Carlo batch, the estimate's interval against
 * the SPRT's runs, the bounded brackets against exact explore where it can answer.
 *
 * `npm run bench:check -- --quick` uses fewer SPRT seeds and skips the L11 estimate.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseQuery } from '../src/analysis/query.ts';
import { resolveQuery } from '../src/analysis/resolve-query.ts';
import { check, type CheckOptions } from '../src/batch/check.ts';
import { explore } from '../src/explore/explore.ts';
import { buildModel } from '../src/model/build-model.ts';
import type { Model } from '../src/model/types.ts';
import { loadScenarioFile } from '../src/scenario/load.ts';

const quick = process.argv.includes('--quick');
const cores = availableParallelism();

function load(file: string): Model {
  const r = loadScenarioFile(file);
  if (!r.ok) throw new Error(`${file} does not load`);
  return buildModel(r.scenario);
}

const flagship = load('scenarios/russia-dprk-2024.yaml');
const subjects = [{ name: 'base', model: flagship }];

async function ask(text: string, options: CheckOptions) {
  const p = parseQuery(text);
  if (!p.ok) throw new Error(p.problem.message);
  const r = resolveQuery(p.query, subjects);
  if (!r.ok) throw new Error(r.problem.message);
  const started = performance.now();
  const result = await check(subjects, p.query, r.probs, options);
  return { result, seconds: (performance.now() - started) / 1000 };
}

const results: Record<string, unknown> = {
  machine: { cores, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverageAtStart: loadavg()[0] },
};

// 1. The SPRT of P(peak NEA >= L9 by 24) < 0.05, δ = 0.01, α = β = 0.01, over several check seeds.
{
  console.log('SPRT: P(peak NEA >= L9 by 24) < 0.05, δ = 0.01, α = β = 0.01');
  const seeds = quick ? 5 : 20;
  const runs: number[] = [];
  const seconds: number[] = [];
  let fixed = 0;
  const verdicts: string[] = [];
  for (let s = 1; s <= seeds; s++) {
    const { result, seconds: t } = await ask('P(peak NEA >= L9 by 24) < 0.05', { seed: String(s), method: 'sample', alpha: 0.01, beta: 0.01, delta: 0.01 });
    const a = result.answer;
    if (a.method !== 'sprt' || a.sprt === null) throw new Error('expected an SPRT');
    runs.push(a.runs);
    seconds.push(t);
    fixed = a.sprt.fixedSampleRuns;
    verdicts.push(a.verdict);
  }
  // Check the answer: a 20,000-run estimate of the same probability, on 2 workers.
  const { result: truth } = await ask('P(peak NEA >= L9 by 24) = ? ±0.005', { seed: 'truth', method: 'sample', workers: cores });
  const ta = truth.answer;
  const est = ta.method === 'two-stage' ? ta.estimate : null;
  if (est === null || ta.method === 'exact') throw new Error('expected an estimate');
  const expected = est.interval.high < 0.04 ? 'holds' : est.interval.low > 0.06 ? 'fails' : 'either';
  if (expected !== 'either' && verdicts.some((v) => v !== expected)) throw new Error(`SPRT verdicts ${verdicts.join(',')} disagree with the estimate ${est.estimate}`);
  const mean = runs.reduce((x, y) => x + y, 0) / runs.length;
  const sorted = [...runs].sort((x, y) => x - y);
  results.sprt = {
    query: 'P(peak NEA >= L9 by 24) < 0.05',
    delta: 0.01,
    alpha: 0.01,
    beta: 0.01,
    seeds,
    verdicts: [...new Set(verdicts)],
    runs: { mean: Math.round(mean), min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted.at(-1) },
    fixedSampleRuns: fixed,
    secondsMean: Number((seconds.reduce((x, y) => x + y, 0) / seconds.length).toFixed(3)),
    truth: { estimate: est.estimate, low: est.interval.low, high: est.interval.high, runs: ta.runs },
  };
  console.log(`  runs: mean ${Math.round(mean)} (min ${sorted[0]}, max ${sorted.at(-1)}) against ${fixed} for a fixed-size test; ${(results.sprt as { secondsMean: number }).secondsMean} s a check; P estimated ${est.estimate.toFixed(4)}`);
}

// 2. P(L11 by 24) to ±10% relative at 95%, by plain Monte Carlo (inverse binomial sampling).
if (!quick) {
  console.log(`Estimate: P(peak >= L11 by 24) = ? ±10% (plain Monte Carlo, ${cores} workers)`);
  const { result, seconds } = await ask('P(peak >= L11 by 24) = ? ±10%', { seed: '1', method: 'sample', workers: cores });
  const a = result.answer;
  if (a.method !== 'inverse-binomial' || a.estimate === null) throw new Error('expected an inverse-binomial estimate');
  const e = a.estimate;
  if (!((e.interval.high - e.interval.low) / 2 <= 0.1 * e.estimate * 1.0001)) throw new Error('interval wider than asked');
  results.rareMonteCarlo = {
    query: 'P(peak >= L11 by 24) = ? ±10%',
    estimate: e.estimate,
    low: e.interval.low,
    high: e.interval.high,
    runs: a.runs,
    runTurns: a.runs * flagship.turns,
    seconds: Number(seconds.toFixed(1)),
    workers: cores,
  };
  console.log(`  ${e.estimate.toExponential(3)} [${e.interval.low.toExponential(3)}, ${e.interval.high.toExponential(3)}] after ${a.runs} runs (${a.runs * flagship.turns} run-turns), ${seconds.toFixed(1)} s`);
}

// 2b. The same by multilevel splitting (levels picked by a pilot), to the same precision.
if (!quick) {
  console.log('Estimate: P(peak >= L11 by 24) = ? ±10% (multilevel splitting, effort 1,000, rounds of 10 replications, this thread)');
  const { result, seconds } = await ask('P(peak >= L11 by 24) = ? ±10%', { seed: '1', method: 'splitting', effort: 1000, replications: 10 });
  const a = result.answer;
  if (a.method !== 'splitting') throw new Error('expected splitting');
  const mc = results.rareMonteCarlo as { low: number; high: number; runs: number; runTurns: number; seconds: number };
  if (!(a.interval.low <= mc.high && a.interval.high >= mc.low)) throw new Error(`splitting [${a.interval.low}, ${a.interval.high}] and Monte Carlo [${mc.low}, ${mc.high}] do not overlap`);
  results.rareSplitting = {
    query: 'P(peak >= L11 by 24) = ? ±10%',
    estimate: a.estimate,
    low: a.interval.low,
    high: a.interval.high,
    levels: a.levels,
    replications: a.replications,
    verdict: a.verdict,
    runs: a.runs,
    runTurns: a.runTurns,
    seconds: Number(seconds.toFixed(1)),
    workers: 1,
    againstMonteCarlo: { runs: Number((mc.runs / a.runs).toFixed(2)), runTurns: Number((mc.runTurns / a.runTurns).toFixed(2)), secondsPerWorker: Number(((mc.seconds * cores) / seconds).toFixed(2)) },
  };
  console.log(`  ${a.estimate.toExponential(3)} [${a.interval.low.toExponential(3)}, ${a.interval.high.toExponential(3)}] after ${a.runs} runs (${a.runTurns} run-turns), ${seconds.toFixed(1)} s; levels ${a.levels.join(' ')}`);
}

// 2c. A ~8.5e-7 event whose exact value explore gives, to ±20% at 95%: splitting, and plain Monte Carlo's cost extrapolated from its measured speed.
{
  const rare = load('test/fixtures/valid/check-rare.yaml');
  const rareSubjects = [{ name: 'base', model: rare }];
  const p = parseQuery('P(peak >= L4 by 12) = ? ±20%');
  if (!p.ok) throw new Error(p.problem.message);
  const r = resolveQuery(p.query, rareSubjects);
  if (!r.ok) throw new Error(r.problem.message);
  const exact = await check(rareSubjects, p.query, r.probs, { seed: '1', method: 'exact' });
  const exactP = exact.answer.method === 'exact' ? (exact.answer.probabilities[0] as number) : Number.NaN;
  console.log(`Rare fixture: P(peak >= L4 by 12) = ${exactP.toExponential(3)} exactly; ±20% by splitting`);
  let started = performance.now();
  const split = await check(rareSubjects, p.query, r.probs, { seed: '1', method: 'splitting', effort: 1000, replications: 10 });
  const splitSeconds = (performance.now() - started) / 1000;
  const a = split.answer;
  if (a.method !== 'splitting') throw new Error('expected splitting');
  // Plain Monte Carlo: inverse binomial sampling to ±20% waits for 98 hits, about 98 / p runs.
  started = performance.now();
  const mcProbe = await check(rareSubjects, p.query, r.probs, { seed: 'probe', method: 'sample', maxRuns: quick ? 50_000 : 400_000 });
  const probeSeconds = (performance.now() - started) / 1000;
  const probe = mcProbe.answer;
  if (probe.method === 'exact') throw new Error('expected sampling');
  const perRun = probeSeconds / probe.runs;
  const mcRuns = Math.round(98 / exactP);
  results.rareFixture = {
    query: 'P(peak >= L4 by 12) = ? ±20%',
    exact: exactP,
    splitting: { estimate: a.estimate, low: a.interval.low, high: a.interval.high, covers: a.interval.low <= exactP && exactP <= a.interval.high, runs: a.runs, runTurns: a.runTurns, seconds: Number(splitSeconds.toFixed(1)), replications: a.replications },
    monteCarlo: { runsNeeded: mcRuns, measuredSecondsPerRun: perRun, extrapolatedSeconds: Math.round(mcRuns * perRun), probeRuns: probe.runs },
  };
  console.log(`  splitting ${a.estimate.toExponential(3)} [${a.interval.low.toExponential(3)}, ${a.interval.high.toExponential(3)}] in ${splitSeconds.toFixed(1)} s, ${a.runs} runs; plain Monte Carlo would need ~${mcRuns} runs ≈ ${Math.round(mcRuns * perRun)} s at the measured ${(perRun * 1e6).toFixed(1)} µs a run`);
}

// 3. Explore on the flagship: turn 1 with the full key and the reduced key.
{
  console.log('Explore: the flagship, turn 1, full key and reduced key');
  const timed = (fullKey: boolean) => {
    const started = performance.now();
    const r = explore(flagship, { turns: 1, fullKey });
    return { states: r.statesByTurn[1], outcomes: r.transitions, keyBytes: r.keyBytes, seconds: Number(((performance.now() - started) / 1000).toFixed(2)), p: r.rungs.map((x) => x.probability) };
  };
  const full = timed(true);
  const reduced = timed(false);
  if (JSON.stringify(full.p.map((x) => x?.toPrecision(10))) !== JSON.stringify(reduced.p.map((x) => x?.toPrecision(10)))) throw new Error('the keys disagree');
  results.exploreTurn1 = { full: { ...full, p: undefined }, reduced: { ...reduced, p: undefined } };
  console.log(`  full key: ${full.states} states, ${full.seconds} s; reduced: ${reduced.states} states, ${reduced.seconds} s`);
}

// 4. Bounded explore: P(NEA >= L7) by turn, within 3 minutes; the last turn whose bracket is narrower than 0.01.
{
  const budget = quick ? 60 : 180;
  const settings = { minMass: 1e-7, maxLayer: 20_000 };
  console.log(`Bounded explore: P(peak NEA >= L7 by t), --min-mass ${settings.minMass} --max-layer ${settings.maxLayer}, ${budget} s`);
  const nea = flagship.theatres.findIndex((t) => t.id === 'NEA');
  const l7 = flagship.rungs.findIndex((r) => r.id === 'L7');
  const started = performance.now();
  const perTurn: Array<{ turn: number; lo: number; hi: number; seconds: number; states: number }> = [];
  const r = explore(flagship, {
    ...settings,
    maxStates: 50_000_000,
    target: { kind: 'rung', rung: l7, theatre: nea },
    shouldStop: () => (performance.now() - started) / 1000 > budget,
    onTurn: (turn) => {
      perTurn.push({ turn, lo: Number.NaN, hi: Number.NaN, seconds: Number(((performance.now() - started) / 1000).toFixed(1)), states: 0 });
    },
  });
  const bounds = r.target?.bounds ?? [];
  bounds.forEach(([lo, hi], i) => {
    const row = perTurn[i];
    if (row !== undefined) {
      row.lo = lo;
      row.hi = hi;
      row.states = r.statesByTurn[i + 1] ?? 0;
    }
  });
  const narrow = perTurn.filter((t) => t.hi - t.lo < 0.01);
  results.boundedExplore = { ...settings, budgetSeconds: budget, pruned: r.pruned, turns: perTurn, lastTurnNarrowerThan001: narrow.at(-1)?.turn ?? null };
  for (const t of perTurn) console.log(`  turn ${t.turn}: [${t.lo.toPrecision(4)}, ${t.hi.toPrecision(4)}] (width ${(t.hi - t.lo).toPrecision(3)}), ${t.states} states, ${t.seconds} s`);
}

results.loadAverageAtEnd = loadavg()[0];
writeFileSync(quick ? 'bench/check-results.quick.json' : 'bench/check-results.json', `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote bench/check-results${quick ? '.quick' : ''}.json`);
