/**
 * Whether tests that need a real browser can run: Debian's Chromium driven by playwright-core.
 * Missing, such a test file is skipped with one line that says how to install it — unless
 * BRINK_REQUIRE_BROWSER=1 (set by .ci/run) or CI is set (`CI=true`), which make a missing browser a failure.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';

/** The browser's path: /usr/bin/chromium, or BRINK_CHROMIUM. */
export const CHROMIUM = process.env.BRINK_CHROMIUM ?? '/usr/bin/chromium';

/** The flags Chromium needs here (no sandbox as root, no GPU, no network of its own). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const MISSING = `${CHROMIUM} is missing: install it with \`apt-get install -y chromium\``;

/**
 * True when the browser is there. When it is not: throws if BRINK_REQUIRE_BROWSER=1, else prints one
 * line naming the install command and returns false (the caller skips its tests).
 */
export function browserAvailable(testFile: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.BRINK_REQUIRE_BROWSER === '1') throw new Error(`${MISSING} (BRINK_REQUIRE_BROWSER=1 says it is required)`);
  const ci = process.env.CI;
  if (ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0') throw new Error(`${MISSING} (CI=${ci} says it is required)`);
  process.stderr.write(`skipped ${basename(testFile)}: ${MISSING}\n`);
  return false;
}
