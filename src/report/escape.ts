/** Escapes text for HTML and SVG content and attribute values. Pure. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

// Control characters a terminal would act on: C0 but tab and line feed, DEL, C1, the bidirectional
// overrides and isolates (text that reads other than it runs), and the Unicode line separators.
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** `\x1b`, `\u202e`: a visible, inert spelling of a control character. */
function spell(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * The terminal's escaping policy: every control character a terminal would act on (escape sequences,
 * carriage returns, bells, C1 codes, bidirectional overrides) is spelled out visibly (`\x1b`), so names
 * from a scenario can neither colour, move the cursor, retitle the window nor hide text. Tab and line
 * feed stay. Pure.
 */
export function escapeTerminal(text: string): string {
  return text.replace(TERMINAL_UNSAFE, spell);
}

/** JSON text with DEL, C1 and the line separators written as `\u` escapes too (JSON.stringify leaves them raw). Same value. */
export function escapeJsonControls(json: string): string {
  return json.replace(/[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Markdown's escaping policy for text from a scenario placed in a paragraph or a table cell: markup
 * characters are backslash-escaped, `<`, `>` and `&` become entities (no raw HTML such as `<script>`),
 * line breaks become spaces (a newline would end a table row or open a block) and `|` is escaped (a
 * cell stays one cell). Control characters are spelled out as for a terminal. Pure.
 */
export function escapeMarkdown(text: string): string {
  return escapeTerminal(text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+!|~$]/g, (c) => `\\${c}`);
}

/**
 * Mermaid's escaping policy for a label inside double quotes: quotes, `#`, `%`, `;`, brackets and
 * angle brackets become Mermaid's `#code;` entities and line breaks become spaces, so a name can
 * neither close the label, start a `%%{init}%%` directive nor add a statement. Pure.
 */
export function escapeMermaidLabel(text: string): string {
  return escapeTerminal(text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')).replace(/["#%;<>{}[\]`|\\]/g, (c) => `#${c.charCodeAt(0)};`);
}

/**
 * Markdown text whose inline markup is intended (a caption, a paragraph of Brink's own words with
 * names in it): only what could break the block or inject HTML is escaped — line breaks become spaces,
 * `<`, `>` become entities — and control characters are spelled out. Pure.
 */
export function escapeMarkdownText(text: string): string {
  return escapeTerminal(text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')).replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A Markdown table cell: as escapeMarkdownText, and `|` escaped so a cell stays one cell. Pure. */
export function escapeMarkdownCell(text: string): string {
  return escapeMarkdownText(text).replace(/\|/g, '\\|');
}
