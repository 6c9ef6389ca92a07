/** Reads the Mermaid `toMermaid` writes back into nodes and edges, so tests assert on structure, not text. */

export type Shape =
  'stadium' | 'rect' | 'parallelogram' | 'trapezoid' | 'hexagon' | 'rhombus' | 'subroutine' | 'circle';

export interface DrawnNode {
  readonly id: string;
  readonly shape: Shape;
  /** The label's lines, entities decoded (`<br/>` splits them). */
  readonly lines: readonly string[];
  /** The first line without live counts (` · 120`, ` · at 4`). */
  readonly text: string;
  readonly className?: string;
}

export interface DrawnEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  readonly dashed: boolean;
}

export interface DrawnGraph {
  readonly nodes: readonly DrawnNode[];
  readonly edges: readonly DrawnEdge[];
  /** The one node whose text is `text`; fails when none or several are. */
  node(text: string): DrawnNode;
  /** Every node whose text is `text`, in id order. */
  all(text: string): DrawnNode[];
  /** Edges leaving a node, by its text or node. */
  out(from: string | DrawnNode): DrawnEdge[];
  /** The node an edge with `label` leads to from `from`; fails when there is not exactly one. */
  next(from: string | DrawnNode, label?: string): DrawnNode;
}

const SHAPES: readonly [RegExp, Shape][] = [
  [/^\(\["(.*)"\]\)$/, 'stadium'],
  [/^\[\["(.*)"\]\]$/, 'subroutine'],
  [/^\(\("(.*)"\)\)$/, 'circle'],
  [/^\{\{"(.*)"\}\}$/, 'hexagon'],
  [/^\[\/"(.*)"\/\]$/, 'parallelogram'],
  [/^\[\/"(.*)"\\\]$/, 'trapezoid'],
  [/^\{"(.*)"\}$/, 'rhombus'],
  [/^\["(.*)"\]$/, 'rect'],
];

function decode(text: string): string {
  return text
    .replace(/#quot;/g, '"')
    .replace(/#lt;/g, '<')
    .replace(/#gt;/g, '>')
    .replace(/#96;/g, '`')
    .replace(/#35;/g, '#');
}

export function parseMermaid(mermaid: string): DrawnGraph {
  const lines = mermaid.trimEnd().split('\n');
  if (lines[0] !== 'flowchart TD') throw new Error(`not a top-down flowchart: ${lines[0]}`);
  const nodes: DrawnNode[] = [];
  const edges: DrawnEdge[] = [];
  const classes = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const edge = /^ {2}(n\d+) (-->|-\.->)(?:\|"(.*)"\|)? (n\d+)$/.exec(line);
    if (edge) {
      const [, from, arrow, label, to] = edge;
      edges.push({
        from: from!,
        to: to!,
        dashed: arrow === '-.->',
        ...(label ? { label: decode(label) } : {}),
      });
      continue;
    }
    const classLine = /^ {2}class ([\w,]+) (\w+)$/.exec(line);
    if (classLine) {
      for (const id of classLine[1]!.split(',')) classes.set(id, classLine[2]!);
      continue;
    }
    if (/^ {2}classDef /.test(line)) continue;
    const node = /^ {2}(n\d+)(.+)$/.exec(line);
    const shaped = node && SHAPES.map(([re, shape]) => [re.exec(node[2]!), shape] as const).find(([m]) => m);
    if (!node || !shaped) throw new Error(`unexpected Mermaid line: ${line}`);
    const label = shaped[0]![1]!;
    const parts = label.split('<br/>').map(decode);
    nodes.push({
      id: node[1]!,
      shape: shaped[1],
      lines: parts,
      text: parts[0]!.replace(/( · (at )?[\d,]+)+$/, ''),
    });
  }
  const withClasses = nodes.map((n) => ({ ...n, className: classes.get(n.id) }));
  const byId = new Map(withClasses.map((n) => [n.id, n]));
  const all = (text: string) => withClasses.filter((n) => n.text === text);
  const one = (text: string) => {
    const found = all(text);
    if (found.length !== 1)
      throw new Error(
        `${found.length} nodes "${text}"; nodes: ${withClasses.map((n) => n.text).join(' | ')}`,
      );
    return found[0]!;
  };
  const idOf = (n: string | DrawnNode) => (typeof n === 'string' ? one(n).id : n.id);
  const out = (from: string | DrawnNode) => edges.filter((e) => e.from === idOf(from));
  return {
    nodes: withClasses,
    edges,
    node: one,
    all,
    out,
    next(from, label) {
      const found = out(from).filter((e) => e.label === label);
      if (found.length !== 1)
        throw new Error(`${found.length} edges "${label}" from ${idOf(from)}: ${JSON.stringify(out(from))}`);
      return byId.get(found[0]!.to)!;
    },
  };
}
