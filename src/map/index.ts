/**
 * Journey maps: a journey's flowchart read from its code (steps and what they send, sleeps, waits,
 * branches, splits, loops, outcomes, goal exits), drawn as Mermaid text, an SVG or a standalone HTML page,
 * with live counts when given.
 *
 * @example
 * ```ts
 * import { mapJourney, toMermaid } from 'temporal-journeys/map';
 * console.log(toMermaid(mapJourney('abandoned-cart', { dir: 'workflows' })));
 * ```
 */
export { mapJourney, mapJourneys } from './extract';
export { journeySourceDir } from './extract-sources';
export type { MapSourceOptions } from './extract-sources';
export { toMermaid } from './mermaid';
export { renderSvg } from './svg';
export { renderHtml } from './html';
export type { MapHtmlOptions } from './html';
export type { JourneyMap, MapCounts, MapEdge, MapNode, MapNodeKind, NodeCount } from './types';
