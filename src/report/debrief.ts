/**
 * The debrief of classroom games as text, Markdown or one offline HTML page. Pure: data in, string out.
 */
import type { ArmEffect, Debrief, DecisionEffect } from '../classroom/debrief.ts';
import { pctInterval } from '../classroom/debrief.ts';
import type { Proportion } from '../analysis/stats.ts';
import { renderGameStory } from './classroom-text.ts';
import { escapeHtml } from './escape.ts';

const CAVEAT =
  'Each counterfactual replays the rest of the game from the decision\'s turn with fresh randomness, the same in every arm (common random numbers); after the decision every actor plays by the policy in every arm, so a difference is that decision\'s alone.';

function pct(x: number): string {
  const v = x * 100;
  return `${v >= 10 || v === 0 || v === 100 ? v.toFixed(0) : v.toFixed(1)}%`;
}

function diff(e: ArmEffect): string {
  const d = e.difference;
  const f = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}`;
  return `${f(d.estimate)} pts [${f(d.low)}, ${f(d.high)}]`;
}

/** The side-by-side table of several games (a class that played in parallel). */
function gamesTable(ds: readonly Debrief[], names: readonly string[] = []): string[][] {
  const first = ds[0];
  if (first === undefined) return [];
  const scopes = first.positions.map((p) => p.scope);
  const rows = [['game', 'seed', 'teams', ...scopes.map((s) => `peak ${s}`), 'objectives met']];
  ds.forEach((d, i) => {
    const met = d.objectives.filter((o) => o.holds).length;
    rows.push([`${i + 1}. ${names[i] ?? d.story.status.scenario.file.split('/').pop() ?? ''}`, d.story.status.seed, d.story.status.teams.join(','), ...d.positions.map((p) => p.peak ?? '—'), `${met} of ${d.objectives.length}`]);
  });
  return rows;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length))) ?? [];
  return rows.map((r) => r.map((cell, c) => cell + ' '.repeat((widths[c] ?? 0) - [...cell].length)).join('  ').trimEnd());
}

/** The debrief of one or more games as text. */
export function renderDebriefText(ds: readonly Debrief[], options: { game?: string[] } = {}): string {
  const out: string[] = [];
  if (ds.length > 1) out.push(`${ds.length} games side by side`, ...table(gamesTable(ds, options.game)).map((l) => `  ${l}`), '');
  ds.forEach((d, i) => {
    const st = d.story.status;
    if (ds.length > 1) out.push(`════ Game ${i + 1}: ${options.game?.[i] ?? st.scenario.file} ════`, '');
    out.push(`Debrief — ${st.scenario.title}`);
    out.push(`seed ${st.seed} · teams ${st.teams.join(', ') || 'none'} · ${st.played} of ${st.turns} turns played · ${d.runs} runs per comparison`);
    if (st.played < st.turns) out.push(`(an unfinished game: its peaks so far are set against whole policy runs)`);
    out.push('');
    out.push(`Where this game sits among ${d.runs} policy runs from the same start (brink run ${st.scenario.file} --runs ${d.runs} --seed ${d.runSeed})`);
    out.push(
      ...table([
        ['scope', 'game peak', 'policy runs that peaked lower · same · higher', 'P(peak ≥ game peak)'],
        ...d.positions.map((p) => [p.name, p.peak ?? '—', sharesAround(p.below, p.atOrBelow), p.atLeast === null ? '—' : pctInterval(p.atLeast)]),
      ]).map((l) => `  ${l}`),
      '',
    );
    if (d.objectives.length > 0) {
      out.push('Objectives: met in this game, and how often the policy meets them');
      out.push(...table([['team', 'objective', 'game', 'policy runs'], ...d.objectives.map((o) => [o.actor, o.description, o.holds ? 'met' : 'not met', pctInterval(o.rate)])]).map((l) => `  ${l}`), '');
    }
    out.push(`Decisions that mattered most, by ${d.headline.label} (policy runs: ${pctInterval(d.headline.policyRate)})`);
    if (d.ranked.length === 0) out.push('  (no decision changed it)');
    d.ranked.forEach((r, k) => out.push(`  ${k + 1}. ${capital(r.sentence)} (${diff(bestOf(r))})`));
    out.push('', ...wrapText(CAVEAT, 100).map((l) => `  ${l}`), '');
    out.push('Every decision');
    for (const dec of d.decisions) out.push(...decisionText(dec, d.headline.label));
    out.push('', 'The game, turn by turn', '');
    out.push(renderGameStory(d.story).trimEnd(), '');
  });
  return `${out.join('\n')}\n`;
}

function bestOf(d: DecisionEffect): ArmEffect {
  return [d.policy, ...d.alternatives].reduce((a, b) => (Math.abs(b.difference.estimate) > Math.abs(a.difference.estimate) ? b : a));
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function decisionText(d: DecisionEffect, label: string): string[] {
  const out = [`  ${d.date} (turn ${d.turn}) · ${d.actor} chose ${d.chosen ?? 'no move'} — ${label}: ${pctInterval(d.asPlayed)}`];
  out.push(`      policy instead: ${pctInterval(d.policy.p)} (${diff(d.policy)})`);
  for (const a of d.alternatives) out.push(`      ${a.move === null ? 'no move' : a.name}: ${pctInterval(a.p)} (${diff(a)})`);
  return out;
}

function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line !== '' && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** The debrief as Markdown. */
export function renderDebriefMarkdown(ds: readonly Debrief[], options: { game?: string[] } = {}): string {
  const out: string[] = [];
  const mdTable = (rows: readonly (readonly string[])[]) => {
    const [head, ...body] = rows;
    if (head === undefined) return [];
    const esc = (c: string) => c.replace(/\|/g, '\\|');
    return [`| ${head.map(esc).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.map(esc).join(' | ')} |`), ''];
  };
  if (ds.length > 1) out.push(`# ${ds.length} games side by side`, '', ...mdTable(gamesTable(ds, options.game)));
  ds.forEach((d, i) => {
    const st = d.story.status;
    out.push(`${ds.length > 1 ? '##' : '#'} Debrief${ds.length > 1 ? ` — game ${i + 1}` : ''}: ${st.scenario.title}`, '');
    out.push(`Seed \`${st.seed}\` · teams ${st.teams.join(', ') || 'none'} · ${st.played} of ${st.turns} turns · ${d.runs} runs per comparison`, '');
    out.push(`### Where the game sits among ${d.runs} policy runs`, '');
    out.push(...mdTable([['scope', 'game peak', 'policy runs that peaked lower · same · higher', 'P(peak ≥ game peak)'], ...d.positions.map((p) => [p.name, p.peak ?? '—', sharesAround(p.below, p.atOrBelow), p.atLeast === null ? '—' : pctInterval(p.atLeast)])]));
    if (d.objectives.length > 0) {
      out.push('### Objectives', '', ...mdTable([['team', 'objective', 'game', 'policy runs'], ...d.objectives.map((o) => [o.actor, o.description, o.holds ? 'met' : 'not met', pctInterval(o.rate)])]));
    }
    out.push(`### Decisions that mattered most (${d.headline.label})`, '');
    if (d.ranked.length === 0) out.push('No decision changed it.', '');
    d.ranked.forEach((r, k) => out.push(`${k + 1}. ${capital(r.sentence)} (${diff(bestOf(r))})`));
    out.push('', `_${CAVEAT}_`, '');
    out.push('### Every decision', '', ...mdTable([['date', 'team', 'chose', `as played`, 'policy instead', 'alternatives'], ...d.decisions.map((x) => [x.date, x.actor, x.chosen ?? 'no move', pctInterval(x.asPlayed), pctInterval(x.policy.p), x.alternatives.map((a) => `${a.name}: ${pctInterval(a.p)}`).join('; ')])]));
    out.push('### The game', '', '```', renderGameStory(d.story).trimEnd(), '```', '');
  });
  return `${out.join('\n')}\n`;
}

