import { createColors } from 'picocolors';

/** ANSI styles, or identity functions when colour is off. */
export type Colours = ReturnType<typeof createColors>;

/**
 * Whether to colour a stream: never when NO_COLOR is set (and not empty); always when FORCE_COLOR is
 * set to anything but 0 (FORCE_COLOR=0 turns it off); otherwise only on a terminal that is not
 * TERM=dumb — never when piped or redirected, whatever CI says.
 */
export function colourEnabled(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return isTTY && env.TERM !== 'dumb';
}

export function colours(enabled: boolean): Colours {
  return createColors(enabled);
}

/** A problem line (`file:line:col path: message`): the place in bold, errors red, warnings yellow. */
export function paintProblem(line: string, severity: 'error' | 'warning', c: Colours): string {
  const colour = severity === 'warning' ? c.yellow : c.red;
  const end = line.endsWith('\n') ? '\n' : '';
  const body = end === '' ? line : line.slice(0, -1);
  const m = /^(\S+:\d+:\d+ |\S+: )(.*)$/s.exec(body);
  return `${m === null ? colour(body) : `${c.bold(m[1] as string)}${colour(m[2] as string)}`}${end}`;
}

/** A failure message: `error:` in red wherever a line says it, the rest as it is. */
export function paintFailure(text: string, c: Colours): string {
  return text.replace(/(^|: )(error:)/gm, (_, before: string, word: string) => `${before}${c.bold(c.red(word))}`);
}

/**
 * A text report, coloured by rung severity: each rung id of the scenario's ladder (lowest to highest)
 * green in the lower third, yellow in the middle, red in the top third (bold in the top tenth); the
 * title line in bold. Colour codes take no width, so the report's columns stay aligned.
 */
export function paintReport(text: string, rungIds: readonly string[], c: Colours): string {
  if (rungIds.length === 0) return text;
  const last = Math.max(1, rungIds.length - 1);
  const style = new Map(
    rungIds.map((id, i) => {
      const f = i / last;
      return [id, f < 1 / 3 ? c.green : f < 2 / 3 ? c.yellow : f < 0.9 ? c.red : (s: string) => c.bold(c.red(s))] as const;
    }),
  );
  const pattern = new RegExp(`(?<![\\w-])(${[...rungIds].sort((a, b) => b.length - a.length).map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![\\w-])`, 'g');
  const [title = '', ...rest] = text.split('\n');
  return [c.bold(title), ...rest.map((line) => line.replace(pattern, (id) => (style.get(id) ?? String)(id)))].join('\n');
}
