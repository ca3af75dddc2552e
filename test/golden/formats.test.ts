/**
 * Issue #4's formats at a fixed seed, byte for byte: HTML, Markdown with Mermaid, NDJSON, Mermaid state
 * diagrams, and `compare` in every format. A diff here means users will see different output: say in
 * the commit why it changed, then update with `npx vitest run test/golden -u`.
 */
import { produce } from 'immer';
import { describe, expect, test } from 'vitest';
import { BatchAggregate } from '../../src/analysis/aggregate.ts';
import { compare } from '../../src/batch/compare.ts';
import { playBatch, toRunLine } from '../../src/batch/play-batch.ts';
import { deriveRunReport } from '../../src/analysis/run-report.ts';
import { deriveStateCharts } from '../../src/analysis/state-chart.ts';
import { deriveMeta, summarizeBatch } from '../../src/analysis/summary.ts';
import { ReferenceKernel } from '../../src/engine/reference-kernel.ts';
import { runOnce } from '../../src/engine/run.ts';
import { buildModel } from '../../src/model/build-model.ts';
import { renderComparisonJson, renderComparisonMarkdown, renderComparisonText } from '../../src/report/comparison.ts';
import { renderBatchHtml, renderRunHtml } from '../../src/report/html.ts';
import { renderBatchMarkdown } from '../../src/report/markdown.ts';
import { renderStateDiagram } from '../../src/report/mermaid.ts';
import { renderRunLine, renderSummaryLine } from '../../src/report/ndjson.ts';
import { loadValid } from '../helpers.ts';
import { batchInputs } from '../report/report-inputs.ts';

const file = 'test/fixtures/valid/duel.yaml';
const loaded = loadValid(file);
const { model, hash, files } = loaded;

describe('golden reports of test/fixtures/valid/duel.yaml: issue #4 formats', () => {
  test('500 runs, seed 1: HTML, and Markdown with Mermaid state diagrams', async () => {
    const { summary, extras } = batchInputs(model, { hash, files }, 500, '1');
    await expect(await renderBatchHtml(summary, extras)).toMatchFileSnapshot('duel-batch-500-seed-1.html');
    await expect(renderBatchMarkdown(summary, { charts: extras.charts })).toMatchFileSnapshot('duel-batch-500-seed-1.diagrams.md');
  });

  test('one run, seed 3: HTML and NDJSON', async () => {
    const record = runOnce(model, new ReferenceKernel(model), '3', { trace: true });
    const meta = deriveMeta(model, { hash, files, seed: '3', runs: 1, engine: 'reference' });
    await expect(await renderRunHtml(deriveRunReport(model, record, meta), deriveStateCharts(model))).toMatchFileSnapshot('duel-run-seed-3.html');
    const agg = new BatchAggregate(model);
    agg.add(record, 0);
    await expect(renderRunLine(toRunLine(model, record, 0)) + renderSummaryLine(summarizeBatch(model, agg, meta))).toMatchFileSnapshot('duel-run-seed-3.ndjson');
  });

  test('40 runs, seed 1: NDJSON, a line per run in run order, then the summary', async () => {
    let text = '';
    const played = await playBatch(model, { runs: 40, seed: '1', engine: 'reference', onRun: (line) => void (text += renderRunLine(line)) });
    text += renderSummaryLine(summarizeBatch(model, played.aggregate, deriveMeta(model, { hash, files, seed: '1', runs: 40, engine: 'reference' })));
    await expect(text).toMatchFileSnapshot('duel-batch-40-seed-1.ndjson');
  });

  test('Mermaid state diagrams of every actor', async () => {
    await expect(deriveStateCharts(model).map(renderStateDiagram).join('\n')).toMatchFileSnapshot('duel-diagrams.mmd');
  });

  test('compare against a variant whose spark is five times likelier and one without it, 500 runs, seed 1: text, Markdown, JSON', async () => {
    const variant = buildModel(
      produce(loaded.scenario, (d) => {
        const shocks = d.shocks as NonNullable<typeof d.shocks>;
        shocks.spark = { ...(shocks.spark as NonNullable<(typeof shocks)['spark']>), probability: 0.05 };
      }),
    );
    const noSpark = buildModel(
      produce(loaded.scenario, (d) => {
        delete d.shocks;
      }),
    );
    const c = await compare(
      { model, hash, files },
      [
        { model: variant, hash: 'sha256:variant-spark-0.05', label: 'spark p=0.05' },
        { model: noSpark, hash: 'sha256:variant-no-spark', label: 'no spark' },
      ],
      { runs: 500, seed: '1' },
    );
    await expect(renderComparisonText(c)).toMatchFileSnapshot('duel-compare-500-seed-1.txt');
    await expect(renderComparisonMarkdown(c)).toMatchFileSnapshot('duel-compare-500-seed-1.md');
    await expect(renderComparisonJson(c)).toMatchFileSnapshot('duel-compare-500-seed-1.json');
  });
});