/** One bar with its interval, for the HTML charts. */
function bars(rows: ReadonlyArray<{ label: string; p: Proportion; emphasis?: boolean }>, width = 560): string {
  const left = 220;
  const row = 22;
  const h = rows.length * row + 24;
  const x = (v: number) => left + v * (width - left - 50);
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${h}" role="img" font-family="system-ui, sans-serif" font-size="12">`];
  for (const v of [0, 0.25, 0.5, 0.75, 1]) parts.push(`<line x1="${x(v)}" x2="${x(v)}" y1="0" y2="${h - 18}" stroke="#ddd"/><text x="${x(v)}" y="${h - 4}" text-anchor="middle" fill="#666">${v * 100}%</text>`);
  rows.forEach((r, i) => {
    const y = i * row + 4;
    parts.push(`<text x="${left - 8}" y="${y + 13}" text-anchor="end"${r.emphasis === true ? ' font-weight="bold"' : ''}>${escapeHtml(r.label)}</text>`);
    parts.push(`<rect x="${left}" y="${y + 3}" width="${Math.max(0, x(r.p.p) - left)}" height="12" fill="${r.emphasis === true ? '#c0392b' : '#7f8c8d'}"/>`);
    parts.push(`<line x1="${x(r.p.low)}" x2="${x(r.p.high)}" y1="${y + 9}" y2="${y + 9}" stroke="#222" stroke-width="1.5"/>`);
    parts.push(`<text x="${x(r.p.high) + 6}" y="${y + 13}" fill="#222">${pct(r.p.p)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** The debrief as one offline HTML page (no script, no external resource). */
export function renderDebriefHtml(ds: readonly Debrief[], options: { game?: string[] } = {}): string {
  const body: string[] = [];
  const htmlTable = (rows: readonly (readonly string[])[]) => {
    const [head, ...rest] = rows;
    if (head === undefined) return '';
    return `<table><thead><tr>${head.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${rest.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  };
  if (ds.length > 1) body.push(`<h1>${ds.length} games side by side</h1>`, htmlTable(gamesTable(ds, options.game)));
  ds.forEach((d, i) => {
    const st = d.story.status;
    body.push(`<section><h1>Debrief${ds.length > 1 ? ` — game ${i + 1}` : ''}: ${escapeHtml(st.scenario.title)}</h1>`);
    body.push(`<p class="meta">Seed <code>${escapeHtml(st.seed)}</code> · teams ${escapeHtml(st.teams.join(', ') || 'none')} · ${st.played} of ${st.turns} turns · ${d.runs} runs per comparison</p>`);
    body.push(`<h2>Where the game sits among ${d.runs} policy runs from the same start</h2>`);
    body.push(htmlTable([['scope', 'game peak', 'policy runs that peaked lower · same · higher', 'P(peak ≥ game peak)'], ...d.positions.map((p) => [p.name, p.peak ?? '—', sharesAround(p.below, p.atOrBelow), p.atLeast === null ? '—' : pctInterval(p.atLeast)])]));
    if (d.objectives.length > 0) {
      body.push('<h2>Objectives</h2>');
      body.push(htmlTable([['team', 'objective', 'this game', 'policy runs'], ...d.objectives.map((o) => [o.actor, o.description, o.holds ? '✓ met' : '✗ not met', pctInterval(o.rate)])]));
    }
    body.push(`<h2>Decisions that mattered most</h2><p>Measured by ${escapeHtml(d.headline.label)}; the policy's runs from the start: ${escapeHtml(pctInterval(d.headline.policyRate))}.</p>`);
    if (d.ranked.length === 0) body.push('<p>No decision changed it.</p>');
    body.push('<ol class="ranked">');
    for (const r of d.ranked) {
      body.push(`<li><p>${escapeHtml(capital(r.sentence))} (${escapeHtml(diff(bestOf(r)))}).</p>`);
      body.push(bars([{ label: `as played: ${r.chosen ?? 'no move'}`, p: r.asPlayed, emphasis: true }, { label: 'policy instead', p: r.policy.p }, ...r.alternatives.map((a) => ({ label: a.move === null ? 'no move' : a.name, p: a.p }))]));
      body.push('</li>');
    }
    body.push('</ol>', `<p class="caveat">${escapeHtml(CAVEAT)}</p>`);
    body.push('<h2>Every decision</h2>');
    body.push(htmlTable([['date', 'team', 'chose', 'as played', 'policy instead', 'alternatives'], ...d.decisions.map((x) => [x.date, x.actor, x.chosen ?? 'no move', pctInterval(x.asPlayed), pctInterval(x.policy.p), x.alternatives.map((a) => `${a.name}: ${pctInterval(a.p)}`).join('; ')])]));
    body.push('<h2>The game, turn by turn</h2>', `<pre>${escapeHtml(renderGameStory(d.story))}</pre></section>`);
  });
  const css =
    'body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}th{background:#f4f4f4}pre{background:#f8f8f8;padding:1em;overflow-x:auto;font-size:12px}.meta,.caveat{color:#555}ol.ranked li{margin-bottom:1em}h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.6em}';
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Debrief — ${escapeHtml(ds[0]?.story.status.scenario.title ?? '')}</title><style>${css}</style></head><body>${body.join('\n')}</body></html>\n`;
}

/** Where the game's peak sits among the policy runs: the shares that peaked lower, the same and higher. */
function sharesAround(below: number, atOrBelow: number): string {
  return `${pct(below)} · ${pct(atOrBelow - below)} · ${pct(1 - atOrBelow)}`;
}
