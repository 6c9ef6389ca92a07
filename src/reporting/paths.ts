import type { Client } from '@temporalio/client';
import type { JourneyRef } from '../client';
import { journeySearchAttributes as attrs } from '../journey';
import type { JourneyMap, MapCounts, MapEdge, MapNode } from '../map';
import { journeyQuery, type RunFilter } from './query';
import { countRuns, readShared } from '../client/visibility';

export interface PathOptions extends RunFilter {
  /**
   * Runs read (default 2,000), in visibility's order: on SQL visibility (the dev server, self-hosted SQL)
   * open runs first, then closed ones by close time, latest first. Past this many, the paths are that sample.
   */
  readonly limit?: number;
}

/** One way through a journey and how many runs took it. */
export interface JourneyPath {
  /** The steps in the order the runs first passed them. */
  readonly steps: readonly string[];
  /** The outcome the runs ended with, or `PATH_RUNNING` (`(running)`) for runs still in the journey. */
  readonly end: string;
  readonly count: number;
}

export interface JourneyPaths {
  readonly journey: string;
  readonly goalOutcome: string;
  /** Runs matching the filters (a visibility count). */
  readonly total: number;
  /** Runs read: the first `limit` in visibility's order (see `PathOptions.limit`). */
  readonly sampled: number;
  /** Most taken first. */
  readonly paths: readonly JourneyPath[];
  /**
   * Where runs that ended without converting left: their last step (`(start)` before any), most first.
   * Running runs have not dropped off; the funnel's `at` tells where they are.
   */
  readonly dropOffs: readonly { readonly after: string; readonly outcome: string; readonly count: number }[];
}

/** The node before the first step and the node a running run is at the end of, in transitions. */
export const PATH_START = '(start)';
/** The ending of a run still in the journey: not a kebab-case word, so never a journey's outcome. */
export const PATH_RUNNING = '(running)';
const DEFAULT_LIMIT = 2_000;

/**
 * The sequences of steps customers actually took, read from `JourneySteps` (each run records the steps it
 * passed, in the order it first passed them) of up to `limit` runs, grouped into paths with counts.
 */
export async function journeyPaths(
  client: Client,
  journey: JourneyRef | string,
  options: PathOptions = {},
): Promise<JourneyPaths> {
  const { name, goalOutcome, base } = journeyQuery(journey, options);
  const limit = options.limit ?? DEFAULT_LIMIT;
  const read = () =>
    readShared(client, `paths ${limit} ${base}`, `the paths of ${base}`, async () => {
      const byPath = new Map<string, { steps: string[]; end: string; count: number }>();
      let sampled = 0;
      if (limit <= 0) return { byPath, sampled };
      for await (const run of client.workflow.list({ query: base, pageSize: Math.min(limit, 1_000) })) {
        const steps = run.typedSearchAttributes.get(attrs.steps) ?? [];
        // A run that ended its journey may stay open to wait out its re-entry period: the outcome counts.
        const end =
          run.typedSearchAttributes.get(attrs.outcome) ??
          (run.status.name === 'RUNNING' ? PATH_RUNNING : run.status.name.toLowerCase());
        const key = JSON.stringify([steps, end]);
        const path = byPath.get(key) ?? { steps: [...steps], end, count: 0 };
        path.count++;
        byPath.set(key, path);
        if (++sampled >= limit) break;
      }
      return { byPath, sampled };
    });
  const [total, { byPath, sampled }] = await Promise.all([countRuns(client, base), read()]);
  const paths = [...byPath.values()].sort(
    (a, b) => b.count - a.count || a.steps.length - b.steps.length || a.end.localeCompare(b.end),
  );
  const drops = new Map<string, { after: string; outcome: string; count: number }>();
  for (const path of paths) {
    if (path.end === PATH_RUNNING || path.end === goalOutcome) continue;
    const after = path.steps.at(-1) ?? PATH_START;
    const key = `${after}\u0000${path.end}`;
    const drop = drops.get(key) ?? { after, outcome: path.end, count: 0 };
    drop.count += path.count;
    drops.set(key, drop);
  }
  const dropOffs = [...drops.values()].sort((a, b) => b.count - a.count || a.after.localeCompare(b.after));
  return { journey: name, goalOutcome, total, sampled, paths, dropOffs };
}

