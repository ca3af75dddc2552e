import type { Command } from 'commander';
import { deriveStateCharts } from '../../analysis/state-chart.ts';
import { buildModel } from '../../model/build-model.ts';
import { renderStateDiagram } from '../../report/mermaid.ts';
import { escapeMarkdown } from '../../report/escape.ts';
import { type CliContext, CliFailure, EXIT, emit, loadOrFail, outArg } from '../shared.ts';

/**
 * `brink diagram <scenario> [--actor ID]`: Mermaid state diagrams. Every actor: Markdown with a
 * ```mermaid block per actor (renders on GitHub); one actor: its bare `stateDiagram-v2` text, to pipe
 * into Mermaid tools.
 */
export function registerDiagram(program: Command, ctx: CliContext): void {
  program
    .command('diagram')
    .description("Print Mermaid state diagrams of the actors' statecharts (Markdown; bare Mermaid with --actor)")
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('-a, --actor <id>', 'only this actor, as bare Mermaid text')
    .option('-o, --out <file>', 'write to a file instead of standard output', outArg)
    .action((file: string, opts: { actor?: string; out?: string }) => {
      const loaded = loadOrFail(file, ctx.io, ctx.loadOptions);
      const charts = deriveStateCharts(buildModel(loaded.scenario));
      if (opts.actor !== undefined) {
        const chart = charts.find((c) => c.actor === opts.actor);
        if (chart === undefined) {
          throw new CliFailure(`error: option '--actor <id>' argument '${opts.actor}' is not an actor of ${file} (known: ${charts.map((c) => c.actor).join(', ')})`, EXIT.usage);
        }
        emit(renderStateDiagram(chart), opts.out, ctx.io);
        return;
      }
      const out = [`# State diagrams: ${escapeMarkdown(loaded.scenario.metadata.title)}`];
      for (const c of charts) out.push('', `## ${c.actor} — ${escapeMarkdown(c.name)}`, '', '```mermaid', renderStateDiagram(c).trimEnd(), '```');
      emit(`${out.join('\n')}\n`, opts.out, ctx.io);
    });
}
