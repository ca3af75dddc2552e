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

/** A number as a modifier's effect shows it: at most 4 decimals, at least 2 for an amount (`0.10`). */
function amount(v: number, pad: boolean): string {
  const text = String(Math.round(v * 10000) / 10000);
  if (!pad) return text;
  const [whole, decimals = ''] = text.split('.');
  return decimals.length >= 2 ? text : `${whole}.${decimals.padEnd(2, '0')}`;
}

/** A modifier's effect: `+0.10`, `-0.05`, `×2`, `set 0.5`. */
export function modifierEffectText(m: { kind: 'add' | 'multiply' | 'set'; value: number }): string {
  switch (m.kind) {
    case 'add':
      return `${m.value < 0 ? '-' : '+'}${amount(Math.abs(m.value), true)}`;
    case 'multiply':
      return `×${amount(m.value, false)}`;
    case 'set':
      return `set ${amount(m.value, false)}`;
  }
}

/**
 * How likely a chosen move was that turn and why (empty when unknown): `chance 45% that turn, base
 * 30%: ×1.5 (drills serve the distraction strategy)`; `…, none of its 2 modifiers applied`. Says when
 * the modifiers' result was clamped to [0, 1], and when the actor's moves together weighed more than 1
 * and were scaled down.
 */
export function chanceText(
  chance: { probability: number; base: number; modifiers: number; unclamped?: number; applied?: ReadonlyArray<{ kind: 'add' | 'multiply' | 'set'; value: number; reason: string }> } | undefined,
): string {
  if (chance === undefined) return '';
  const head = `chance ${pct(chance.probability)} that turn, base ${pct(chance.base)}`;
  const applied = chance.applied;
  if (applied === undefined) {
    const clamp = chance.unclamped === undefined ? '' : `, probability ${amount(chance.unclamped, false)} → clamped to 100%`;
    return `${head}${chance.modifiers === 0 ? '' : `, ${chance.modifiers} modifier${chance.modifiers === 1 ? '' : 's'}`}${clamp}`;
  }
  let raw = chance.base;
  for (const m of applied) raw = m.kind === 'add' ? raw + m.value : m.kind === 'multiply' ? raw * m.value : m.value;
  const clamped = raw < 0 ? 0 : raw > 1 ? 1 : raw;
  const notes = [
    ...(raw === clamped ? [] : [`probability ${amount(raw, false)} → clamped to ${pct(clamped)}`]),
    ...(Math.abs(clamped - chance.probability) > 1e-9 ? [`scaled with the actor's other moves from ${pct(clamped)}`] : []),
  ];
  const tail = notes.length === 0 ? '' : `, ${notes.join(', ')}`;
  if (applied.length === 0) return `${head}${chance.modifiers === 0 ? '' : chance.modifiers === 1 ? ', its modifier did not apply' : `, none of its ${chance.modifiers} modifiers applied`}${tail}`;
  return `${head}: ${applied.map((m) => `${modifierEffectText(m)}${m.reason === '' ? '' : ` (${m.reason})`}`).join('; ')}${tail}`;
}

/** `reaction to #3 L TEST (a 30% chance)`: why a reaction happened, with its chance when a chance reaction emitted it. */
export function reactionText(cause: { id: number; actor: string; act: string } | null, chance: { probability: number; base: number; modifiers: number } | undefined): string {
  const to = cause === null ? 'a reaction' : `reaction to #${cause.id} ${cause.actor} ${cause.act}`;
  if (chance === undefined) return to;
  const mods = chance.modifiers === 0 || chance.probability === chance.base ? '' : `; base ${pct(chance.base)}, ${chance.modifiers} modifier${chance.modifiers === 1 ? '' : 's'}`;
  return `${to} (a ${pct(chance.probability)} chance${mods})`;
}
