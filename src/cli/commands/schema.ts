import type { Command } from 'commander';
import * as z from 'zod';
import { Scenario } from '../../scenario/schema.ts';
import type { CliContext } from '../shared.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const isObject = (x: Json | undefined): x is { [key: string]: Json } => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The schema of a variant (a file with `extends`) from the schema of a whole scenario: no key is
 * required (a variant overrides only what it changes), any property may be `null` (which removes it),
 * while unknown keys stay errors. Items of lists stay whole: a list in a variant replaces the base's.
 */
function toVariant(node: Json, ref: (target: string) => string): Json {
  if (Array.isArray(node)) return node.map((n) => toVariant(n, ref));
  if (!isObject(node)) return node;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'required') continue;
    if (key === '$ref' && typeof value === 'string') out[key] = ref(value);
    else if (key === 'items') out[key] = value;
    else if ((key === 'properties' || key === 'patternProperties') && isObject(value))
      out[key] = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, nullable(toVariant(s, ref))]));
    else if (key === 'additionalProperties' && isObject(value)) out[key] = nullable(toVariant(value, ref));
    else out[key] = toVariant(value, ref);
  }
  return out;
}

function nullable(s: Json): Json {
  const description = isObject(s) && typeof s.description === 'string' ? { description: s.description } : {};
  return { ...description, anyOf: [s, { type: 'null' }] };
}

/**
 * The JSON Schema (draft-07) of the format; scenarios/scenario.schema.json holds a copy. A file with
 * `extends` is checked as a variant (see toVariant), any other as a whole scenario.
 */
export function renderSchema(): string {
  const full = z.toJSONSchema(Scenario, { target: 'draft-7', io: 'input' }) as { [key: string]: Json };
  const { $schema, definitions, ...root } = full;
  const defs = isObject(definitions) ? definitions : {};
  const ref = (target: string) => target.replace(/^#\/definitions\//, '#/definitions/variant_');
  const variantDefs = Object.fromEntries(Object.entries(defs).map(([name, s]) => [`variant_${name}`, toVariant(s, ref)]));
  const schema = {
    $schema: $schema ?? 'http://json-schema.org/draft-07/schema#',
    title: 'Brink scenario, version 1',
    type: 'object',
    if: { required: ['extends'] },
    then: toVariant(root, ref),
    else: root,
    definitions: { ...defs, ...variantDefs },
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
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
