/** `12.3%` */
export function pct(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)}%`;
}

/** `12.3% [10.4–14.5]` */
export function pctInterval(p: { p: number; low: number; high: number }): string {
  return `${pct(p.p)} [${(p.low * 100).toFixed(1)}–${(p.high * 100).toFixed(1)}]`;
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
