/**
 * Issue 16: every Mermaid diagram Brink writes must be one that Mermaid itself accepts. Five of the
 * flagship's state diagrams did not parse (a `--` region separator at the diagram's root), and Mermaid 11
 * failed to lay out edges to composites inside a region and loops on a region. This test loads the real
 * library (mermaid ^11, `dist/mermaid.min.js`, the parser GitHub uses) into Chromium and parses and
 * renders every diagram of every scenario in scenarios/ and test/fixtures/valid: the state diagrams of
 * `brink diagram` and of `--format md`, and the Markdown report's pathway flowchart.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deriveStateCharts } from '../../src/analysis/state-chart.ts';
import { renderBatchMarkdown } from '../../src/report/markdown.ts';
import { CHROMIUM, CHROMIUM_ARGS, browserAvailable } from '../browser.ts';
import { ROOT, brink, loadValid } from '../helpers.ts';
import { batchInputs } from './report-inputs.ts';

const MERMAID = join(ROOT, 'node_modules/mermaid/dist/mermaid.min.js');
const yamls = (dir: string) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => `${dir}/${f}`);
const FILES = [...yamls('scenarios'), ...yamls('scenarios/variants'), ...yamls('test/fixtures/valid')];
const blocks = (markdown: string) => [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1] as string);

const available = browserAvailable(import.meta.filename);
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!available) return;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage();
  await page.setContent('<!doctype html><html><body></body></html>');
  await page.addScriptTag({ path: MERMAID });
  await page.evaluate(() => (globalThis as unknown as { mermaid: { initialize(o: object): void } }).mermaid.initialize({ startOnLoad: false }));
});

afterAll(async () => {
  await browser?.close();
});

/** Parses and renders one diagram with Mermaid; the error message, or null when it drew. */
async function check(text: string, id: number): Promise<string | null> {
  return page.evaluate(
    async ([t, n]) => {
      const m = (globalThis as unknown as { mermaid: { parse(t: string): Promise<unknown>; render(id: string, t: string): Promise<{ svg: string }> } }).mermaid;
      try {
        await m.parse(t);
        const { svg } = await m.render(`d${n}`, t);
        return svg.includes('<svg') ? null : 'no svg drawn';
      } catch (e) {
        return String((e as Error).message ?? e).split('\n').slice(0, 3).join(' ');
      }
    },
    [text, id] as const,
  );
}

describe.skipIf(!available)('Mermaid 11 parses and draws every diagram', () => {
  test('the state diagrams and pathway flowcharts of every scenario, as `--format md` writes them', async () => {
    const diagrams = new Map<string, string>(); // text → where it comes from (identical diagrams are checked once)
    for (const file of FILES) {
      const { model, hash, files } = loadValid(file);
      const charts = deriveStateCharts(model);
      let markdown: string;
      try {
        markdown = renderBatchMarkdown(batchInputs(model, { hash, files }, 100, '1').summary, { charts });
      } catch {
        markdown = renderBatchMarkdown(batchInputs(model, { hash, files }, 0, '1').summary, { charts }); // a fixture whose runs fail (a cascade cycle): its diagrams still count
      }
      for (const text of blocks(markdown)) {
        if (!diagrams.has(text)) diagrams.set(text, `${file}: ${text.split('\n')[0]} ${text.split('\n')[2]?.trim() ?? ''}`);
      }
    }
    expect(diagrams.size).toBeGreaterThan(FILES.length);
    const failures: string[] = [];
    let n = 0;
    for (const [text, where] of diagrams) {
      const error = await check(text, n++);
      if (error !== null) failures.push(`${where}\n  ${error}`);
    }
    expect(failures).toEqual([]);
  }, 240_000);

  test('`brink diagram` on the flagship: every block parses (the five that failed in issue 16 among them)', async () => {
    const r = await brink(['diagram', 'scenarios/russia-dprk-2024.yaml']);
    expect(r.code).toBe(0);
    const texts = blocks(r.stdout);
    expect(texts).toHaveLength(loadValid('scenarios/russia-dprk-2024.yaml').model.actors.length);
    const failures: string[] = [];
    for (const [i, text] of texts.entries()) {
      const error = await check(text, 10_000 + i);
      if (error !== null) failures.push(`${text.split('\n')[2]}: ${error}`);
    }
    expect(failures).toEqual([]);
  });

  test('the checker can fail: a `--` at the diagram root, as Brink wrote it before issue 16, is rejected', async () => {
    expect(await check('stateDiagram-v2\n  state a {\n    x\n  }\n  --\n  state b {\n    y\n  }\n', 20_000)).toMatch(/Parse error/);
  });
});
