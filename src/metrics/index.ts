/**
 * What an on-call engineer counts, next to the Temporal SDK's own metrics:
 * - `journeys_sends` (worker): sends by `channel`, `status` (`sent`, `rejected`: the provider refused for
 *   good, `retrying`: a failed attempt Temporal retries) and `journey`;
 * - `journeys_gate_decisions` (worker): the contact's answers by `channel`, `decision` (`allow`, `defer`,
 *   `suppress`) and `reason`;
 * - `journeys_events` (`journeys serve`): events applied, by `type` and `result` (`delivered`, `not-running`,
 *   `not-entered`, `unrouted`: no journey listens, `duplicate`);
 * - `journeys_ingest_requests` (`journeys serve`): HTTP requests by `route` and `status` code.
 *
 * A worker's counters go through the Temporal runtime's meter, so they are exported wherever the SDK's are
 * (`metrics:` in temporal.yaml, or your own `Runtime.install`), with its task-queue and namespace tags.
 * `journeys serve` keeps its own and answers them in Prometheus' text format at `GET /metrics` (a key with
 * the `metrics:read` scope).
 */
import { Context } from '@temporalio/activity';
import type { MetricCounter, MetricMeter, MetricTags } from '@temporalio/common';

export const METRICS = {
  sends: { name: 'journeys_sends', help: 'Sends by channel, status and journey.' },
  gateDecisions: {
    name: 'journeys_gate_decisions',
    help: "The contact's answers by channel, decision, reason.",
  },
  events: { name: 'journeys_events', help: 'Events applied, by type and result.' },
  ingestRequests: {
    name: 'journeys_ingest_requests',
    help: 'HTTP requests to journeys serve, by route, status.',
  },
} as const;

type MetricName = keyof typeof METRICS;

const counters = new WeakMap<MetricMeter, Map<MetricName, MetricCounter>>();

/**
 * Adds to a counter of the running activity's meter; nothing outside an activity (a test calling a channel).
 * Counts attempts: an activity retried after its answer was counted (a worker killed before reporting it)
 * counts again. Never throws: a metric is not worth failing a send over.
 */
export function countInActivity(metric: MetricName, tags: MetricTags): void {
  try {
    const meter = Context.current().metricMeter;
    const own = counters.get(meter) ?? new Map<MetricName, MetricCounter>();
    counters.set(meter, own);
    let counter = own.get(metric);
    if (!counter) {
      const { name, help } = METRICS[metric];
      counter = meter.createCounter(name, '1', help);
      own.set(metric, counter);
    }
    counter.add(1, tags);
  } catch {
    // outside an activity, or a meter that failed: nothing counted
  }
}

/**
 * Counters kept in this process, answered in Prometheus' text exposition format: what `journeys serve`
 * exports at `/metrics`.
 */
export class MetricsRegistry {
  private readonly counters = new Map<MetricName, Map<string, number>>();

  add(metric: MetricName, labels: Readonly<Record<string, string>>, by = 1): void {
    const series = this.counters.get(metric) ?? new Map<string, number>();
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
    series.set(key, (series.get(key) ?? 0) + by);
    this.counters.set(metric, series);
  }

  /** The value of one series (0 when never counted). */
  value(metric: MetricName, labels: Readonly<Record<string, string>>): number {
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
    return this.counters.get(metric)?.get(key) ?? 0;
  }

  /**
   * Prometheus text format 0.0.4: `# HELP`, `# TYPE … counter`, one `name{labels} value` per series (named as
   * the worker's are: Temporal's exporter adds no `_total`).
   */
  render(): string {
    const lines: string[] = [];
    for (const [metric, series] of this.counters) {
      const { name, help } = METRICS[metric];
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const [key, value] of series) {
        const labels = (JSON.parse(key) as [string, string][])
          .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`)
          .join(',');
        lines.push(`${name}{${labels}} ${value}`);
      }
    }
    return lines.length ? `${lines.join('\n')}\n` : '';
  }
}
