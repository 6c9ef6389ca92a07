/**
 * Text in a journey map's SVG: the fonts, text measured without a browser, labels wrapped and cut to fit
 * a node, and the escaping and number formats that keep the output short and stable.
 */

/** A font size with the metrics text is measured by. */
export interface Font {
  readonly size: number;
  /** Approximate advance of one character: text is measured without a browser. */
  readonly char: number;
  readonly line: number;
}

/** Node labels. */
export const FONT: Font = { size: 13, char: 7.2, line: 17 };
/** The lines under a label (channels, outcomes) and the badge's `at N now`. */
export const SMALL: Font = { size: 11, char: 6.1, line: 14 };
/** Edge labels. */
export const EDGE_FONT: Font = { size: 11.5, char: 6.4, line: 15 };
/** The system's UI font: the SVG embeds none. */
export const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
/** Widest text line in a node, in characters (about 216 px at 13 px). */
export const MAX_CHARS = 30;
const MAX_LINES = 3;

/** Escapes text for XML content and double- or single-quoted attributes. */
export function escapeXml(text: string): string {
  return (
    text
      // Control characters are not allowed in XML 1.0 at all, not even escaped: they are dropped.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
      .replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
  );
}

/** A coordinate with at most one decimal, so output stays short and stable. */
export const num = (n: number): string => {
  const r = Math.round(n * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
};

/** `1234567` → `1,234,567`, independent of the machine's locale. */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A text's approximate width in px. */
export const textWidth = (text: string, font: Font): number => [...text].length * font.char;

/**
 * A width rounded up to 16 px, for what grows with live counts: a dashboard redraws the map every few
 * seconds, and the layout should not shift each time a number gains a digit.
 */
export const steady = (width: number): number => Math.ceil(width / 16) * 16;

/** Text cut to `maxChars`, with an ellipsis when it was longer. */
export function cut(text: string, maxChars: number): string {
  const chars = [...text];
  return chars.length <= maxChars ? text : `${chars.slice(0, maxChars - 1).join('')}…`;
}

/** Breaks a word longer than a line after a `-`, `.`, `/` or `_` when one is near the end, else hard. */
function breakWord(word: string, maxChars: number): string[] {
  const parts: string[] = [];
  let rest = [...word];
  while (rest.length > maxChars) {
    const head = rest.slice(0, maxChars);
    const sep = Math.max(...['-', '.', '/', '_'].map((s) => head.lastIndexOf(s)));
    const at = sep >= maxChars / 2 ? sep + 1 : maxChars;
    parts.push(rest.slice(0, at).join(''));
    rest = rest.slice(at);
  }
  parts.push(rest.join(''));
  return parts;
}

/** Greedy word wrap; `breaks` counts the words that had to be broken. */
function wrapGreedy(text: string, maxChars: number): { lines: string[]; breaks: number } {
  // A piece of a broken word joins the piece before it without a space.
  const pieces = text
    .trim()
    .split(/\s+/)
    .flatMap((w) => breakWord(w, maxChars).map((piece, i) => ({ piece, glue: i > 0 })));
  const lines: string[] = [];
  const joined = (line: string, p: { piece: string; glue: boolean }) =>
    `${line}${p.glue ? '' : ' '}${p.piece}`;
  for (const p of pieces) {
    const last = lines[lines.length - 1];
    if (last !== undefined && [...joined(last, p)].length <= maxChars)
      lines[lines.length - 1] = joined(last, p);
    else lines.push(p.piece);
  }
  return { lines, breaks: pieces.filter((p) => p.glue).length };
}

/**
 * Wraps text to at most `maxChars` per line and `maxLines` lines, the last line cut with an ellipsis when
 * the text does not fit. Lines are balanced: the narrowest width that needs no more lines and breaks no
 * more words, so a two-line label reads as two similar lines rather than a long one and a short one.
 */
export function wrapText(text: string, maxChars = MAX_CHARS, maxLines = MAX_LINES): string[] {
  const greedy = wrapGreedy(text, maxChars);
  if (greedy.lines.length > maxLines) {
    const kept = greedy.lines.slice(0, maxLines);
    const last = [...(kept[maxLines - 1] ?? '')];
    kept[maxLines - 1] = `${last.slice(0, maxChars - 1).join('')}…`;
    return kept;
  }
  let best = greedy.lines;
  for (let width = maxChars - 1; width >= 4 && best.length > 1; width--) {
    const next = wrapGreedy(text, width);
    if (next.lines.length > greedy.lines.length || next.breaks > greedy.breaks) break;
    best = next.lines;
  }
  return best;
}
