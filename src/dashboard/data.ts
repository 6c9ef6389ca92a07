import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { journeySearchAttributes as attrs, type JourneyDefinition } from '../journey';
import { mapJourneys, renderSvg, toMermaid, type JourneyMap, type MapCounts } from '../map';
import {
  countArms,
  countRuns,
  readVisibility,
  formatUpliftReport,
  journeyFunnel,
  journeyPaths,
  pathMap,
  upliftReport,
  type Funnel,
  type JourneyPaths,
  type RunFilter,
  IN_JOURNEY,
  journeyQuery,
  literal,
  startedWithin,
  type UpliftReport,
} from '../reporting';

/** How long an answer is shared: a little under the page's refresh. */
const CACHE_MS = 4_000;

/** Where the dashboard's numbers come from and where its links go. */
export interface DashboardSource {
  readonly client: Client;
  readonly namespace: string;
  readonly journeys: readonly JourneyDefinition[];
  /** The journeys' source directory, for the maps drawn from code. */
  readonly sourceDir: string;
  /** The Temporal Web UI's base URL (`http://localhost:8233`), for links to each run. */
  readonly webUiUrl?: string;
  /** Runs read for the path map (default 2,000; open runs first, then the latest closed). */
  readonly pathLimit?: number;
}

export interface JourneySummary {
  readonly name: string;
  readonly description: string | null;
  readonly trigger: string | null;
  readonly entered: number;
  readonly running: number;
  readonly converted: number;
  readonly goalOutcome: string;
}

export interface RunLink {
  readonly workflowId: string;
  readonly runId: string;
  readonly customerId: string | null;
  readonly step: string | null;
  readonly outcome: string | null;
  readonly variant: string | null;
  readonly status: string;
  readonly startTime: string;
  readonly url: string | null;
}

export interface JourneyDetail extends JourneySummary {
  readonly goals: readonly string[];
  readonly funnel: Funnel;
  /** The map from code with live counts on its nodes, or why it could not be drawn. */
  readonly map:
    { readonly file: string; readonly svg: string; readonly mermaid: string } | { readonly error: string };
  readonly paths: JourneyPaths & { readonly svg: string };
  /** Arms of the journey's split and their uplift over the holdout (never filtered by variant). */
  readonly uplift: { readonly report: UpliftReport; readonly text: string } | null;
  /** The split's variants, for the variant filter. */
  readonly variants: readonly string[];
  readonly runs: readonly RunLink[];
  /** The journey's runs in the Web UI. */
  readonly webUiList: string | null;
}

/** Reads the dashboard's numbers from visibility and its maps from the journeys' source. */
export class DashboardData {
  private maps: { readonly mtimes: string; readonly maps: ReadonlyMap<string, JourneyMap> } | undefined;
  /** Answers shared by every tab for `CACHE_MS`: each costs tens of visibility calls. */
  private readonly cache = new Map<string, { readonly at: number; readonly value: Promise<unknown> }>();

  constructor(private readonly source: DashboardSource) {}

