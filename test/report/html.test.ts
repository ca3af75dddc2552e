import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { renderBatchHtml, renderRunHtml } from '../../src/report/html.ts';
import { PAGE_SCRIPT } from '../../src/report/html-script.ts';
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

  test('self-contained: one inline script, allowed by its hash; no external resource; a CSP that forbids loading anything', async () => {
    const html = await renderBatchHtml(summary, extras);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    const code = scripts.filter((m) => !m[1]?.includes('type="application/json"'));
    expect(code).toHaveLength(1);
    expect(code[0]?.[2]).toBe(PAGE_SCRIPT);
    const hash = createHash('sha256').update(code[0]?.[2] ?? '', 'utf8').digest('base64');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${hash}'"`);
    // Every other script block is inert data, and none can be closed early by the text it carries.
    for (const m of scripts.filter((x) => x[1]?.includes('type="application/json"'))) expect(() => JSON.parse(m[2] ?? '')).not.toThrow();
    expect(html).not.toMatch(/<link|<img|<iframe|@import|url\(\s*['"]?(?:https?:)?\/\//i);
    const urls = [...html.matchAll(/(?:src|href)\s*=\s*"([^"]*)"/g)].map((m) => m[1]);
    expect(urls.filter((u) => !u?.startsWith('#'))).toEqual([]);
  });

  test('states what reproduces it: scenario, content hash, seed, runs, version; and each narrative its replay seed', async () => {
    const html = await renderBatchHtml(summary, extras);
    for (const s of ['duel', hash, '<dd>1</dd>', '<dd>300</dd>', '<dd>0.1.0</dd>']) expect(html).toContain(s);
    for (const p of summary.pathways) expect(html).toContain(`--seed ${p.seed}</code>`);
  });
});

describe('renderRunHtml', () => {
  test('one run: its pathway, every act and the state machines, with the replay command', async () => {
    const record = runOnce(model, new ReferenceKernel(model), '3', { trace: true });
    const report = deriveRunReport(model, record, deriveMeta(model, { hash, files, seed: '3', runs: 1, engine: 'reference' }));
    const html = await renderRunHtml(report, deriveStateCharts(model));
    expect(html).toContain('brink run test/fixtures/valid/duel.yaml --seed 3');
    expect(html.match(/class="state-diagram"/g)).toHaveLength(2);
    expect(await renderRunHtml(report, deriveStateCharts(model))).toBe(html);
  });
});
