/**
 * Reports at a fixed seed, byte for byte. A diff here means users will see different output: say in
 * the commit why it changed, then update with `npx vitest run test/golden -u`.
 */
import { describe, expect, test } from 'vitest';
import { aggregateBatch } from '../../src/batch/batch.ts';
import { deriveRunReport } from '../../src/analysis/run-report.ts';
import { deriveMeta, summarizeBatch } from '../../src/analysis/summary.ts';
import { ReferenceKernel } from '../../src/engine/reference-kernel.ts';
import { runOnce } from '../../src/engine/run.ts';
import { renderJson } from '../../src/report/json.ts';
import { renderBatchMarkdown, renderRunMarkdown } from '../../src/report/markdown.ts';
import { renderBatchText, renderRunText } from '../../src/report/text.ts';
import { loadValid } from '../helpers.ts';

const file = 'test/fixtures/valid/duel.yaml';
const { model, hash, files } = loadValid(file);

describe('golden reports of test/fixtures/valid/duel.yaml', () => {
  const run = runOnce(model, new ReferenceKernel(model), '3', { trace: true });
  const runReport = deriveRunReport(model, run, deriveMeta(model, { hash, files, seed: '3', runs: 1, engine: 'reference' }));
  const agg = aggregateBatch(model, new ReferenceKernel(model), { runs: 500, seed: '1' });
  const summary = summarizeBatch(model, agg, deriveMeta(model, { hash, files, seed: '1', runs: 500, engine: 'reference' }));

  test('one run, seed 3: text, Markdown, JSON', async () => {
    await expect(renderRunText(runReport, { all: true })).toMatchFileSnapshot('duel-run-seed-3.txt');
    await expect(renderRunMarkdown(runReport)).toMatchFileSnapshot('duel-run-seed-3.md');
    await expect(renderJson(runReport)).toMatchFileSnapshot('duel-run-seed-3.json');
  });

  test('500 runs, seed 1: text, Markdown, JSON', async () => {
    await expect(renderBatchText(summary)).toMatchFileSnapshot('duel-batch-500-seed-1.txt');
    await expect(renderBatchMarkdown(summary)).toMatchFileSnapshot('duel-batch-500-seed-1.md');
    await expect(renderJson(summary)).toMatchFileSnapshot('duel-batch-500-seed-1.json');
  });
});
