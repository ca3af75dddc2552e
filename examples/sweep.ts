/**
 * Sweeps one parameter of a variant programmatically: the per-turn probability of the `spark` shock in
 * test/fixtures/valid/duel.yaml. Every variant runs on the base's seeds (common random numbers), so the
 * table shows each value's effect on P(peak ≥ L4), with a paired 95% interval.
 *
 *   npx tsx examples/sweep.ts [scenario] [runs]
 */
import { produce } from 'immer';
import { buildModel, type ComparedScenario, compare, formatProblem, loadScenario } from 'brink';

const file = process.argv[2] ?? 'test/fixtures/valid/duel.yaml';
const runs = Number(process.argv[3] ?? 1000);
const loaded = loadScenario(file);
if (!loaded.ok) {
  console.error(loaded.problems.map(formatProblem).join('\n'));
  process.exit(1);
}
const base = loaded.scenario;
const spark = base.shocks?.spark;
if (spark === undefined) {
  console.error(`${file} has no shock named "spark"`);
  process.exit(1);
}

const values = [0, 0.005, 0.01, 0.02, 0.05, 0.1];
const variants: ComparedScenario[] = values.map((p) => ({
  label: `spark p=${p}`,
  model: buildModel(
    produce(base, (draft) => {
      (draft.shocks as NonNullable<typeof draft.shocks>).spark = { ...spark, probability: p };
    }),
  ),
}));
const result = await compare({ model: buildModel(base), hash: loaded.hash, files: loaded.files }, variants, { runs, seed: '1' });

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const pts = (x: number) => `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)}`;
const rows = [['spark p', 'P(peak ≥ L4)', 'vs base (pts)', '95% interval', 'pathways +/−']];
for (const v of result.variants) {
  const top = v.scopes[0]?.rungs.find((r) => r.rung === 'L4');
  if (top === undefined) continue;
  rows.push([
    v.scenario.label.replace('spark p=', ''),
    pct(top.variant.p),
    pts(top.difference.estimate),
    `[${pts(top.difference.low)}, ${pts(top.difference.high)}]`,
    `${v.appearedDistinct}/${v.vanishedDistinct}`,
  ]);
}
const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
console.log(`${file}: base spark p=${spark.probability}, ${result.meta.runs} paired runs, seed ${result.meta.seed}\n`);
for (const r of rows) console.log(r.map((c, i) => c.padStart(widths[i] ?? 0)).join('  '));
