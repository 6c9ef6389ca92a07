/**
 * A node measured before layout: its wrapped text lines, its count badge, and the size of the shape that
 * holds them, which is what dagre lays out.
 */
import { badgeWidth, BADGE_H, hasCount } from './svg-badge';
import { cut, type Font, FONT, MAX_CHARS, SMALL, textWidth, wrapText } from './svg-text';
import { type Palette, paletteOf, type Shape, SHAPES } from './svg-theme';
import type { JourneyMap, MapCounts, MapNode, NodeCount } from './types';

const PAD_X = 14;
const PAD_Y = 9;
const ICON_W = 20;
/** Width of a split node's side bars. */
export const SPLIT_BAR = 7;

/** A line of a node's text, with its font and colour. */
export interface TextLine {
  readonly text: string;
  readonly font: Font;
  readonly fill: string;
  readonly bold?: boolean;
}

/** A node measured: what it shows, and its shape's size. */
export interface NodeBox {
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

/** The line under a step's name: its channels, then its templates (`email · cart-reminder`). */
function channelLine(node: MapNode): string | undefined {
  const parts = [node.channels?.join(', '), node.templates?.join(', ')].filter((p) => p !== undefined && p);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

/** Measures a node: its wrapped label, the lines under it, its count badge, and its shape's size. */
export function measureNode(node: MapNode, map: JourneyMap, counts: MapCounts | undefined): NodeBox {
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
