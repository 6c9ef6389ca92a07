/**
 * A journey's graph under construction, and the pending exits (`Pending`) the reader carries from one
 * node to the next, each with what is known on its path.
 */
import { EMPTY, type Env, type Value } from './extract-values';
import type { MapEdge, MapNode, MapNodeKind } from './types';

/** An exit not yet connected: from a node, with its edge label and what is known on that path. */
export interface Pending {
  readonly from: string;
  readonly label?: string;
  /** A split arm: kept as its own edge even when another arm goes to the same node. */
  readonly arm?: boolean;
  readonly env: Env;
}

/** A loop or `switch` being read: where its `break`s and `continue`s go. */
export interface Frame {
  readonly kind: 'loop' | 'switch';
  readonly breaks: Pending[];
  readonly continues: Pending[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type DraftEdge = Mutable<MapEdge> & { arm?: boolean };

/** Nodes and edges as they are drawn, with snapshots to take back a decision that drew nothing. */
export class Graph {
  readonly nodes: MapNode[] = [];
  readonly edges: DraftEdge[] = [];
  private readonly ends = new Map<string, string>();
  /** Grows with every node, edge and jump: a branch that left it unchanged drew nothing. */
  changes = 0;

  add(kind: MapNodeKind, label: string, line: number, extra: Partial<MapNode> = {}): string {
    const id = `n${this.nodes.length + 1}`;
    this.nodes.push({ id, kind, label, ...extra, line });
    this.changes++;
    return id;
  }

  /** The end node of an outcome: one per outcome, made where the code first reaches it. */
  end(outcome: string, line: number): string {
    let id = this.ends.get(outcome);
    if (!id) {
      id = this.add('end', outcome, line, { outcome });
      this.ends.set(outcome, id);
    }
    return id;
  }

  edge(edge: DraftEdge): void {
    this.edges.push(edge);
    this.changes++;
  }

  /**
   * Edges from pending exits to `to`. Two exits of one node reaching the same place (a wait's `received` and
   * `timed out`) become one unlabelled edge: the difference does not matter there. Split arms stay apart.
   */
  connect(pendings: readonly Pending[], to: string, loop = false): void {
    for (const p of pendings) {
      const label = loop ? (p.label ?? 'again') : p.label;
      const same = p.arm ? undefined : this.edges.find((e) => e.from === p.from && e.to === to && !e.arm);
      if (same) {
        if (same.label !== label) same.label = loop ? 'again' : undefined;
        continue;
      }
      this.edge({
        from: p.from,
        to,
        ...(label !== undefined ? { label } : {}),
        ...(loop ? { kind: 'loop' as const } : {}),
        ...(p.arm ? { arm: true } : {}),
      });
    }
  }

  snapshot(): { nodes: number; edges: number; changes: number } {
    return { nodes: this.nodes.length, edges: this.edges.length, changes: this.changes };
  }

  restore(s: { nodes: number; edges: number; changes: number }): void {
    this.nodes.length = s.nodes;
    this.edges.length = s.edges;
    this.changes = s.changes;
  }
}

/** What is known on every one of the paths: the bindings they all agree on. */
export function intersect(pendings: readonly Pending[]): Env {
  const [first, ...rest] = pendings;
  if (!first) return EMPTY;
  if (rest.length === 0) return first.env;
  const env = new Map<object, Value>();
  for (const [key, value] of first.env)
    if (rest.every((p) => p.env.has(key) && p.env.get(key) === value)) env.set(key, value);
  return env;
}