/** A place on a path: before the first step, a step, or an ending (an outcome, or `PATH_RUNNING`). */
export type PathPoint =
  | { readonly kind: 'start' }
  | { readonly kind: 'step'; readonly step: string }
  | { readonly kind: 'end'; readonly end: string };

/** A move from one point to the next and how many runs made it. */
export interface PathTransition {
  readonly from: PathPoint;
  readonly to: PathPoint;
  readonly count: number;
}

const START: PathPoint = { kind: 'start' };
const stepPoint = (step: string): PathPoint => ({ kind: 'step', step });
const endPoint = (end: string): PathPoint => ({ kind: 'end', end });
/** Points as keys: any step name, even one that looks like an ending or an arrow, stays itself. */
const pointKey = (p: PathPoint): string => JSON.stringify(p);

/** The points of a path, from the start through its steps to its ending. */
function points(path: JourneyPath): PathPoint[] {
  return [START, ...path.steps.map(stepPoint), endPoint(path.end)];
}

/** The moves the paths made, with how many runs made each, in the order first met. */
export function pathTransitions(paths: JourneyPaths): PathTransition[] {
  const transitions = new Map<string, { from: PathPoint; to: PathPoint; count: number }>();
  for (const path of paths.paths) {
    const sequence = points(path);
    for (let i = 1; i < sequence.length; i++) {
      const [from, to] = [sequence[i - 1]!, sequence[i]!];
      const key = JSON.stringify([from, to]);
      const move = transitions.get(key) ?? { from, to, count: 0 };
      move.count += path.count;
      transitions.set(key, move);
    }
  }
  return [...transitions.values()];
}

/**
 * The paths drawn as a flow: a node per step and per end, an edge per transition with how many runs took
 * it. Given the journey's map from code, the steps and endings the code allows but nobody took are drawn
 * too, with 0 on their edges.
 */
export function pathMap(paths: JourneyPaths, code?: JourneyMap): { map: JourneyMap; counts: MapCounts } {
  const nodes: MapNode[] = [];
  const ids = new Map<string, string>();
  const codeSteps = (code?.nodes ?? []).filter((n) => n.kind === 'step');
  const make = (point: PathPoint, id: string): MapNode => {
    switch (point.kind) {
      case 'start':
        return { id, kind: 'start', label: code?.trigger ?? 'entered', line: 0 };
      case 'step': {
        const from = codeSteps.find((n) => n.stepPattern && new RegExp(n.stepPattern).test(point.step));
        return {
          id,
          kind: 'step',
          label: point.step,
          step: point.step,
          ...(from?.channels ? { channels: from.channels } : {}),
          ...(from?.templates ? { templates: from.templates } : {}),
          line: from?.line ?? 0,
        };
      }
      case 'end':
        return {
          id,
          kind: 'end',
          label: point.end === PATH_RUNNING ? 'still in the journey' : point.end,
          outcome: point.end,
          line: 0,
        };
    }
  };
  const node = (point: PathPoint): string => {
    const key = pointKey(point);
    let id = ids.get(key);
    if (!id) {
      id = `p${ids.size}`;
      ids.set(key, id);
      nodes.push(make(point, id));
    }
    return id;
  };
  node(START);

  const edges: MapEdge[] = [];
  const edgeCounts: Record<string, number> = {};
  for (const move of pathTransitions(paths)) {
    const edge = { from: node(move.from), to: node(move.to) };
    edges.push(edge);
    edgeCounts[`${edge.from}->${edge.to}`] = move.count;
  }
  if (code) {
    for (const [from, to] of codeTransitions(code)) {
      const edge = { from: node(from), to: node(to) };
      const key = `${edge.from}->${edge.to}`;
      if (key in edgeCounts) continue;
      edges.push(edge);
      edgeCounts[key] = 0;
    }
  }
  const passed: Record<string, { passed: number }> = {};
  for (const path of paths.paths) {
    for (const point of points(path)) {
      const id = node(point);
      passed[id] = { passed: (passed[id]?.passed ?? 0) + path.count };
    }
  }
  for (const n of nodes) passed[n.id] ??= { passed: 0 };
  return {
    map: {
      journey: paths.journey,
      file: code?.file ?? '',
      ...(code?.trigger ? { trigger: code.trigger } : {}),
      goals: code?.goals ?? [],
      goalOutcome: paths.goalOutcome,
      nodes,
      edges,
    },
    counts: { nodes: passed, edges: edgeCounts },
  };
}

