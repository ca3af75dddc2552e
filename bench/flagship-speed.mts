/**
 * The flagship through the generated code, in one fresh process: `npx tsx bench/flagship-speed.mts <repo dir>`.
 * Run it alternately on two checkouts (this branch and main) to compare their speed on the same host;
 * it prints runs/s and the total acts (which must agree between checkouts that mean the same).
 */
const dir = process.argv[2];
const { loadScenarioFile } = await import(`${dir}/src/scenario/load.ts`);
const { buildModel } = await import(`${dir}/src/model/build-model.ts`);
const { CompiledKernel } = await import(`${dir}/src/engine/compiled-kernel.ts`);
const { Runner } = await import(`${dir}/src/engine/run.ts`);
const r = loadScenarioFile(`${dir}/scenarios/russia-dprk-2024.yaml`);
const model = buildModel(r.scenario);
const runner = new Runner(model, new CompiledKernel(model), { specialise: 0 });
let acts = 0;
for (let i = 0; i < 5000; i++) acts += runner.run(String(i), { transient: true }).events.length;
const n = 40000;
const t0 = performance.now();
for (let i = 0; i < n; i++) acts += runner.run(String(i), { transient: true }).events.length;
const s = (performance.now() - t0) / 1000;
console.log(dir.split('/').pop(), Math.round(n / s), 'runs/s', acts);
