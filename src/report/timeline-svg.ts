import type { RunReport } from '../analysis/run-report.ts';
import { rungColour } from './chart-options.ts';
import { escapeHtml } from './escape.ts';
import { textWidth } from './text-width.ts';

/**
 * One run's acts on a time axis: a row per actor (in file order), a column per turn, a dot per act
 * coloured by its rung on the ordered rung scale; acts on the pathway are outlined, ladder steps drawn
 * as triangles. Every mark carries its tooltip (`data-tip`). Same report, same bytes. Pure.
 */
export function renderTimelineSvg(r: RunReport, actors: readonly string[], ladder: ReadonlyArray<{ readonly id: string }>, turns: number, turnLabels: readonly string[]): string {
  const rungIndex = new Map(ladder.map((x, i) => [x.id, i]));
  const onPathway = new Set(r.pathway.map((a) => a.id));
  const rows = actors.filter((id) => r.acts.some((a) => a.actor === id));
  const left = Math.ceil(Math.max(40, ...rows.map((id) => textWidth(id, 12))) + 12);
  const perTurn = new Map<string, number>();
  for (const a of r.acts) perTurn.set(`${a.actor}\u0000${a.turn}`, (perTurn.get(`${a.actor}\u0000${a.turn}`) ?? 0) + 1);
  const crowd = Math.max(1, ...perTurn.values());
  const colW = Math.max(9 * crowd + 6, Math.floor((1000 - left) / Math.max(1, turns)));
  const rowH = 22;
  const top = 8;
  const width = left + turns * colW + 10;
  const height = top + rows.length * rowH + 34;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Timeline of run ${escapeHtml(r.meta.seed)}" class="timeline">`,
  ];
  rows.forEach((id, i) => {
    const y = top + i * rowH;
    if (i % 2 === 0) out.push(`<rect x="${left}" y="${y}" width="${turns * colW}" height="${rowH}" class="tl-band"/>`);
    out.push(`<text x="${left - 6}" y="${y + 15}" text-anchor="end" class="tl-actor">${escapeHtml(id)}</text>`);
  });
  const labelEvery = Math.max(1, Math.ceil(50 / colW));
  for (let t = 1; t <= turns; t++) {
    const x = left + (t - 0.5) * colW;
    if ((t - 1) % labelEvery === 0) {
      out.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${top + rows.length * rowH + 3}" class="tl-tick"/>`);
      out.push(`<text x="${x}" y="${top + rows.length * rowH + 15}" text-anchor="middle" class="tl-turn">${escapeHtml(String(t))}</text>`);
    }
  }
  out.push(`<text x="${left}" y="${height - 3}" class="tl-turn">turn (${escapeHtml(turnLabels[0] ?? '1')} – ${escapeHtml(turnLabels[turns - 1] ?? String(turns))})</text>`);
  const placed = new Map<string, number>();
  for (const a of r.acts) {
    const row = rows.indexOf(a.actor);
    if (row < 0) continue;
    const key = `${a.actor}\u0000${a.turn}`;
    const k = placed.get(key) ?? 0;
    placed.set(key, k + 1);
    const n = perTurn.get(key) ?? 1;
    const x = Math.round((left + (a.turn - 1) * colW + (colW * (k + 0.5)) / n) * 10) / 10;
    const y = top + row * rowH + 11;
    const colour = rungColour(rungIndex.get(a.rung) ?? 0, ladder.length);
    const tip = escapeHtml(
      `turn ${a.turn} · ${a.date}\n${a.step ? '▲ ' : ''}${a.actor} ${a.act}${a.against.length > 0 ? ` → ${a.against.join(', ')}` : ''}\n${a.rung} ${a.rungName}${onPathway.has(a.id) ? ' · on the pathway' : ''}`,
    );
    const cls = onPathway.has(a.id) ? 'tl-act path' : 'tl-act';
    if (a.step) out.push(`<path d="M${x} ${y - 6}L${x + 6} ${y + 5}L${x - 6} ${y + 5}Z" fill="${colour}" class="${cls}" data-tip="${tip}"/>`);
    else out.push(`<circle cx="${x}" cy="${y}" r="${onPathway.has(a.id) ? 4.5 : 3.5}" fill="${colour}" class="${cls}" data-tip="${tip}"/>`);
  }
  out.push('</svg>');
  return out.join('');
}
