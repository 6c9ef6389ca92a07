import { CST, Parser, type YAMLError } from 'yaml';

/**
 * Where to point for a YAML syntax error: the offset of the mistake a person fixes. The parser reports where
 * it *noticed* the problem, which is often somewhere else:
 * - a quote or a flow collection (`[…]`, `{…}`) left open is noticed at the end of the file or at the next
 *   key: point at where it opens;
 * - a key that runs over two lines is noticed where it starts: when it starts its line, that line lacks its
 *   colon; when it started as a value (`type: local` then an over-indented `port: 1`), one of its two lines
 *   is out of step;
 * - a line out of step (indented unlike its siblings) is noticed at the first line after it that does not
 *   fit: of the candidate lines, point at the one whose indentation the fewest lines of the file share;
 * - a plain line with no colon at the top (`profile local`) is noticed at the next key: point at it;
 * - an error on the whitespace between tokens belongs to the next token, and one at the end of the file to
 *   the last line with content (never to the line past the last newline).
 */
export function syntaxErrorOffset(text: string, error: YAMLError): number {
  const at = error.pos[0];
  const cst = scan(text);
  if (error.code === 'MISSING_CHAR' || error.code === 'BAD_INDENT') {
    const open = cst.open
      .filter((o) => o.start < at && at <= skipForward(text, o.end))
      .sort((a, b) => b.start - a.start)[0];
    if (open) return open.start;
  }
  const next = skipForward(text, at);
  if (next >= text.length) return lastContent(text, at);
  const lines = contentLines(text);
  const line = (offset: number) => lines.find((l) => l.start <= offset && offset < l.end);
  const implicitKey = error.code === 'BLOCK_AS_IMPLICIT_KEY' || error.code === 'MULTILINE_IMPLICIT_KEY';
  if (implicitKey) {
    const colon = cst.colonAfterKey.get(next);
    if (colon !== undefined && !startsLine(text, next)) return outOfStep(lines, colon, [line(next)]);
  }
  if (cst.topScalar !== undefined && next > cst.topScalar) return cst.topScalar;
  if (
    (implicitKey || error.code === 'BAD_INDENT' || error.code === 'UNEXPECTED_TOKEN') &&
    startsLine(text, next)
  ) {
    const here = lines.findIndex((l) => l.start <= next && next < l.end);
    const first = cst.blockStart.get(next);
    return outOfStep(lines, next, [lines[here - 1], first === undefined ? undefined : line(first)]);
  }
  return next;
}

interface Scanned {
  /** Quoted scalars and flow collections that never close: where each starts and where its text ends. */
  readonly open: { readonly start: number; readonly end: number }[];
  /** For each implicit key, by its offset, the offset of the `:` after it. */
  readonly colonAfterKey: Map<number, number>;
  /** For each item of a block collection after its first, by the item's offset, where the first item is. */
  readonly blockStart: Map<number, number>;
  /** Where the document is a lone plain or quoted scalar, its offset. */
  readonly topScalar: number | undefined;
}

function scan(text: string): Scanned {
  const open: Scanned['open'] = [];
  const colonAfterKey = new Map<number, number>();
  const blockStart = new Map<number, number>();
  let topScalar: number | undefined;
  const note = (token: CST.Token | null | undefined) => {
    if (token && isUnclosed(token))
      open.push({ start: token.offset, end: token.offset + CST.stringify(token).length });
  };
  for (const token of new Parser().parse(text)) {
    if (token.type !== 'document') continue;
    note(token.value);
    if (token.value && CST.isScalar(token.value)) topScalar = token.value.offset;
    CST.visit(token, (item, path) => {
      note(item.key);
      note(item.value);
      const colon = item.sep?.find((t) => t.type === 'map-value-ind');
      if (item.key && colon) colonAfterKey.set(item.key.offset, colon.offset);
      const parent = path.length > 0 ? CST.visit.parentCollection(token, path) : undefined;
      if (parent?.type === 'block-map' || parent?.type === 'block-seq') {
        const offset = itemOffset(item);
        if (offset !== undefined && offset !== parent.offset) blockStart.set(offset, parent.offset);
      }
    });
  }
  return { open, colonAfterKey, blockStart, topScalar };
}

/** Where an item of a block collection starts: its `-` or `?`, else its key, else its value. */
function itemOffset(item: CST.CollectionItem): number | undefined {
  const indicator = item.start.find((t) => t.type === 'seq-item-ind' || t.type === 'explicit-key-ind');
  return indicator?.offset ?? item.key?.offset ?? item.value?.offset;
}

function isUnclosed(token: CST.Token): boolean {
  if (token.type === 'double-quoted-scalar')
    // Closed when it ends in a quote that no backslash escapes.
    return !/^"(?:[^"\\]|\\[\s\S])*"$/.test(token.source);
  if (token.type === 'single-quoted-scalar') return !/^'(?:[^']|'')*'$/.test(token.source);
  if (token.type === 'flow-collection') {
    const close = token.start.type === 'flow-seq-start' ? 'flow-seq-end' : 'flow-map-end';
    return !token.end.some((t) => t.type === close);
  }
  return false;
}

/**
 * The line at `offset` (where the parser stopped), unless its indentation is one several lines of the file
 * use and one of the other candidates is indented like no other line: that one is out of step.
 */
function outOfStep(
  lines: readonly ContentLine[],
  offset: number,
  others: (ContentLine | undefined)[],
): number {
  const uses = new Map<number, number>();
  for (const l of lines) uses.set(l.indent, (uses.get(l.indent) ?? 0) + 1);
  const count = (l: ContentLine) => uses.get(l.indent) ?? 0;
  const here = lines.find((l) => l.start <= offset && offset < l.end);
  if (!here || count(here) < 3) return offset;
  const odd = others.find((l) => l && l !== here && count(l) === 1);
  return odd ? odd.start + odd.indent : offset;
}

interface ContentLine {
  readonly start: number;
  readonly end: number;
  readonly indent: number;
}

/** The lines that hold something besides whitespace and a comment, with their indentation. */
function contentLines(text: string): ContentLine[] {
  const lines: ContentLine[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    const body = line.replace(/^\ufeff/, '');
    const content = body.trim();
    if (content !== '' && !content.startsWith('#')) {
      const indent = line.length - line.trimStart().length;
      lines.push({ start, end: start + line.length + 1, indent });
    }
    start += line.length + 1;
  }
  return lines;
}

/** The first offset at or after `from` that is not whitespace, a line end or a comment. */
function skipForward(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\ufeff') i++;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] as string))) {
      while (i < text.length && text[i] !== '\n') i++;
    } else break;
  }
  return i;
}

/** The start of the content of the last line at or before `from` with something besides a comment. */
function lastContent(text: string, from: number): number {
  const before = contentLines(text).filter((l) => l.start <= from);
  const last = before[before.length - 1];
  return last ? last.start + last.indent : 0;
}

/** Whether only indentation (and sequence or explicit-key indicators) comes before `offset` on its line. */
function startsLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^\ufeff?[ \t]*(?:[-?][ \t]+)*$/.test(text.slice(lineStart, offset));
}
