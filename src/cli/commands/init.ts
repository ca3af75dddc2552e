import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { type CliContext, CliFailure, EXIT } from '../shared.ts';

/** The schema beside this install's scenarios (src/cli/commands or dist/cli/commands → scenarios/). */
const SCHEMA = fileURLToPath(new URL('../../../scenarios/scenario.schema.json', import.meta.url));

function scenario(name: string, schema: string): string {
  return `# yaml-language-server: $schema=${schema}
# A two-actor standoff to start from: edit it, then \`brink validate ${name}.yaml\` and
# \`brink run ${name}.yaml --runs 10000\`. Every field is described in the schema (hover in your editor).
version: 1
metadata:
  id: ${name}
  title: A two-actor standoff
time: { turns: 12, unit: month, start: 2026-01 }
ladder:
  rungs:
    - { id: L0, name: Talks }
    - { id: L1, name: Status quo }
    - { id: L2, name: Protest }
    - { id: L3, name: Show of force }
    - { id: L4, name: Clash }
  thresholds:
    - { id: T1, name: militarization, at: L3 }
    - { id: T2, name: violence, at: L4 }
events:
  PROTEST: { rung: L2, description: A formal protest }
  DRILL: { rung: L3, description: Military drills near the border }
  CLASH: { rung: L4, description: An exchange of fire }
  TALKS: { rung: L0, description: Talks open }
actors:
  A:
    name: Aland
    statechart:
      initial: calm
      states:
        calm:
          on:
            PROTEST: { target: alert }
          moves:
            protest: { event: PROTEST, to: [B], probability: 0.3 }
        alert:
          on:
            DRILL: { target: alert }
            CLASH: { target: fighting }
          moves:
            drill: { event: DRILL, to: [B], probability: 0.2 }
        fighting:
          on:
            TALKS: { target: calm }
          moves:
            talk: { event: TALKS, to: [B], probability: 0.25 }
  B:
    name: Bland
    statechart:
      initial: calm
      states:
        calm:
          on:
            PROTEST: { target: wary }
            DRILL: { target: wary }
        wary:
          on:
            DRILL: { target: wary }
            CLASH: { target: fighting }
          moves:
            drill: { event: DRILL, to: [A], probability: 0.15 }
        fighting:
          on:
            TALKS: { target: calm }
shocks:
  spark:
    event: CLASH
    from: B
    to: [A]
    probability: 0.02
    modifiers:
      - { when: { peak: { from: A, to: B, gte: L3 } }, add: 0.05 }
`;
}

function variant(name: string, schema: string): string {
  return `# yaml-language-server: $schema=${schema}
# A variant: everything of ${name}.yaml, but Bland drills twice as often.
# \`brink compare ${name}.yaml hawkish.yaml --runs 10000\` measures what that changes.
version: 1
extends: ${name}.yaml
actors:
  B:
    statechart:
      states:
        wary:
          moves:
            drill: { probability: 0.3 }
`;
}

function whatIfTest(name: string): string {
  return `// What-if tests of ${name}.yaml with brink/testing (needs vitest and fast-check): npx vitest run
import { join } from 'node:path';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { loadScenario } from 'brink';
import { assertHolds, checkScenario, not, precedes, reaches, variantOf } from 'brink/testing';

function load(file: string) {
  const loaded = loadScenario(join(import.meta.dirname, file));
  if (!loaded.ok) throw new Error(\`\${file} is invalid: brink validate \${file}\`);
  return loaded.scenario;
}

const base = load('${name}.yaml');
const hawkish = load('hawkish.yaml');
// Talks open only after a clash: Aland's talk move belongs to its fighting state.
const talksAfterClash = precedes({ event: 'CLASH' }, { event: 'TALKS' });

test('talks never open before a clash, in the scenario and its variant', () => {
  expect(checkScenario(base, talksAfterClash, { runs: 500 })?.message).toBeUndefined();
  expect(checkScenario(hawkish, talksAfterClash, { runs: 500 })?.message).toBeUndefined();
});

test('the standoff can turn violent', () => {
  // A counterexample to "no run reaches L4" is a run that does, with the seed that replays it.
  expect(checkScenario(base, not(reaches('L4')), { runs: 500 })?.seed).toBeDefined();
});

test('whatever the odds, talks still follow a clash', () => {
  // Variants that change probabilities only (an inject or a new initial state could break the rule).
  const odds = variantOf(base, { kinds: ['setProbability', 'disableMove', 'setShockProbability'] });
  fc.assert(fc.property(odds, (v) => assertHolds(v, talksAfterClash, { runs: 100 })), { numRuns: 20 });
});
`;
}

/** `brink init <name>`: a folder with a small scenario, a variant and a what-if test that pass as written. */
export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('Start a scenario: writes <name>/<name>.yaml, a variant <name>/hawkish.yaml and a what-if test (vitest + brink/testing)')
    .argument('<name>', 'the scenario id and folder name: letters, digits and dashes')
    .action((name: string) => {
      if (!/^[A-Za-z][A-Za-z0-9-]{0,63}$/.test(name)) throw new CliFailure(`error: expected a name of letters, digits and dashes, starting with a letter; found "${name}"`, EXIT.usage);
      const dir = resolve(name);
      if (existsSync(dir)) throw new CliFailure(`error: ${name} already exists; nothing was written (choose another name)`, EXIT.failure);
      const schema = (at: string) => relative(at, SCHEMA).split('\\').join('/');
      // The variant sits beside its base: \`extends\` reads only inside the scenario's project (issue 18).
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${name}.yaml`), scenario(name, schema(dir)));
      writeFileSync(join(dir, 'hawkish.yaml'), variant(name, schema(dir)));
      writeFileSync(join(dir, `${name}.test.ts`), whatIfTest(name));
      ctx.io.stdout(
        `wrote ${name}/${name}.yaml, ${name}/hawkish.yaml (a variant) and ${name}/${name}.test.ts\n` +
          `next: brink validate ${name}/${name}.yaml ${name}/hawkish.yaml\n` +
          `      brink run ${name}/${name}.yaml --runs 10000\n` +
          `      npx vitest run ${name}   (needs vitest and fast-check)\n`,
      );
    });
}
