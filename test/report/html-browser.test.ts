/**
 * The HTML report in a real browser: Debian's Chromium (/usr/bin/chromium, installed by .ci/run) driven
 * by playwright-core; skipped with a line saying how to install it when it is missing (see ../browser.ts).
 * Screenshots go to test/artifacts/ (not committed) for a person to look at.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
});

/** Opens a report file and records what the page asked for and complained about. */
async function open(file: string, width = 1280) {
  const page = await browser.newPage({ viewport: { width, height: 900 }, acceptDownloads: true });
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
    for (const label of ['start', 'PROTEST', 'peak L4']) {
      expect(await page.locator('figure.chart-pathways svg text', { hasText: label }).count(), label).toBeGreaterThan(0);
    }
    // The dyad matrix: a labelled cell per dyad that moved.
    expect(await page.locator('figure.chart-dyads svg text', { hasText: 'max L4' }).count()).toBe(1);
    // State diagrams: one per actor, one box per state (root included).
    await page.click('button[data-details="open"]');
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
    await page.locator('#actors').screenshot({ path: join(ARTIFACTS, 'nested-actors.png') });
    await page.close();
  });

  test('issue 16, the flagship (1,000 runs): tooltips, legends, downloads that match the JSON report, no horizontal scroll at 390 px', async () => {
    const { model, hash, files } = loadValid('scenarios/russia-dprk-2024.yaml');
    const { summary, extras } = batchInputs(model, { hash, files }, 1000, '1');
    const file = join(ARTIFACTS, 'flagship-report.html');
    writeFileSync(file, await renderBatchHtml(summary, extras));
    const { page, requests, problems } = await open(file);
    await page.screenshot({ path: join(ARTIFACTS, 'flagship-desktop.png'), fullPage: true });

    // Tooltips: hovering a column of the exceedance chart shows the exact share and interval of each scope.
    const l9 = summary.ladder.findIndex((r) => r.id === 'L9');
    const column = page.locator('figure.chart-exceedance rect.hover-col').nth(l9);
    const tip = page.locator('div.tip');
    await column.scrollIntoViewIfNeeded();
    await expect.poll(async () => {
      await page.mouse.move(0, 0);
      await column.hover();
      return tip.isVisible();
    }, { timeout: 10_000 }).toBe(true);
    const overall = summary.peaks[0]?.exceedance[l9];
    expect(await tip.textContent()).toContain(`(${overall?.count} runs)`);
    expect(await tip.textContent()).toMatch(/Overall: \d+(\.\d+)?% \[/);
    // …and on the Sankey, the dyad matrix, the crossing charts, a state and a timeline mark.
    for (const selector of ['figure.chart-pathways [data-tip]', 'figure.chart-dyads [data-tip]', 'figure.chart-crossing rect.hover-col']) {
      // Hovering may scroll the page, and a scroll hides the tip (as it should for a reader): so scroll first,
      // then move the pointer onto the mark until its tip shows.
      const mark = page.locator(selector).last();
      await mark.scrollIntoViewIfNeeded();
      await expect.poll(async () => {
        await page.mouse.move(0, 0);
        await mark.hover({ force: true });
        return tip.isVisible();
      }, { message: selector, timeout: 10_000 }).toBe(true);
      expect((await tip.textContent())?.length ?? 0, selector).toBeGreaterThan(3);
    }
    await page.click('button[data-details="open"]');
    for (const selector of ['svg.state-diagram rect.state', 'svg.timeline [data-tip]']) {
      const el = page.locator(selector).nth(1);
      await el.scrollIntoViewIfNeeded();
      await expect.poll(async () => {
        await page.mouse.move(0, 0);
        await el.hover({ force: true });
        return (await tip.isVisible()) ? tip.textContent() : '';
      }, { message: selector }).not.toBe('');
    }
    expect(await page.locator('svg.state-diagram rect.state[data-tip*="visited in"]').count()).toBe(summary.states.length);

    // A legend click hides that scope's lines, a second click shows them again.
    const legend = page.locator('figure.chart-exceedance [ecmeta_ssr_type="legend"]').first();
    const visibleLines = () => page.locator('figure.chart-exceedance [ecmeta_ssr_type="chart"]:visible').count();
    const before = await visibleLines();
    await legend.scrollIntoViewIfNeeded();
    await legend.click({ force: true });
    expect(await visibleLines()).toBeLessThan(before);
    await legend.click({ force: true });
    expect(await visibleLines()).toBe(before);

    // The CSV behind the exceedance chart parses and matches the JSON report; so does its JSON.
    const button = page.locator('figure.chart-exceedance button[data-format="csv"]');
    await button.scrollIntoViewIfNeeded();
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(csvDownload.suggestedFilename()).toBe('peak-exceedance.csv');
    const csv = readFileSync((await csvDownload.path()) as string, 'utf8').trimEnd().split('\n').map((line) => line.split(','));
    expect(csv[0]).toEqual(['scope', 'rung', 'rung_name', 'runs_at_or_above', 'p', 'low', 'high']);
    const expected = summary.peaks.flatMap((p) => p.exceedance.map((e) => [p.scope, e.rung, e.count, e.p, e.low, e.high]));
    expect(csv.slice(1).map((r) => [r[0], r[1], Number(r[3]), Number(r[4]), Number(r[5]), Number(r[6])])).toEqual(expected);
    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.locator('figure.chart-exceedance button[data-format="json"]').click()]);
    const rows = JSON.parse(readFileSync((await jsonDownload.path()) as string, 'utf8')) as Array<Record<string, unknown>>;
    expect(rows.map((r) => [r.scope, r.rung, r.runs_at_or_above, r.p, r.low, r.high])).toEqual(expected);

    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(problems).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'flagship-desktop-expanded.png'), fullPage: true, timeout: 120_000 });
    await page.close();

    // A phone: no horizontal page scroll, folded or unfolded; charts and tables scroll inside themselves.
    const phone = await open(file, 390);
    const pageWidth = () => phone.page.evaluate("document.documentElement.scrollWidth") as Promise<number>;
    expect(await pageWidth()).toBeLessThanOrEqual(390);
    await phone.page.screenshot({ path: join(ARTIFACTS, 'flagship-phone.png'), fullPage: true });
    await phone.page.click('button[data-details="open"]');
    expect(await pageWidth()).toBeLessThanOrEqual(390);
    for (const id of ['pathways', 'dyads', 'actors']) await phone.page.locator(`#${id}`).screenshot({ path: join(ARTIFACTS, `flagship-phone-${id}.png`) });
    expect(phone.problems).toEqual([]);
    expect(phone.requests).toEqual([pathToFileURL(file).href]);
    await phone.page.close();
  }, 300_000);
});

