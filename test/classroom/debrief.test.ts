import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { applyCommand, createGame, debriefGame, teamChoices, type Session, type Debrief } from '../../src/classroom/index.ts';
import { renderDebriefHtml, renderDebriefMarkdown, renderDebriefText } from '../../src/report/debrief.ts';
import { browserAvailable, CHROMIUM, CHROMIUM_ARGS } from '../browser.ts';
import { ROOT, loadValid } from '../helpers.ts';

const FILE = resolve(ROOT, 'scenarios/russia-dprk-2024.yaml');
const flagship = loadValid(FILE);

/** A one-team game: ROK decides every turn (no move, or its first move on even turns). */
function played(seed: string): Session {
  const r = createGame({ scenario: { file: 'scenarios/russia-dprk-2024.yaml', text: readFileSync(FILE, 'utf8'), hash: flagship.hash }, seed, teams: ['ROK'] });
  if (!r.ok) throw new Error(r.problem.message);
  let s = r.value;
  for (let turn = 1; turn <= s.model.turns; turn++) {
    const moves = teamChoices(s, 'ROK').moves;
    const d = applyCommand(s, { kind: 'decide', turn, actor: 'ROK', moves: turn % 2 === 0 && moves.length > 0 ? [(moves[0] as { key: string }).key] : [] });
    if (d.ok) s = d.value;
    const p = applyCommand(s, { kind: 'play', turn });
    if (!p.ok) throw new Error(p.problem.message);
    s = p.value;
  }
  return s;
}

describe('the debrief', () => {
  const game = played('12');
  let debrief: Debrief;

  test('with the policy instead of the turn-1 decision, the counterfactual is the policy batch of the same seeds', async () => {
    debrief = await debriefGame(game, { runs: 300, workers: 1 });
    const first = debrief.decisions.find((d) => d.turn === 1);
    expect(first).toBeDefined();
    // The one team, no facilitator: turn 1's "policy instead" arm is the policy's own runs from the start.
    expect(first?.policy.p).toEqual(debrief.headline.policyRate);
    expect(debrief.decisions.length).toBeGreaterThan(10);
    expect(debrief.positions.map((p) => p.scope)).toEqual(['overall', 'NEA', 'EUR']);
    expect(debrief.objectives.map((o) => o.id)).toEqual(['deterWar', 'strongerAlliances', 'noNuclearTest']);
    expect(debrief.ranked.length).toBeGreaterThan(0);
    expect(debrief.ranked[0]?.sentence).toMatch(/^had ROK .+ in \w{3} \d{4}, P\(\w+ ≥ L\d+ by May 2026\) would have been [\d.]+% \[[\d.]+–[\d.]+\] instead of [\d.]+% \[[\d.]+–[\d.]+\]$/);
  });

  test('is the same on worker threads', async () => {
    const again = await debriefGame(game, { runs: 300, workers: 2 });
    expect(JSON.stringify({ ...again, story: null })).toBe(JSON.stringify({ ...debrief, story: null }));
  });

  test('renders as text, Markdown and HTML, and says what the comparison holds fixed', () => {
    const text = renderDebriefText([debrief]);
    expect(text).toContain('Decisions that mattered most, by P(');
    expect(text.replace(/\s+/g, ' ')).toContain('after the decision every actor plays by the policy in every arm');
    expect(renderDebriefMarkdown([debrief, debrief], { game: ['a.game', 'b.game'] })).toContain('| 2. b.game |');
  });

  test.skipIf(!browserAvailable(import.meta.filename))('its HTML page is offline and draws a chart per ranked decision in Chromium', async () => {
    const html = renderDebriefHtml([debrief]);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url());
      });
      await page.setContent(html);
      expect(await page.locator('ol.ranked svg').count()).toBe(debrief.ranked.length);
      expect(await page.locator('h1').first().textContent()).toContain('Debrief');
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
