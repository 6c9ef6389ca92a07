/**
 * Node shapes: each kind's outline (for drawing it and for where edges meet it), the marks drawn over
 * some kinds, and the small swatches a legend shows.
 */
import { type NodeBox, SPLIT_BAR } from './svg-node-box';
import { num } from './svg-text';
import { END_PALETTES, PALETTES, SHAPES } from './svg-theme';
import type { MapNode, MapNodeKind } from './types';

/** A point in the drawing, in px. */
export interface Point {
  readonly x: number;
  readonly y: number;
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
export function boundaryPoint(box: NodeBox, center: Point, toward: Point): Point {
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

/** A node's outline filled with its palette, centred on `c`. */
export function renderShape(box: NodeBox, c: Point): string {
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
export function renderDecoration(box: NodeBox, c: Point): string {
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
