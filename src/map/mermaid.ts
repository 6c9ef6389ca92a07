import type { JourneyMap, MapCounts, MapEdge, MapNode, MapNodeKind } from './types';

/** Mermaid's shape brackets per node kind. */
const SHAPES: Readonly<Record<MapNodeKind, readonly [string, string]>> = {
  start: ['([', '])'],
  step: ['[', ']'],
  send: ['[', ']'],
  sleep: ['[/', '/]'],
  wait: ['{{', '}}'],
  decision: ['{', '}'],
  split: ['[[', ']]'],
  loop: ['[/', '\\]'],
  end: ['((', '))'],
  goal: ['((', '))'],
};

/** What a kind's label says before the node's own text, where the shape alone would not tell. */
const PREFIX: Partial<Record<MapNodeKind, string>> = { sleep: 'sleep ', wait: 'wait for ', split: 'split ' };

/**
 * Class names per kind (`end` is a Mermaid keyword, so none is a bare kind), and the goal outcome's end,
 * drawn like the goal. Colours pair a light fill with dark text, readable in GitHub's light and dark themes.
 */
const CLASSES: readonly (readonly [string, string])[] = [
  ['mapStart', 'fill:#e0f2fe,stroke:#0284c7,color:#0c4a6e'],
  ['mapStep', 'fill:#ffffff,stroke:#475569,color:#0f172a'],
  ['mapSend', 'fill:#f8fafc,stroke:#64748b,color:#0f172a,stroke-dasharray:4 2'],
  ['mapSleep', 'fill:#f1f5f9,stroke:#94a3b8,color:#334155'],
  ['mapWait', 'fill:#fef3c7,stroke:#d97706,color:#78350f'],
  ['mapDecision', 'fill:#fff7ed,stroke:#ea580c,color:#7c2d12'],
  ['mapSplit', 'fill:#ede9fe,stroke:#7c3aed,color:#4c1d95'],
  ['mapLoop', 'fill:#ecfeff,stroke:#0891b2,color:#164e63'],
  ['mapEnd', 'fill:#e2e8f0,stroke:#64748b,color:#1e293b'],
  ['mapGoal', 'fill:#dcfce7,stroke:#16a34a,color:#14532d'],
  ['mapConverted', 'fill:#dcfce7,stroke:#16a34a,color:#14532d,stroke-width:2px'],
];

function classOf(node: MapNode, map: JourneyMap): string {
  if (node.kind === 'end' && node.outcome === map.goalOutcome) return 'mapConverted';
  return `map${node.kind[0]!.toUpperCase()}${node.kind.slice(1)}`;
}

/**
 * Text for inside a quoted Mermaid label: `#` (which starts an entity), quotes, angle brackets and
 * backticks (which would switch to markdown) as Mermaid's entity codes.
 */
function escapeMermaid(text: string): string {
  return text
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/`/g, '#96;');
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function nodeText(node: MapNode, counts: MapCounts | undefined): string {
  let first = escapeMermaid(`${PREFIX[node.kind] ?? ''}${node.label}`);
  const live = counts?.nodes?.[node.id];
  if (live?.passed !== undefined) first += ` · ${count(live.passed)}`;
  if (live?.at !== undefined) first += ` · at ${count(live.at)}`;
  const lines = [first];
  if ((node.kind === 'step' || node.kind === 'send') && (node.channels?.length || node.templates?.length)) {
    const channels = (node.channels ?? []).join(' + ');
    const templates = (node.templates ?? []).join(', ');
    lines.push(escapeMermaid(channels && templates ? `${channels}: ${templates}` : channels || templates));
  }
  return lines.join('<br/>');
}

function edgeLine(edge: MapEdge, counts: MapCounts | undefined): string {
  const arrow = edge.kind === 'goal' || edge.kind === 'loop' ? '-.->' : '-->';
  const n = counts?.edges?.[`${edge.from}->${edge.to}`];
  const label = [edge.label, n === undefined ? undefined : count(n)]
    .filter((p) => p !== undefined)
    .join(' · ');
  return label
    ? `  ${edge.from} ${arrow}|"${escapeMermaid(label)}"| ${edge.to}`
    : `  ${edge.from} ${arrow} ${edge.to}`;
}

/**
 * A journey map as a Mermaid flowchart (top to bottom): a line per node in id order, a line per edge, then
 * a class per kind so it reads well where Markdown renders Mermaid (GitHub, GitLab). With `counts`, each
 * node shows its runs (` · 120`, ` · at 4`) and each edge the runs that took it. The same map and counts
 * always give the same text.
 *
 * @example
 * ```ts
 * console.log(toMermaid(mapJourney('abandoned-cart')));
 * // flowchart TD
 * //   n1(["cart.abandoned (keyed)"])
 * //   …
 * //   n7 -->|"timed out"| n8
 * ```
 * @see https://mermaid.js.org/syntax/flowchart.html
 */
export function toMermaid(map: JourneyMap, counts?: MapCounts): string {
  const lines = ['flowchart TD'];
  for (const node of map.nodes) {
    const [open, close] = SHAPES[node.kind];
    lines.push(`  ${node.id}${open}"${nodeText(node, counts)}"${close}`);
  }
  for (const edge of map.edges) lines.push(edgeLine(edge, counts));
  const used = new Map<string, string[]>();
  for (const node of map.nodes) {
    const name = classOf(node, map);
    used.set(name, [...(used.get(name) ?? []), node.id]);
  }
  for (const [name, style] of CLASSES) {
    const ids = used.get(name);
    if (ids) lines.push(`  classDef ${name} ${style}`, `  class ${ids.join(',')} ${name}`);
  }
  return `${lines.join('\n')}\n`;
}
