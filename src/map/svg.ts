/**
 * Draws a {@link JourneyMap} as a standalone SVG string: laid out top to bottom by dagre, one shape per
 * node kind, live counts drawn on nodes and edges when given. Pure and deterministic (the same map and
 * counts give the same bytes), with no external references, so a dashboard can inline it and redraw it
 * every few seconds. This file lays the map out and assembles the document; nodes, edges and text are
 * drawn by the `svg-*` modules beside it.
 */
import { Graph, layout, type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import {
  edgeLabelText,
  edgeStyle,
  type LaidOutEdge,
  markerId,
  renderEdge,
  renderMarker,
  selfLoop,
  strokeWidth,
} from './svg-edges';
import { measureNode, type NodeBox } from './svg-node-box';
import { renderNode } from './svg-nodes';
import { boundaryPoint, type Point } from './svg-shapes';
import { EDGE_FONT, escapeXml, FONT, FONT_FAMILY, steady, textWidth } from './svg-text';
import type { JourneyMap, MapCounts } from './types';

const MARGIN = 24;

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
