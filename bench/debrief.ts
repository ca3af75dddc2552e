/**
 * `npm run bench:debrief`: the debrief of a 24-turn flagship game with three human teams, 10,000 runs
 * per counterfactual arm, on every core (issue 14's benchmark). Answers first: the plan's policy batch
 * on the workers must equal the same batch on one thread (and an ordinary batch) — or nothing is timed.
 * `-- --runs N` changes the runs per arm. Prints the time, and writes bench/debrief-results.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { aggregateBatch } from '../src/batch/batch.ts';
import { playBranches } from '../src/batch/play-branches.ts';
import { planDebrief, readDebrief } from '../src/classroom/debrief.ts';
import { applyCommand, createGame, type Session } from '../src/classroom/session.ts';
import { teamChoices } from '../src/classroom/views.ts';
import { CompiledKernel } from '../src/engine/compiled-kernel.ts';
import { loadScenarioFile } from '../src/scenario/load.ts';

const FILE = 'scenarios/russia-dprk-2024.yaml';
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 10_000;
const TEAMS = ['ROK', 'CHN', 'USA'];

const loaded = loadScenarioFile(FILE);
if (!loaded.ok) throw new Error(`${FILE} does not load`);
const created = createGame({ scenario: { file: FILE, text: readFileSync(FILE, 'utf8'), hash: loaded.hash }, seed: '2024', teams: TEAMS });
if (!created.ok) throw new Error(created.problem.message);
let s: Session = created.value;
// The teams: each turn, alternately the first move they can make and no move (a game with a decision every turn).
for (let turn = 1; turn <= s.model.turns; turn++) {
  for (const [i, team] of TEAMS.entries()) {
    const moves = teamChoices(s, team).moves;
    const pick = (turn + i) % 2 === 0 && moves.length > 0 ? [(moves[0] as { key: string }).key] : [];
    const r = applyCommand(s, { kind: 'decide', turn, actor: team, moves: pick });
    if (!r.ok) throw new Error(r.problem.message);
    s = r.value;
  }
  const r = applyCommand(s, { kind: 'play', turn });
  if (!r.ok) throw new Error(r.problem.message);
  s = r.value;
}
const dp = planDebrief(s, RUNS);
const arms = dp.plan.jobs.reduce((n, j) => n + j.arms.length, 0);
console.log(`game: ${s.model.turns} turns, teams ${TEAMS.join(', ')}, ${dp.decisions.length} decisions at ${dp.plan.jobs.length - 1} turns, ${arms} arms (with the policy batch) × ${RUNS} runs`);

// Answers first, on a small plan: workers = one thread = an ordinary batch.
const small = { ...dp.plan, runs: 300, jobs: dp.plan.jobs.slice(0, 3) };
const one = await playBranches(s.model, small, { workers: 1 });
const all = await playBranches(s.model, small, { workers: availableParallelism() });
const batch = aggregateBatch(s.model, new CompiledKernel(s.model), { runs: 300, seed: s.start.seed });
const same = JSON.stringify(one) === JSON.stringify(all) && JSON.stringify(one[0]?.arms[0]?.peaks) === JSON.stringify(Array.from(batch.peaks));
if (!same) {
  console.error('bench: answer check failed: branches on workers, on one thread and an ordinary batch differ — nothing timed');
  process.exit(1);
}
console.log('  ✓ branches on workers = on one thread = an ordinary batch (300 runs, 3 jobs)');

const load = loadavg()[0] ?? 0;
const started = performance.now();
let last = 0;
const tallies = await playBranches(s.model, dp.plan, {
  workers: availableParallelism(),
  onProgress: (done, total) => {
    const now = performance.now();
    if (now - last > 2000 || done === total) {
      last = now;
      process.stderr.write(`  ${done.toLocaleString('en')} / ${total.toLocaleString('en')} (${((100 * done) / total).toFixed(0)}%) ${((now - started) / 1000).toFixed(1)} s\n`);
    }
  },
});
const debrief = readDebrief(s, dp, tallies);
const seconds = (performance.now() - started) / 1000;
console.log(`debrief: ${seconds.toFixed(1)} s on ${availableParallelism()} workers (${(arms * RUNS).toLocaleString('en')} replications; load average before: ${load.toFixed(1)})`);
console.log(`headline ${debrief.headline.label}; top decision: ${debrief.ranked[0]?.sentence ?? 'none'}`);
writeFileSync(
  'bench/debrief-results.json',
  `${JSON.stringify({ node: process.version, cores: availableParallelism(), cpu: cpus()[0]?.model ?? '', runsPerArm: RUNS, decisions: dp.decisions.length, arms, replications: arms * RUNS, seconds, loadAverageBefore: load }, null, 2)}\n`,
);
