/**
 * Issue 15, "a whole game in real browsers": a facilitator and four teams, each in its own browser
 * context (one student on a 390 px phone; the ROK team has two students), play six turns of the
 * flagship through `brink serve` to the debrief. Debian's Chromium driven by playwright-core;
 * screenshots of the projector view, a team's phone page and the debrief go to test/artifacts/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, type ServerProcess, startServe } from '../server/harness.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test/artifacts');
const present = existsSync(CHROMIUM);
if (!present && process.env.CI === undefined) console.warn(`skipping the classroom browser test: ${CHROMIUM} is missing (apt-get install -y chromium)`);
if (!present && process.env.CI !== undefined) throw new Error(`${CHROMIUM} is missing and CI requires it: apt-get install -y chromium`);

let browser: Browser;
let server: ServerProcess;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!present) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServe();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

async function newPage(viewport: { width: number; height: number }, mobile = false): Promise<Page> {
  const ctx = await browser.newContext({ viewport, ...(mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return page;
}

async function joinAs(page: Page, code: string, name: string): Promise<void> {
  await page.goto(`${server.url}/join/${code}`);
  await page.getByLabel(/Your name/).fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.waitForURL(/\/team\//);
  await page.getByText('live', { exact: true }).waitFor();
}

describe.skipIf(!present)('the web classroom in Chromium (issue 15)', () => {
  it('plays a six-turn flagship game with four teams to the debrief', { timeout: 600_000 }, async () => {
    const fac = await newPage({ width: 1440, height: 900 });
    await fac.goto(server.url);
    await fac.getByRole('checkbox', { name: /ROK/ }).waitFor();
    // An uploaded file with a mistake: its problems, placed as `brink validate` places them.
    await fac.locator('input[type=file]').setInputFiles({
      name: 'broken.yaml',
      mimeType: 'text/yaml',
      buffer: Buffer.from('version: 1\nmetadata: { id: broken, title: Broken }\ntime: { turns: 0, unit: month, start: 2025-01 }\n'),
    });
    await fac.getByText(/The file has \d+ error/).waitFor();
    expect(await fac.locator('.problems code').first().innerText()).toMatch(/^broken\.yaml:\d+:\d+ /);
    await fac.getByRole('combobox', { name: 'Scenario' }).selectOption('russia-dprk-2024.yaml');
    for (const id of ['ROK', 'CHN', 'JPN', 'USA']) await fac.getByRole('checkbox', { name: new RegExp(`\\(${id}\\)`) }).check();
    await fac.getByLabel('Seed').fill('7');
    await fac.getByRole('button', { name: /Create the game with 4 teams/ }).click();
    await fac.waitForURL(/\/facilitate\/[a-z0-9]+#/);
    await fac.getByText('Join codes').waitFor();

    const codes: Record<string, string> = {};
    for (const fig of await fac.locator('figure.join').all()) {
      const name = (await fig.locator('b').innerText()).trim();
      codes[name] = (await fig.locator('code').innerText()).trim();
    }
    const teamNames = Object.keys(codes);
    expect(teamNames).toHaveLength(4);
    const rokName = teamNames.find((n) => /Korea/.test(n)) as string;

    // The ROK team: Ana on a 390 px phone, Ben on a laptop. The other three teams: one laptop each.
    const ana = await newPage({ width: 390, height: 844 }, true);
    const ben = await newPage({ width: 1280, height: 800 });
    await joinAs(ana, codes[rokName] as string, 'Ana');
    await joinAs(ben, codes[rokName] as string, 'Ben');
    const others: Page[] = [];
    for (const n of teamNames.filter((x) => x !== rokName)) {
      const p = await newPage({ width: 1280, height: 800 });
      await joinAs(p, codes[n] as string, `Student of ${n}`);
      others.push(p);
    }
    await fac.getByText('4 online').waitFor().catch(() => {});

    for (let turn = 1; turn <= 6; turn++) {
      await fac.getByRole('heading', { name: /Teams: 0 of 4 decided/ }).waitFor();
      // Ana chooses; Ben sees her choice live; on odd turns Ben changes it and Ana sees his.
      const anaMoves = ana.locator('ul.moves button.move');
      const n = await anaMoves.count();
      await anaMoves.nth((turn - 1) % n).click();
      await ben.getByText('chosen by Ana').first().waitFor();
      if (turn % 2 === 1) {
        await ben.getByRole('button', { name: /^No move/ }).click();
        await ana.getByText('chosen by Ben').first().waitFor();
        await expect(ana.locator('.choice .chosen').innerText()).resolves.toBe('No move this month');
      }
      for (const p of others) {
        const moves = p.locator('ul.moves button.move');
        await moves.nth(turn % (await moves.count())).click();
        await p.locator('.choice.made').waitFor();
      }
      await fac.getByRole('heading', { name: /Teams: 4 of 4 decided/ }).waitFor();
      if (turn === 3) {
        await fac.getByText('Inject an act').click();
        await fac.getByRole('button', { name: /^Inject into/ }).click();
        await fac.getByText(/^Injected /).waitFor();
      }
      if (turn === 4) {
        await fac.getByRole('button', { name: 'Pause' }).click();
        await ana.getByText('The facilitator has paused the game.').waitFor();
        await fac.getByRole('button', { name: 'Resume' }).click();
        await ana.getByText('The facilitator has paused the game.').waitFor({ state: 'detached' });
      }
      if (turn === 2) await fac.screenshot({ path: join(ARTIFACTS, 'classroom-facilitator.png'), fullPage: true });
      await fac.getByRole('button', { name: /^Play / }).click();
      await ana.getByText(`turn ${turn + 1} of`).waitFor();
      await fac.locator('.news-turn').nth(0).getByText(`turn ${turn}`).waitFor();
      if (turn === 5) {
        fac.once('dialog', (d) => void d.accept());
        await fac.getByRole('button', { name: 'Take back last turn' }).click();
        await ana.getByText('turn 5 of').waitFor();
        await fac.getByRole('heading', { name: /Teams: \d of 4 decided/ }).waitFor();
        // The decisions of the taken-back turn stand; play it again.
        await fac.getByRole('button', { name: /^Play / }).click();
        await ana.getByText('turn 6 of').waitFor();
      }
    }
    expect(await fac.locator('.news-turn').count()).toBe(6);
    await ana.evaluate("window.scrollTo(0, 0)");
    await ana.screenshot({ path: join(ARTIFACTS, 'classroom-team-phone.png') });
    await fac.getByRole('button', { name: 'Projector view' }).click();
    await fac.screenshot({ path: join(ARTIFACTS, 'classroom-projector.png') });
    await fac.getByRole('button', { name: 'Show controls' }).click();

    fac.once('dialog', (d) => void d.accept());
    await fac.getByRole('button', { name: 'End game' }).click();
    await ana.getByText('The game is over.').waitFor();
    const open = fac.getByRole('link', { name: 'Open the debrief' });
    await open.waitFor({ timeout: 300_000 });
    await open.click();
    await fac.waitForURL(/\/debrief\//);
    const frame = fac.frameLocator('iframe.debrief-frame');
    await frame.locator('body').waitFor();
    await fac.waitForTimeout(500);
    await fac.screenshot({ path: join(ARTIFACTS, 'classroom-debrief.png') });
    // The teams can open it too.
    await ana.getByRole('link', { name: 'Open the debrief' }).waitFor();
  });
});
