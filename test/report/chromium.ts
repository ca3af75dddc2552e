/**
 * Debian's Chromium (/usr/bin/chromium) driven by playwright-core, for the tests that look at reports in
 * a real browser. Without Chromium those tests skip with a line saying how to install it — unless CI is
 * set, where the browser is required and its absence fails the test.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const REQUIRED = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false' && process.env.CI !== '0';

/** Whether the browser tests can run here; prints the install hint once when they cannot. */
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM && !REQUIRED) console.warn(`skipping browser tests: ${CHROMIUM} is missing (apt-get install -y chromium)`);

/** True when the browser tests must run: Chromium is here, or CI requires it (and launching fails). */
export const RUN_BROWSER_TESTS = HAVE_CHROMIUM || REQUIRED;

/** Launches Chromium headless, offline-minded; throws a one-line install hint when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!HAVE_CHROMIUM) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (CI requires it)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
