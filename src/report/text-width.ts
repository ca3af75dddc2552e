// Advance widths of a Helvetica-like sans-serif, in em (Arial's metrics); other characters take 0.6 em.
const LOWER = [0.556, 0.556, 0.5, 0.556, 0.556, 0.278, 0.556, 0.556, 0.222, 0.222, 0.5, 0.222, 0.833, 0.556, 0.556, 0.556, 0.556, 0.333, 0.5, 0.278, 0.556, 0.5, 0.722, 0.5, 0.5, 0.5];
const UPPER = [0.667, 0.667, 0.722, 0.722, 0.667, 0.611, 0.778, 0.722, 0.278, 0.5, 0.667, 0.556, 0.833, 0.722, 0.778, 0.667, 0.778, 0.722, 0.667, 0.611, 0.722, 0.667, 0.944, 0.667, 0.667, 0.611];
const OTHER: Record<string, number> = { ' ': 0.278, _: 0.556, '(': 0.333, ')': 0.333, ',': 0.278, '.': 0.278, ':': 0.278, '-': 0.333, '%': 0.889, '·': 0.278, '→': 1, '↻': 1, '▲': 0.8, '[': 0.278, ']': 0.278, '/': 0.278 };

/**
 * The width in pixels a line of text is given in the SVG diagrams, at `size` px: Arial's advance widths
 * plus 6% for wider fallback fonts. The SVG holds each text to this width (`textLength`), so a layout
 * computed from it never overlaps whatever font the reader has. Pure.
 */
export function textWidth(text: string, size: number): number {
  let em = 0;
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c >= 97 && c <= 122) em += LOWER[c - 97] as number;
    else if (c >= 65 && c <= 90) em += UPPER[c - 65] as number;
    else if (c >= 48 && c <= 57) em += 0.556;
    else em += OTHER[ch] ?? 0.6;
  }
  return Math.ceil(em * size * 1.06 * 10) / 10;
}
