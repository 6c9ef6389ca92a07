/**
 * The worker of `bench/worker-memory.ts`, in a process of its own so that its memory is the worker's alone:
 * `createJourneyWorker` as a user runs it, from the `temporal.yaml` the parent wrote (`JOURNEYS_CONFIG`), on a
 * prebuilt bundle. It answers the parent's questions over IPC: memory, and the worker's cache counters
 * scraped from the Core SDK's Prometheus endpoint.
 */
import v8 from 'node:v8';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createJourneyWorker } from '../src/worker';

/** What the parent asks. */
export type ChildRequest = { type: 'memory'; gc: boolean } | { type: 'stop' };

/** What the child reports. */
export type ChildMessage =
  | { type: 'ready'; maxCachedWorkflows: number; workflowTasks: number | undefined }
  | {
      type: 'memory';
      rss: number;
      heapUsed: number;
      heapTotal: number;
      external: number;
      metrics: Record<string, number>;
    }
  | { type: 'stopped' };

/** Temporal's own default cache for this heap (`@temporalio/worker` `addDefaultWorkerOptions`, reuseV8Context). */
export function sdkDefaultCache(): number {
  const heapMiB = v8.getHeapStatistics().heap_size_limit / 1024 / 1024;
  return Math.max(Math.floor((Math.max(heapMiB - 200, 0) * 600) / 1024), 10);
}

const send = (message: ChildMessage) => process.send?.(message);
const metricsPort = Number(process.env.BENCH_METRICS_PORT);

/** The `temporal_sticky_cache_*` counters and the workflow tasks run so far, summed over their labels. */
async function scrape(): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const sums: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match =
      /^(temporal_(?:sticky_cache\w*|workflow_task_execution_latency_count))(?:\{[^}]*\})? ([\d.e+-]+)$/.exec(
        line,
      );
    if (match) sums[match[1] as string] = (sums[match[1] as string] ?? 0) + Number(match[2]);
  }
  return sums;
}

async function main(): Promise<void> {
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${metricsPort}` } } },
  });
  const cache = process.env.BENCH_CACHE;
  // `sdk`: Temporal's default, given explicitly (ours would apply otherwise); a number comes from the
  // file's `worker:` section; `default`: nothing set, our default.
  const worker = await createJourneyWorker({
    workflowBundle: { codePath: process.env.BENCH_BUNDLE as string },
    maxCachedWorkflows: cache === 'sdk' ? sdkDefaultCache() : undefined,
  });
  const tuner = worker.worker.options.tuner as { workflowTaskSlotSupplier?: { numSlots?: number } };
  // The parent gone (killed, crashed): nobody will ask for a stop.
  process.on('disconnect', () => process.exit(1));
  process.on('message', (request: ChildRequest) => {
    void (async () => {
      if (request.type === 'stop') {
        worker.shutdown();
        return;
      }
      if (request.gc) (globalThis as { gc?: () => void }).gc?.();
      const memory = process.memoryUsage();
      send({
        type: 'memory',
        rss: memory.rss,
        heapUsed: memory.heapUsed,
        heapTotal: memory.heapTotal,
        external: memory.external,
        metrics: await scrape(),
      });
    })();
  });
  send({
    type: 'ready',
    maxCachedWorkflows: worker.worker.options.maxCachedWorkflows,
    workflowTasks: tuner.workflowTaskSlotSupplier?.numSlots,
  });
  await worker.run();
  await worker.close();
  send({ type: 'stopped' });
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
