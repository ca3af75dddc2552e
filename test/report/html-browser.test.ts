/**
 * The HTML report in a real browser: Debian's Chromium (/usr/bin/chromium, installed by .ci/run) driven
 * by playwright-core; skipped with a line saying how to install it when it is missing (see ../browser.ts).
 * Screenshots go to test/artifacts/ (not committed) for a person to look at.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderBatchHtml } from '../../src/report/html.ts';
import { CHROMIUM, CHROMIUM_ARGS, browserAvailable } from '../browser.ts';
import { ROOT, loadValid, modelOf } from '../helpers.ts';
import { NESTED } from './nested.fixture.ts';
import { batchInputs } from './report-inputs.ts';

const ARTIFACTS = join(ROOT, 'test/artifacts');
const available = browserAvailable(import.meta.filename);
let browser: Browser;

beforeAll(async () => {
  if (!available) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
});

afterAll(async () => {
  await browser?.close();
});

/** Opens a report file and records what the page asked for and complained about. */
async function open(file: string) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, requests, problems };
}

const count = (page: import('playwright-core').Page, selector: string) => page.locator(selector).count();

describe.skipIf(!available)('the HTML report in Chromium', () => {
  test('duel.yaml, 500 runs: no console error, no request but the file itself, every chart drawn', async () => {
    const { model, hash, files } = loadValid('test/fixtures/valid/duel.yaml');
    const { summary, extras } = batchInputs(model, { hash, files }, 500, '1');
    const file = join(ARTIFACTS, 'duel-report.html');
    writeFileSync(file, await renderBatchHtml(summary, extras));
    const { page, requests, problems } = await open(file);

    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(problems).toEqual([]);

    // P(peak ≥ rung): a line per scope plus its band, drawn as SVG paths with a visible size.
    const exceedance = page.locator('figure.chart-exceedance svg');
    expect(await exceedance.count()).toBe(1);
    expect((await exceedance.boundingBox())?.width).toBeGreaterThan(300);
    expect(await count(page, 'figure.chart-exceedance svg path')).toBeGreaterThan(summary.peaks.length * 2);
    expect(await page.locator('figure.chart-exceedance svg text', { hasText: 'Northern border' }).count()).toBeGreaterThan(0);
    // One cumulative crossing chart per threshold.
    expect(await count(page, 'figure.chart-crossing svg')).toBe(summary.thresholds.length);
    // The Sankey: a node per distinct step and per final peak, labelled with its share.
    for (const label of ['start · 100.0%', 'L2 B PROTEST · 100.0%', 'peak L4 · ']) {
      expect(await page.locator('figure.chart-pathways svg text', { hasText: label }).count(), label).toBeGreaterThan(0);
    }
    // The dyad matrix: a labelled cell per dyad that moved.
    expect(await page.locator('figure.chart-dyads svg text', { hasText: 'max L4' }).count()).toBe(1);
    // State diagrams: one per actor, one box per state (root included).
    expect(await count(page, 'svg.state-diagram')).toBe(2);
    expect(await count(page, 'svg.state-diagram rect.state')).toBe(8);
    // Narratives: one per top pathway, each with its replay seed.
    expect(await count(page, 'article.narrative')).toBe(summary.pathways.length);
    expect(await page.locator('article.narrative code', { hasText: `--seed ${summary.pathways[0]?.seed}` }).count()).toBe(1);

    await page.screenshot({ path: join(ARTIFACTS, 'duel-report.png'), fullPage: true });
    await page.close();
  });

  test('nested and parallel states draw as nested boxes with stacked regions', async () => {
    const model = modelOf(NESTED);
    const { summary, extras } = batchInputs(model, { hash: 'sha256:inline', files: ['nested.yaml'] }, 200, '2');
    const file = join(ARTIFACTS, 'nested-report.html');
    writeFileSync(file, await renderBatchHtml(summary, extras));
    const { page, requests, problems } = await open(file);
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(problems).toEqual([]);
    const states = model.actors.reduce((n, a) => n + a.states.length, 0);
    expect(await count(page, 'svg.state-diagram rect.state')).toBe(states);
    expect(await count(page, 'svg.state-diagram rect.parallel')).toBe(1);
    expect(await count(page, 'svg.state-diagram line.region-divider')).toBe(1);
    await page.locator('#actors').screenshot({ path: join(ARTIFACTS, 'nested-actors.png') });
    await page.close();
  });
});