/**
 * The step-to-step moves the code allows: from the start and from each literal step to the next steps and
 * endings reachable without passing another step (goal exits, which are possible from anywhere, left out).
 */
export function codeTransitions(code: JourneyMap): [PathPoint, PathPoint][] {
  const byId = new Map(code.nodes.map((n) => [n.id, n]));
  const out = new Map<string, MapEdge[]>();
  for (const e of code.edges) {
    if (e.kind === 'goal') continue;
    out.set(e.from, [...(out.get(e.from) ?? []), e]);
  }
  const literalStep = (n: MapNode) =>
    n.kind === 'step' && n.step !== undefined && n.stepPattern === `^${escapeRegExp(n.step)}$`;
  const result: [PathPoint, PathPoint][] = [];
  const seen = new Set<string>();
  const add = (from: PathPoint, to: PathPoint) => {
    const key = JSON.stringify([from, to]);
    if (!seen.has(key)) {
      seen.add(key);
      result.push([from, to]);
    }
  };
  const walk = (from: PathPoint, startId: string) => {
    const visited = new Set<string>();
    const stack = [...(out.get(startId) ?? [])].map((e) => e.to);
    while (stack.length) {
      const id = stack.pop()!;
      if (visited.has(id)) continue;
      visited.add(id);
      const n = byId.get(id);
      if (!n) continue;
      if (n.kind === 'step') {
        // A step with a computed name stands for names the code cannot tell: no edge to or past it.
        if (literalStep(n)) add(from, stepPoint(n.step!));
        continue;
      }
      if (n.kind === 'end') {
        add(from, endPoint(n.outcome ?? 'completed'));
        continue;
      }
      for (const e of out.get(id) ?? []) stack.push(e.to);
    }
  };
  const start = code.nodes.find((n) => n.kind === 'start');
  if (start) walk(START, start.id);
  for (const n of code.nodes) if (literalStep(n)) walk(stepPoint(n.step!), n.id);
  return result;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The paths as lines a person reads: the most taken paths and the drop-off points. */
export function formatPaths(paths: JourneyPaths, top = 10): string {
  const lines = [
    `journey ${paths.journey}: ${paths.sampled} of ${paths.total} runs read${paths.sampled < paths.total ? ' (open runs first, then the latest closed)' : ''}`,
    '',
    'paths taken:',
    ...paths.paths
      .slice(0, top)
      .map((p) => `${String(p.count).padStart(8)}  ${[PATH_START, ...p.steps].join(' → ')} → ${p.end}`),
  ];
  if (paths.paths.length > top) lines.push(`          … and ${paths.paths.length - top} more`);
  lines.push('', `drop-off points (ended without "${paths.goalOutcome}"):`);
  if (paths.dropOffs.length === 0) lines.push('          none');
  for (const d of paths.dropOffs.slice(0, top))
    lines.push(`${String(d.count).padStart(8)}  after ${d.after} → ${d.outcome}`);
  return lines.join('\n');
}