  private cached<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < CACHE_MS) return hit.value as Promise<T>;
    const value = compute();
    this.cache.set(key, { at: now, value });
    value.catch(() => this.cache.delete(key));
    return value;
  }

  names(): string[] {
    return this.source.journeys.map((j) => j.name);
  }

  definition(name: string): JourneyDefinition | undefined {
    return this.source.journeys.find((j) => j.name === name);
  }

  summaries(): Promise<JourneySummary[]> {
    return this.cached('summaries', () => Promise.all(this.source.journeys.map((j) => this.summary(j))));
  }

  private async summary(journey: JourneyDefinition): Promise<JourneySummary> {
    const { base, goalOutcome } = journeyQuery(journey, {});
    const count = (extra?: string) => countRuns(this.source.client, extra ? `${base} AND ${extra}` : base);
    const [entered, running, converted] = await Promise.all([
      count(),
      count(IN_JOURNEY),
      count(`${attrs.outcome.name} = ${literal(goalOutcome)}`),
    ]);
    return {
      name: journey.name,
      description: journey.description ?? null,
      trigger: journey.trigger?.name ?? null,
      entered,
      running,
      converted,
      goalOutcome,
    };
  }

  detail(name: string, filter: RunFilter = {}): Promise<JourneyDetail | undefined> {
    const journey = this.definition(name);
    if (!journey) return Promise.resolve(undefined);
    const key = JSON.stringify([name, filter.variant, filter.from?.getTime(), filter.to?.getTime()]);
    return this.cached(`detail:${key}`, () => this.read(journey, filter));
  }

  private async read(journey: JourneyDefinition, filter: RunFilter): Promise<JourneyDetail> {
    const code = this.codeMap(journey.name);
    // The arms are counted over every variant, so the variant filter always has its choices.
    const [funnel, paths, uplift, runs] = await Promise.all([
      journeyFunnel(this.source.client, journey, filter),
      journeyPaths(this.source.client, journey, { ...filter, limit: this.source.pathLimit }),
      this.uplift(journey, filter),
      this.recentRuns(journey, filter),
    ]);
    const drawnPaths = pathMap(paths, code instanceof Error ? undefined : code);
    return {
      name: journey.name,
      description: journey.description ?? null,
      trigger: journey.trigger?.name ?? null,
      entered: funnel.entered,
      running: funnel.running,
      converted: funnel.outcomes[funnel.goalOutcome] ?? 0,
      goalOutcome: funnel.goalOutcome,
      goals: journey.goals.map((g) => g.name),
      funnel,
      map:
        code instanceof Error
          ? { error: code.message }
          : {
              file: code.file,
              svg: renderSvg(code, codeCounts(code, funnel)),
              mermaid: toMermaid(code, codeCounts(code, funnel)),
            },
      paths: { ...paths, svg: renderSvg(drawnPaths.map, drawnPaths.counts) },
      uplift,
      variants: uplift?.report.arms.map((a) => a.variant) ?? [],
      runs,
      webUiList: this.source.webUiUrl
        ? `${this.source.webUiUrl}/namespaces/${encodeURIComponent(this.source.namespace)}/workflows?query=${encodeURIComponent(`${attrs.journeyName.name}="${journey.name}"`)}`
        : null,
    };
  }

  /** The journey's map from code, read again when a source file changed. */
  codeMap(name: string): JourneyMap | Error {
    try {
      const mtimes = sourceStamp(this.source.sourceDir);
      if (!this.maps || this.maps.mtimes !== mtimes) {
        const maps = mapJourneys({ dir: this.source.sourceDir });
        this.maps = { mtimes, maps: new Map(maps.map((m) => [m.journey, m])) };
      }
      return this.maps.maps.get(name) ?? new Error(`No journey "${name}" in ${this.source.sourceDir}.`);
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  }

  private async uplift(
    journey: JourneyDefinition,
    filter: RunFilter,
  ): Promise<{ report: UpliftReport; text: string } | null> {
    const where = startedWithin(filter);
    const counts = await countArms(this.source.client, journey, {
      ...(where.length ? { where: where.join(' AND ') } : {}),
    });
    if (counts.arms.length === 0) return null;
    const report = upliftReport(counts);
    return { report, text: formatUpliftReport(report) };
  }

  private async recentRuns(journey: JourneyDefinition, filter: RunFilter, limit = 15): Promise<RunLink[]> {
    const { base } = journeyQuery(journey, filter);
    return readVisibility(this.source.client, `the recent runs of ${base}`, async () => {
      const runs: RunLink[] = [];
      for await (const run of this.source.client.workflow.list({ query: base, pageSize: limit })) {
        const found = run.typedSearchAttributes;
        runs.push({
          workflowId: run.workflowId,
          runId: run.runId,
          customerId: found.get(attrs.customerId) ?? null,
          step: found.get(attrs.step) ?? null,
          outcome: found.get(attrs.outcome) ?? null,
          variant: found.get(attrs.variant) ?? null,
          status: run.status.name,
          startTime: run.startTime.toISOString(),
          url: this.source.webUiUrl
            ? `${this.source.webUiUrl}/namespaces/${encodeURIComponent(this.source.namespace)}/workflows/${encodeURIComponent(run.workflowId)}/${encodeURIComponent(run.runId)}/history`
            : null,
        });
        if (runs.length >= limit) break;
      }
      return runs;
    });
  }
}

/**
 * Live counts on the map from code: the runs that passed and are at each step (a step with a computed
 * name counts every name its pattern matches), the runs that ended at each end, the entered at the start.
 */
export function codeCounts(map: JourneyMap, funnel: Funnel): MapCounts {
  const nodes: Record<string, { passed: number; at?: number }> = {};
  for (const node of map.nodes) {
    if (node.kind === 'start') nodes[node.id] = { passed: funnel.entered, at: funnel.running };
    else if (node.kind === 'step' && node.stepPattern) {
      const pattern = new RegExp(node.stepPattern);
      const matching = funnel.steps.filter((s) => pattern.test(s.step));
      nodes[node.id] = {
        passed: matching.reduce((n, s) => n + s.passed, 0),
        at: matching.reduce((n, s) => n + s.at, 0),
      };
    } else if (node.kind === 'end' && node.outcome) {
      nodes[node.id] = { passed: funnel.outcomes[node.outcome] ?? 0 };
    }
  }
  return { nodes };
}

/** Changes when any file of the directory changes (names and modification times). */
function sourceStamp(dir: string): string {
  return readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f))
    .sort()
    .map((f) => `${f}:${statSync(path.join(dir, f)).mtimeMs}`)
    .join('|');
}
