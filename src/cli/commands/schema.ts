import type { Command } from 'commander';
import * as z from 'zod';
import { Scenario } from '../../scenario/schema.ts';
import type { CliContext } from '../shared.ts';

/** The JSON Schema (draft-07) of the format; scenarios/scenario.schema.json holds a copy. */
export function renderSchema(): string {
  const schema = z.toJSONSchema(Scenario, { target: 'draft-7', io: 'input' });
  return `${JSON.stringify({ ...schema, title: 'Brink scenario, version 1' }, null, 2)}\n`;
}

/** `brink schema`. */
export function registerSchema(program: Command, ctx: CliContext): void {
  program
    .command('schema')
    .description('Print the JSON Schema (draft-07) of the scenario format, for editors')
    .action(() => {
      ctx.io.stdout(renderSchema());
    });
}
