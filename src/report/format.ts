/**
 * Decimals that show a share in percent with at least two significant digits (one decimal from 1%
 * up): 0.45 → 1 (`45.0%`), 0.005 → 2 (`0.50%`), 0.00033 → 3 (`0.033%`); at most 6. Zero takes 1.
 */
export function shareDecimals(x: number): number {
  const percent = Math.abs(x) * 100;
  if (!(percent > 0) || percent >= 1) return 1;
  return Math.min(6, Math.max(1, 1 - Math.floor(Math.log10(percent))));
}

/** `12.3%`, `0.50%`, `0.033%`: rare shares keep two significant digits (#16); `digits` forces the decimals. */
export function pct(x: number, digits = shareDecimals(x)): string {
  return `${(x * 100).toFixed(digits)}%`;
}

/** `12.3% [10.4–14.5]`, `0.033% [0.025–0.043]`, `0% [0–0.0019]`: the bounds take the estimate's decimals (the upper bound's when it is 0). */
export function pctInterval(p: { p: number; low: number; high: number }): string {
  if (p.p === 0 && p.high > 0 && p.high < 0.01) return `0% [0–${(p.high * 100).toFixed(shareDecimals(p.high))}]`;
  const digits = shareDecimals(p.p > 0 ? p.p : p.high);
  return `${pct(p.p, digits)} [${(p.low * 100).toFixed(digits)}–${(p.high * 100).toFixed(digits)}]`;
}

/** Lays out rows as left-aligned columns separated by two spaces; trailing spaces trimmed. */
export function table(rows: ReadonlyArray<readonly string[]>, align: ReadonlyArray<'l' | 'r'> = []): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  return rows.map((r) =>
    r
      .map((c, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - [...c].length);
        return align[i] === 'r' ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}

/** The header line every report starts with. */
export function headline(meta: {
  scenario: { id: string; title: string; hash: string };
  seed: string;
  runs: number;
  engine: string;
  version: string;
  turns: number;
  firstDate: string;
  lastDate: string;
}): string[] {
  return [
    `${meta.scenario.title} (${meta.scenario.id})`,
    `Brink ${meta.version} · scenario ${meta.scenario.hash.slice(0, 19)} · seed ${meta.seed} · ${meta.runs} run${meta.runs === 1 ? '' : 's'} · engine ${meta.engine} · ${meta.turns} turns (${meta.firstDate} – ${meta.lastDate})`,
  ];
}

/** `chance 45%, base 30%, 2 modifiers`: how likely a chosen move was that turn (empty when unknown). */
export function chanceText(chance: { probability: number; base: number; modifiers: number; unclamped?: number } | undefined): string {
  if (chance === undefined) return '';
  const mods = chance.modifiers === 0 ? '' : `, ${chance.modifiers} modifier${chance.modifiers === 1 ? '' : 's'}`;
  // A probability computed past 1 is clamped: say so, or "base 120%" reads as a bug.
  const clamp = chance.unclamped === undefined ? '' : ` (probability ${Math.round(chance.unclamped * 1000) / 1000} → clamped to 100%)`;
  return `chance ${pct(chance.probability)} that turn${clamp}, base ${pct(chance.base)}${mods}`;
}
