import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { renderBatchHtml, renderRunHtml } from '../../src/report/html.ts';
import { deriveRunReport } from '../../src/analysis/run-report.ts';
import { deriveStateCharts } from '../../src/analysis/state-chart.ts';
import { deriveMeta } from '../../src/analysis/summary.ts';
import { ReferenceKernel } from '../../src/engine/reference-kernel.ts';
import { runOnce } from '../../src/engine/run.ts';
import { ROOT, loadValid } from '../helpers.ts';
import { batchInputs } from './report-inputs.ts';

const { model, hash, files } = loadValid('test/fixtures/valid/duel.yaml');

describe('renderBatchHtml', () => {
  const { summary, extras } = batchInputs(model, { hash, files }, 300, '1');

  test('same input, same bytes: twice in one process (ECharts counters renumbered), and in another process', async () => {
    const a = await renderBatchHtml(summary, extras);
    const b = await renderBatchHtml(summary, extras);
    expect(b).toBe(a);
    expect(a).not.toMatch(/zr\d+-/);
    const script = `
      import { renderBatchHtml } from './src/report/html.ts';
      import { loadValid } from './test/helpers.ts';
      import { batchInputs } from './test/report/report-inputs.ts';
      const { model, hash, files } = loadValid('test/fixtures/valid/duel.yaml');
      const { summary, extras } = batchInputs(model, { hash, files }, 300, '1');
      process.stdout.write(await renderBatchHtml(summary, extras));
    `;
    const other = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, maxBuffer: 64 << 20 }).toString();
    expect(other).toBe(a);
  });

  test('self-contained: no script, no external resource, a CSP that forbids loading anything', async () => {
    const html = await renderBatchHtml(summary, extras);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(\s*['"]?(?:https?:)?\/\//i);
    const urls = [...html.matchAll(/(?:src|href)\s*=\s*"([^"]*)"/g)].map((m) => m[1]);
    expect(urls.filter((u) => !u?.startsWith('#'))).toEqual([]);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  test('states what reproduces it: scenario, content hash, seed, runs, version; and each narrative its replay seed', async () => {
    const html = await renderBatchHtml(summary, extras);
    for (const s of ['duel', hash, '<dd>1</dd>', '<dd>300</dd>', '<dd>0.1.0</dd>']) expect(html).toContain(s);
    for (const p of summary.pathways) expect(html).toContain(`--seed ${p.seed}</code>`);
  });
});

describe('renderRunHtml', () => {
  test('one run: its pathway, every act and the state machines, with the replay command', () => {
    const record = runOnce(model, new ReferenceKernel(model), '3', { trace: true });
    const report = deriveRunReport(model, record, deriveMeta(model, { hash, files, seed: '3', runs: 1, engine: 'reference' }));
    const html = renderRunHtml(report, deriveStateCharts(model));
    expect(html).toContain('brink run test/fixtures/valid/duel.yaml --seed 3');
    expect(html.match(/class="state-diagram"/g)).toHaveLength(2);
    expect(renderRunHtml(report, deriveStateCharts(model))).toBe(html);
  });
});
