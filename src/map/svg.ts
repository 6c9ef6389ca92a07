import { Graph, layout, type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import type { JourneyMap, MapCounts, MapEdge, MapNode, MapNodeKind, NodeCount } from './types';

/**
 * Draws a {@link JourneyMap} as a standalone SVG string: laid out top to bottom by dagre, one shape per
 * node kind, live counts drawn on nodes and edges when given. Pure and deterministic (the same map and
 * counts give the same bytes), with no external references, so a dashboard can inline it and redraw it
 * every few seconds.
 */

interface Font {
  readonly size: number;
  /** Approximate advance of one character: text is measured without a browser. */
  readonly char: number;
  readonly line: number;
}

const FONT: Font = { size: 13, char: 7.2, line: 17 };
const SMALL: Font = { size: 11, char: 6.1, line: 14 };
const EDGE_FONT: Font = { size: 11.5, char: 6.4, line: 15 };
const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const MARGIN = 24;
const PAD_X = 14;
const PAD_Y = 9;
/** Widest text line in a node, in characters (about 216 px at 13 px). */
const MAX_CHARS = 30;
const MAX_LINES = 3;
const BADGE_H = 18;
const ICON_W = 20;
const SPLIT_BAR = 7;

type Shape = 'pill' | 'rect' | 'diamond' | 'hexagon' | 'ellipse';

interface Palette {
  readonly fill: string;
  readonly stroke: string;
  readonly text: string;
  readonly sub: string;
  readonly strokeWidth: number;
  readonly dash?: string;
}

const SHAPES = {
  start: 'pill',
  step: 'rect',
  send: 'rect',
  sleep: 'rect',
  wait: 'hexagon',
  decision: 'diamond',
  split: 'rect',
  loop: 'ellipse',
  end: 'pill',
  goal: 'pill',
} as const satisfies Record<MapNodeKind, Shape>;

const TEXT = '#1e293b';
const SUB = '#64748b';

const PALETTES = {
  start: { fill: '#4f46e5', stroke: '#4338ca', text: '#ffffff', sub: '#e0e7ff', strokeWidth: 1.5 },
  step: { fill: '#eef2ff', stroke: '#818cf8', text: TEXT, sub: '#4f46e5', strokeWidth: 1.5 },
  send: { fill: '#f0f9ff', stroke: '#7dd3fc', text: TEXT, sub: '#0369a1', strokeWidth: 1.5 },
  sleep: { fill: '#fffbeb', stroke: '#fcd34d', text: TEXT, sub: '#b45309', strokeWidth: 1.5 },
  wait: { fill: '#f5f3ff', stroke: '#c4b5fd', text: TEXT, sub: SUB, strokeWidth: 1.5 },
  decision: { fill: '#fff7ed', stroke: '#fdba74', text: TEXT, sub: SUB, strokeWidth: 1.5 },
  split: { fill: '#f0fdfa', stroke: '#5eead4', text: TEXT, sub: '#0f766e', strokeWidth: 1.5 },
  loop: { fill: '#f8fafc', stroke: '#94a3b8', text: TEXT, sub: SUB, strokeWidth: 1.5 },
  end: { fill: '#f1f5f9', stroke: '#475569', text: TEXT, sub: SUB, strokeWidth: 2.5 },
  goal: {
    fill: '#f0fdf4',
    stroke: '#22c55e',
    text: '#166534',
    sub: '#15803d',
    strokeWidth: 1.5,
    dash: '5 3',
  },
} as const satisfies Record<MapNodeKind, Palette>;

/** End nodes by outcome: the goal outcome green, `failed` red, `exited` grey, any other outcome slate. */
const END_PALETTES = {
  goal: { fill: '#dcfce7', stroke: '#16a34a', text: '#14532d', sub: '#15803d', strokeWidth: 2.5 },
  failed: { fill: '#fef2f2', stroke: '#dc2626', text: '#7f1d1d', sub: '#b91c1c', strokeWidth: 2.5 },
  exited: { fill: '#f3f4f6', stroke: '#9ca3af', text: '#4b5563', sub: '#6b7280', strokeWidth: 2.5 },
} as const satisfies Record<string, Palette>;

type EdgeStyle = 'flow' | 'goal' | 'loop' | 'unused';

const EDGE_COLORS = {
  flow: '#64748b',
  goal: '#16a34a',
  loop: '#64748b',
  unused: '#cbd5e1',
} as const satisfies Record<EdgeStyle, string>;

/** Dash and gap lengths; the gap grows with the stroke, whose round caps would otherwise close it. */
const EDGE_DASH: Partial<Record<EdgeStyle, readonly [number, number]>> = {
  goal: [6, 4],
  loop: [6, 4],
  unused: [4, 4],
};

interface Point {
  readonly x: number;
  readonly y: number;
}

interface TextLine {
  readonly text: string;
  readonly font: Font;
  readonly fill: string;
  readonly bold?: boolean;
}

interface NodeBox {
  readonly node: MapNode;
  readonly shape: Shape;
  readonly palette: Palette;
  readonly lines: readonly TextLine[];
  /** Index of the first line under the divider (steps and sends: the channel line). */
  readonly dividerBefore?: number;
  readonly count?: NodeCount;
  readonly badgeWidth: number;
  readonly contentWidth: number;
  readonly contentHeight: number;
  /** Extra room on the left of the text (the sleep clock). */
  readonly insetLeft: number;
  readonly width: number;
  readonly height: number;
}

/** Escapes text for XML content and double- or single-quoted attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A coordinate with at most one decimal, so output stays short and stable. */
const num = (n: number): string => {
  const r = Math.round(n * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
};

/** `1234567` → `1,234,567`, independent of the machine's locale. */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const textWidth = (text: string, font: Font): number => [...text].length * font.char;

/**
 * A width rounded up to 16 px, for what grows with live counts: a dashboard redraws the map every few
 * seconds, and the layout should not shift each time a number gains a digit.
 */
const steady = (width: number): number => Math.ceil(width / 16) * 16;

function cut(text: string, maxChars: number): string {
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

function paletteOf(node: MapNode, map: JourneyMap): Palette {
  if (node.kind !== 'end') return PALETTES[node.kind];
  if (node.outcome !== undefined && node.outcome === map.goalOutcome) return END_PALETTES.goal;
  if (node.outcome === 'failed') return END_PALETTES.failed;
  if (node.outcome === 'exited') return END_PALETTES.exited;
  return PALETTES.end;
}

/** The line under a step's name: its channels, then its templates (`email · cart-reminder`). */
function channelLine(node: MapNode): string | undefined {
  const parts = [node.channels?.join(', '), node.templates?.join(', ')].filter((p) => p !== undefined && p);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

const hasCount = (count: NodeCount | undefined): count is NodeCount =>
  count !== undefined && (count.passed !== undefined || (count.at ?? 0) > 0);

function badgeWidth(count: NodeCount): number {
  const passed = count.passed !== undefined ? textWidth(formatCount(count.passed), FONT) : 0;
  const at = (count.at ?? 0) > 0 ? textWidth(`at ${formatCount(count.at ?? 0)} now`, SMALL) : 0;
  return steady(passed + at + (passed && at ? 6 : 0) + 18);
}

function measureNode(node: MapNode, map: JourneyMap, counts: MapCounts | undefined): NodeBox {
  const palette = paletteOf(node, map);
  const shape = SHAPES[node.kind];
  const lines: TextLine[] = wrapText(node.label || node.kind, node.kind === 'decision' ? 20 : MAX_CHARS).map(
    (text) => ({
      text,
      font: FONT,
      fill: palette.text,
      bold: node.kind === 'step' || node.kind === 'start' || node.kind === 'end',
    }),
  );
  let dividerBefore: number | undefined;
  const channels = node.kind === 'step' || node.kind === 'send' ? channelLine(node) : undefined;
  if (channels !== undefined) {
    dividerBefore = lines.length;
    lines.push({
      text: cut(channels, Math.floor((MAX_CHARS * FONT.char) / SMALL.char)),
      font: SMALL,
      fill: palette.sub,
    });
  }
  if (node.kind === 'end' && node.outcome !== undefined && node.outcome !== node.label) {
    lines.push({ text: cut(node.outcome, MAX_CHARS), font: SMALL, fill: palette.sub });
  }
  if (node.kind === 'goal' && node.outcome !== undefined) {
    lines.push({ text: cut(`ends ${node.outcome}`, MAX_CHARS), font: SMALL, fill: palette.sub });
  }
  const count = counts?.nodes?.[node.id];
  const badge = hasCount(count) ? badgeWidth(count) : 0;
  const contentWidth = Math.max(badge, ...lines.map((l) => textWidth(l.text, l.font)));
  const contentHeight =
    lines.reduce((h, l) => h + l.font.line, 0) +
    (dividerBefore !== undefined ? 7 : 0) +
    (badge ? BADGE_H + 6 : 0);
  const insetLeft = node.kind === 'sleep' ? ICON_W : 0;
  const w = contentWidth + insetLeft + (node.kind === 'split' ? 2 * SPLIT_BAR : 0);
  const h = contentHeight;
  let width: number;
  let height: number;
  switch (shape) {
    case 'rect':
      width = Math.max(w + 2 * PAD_X, node.kind === 'step' ? 150 : 110);
      height = h + 2 * PAD_Y;
      break;
    case 'pill': {
      height = Math.max(h + 2 * PAD_Y, 34);
      const r = height / 2;
      // Room for the widest line's corners inside the rounded caps.
      const inner = Math.sqrt(Math.max((r - 4) ** 2 - (h / 2) ** 2, 0));
      width = Math.max(w + 2 * Math.max(PAD_X, r - inner), 96);
      break;
    }
    case 'diamond': {
      const b = h / 2 + 18;
      const a = (w / 2 + 6) / (1 - h / 2 / b);
      width = Math.max(2 * a, 90);
      height = 2 * b;
      break;
    }
    case 'hexagon':
      height = h + 2 * PAD_Y;
      width = Math.max(w + 2 * 10 + height * 0.6, 110);
      break;
    case 'ellipse':
      width = Math.max((w + 12) * Math.SQRT2, 80);
      height = Math.max((h + 8) * Math.SQRT2, 44);
      break;
  }
  return {
    node,
    shape,
    palette,
    lines,
    dividerBefore,
    count: hasCount(count) ? count : undefined,
    badgeWidth: badge,
    contentWidth,
    contentHeight,
    insetLeft,
    width,
    height,
  };
}

/** The node's outline around its centre, as a polygon (curves approximated), for edge end points. */
function outline(box: NodeBox): Point[] {
  const hw = box.width / 2;
  const hh = box.height / 2;
  switch (box.shape) {
    case 'rect':
      return [
        { x: -hw, y: -hh },
        { x: hw, y: -hh },
        { x: hw, y: hh },
        { x: -hw, y: hh },
      ];
    case 'diamond':
      return [
        { x: 0, y: -hh },
        { x: hw, y: 0 },
        { x: 0, y: hh },
        { x: -hw, y: 0 },
      ];
    case 'hexagon': {
      const p = box.height * 0.3;
      return [
        { x: -hw, y: 0 },
        { x: -hw + p, y: -hh },
        { x: hw - p, y: -hh },
        { x: hw, y: 0 },
        { x: hw - p, y: hh },
        { x: -hw + p, y: hh },
      ];
    }
    case 'ellipse':
      return Array.from({ length: 48 }, (_, i) => ({
        x: hw * Math.cos((i * Math.PI) / 24),
        y: hh * Math.sin((i * Math.PI) / 24),
      }));
    case 'pill': {
      const r = Math.min(hh, hw);
      const cap = (cx: number, from: number): Point[] =>
        Array.from({ length: 13 }, (_, i) => {
          const t = from + (i * Math.PI) / 12;
          return { x: cx + r * Math.cos(t), y: r * Math.sin(t) };
        });
      return [...cap(hw - r, -Math.PI / 2), ...cap(-hw + r, Math.PI / 2)];
    }
  }
}

/** Where the ray from the node's centre towards `toward` leaves its outline. */
function boundaryPoint(box: NodeBox, center: Point, toward: Point): Point {
  const dx = toward.x - center.x;
  const dy = toward.y - center.y;
  if (Math.abs(dx) < 1e-6 && Math.abs(dy) < 1e-6) return center;
  const poly = outline(box);
  let best = Infinity;
  poly.forEach((a, i) => {
    const b = poly[(i + 1) % poly.length] ?? a;
    const ex = b.x - a.x;
    const ey = b.y - a.y;
    const den = dx * ey - dy * ex;
    if (Math.abs(den) < 1e-9) return;
    const t = (a.x * ey - a.y * ex) / den;
    const u = (a.x * dy - a.y * dx) / den;
    if (t > 0 && u >= -1e-9 && u <= 1 + 1e-9) best = Math.min(best, t);
  });
  if (!Number.isFinite(best)) return center;
  return { x: center.x + dx * best, y: center.y + dy * best };
}

/** A smooth path through dagre's points: a uniform B-spline pinned at both ends (d3's `curveBasis`). */
function basisPath(points: readonly Point[]): string {
  const [first, ...rest] = points;
  if (first === undefined) return '';
  if (rest.length === 0) return `M${num(first.x)},${num(first.y)}`;
  let d = `M${num(first.x)},${num(first.y)}`;
  let p0 = first;
  let p1 = first;
  const bezier = (p: Point) => {
    d +=
      `C${num((2 * p0.x + p1.x) / 3)},${num((2 * p0.y + p1.y) / 3)} ` +
      `${num((p0.x + 2 * p1.x) / 3)},${num((p0.y + 2 * p1.y) / 3)} ` +
      `${num((p0.x + 4 * p1.x + p.x) / 6)},${num((p0.y + 4 * p1.y + p.y) / 6)}`;
  };
  rest.forEach((p, i) => {
    if (i === 0) {
      p1 = p;
      return;
    }
    if (i === 1) d += `L${num((5 * p0.x + p1.x) / 6)},${num((5 * p0.y + p1.y) / 6)}`;
    bezier(p);
    p0 = p1;
    p1 = p;
  });
  if (rest.length >= 2) bezier(p1);
  return `${d}L${num(p1.x)},${num(p1.y)}`;
}

function arrowSize(width: number): { length: number; half: number } {
  return { length: 7 + width * 0.8, half: 3.5 + width * 0.6 };
}

function markerId(style: EdgeStyle, width: number): string {
  return `jm-arrow-${style}-${num(width).replace('.', '_')}`;
}

function renderMarker(style: EdgeStyle, width: number): string {
  const { length, half } = arrowSize(width);
  return (
    `<marker id="${markerId(style, width)}" viewBox="0 0 ${num(length)} ${num(half * 2)}" ` +
    `refX="0" refY="${num(half)}" markerUnits="userSpaceOnUse" markerWidth="${num(length)}" ` +
    `markerHeight="${num(half * 2)}" orient="auto">` +
    `<path d="M0,0L${num(length)},${num(half)}L0,${num(half * 2)}z" fill="${EDGE_COLORS[style]}"/></marker>`
  );
}

function edgeStyle(edge: MapEdge, count: number | undefined): EdgeStyle {
  if (count === 0) return 'unused';
  return edge.kind ?? 'flow';
}

/**
 * Stroke width by count: 6 px for the busiest edge, 1 px for a trickle, on a log curve over the share of
 * the busiest (`log(1 + 8·share) / log 9`), so edges near the top still differ and small ones stay visible.
 * Rounded to half pixels, which keeps the number of arrowhead markers small.
 */
function strokeWidth(count: number | undefined, maxCount: number): number {
  if (count === undefined) return 1.5;
  if (count <= 0) return 1.25;
  const share = Math.min(count / Math.max(maxCount, 1), 1);
  return Math.round((1 + (5 * Math.log1p(8 * share)) / Math.log(9)) * 2) / 2;
}

function edgeLabelText(edge: MapEdge, count: number | undefined): string {
  const countText = count !== undefined ? formatCount(count) : undefined;
  return [cut(edge.label ?? '', 26), countText].filter((t) => t).join(' · ');
}

function renderBadge(box: NodeBox, cx: number, top: number): string {
  const count = box.count;
  if (count === undefined) return '';
  // One text of two spans, centred by the renderer: no measuring error between the bold and small parts.
  const passed =
    count.passed !== undefined
      ? `<tspan class="count-passed" font-weight="700" fill="${TEXT}">${formatCount(count.passed)}</tspan>`
      : '';
  const at =
    (count.at ?? 0) > 0
      ? `<tspan class="count-at" font-size="${SMALL.size}" fill="#047857"${passed ? ' dx="6"' : ''}>` +
        `at ${formatCount(count.at ?? 0)} now</tspan>`
      : '';
  return (
    `<g class="count">` +
    `<rect x="${num(cx - box.badgeWidth / 2)}" y="${num(top)}" width="${num(box.badgeWidth)}" height="${BADGE_H}" ` +
    `rx="${BADGE_H / 2}" fill="#ffffff" fill-opacity="0.92" stroke="${box.palette.stroke}" stroke-width="1"/>` +
    `<text x="${num(cx)}" y="${num(top + 13)}" text-anchor="middle">${passed}${at}</text></g>`
  );
}

function renderShape(box: NodeBox, c: Point): string {
  const { palette } = box;
  const hw = box.width / 2;
  const hh = box.height / 2;
  const paint =
    `fill="${palette.fill}" stroke="${palette.stroke}" stroke-width="${palette.strokeWidth}"` +
    (palette.dash ? ` stroke-dasharray="${palette.dash}"` : '');
  const rect = (rx: number) =>
    `<rect x="${num(c.x - hw)}" y="${num(c.y - hh)}" width="${num(box.width)}" height="${num(box.height)}" rx="${num(rx)}" ${paint}/>`;
  switch (box.shape) {
    case 'pill':
      return rect(Math.min(hh, hw));
    case 'rect':
      return rect(box.node.kind === 'split' ? 3 : 6);
    case 'ellipse':
      return `<ellipse cx="${num(c.x)}" cy="${num(c.y)}" rx="${num(hw)}" ry="${num(hh)}" ${paint}/>`;
    case 'diamond':
    case 'hexagon': {
      const points = outline(box)
        .map((p) => `${num(c.x + p.x)},${num(c.y + p.y)}`)
        .join(' ');
      return `<polygon points="${points}" ${paint} stroke-linejoin="round"/>`;
    }
  }
}

/** Kind-specific marks drawn over the shape: the split's side bars, the sleep's clock. */
function renderDecoration(box: NodeBox, c: Point): string {
  const hw = box.width / 2;
  const hh = box.height / 2;
  const stroke = `stroke="${box.palette.stroke}" stroke-width="1.5"`;
  if (box.node.kind === 'split') {
    return [c.x - hw + SPLIT_BAR, c.x + hw - SPLIT_BAR]
      .map(
        (x) => `<line x1="${num(x)}" y1="${num(c.y - hh)}" x2="${num(x)}" y2="${num(c.y + hh)}" ${stroke}/>`,
      )
      .join('');
  }
  if (box.node.kind === 'sleep') {
    const x = c.x - box.contentWidth / 2 - box.insetLeft / 2 + 7;
    const y = c.y;
    return (
      `<circle cx="${num(x)}" cy="${num(y)}" r="7" fill="#ffffff" stroke="${box.palette.sub}" stroke-width="1.4"/>` +
      `<path d="M${num(x)},${num(y - 4)}V${num(y)}L${num(x + 3)},${num(y + 2)}" fill="none" stroke="${box.palette.sub}" ` +
      `stroke-width="1.4" stroke-linecap="round"/>`
    );
  }
  return '';
}

function nodeTitle(box: NodeBox): string {
  const { node, count } = box;
  const rows = [`${node.kind}: ${node.label}`];
  if (node.step !== undefined && node.step !== node.label) rows.push(`step: ${node.step}`);
  if (node.channels?.length) rows.push(`channels: ${node.channels.join(', ')}`);
  if (node.templates?.length) rows.push(`templates: ${node.templates.join(', ')}`);
  if (node.outcome !== undefined) rows.push(`outcome: ${node.outcome}`);
  if (node.line > 0) rows.push(`line ${node.line}`);
  if (count?.passed !== undefined) rows.push(`${formatCount(count.passed)} passed`);
  if ((count?.at ?? 0) > 0) rows.push(`${formatCount(count?.at ?? 0)} there now`);
  return rows.join('\n');
}

function renderNode(box: NodeBox, c: Point): string {
  const { node } = box;
  const attrs =
    `class="node node-${node.kind}" data-node-id="${escapeXml(node.id)}"` +
    (node.step !== undefined ? ` data-step="${escapeXml(node.step)}"` : '') +
    (node.outcome !== undefined ? ` data-outcome="${escapeXml(node.outcome)}"` : '');
  const cx = c.x + box.insetLeft / 2;
  let y = c.y - box.contentHeight / 2;
  let body = '';
  box.lines.forEach((line, i) => {
    if (i === box.dividerBefore) {
      const half = Math.min(box.contentWidth / 2 + 4, box.width / 2 - 8);
      y += 3;
      body += `<line x1="${num(cx - half)}" y1="${num(y)}" x2="${num(cx + half)}" y2="${num(y)}" stroke="${box.palette.stroke}" stroke-width="1" stroke-opacity="0.6"/>`;
      y += 4;
    }
    const baseline = y + line.font.line / 2 + line.font.size * 0.35;
    body +=
      `<text x="${num(cx)}" y="${num(baseline)}" text-anchor="middle" fill="${line.fill}"` +
      (line.font === FONT ? '' : ` font-size="${line.font.size}"`) +
      (line.bold ? ' font-weight="600"' : '') +
      `>${escapeXml(line.text)}</text>`;
    y += line.font.line;
  });
  if (box.count !== undefined) body += renderBadge(box, cx, y + 6);
  return (
    `<g ${attrs}><title>${escapeXml(nodeTitle(box))}</title>` +
    `${renderShape(box, c)}${renderDecoration(box, c)}${body}</g>`
  );
}

/** Moves the path's end back by the arrow's length, so a thick line stops where the arrowhead starts. */
function shortenEnd(points: Point[], by: number): Point[] {
  const end = points[points.length - 1];
  const prev = points[points.length - 2];
  if (end === undefined || prev === undefined) return points;
  const len = Math.hypot(end.x - prev.x, end.y - prev.y);
  if (len < 1e-6) return points;
  const k = Math.min(by, len * 0.9) / len;
  return [...points.slice(0, -1), { x: end.x - (end.x - prev.x) * k, y: end.y - (end.y - prev.y) * k }];
}

/**
 * An edge from a node back to itself: a loop out of the node's right side and back, through the room
 * dagre keeps there for the edge's label.
 */
function selfLoop(box: NodeBox, c: Point): Point[] {
  const hw = box.width / 2;
  const hh = box.height / 2;
  const start = boundaryPoint(box, c, { x: c.x + hw, y: c.y - hh / 2 });
  const end = boundaryPoint(box, c, { x: c.x + hw, y: c.y + hh / 2 });
  return [start, { x: start.x + 36, y: start.y - 8 }, { x: end.x + 36, y: end.y + 8 }, end];
}

function cubicPath(points: readonly Point[]): string {
  const [a, b, c, d] = points;
  if (!a || !b || !c || !d) return basisPath(points);
  return `M${num(a.x)},${num(a.y)}C${num(b.x)},${num(b.y)} ${num(c.x)},${num(c.y)} ${num(d.x)},${num(d.y)}`;
}

interface LaidOutEdge {
  readonly edge: MapEdge;
  /** dagre's points; for an edge from a node to itself, a cubic curve's four points. */
  readonly points: Point[];
  readonly self: boolean;
  readonly label?: { readonly x: number; readonly y: number; readonly width: number };
  readonly count?: number;
}

function renderEdge(e: LaidOutEdge, boxes: ReadonlyMap<string, NodeBox>, maxCount: number): string {
  const { edge, count } = e;
  const style = edgeStyle(edge, count);
  const width = strokeWidth(count, maxCount);
  const color = EDGE_COLORS[style];
  const dashes = EDGE_DASH[style];
  const dash = dashes ? `${dashes[0]} ${num(dashes[1] + width)}` : undefined;
  const { length } = arrowSize(width);
  const from = boxes.get(edge.from)?.node.label ?? edge.from;
  const to = boxes.get(edge.to)?.node.label ?? edge.to;
  const title =
    `${from} → ${to}` +
    (edge.label ? ` (${edge.label})` : '') +
    (count !== undefined ? `: ${formatCount(count)}` : '');
  const classes = ['edge', ...(edge.kind && edge.kind !== 'flow' ? [`edge-${edge.kind}`] : [])];
  if (count === 0) classes.push('edge-unused');
  let label = '';
  if (e.label) {
    const { x, y, width: w } = e.label;
    const countText = count !== undefined ? formatCount(count) : undefined;
    const plain = cut(edge.label ?? '', 26);
    const counted =
      countText === undefined
        ? ''
        : `<tspan class="edge-count" font-weight="600">${plain ? ' · ' : ''}${countText}</tspan>`;
    label =
      `<rect x="${num(x - w / 2)}" y="${num(y - 9)}" width="${num(w)}" height="18" rx="4" fill="#ffffff" fill-opacity="0.94"/>` +
      `<text x="${num(x)}" y="${num(y + 4)}" text-anchor="middle" font-size="${EDGE_FONT.size}" ` +
      `fill="${style === 'unused' ? '#94a3b8' : '#475569'}">${escapeXml(plain)}${counted}</text>`;
  }
  const points = shortenEnd(e.points, length);
  return (
    `<g class="${classes.join(' ')}" data-from="${escapeXml(edge.from)}" data-to="${escapeXml(edge.to)}">` +
    `<title>${escapeXml(title)}</title>` +
    `<path d="${e.self ? cubicPath(points) : basisPath(points)}" fill="none" stroke="${color}" ` +
    `stroke-width="${num(width)}"` +
    (dash ? ` stroke-dasharray="${dash}"` : '') +
    ` stroke-linecap="round" marker-end="url(#${markerId(style, width)})"/>${label}</g>`
  );
}

/**
 * Draws a journey map as an SVG document: top to bottom, one `<g class="node node-<kind>">` per node (with
 * `data-node-id`, `data-step` for steps, and a `<title>` tooltip) and one `<g class="edge">` per edge
 * (with `data-from`/`data-to`). With `counts`, nodes get a badge (`.count-passed` in bold, `.count-at`
 * as `at N now`) and edges their count after the label (`.edge-count`), stroke width growing with the
 * count; an edge counted 0 is drawn dashed and light grey, a path nobody took.
 *
 * The output is deterministic and self-contained (no fonts, images or scripts), so it can be written to
 * a file, inlined into HTML, or redrawn by a dashboard on every refresh.
 *
 * @example
 * ```ts
 * const svg = renderSvg(map, { nodes: { n3: { passed: 1204, at: 12 } }, edges: { 'n3->n4': 1190 } });
 * ```
 */
export function renderSvg(map: JourneyMap, counts?: MapCounts): string {
  const g = new Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 36, edgesep: 18, ranksep: 44, marginx: MARGIN, marginy: MARGIN });
  const boxes = new Map<string, NodeBox>();
  for (const node of map.nodes) {
    const box = measureNode(node, map, counts);
    boxes.set(node.id, box);
    g.setNode(node.id, { width: box.width, height: box.height });
  }
  const edges = map.edges.filter((e) => boxes.has(e.from) && boxes.has(e.to));
  const edgeCounts = edges.map((e) => counts?.edges?.[`${e.from}->${e.to}`]);
  const maxCount = Math.max(1, ...edgeCounts.map((c) => c ?? 0));
  edges.forEach((edge, i) => {
    const text = edgeLabelText(edge, edgeCounts[i]);
    const width = text ? steady(textWidth(text, EDGE_FONT) + 10) : 0;
    const label: EdgeLabel = {
      width,
      height: text ? 18 : 0,
      labelpos: 'c',
      weight: 1,
    };
    // A loop edge goes back up: laid out as the downward edge it mirrors, so dagre's own cycle breaking
    // does not pick a forward edge of the loop body to turn round instead.
    if (edge.kind === 'loop') g.setEdge(edge.to, edge.from, label, `e${i}`);
    else g.setEdge(edge.from, edge.to, label, `e${i}`);
  });
  layout(g);

  const centers = new Map<string, Point>();
  for (const id of boxes.keys()) {
    const n = g.node(id);
    centers.set(id, { x: n.x ?? 0, y: n.y ?? 0 });
  }
  const laidOut: LaidOutEdge[] = edges.map((edge, i) => {
    const label =
      edge.kind === 'loop' ? g.edge(edge.to, edge.from, `e${i}`) : g.edge(edge.from, edge.to, `e${i}`);
    const points = (label.points ?? []).map((p) => ({ x: p.x, y: p.y }));
    if (edge.kind === 'loop') points.reverse();
    const fromBox = boxes.get(edge.from);
    const toBox = boxes.get(edge.to);
    const fromC = centers.get(edge.from);
    const toC = centers.get(edge.to);
    const self = edge.from === edge.to && fromBox !== undefined && fromC !== undefined;
    if (self) points.splice(0, points.length, ...selfLoop(fromBox, fromC));
    else if (fromBox && toBox && fromC && toC && points.length >= 2) {
      points[0] = boundaryPoint(fromBox, fromC, points.length > 2 ? (points[1] ?? toC) : toC);
      points[points.length - 1] = boundaryPoint(
        toBox,
        toC,
        points.length > 2 ? (points[points.length - 2] ?? fromC) : fromC,
      );
    }
    const text = edgeLabelText(edge, edgeCounts[i]);
    return {
      edge,
      points,
      self,
      count: edgeCounts[i],
      label: text ? { x: label.x ?? 0, y: label.y ?? 0, width: textWidth(text, EDGE_FONT) + 10 } : undefined,
    };
  });

  // The drawing's bounds: dagre's, widened by anything drawn outside them.
  const graph = g.graph();
  let width = graph.width ?? 0;
  let height = graph.height ?? 0;
  for (const [id, box] of boxes) {
    const c = centers.get(id) ?? { x: 0, y: 0 };
    width = Math.max(width, c.x + box.width / 2 + MARGIN);
    height = Math.max(height, c.y + box.height / 2 + MARGIN);
  }
  for (const e of laidOut) {
    for (const p of e.points) {
      width = Math.max(width, p.x + MARGIN);
      height = Math.max(height, p.y + MARGIN);
    }
  }
  width = Math.ceil(Math.max(width, 2 * MARGIN));
  height = Math.ceil(Math.max(height, 2 * MARGIN));

  const markers = new Map<string, string>();
  laidOut.forEach((e) => {
    const style = edgeStyle(e.edge, e.count);
    const w = strokeWidth(e.count, maxCount);
    markers.set(markerId(style, w), renderMarker(style, w));
  });
  const defs = [...markers.keys()]
    .sort()
    .map((id) => markers.get(id))
    .join('');

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="journey-map" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT_FAMILY)}" font-size="${FONT.size}" ` +
    `role="img" aria-label="${escapeXml(`Journey map: ${map.journey}`)}">` +
    `<title>${escapeXml(map.journey)}</title><defs>${defs}</defs>` +
    `<g class="edges">${laidOut.map((e) => renderEdge(e, boxes, maxCount)).join('')}</g>` +
    `<g class="nodes">${[...boxes].map(([id, box]) => renderNode(box, centers.get(id) ?? { x: 0, y: 0 })).join('')}</g>` +
    `</svg>`
  );
}

/**
 * A small SVG of a node kind's shape and colours, for legends; `outcome` picks an end node's colour the
 * way {@link renderSvg} does (`goal`, `failed`, `exited`, or any other outcome).
 */
export function renderSwatch(kind: MapNodeKind, outcome?: 'goal' | 'failed' | 'exited' | 'other'): string {
  const palette = kind === 'end' && outcome && outcome !== 'other' ? END_PALETTES[outcome] : PALETTES[kind];
  const node: MapNode = { id: 'swatch', kind, label: '', line: 0 };
  const box: NodeBox = {
    node,
    shape: SHAPES[kind],
    palette: { ...palette, strokeWidth: Math.min(palette.strokeWidth, 2) },
    lines: [],
    badgeWidth: 0,
    contentWidth: kind === 'sleep' ? 0 : 10,
    contentHeight: 0,
    insetLeft: kind === 'sleep' ? 14 : 0,
    width: kind === 'loop' ? 26 : 32,
    height: kind === 'decision' ? 18 : 16,
  };
  const center = { x: 18, y: 10 };
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="36" height="20" viewBox="0 0 36 20" aria-hidden="true">` +
    `${renderShape(box, center)}${renderDecoration(box, center)}</svg>`
  );
}
