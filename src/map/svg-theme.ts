/**
 * The look of a journey map's SVG: a shape and colours per node kind, end nodes coloured by outcome, and
 * the colour and dashes of each edge style.
 */
import type { JourneyMap, MapNode, MapNodeKind } from './types';

/** The outline of a node. */
export type Shape = 'pill' | 'rect' | 'diamond' | 'hexagon' | 'ellipse';

/** A node's colours: fill, outline, label and the smaller lines under it. */
export interface Palette {
  readonly fill: string;
  readonly stroke: string;
  readonly text: string;
  readonly sub: string;
  readonly strokeWidth: number;
  readonly dash?: string;
}

/** The shape of each node kind. */
export const SHAPES = {
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

/** The colour of most text. */
export const TEXT = '#1e293b';
const SUB = '#64748b';

/** The colours of each node kind. */
export const PALETTES = {
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
export const END_PALETTES = {
  goal: { fill: '#dcfce7', stroke: '#16a34a', text: '#14532d', sub: '#15803d', strokeWidth: 2.5 },
  failed: { fill: '#fef2f2', stroke: '#dc2626', text: '#7f1d1d', sub: '#b91c1c', strokeWidth: 2.5 },
  exited: { fill: '#f3f4f6', stroke: '#9ca3af', text: '#4b5563', sub: '#6b7280', strokeWidth: 2.5 },
} as const satisfies Record<string, Palette>;

/** How an edge is drawn: a plain flow, a goal exit, a loop back, or a path nobody took. */
export type EdgeStyle = 'flow' | 'goal' | 'loop' | 'unused';

/** The colour of each edge style, its arrowhead included. */
export const EDGE_COLORS = {
  flow: '#64748b',
  goal: '#16a34a',
  loop: '#64748b',
  unused: '#cbd5e1',
} as const satisfies Record<EdgeStyle, string>;

/** Dash and gap lengths; the gap grows with the stroke, whose round caps would otherwise close it. */
export const EDGE_DASH: Partial<Record<EdgeStyle, readonly [number, number]>> = {
  goal: [6, 4],
  loop: [6, 4],
  unused: [4, 4],
};

/** A node's colours: its kind's, or for an end node its outcome's. */
export function paletteOf(node: MapNode, map: JourneyMap): Palette {
  if (node.kind !== 'end') return PALETTES[node.kind];
  if (node.outcome !== undefined && node.outcome === map.goalOutcome) return END_PALETTES.goal;
  if (node.outcome === 'failed') return END_PALETTES.failed;
  if (node.outcome === 'exited') return END_PALETTES.exited;
  return PALETTES.end;
}
