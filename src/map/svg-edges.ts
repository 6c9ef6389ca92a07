/**
 * Edges: smooth paths through dagre's points (and loops from a node back to itself), arrowheads, and
 * stroke width, dashes and label by live count.
 */
import type { NodeBox } from './svg-node-box';
import { boundaryPoint, type Point } from './svg-shapes';
import { cut, EDGE_FONT, escapeXml, formatCount, num } from './svg-text';
import { EDGE_COLORS, EDGE_DASH, type EdgeStyle } from './svg-theme';
import type { MapEdge } from './types';

/** An edge after layout: its path, and where its label goes. */
export interface LaidOutEdge {
  readonly edge: MapEdge;
  /** dagre's points; for an edge from a node to itself, a cubic curve's four points. */
  readonly points: Point[];
  readonly self: boolean;
  readonly label?: { readonly x: number; readonly y: number; readonly width: number };
  readonly count?: number;
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
export function selfLoop(box: NodeBox, c: Point): Point[] {
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

/** The id of the arrowhead marker for an edge style and stroke width: one marker per pair. */
export function markerId(style: EdgeStyle, width: number): string {
  return `jm-arrow-${style}-${num(width).replace('.', '_')}`;
}

/** The `<marker>` arrowhead for an edge style and stroke width, sized to the stroke. */
export function renderMarker(style: EdgeStyle, width: number): string {
  const { length, half } = arrowSize(width);
  return (
    `<marker id="${markerId(style, width)}" viewBox="0 0 ${num(length)} ${num(half * 2)}" ` +
    `refX="0" refY="${num(half)}" markerUnits="userSpaceOnUse" markerWidth="${num(length)}" ` +
    `markerHeight="${num(half * 2)}" orient="auto">` +
    `<path d="M0,0L${num(length)},${num(half)}L0,${num(half * 2)}z" fill="${EDGE_COLORS[style]}"/></marker>`
  );
}

/** How an edge is drawn: `unused` when counted 0, else by its kind. */
export function edgeStyle(edge: MapEdge, count: number | undefined): EdgeStyle {
  if (count === 0) return 'unused';
  return edge.kind ?? 'flow';
}

/**
 * Stroke width by count: 6 px for the busiest edge, 1 px for a trickle, on a log curve over the share of
 * the busiest (`log(1 + 8·share) / log 9`), so edges near the top still differ and small ones stay visible.
 * Rounded to half pixels, which keeps the number of arrowhead markers small.
 */
export function strokeWidth(count: number | undefined, maxCount: number): number {
  if (count === undefined) return 1.5;
  if (count <= 0) return 1.25;
  const share = Math.min(count / Math.max(maxCount, 1), 1);
  return Math.round((1 + (5 * Math.log1p(8 * share)) / Math.log(9)) * 2) / 2;
}

/** An edge's label as drawn: its own label, then its count (`received · 1,204`). */
export function edgeLabelText(edge: MapEdge, count: number | undefined): string {
  const countText = count !== undefined ? formatCount(count) : undefined;
  return [cut(edge.label ?? '', 26), countText].filter((t) => t).join(' · ');
}

/** One edge as a `<g class="edge">`: its path with an arrowhead, its label and a `<title>` tooltip. */
export function renderEdge(e: LaidOutEdge, boxes: ReadonlyMap<string, NodeBox>, maxCount: number): string {
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
