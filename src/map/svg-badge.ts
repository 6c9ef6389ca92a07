/**
 * The live-count badge under a node's text: how many passed, in bold, and how many are there now.
 */
import { FONT, formatCount, num, SMALL, steady, textWidth } from './svg-text';
import { TEXT } from './svg-theme';
import type { NodeCount } from './types';

/** The badge's height, in px. */
export const BADGE_H = 18;

/** What a badge is drawn from: the count, the badge's width, and the node's stroke colour for its edge. */
export interface BadgeBox {
  readonly count?: NodeCount;
  readonly badgeWidth: number;
  readonly palette: { readonly stroke: string };
}

/** Whether a count has anything to show: a passed number, or someone there now. */
export const hasCount = (count: NodeCount | undefined): count is NodeCount =>
  count !== undefined && (count.passed !== undefined || (count.at ?? 0) > 0);

/** The badge's width for a count, steady as the numbers grow (see {@link steady}). */
export function badgeWidth(count: NodeCount): number {
  const passed = count.passed !== undefined ? textWidth(formatCount(count.passed), FONT) : 0;
  const at = (count.at ?? 0) > 0 ? textWidth(`at ${formatCount(count.at ?? 0)} now`, SMALL) : 0;
  return steady(passed + at + (passed && at ? 6 : 0) + 18);
}

/** The badge centred on `cx`, its top at `top`; nothing for a node without a count. */
export function renderBadge(box: BadgeBox, cx: number, top: number): string {
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
