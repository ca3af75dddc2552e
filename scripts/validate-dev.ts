import { loadScenarioFile } from '../src/scenario/load.ts';
import { formatProblem } from '../src/scenario/problem.ts';
const r = loadScenarioFile(process.argv[2]!);
if (r.ok) { console.log('ok', r.hash); r.warnings.forEach(w => console.log(formatProblem(w))); } else r.problems.forEach(p => console.log(formatProblem(p)));
