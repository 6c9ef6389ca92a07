/**
 * enrollMany of N customers against the raw SDK starting the same workflows (same ids scheme, input,
 * policies, search attributes) with the same concurrency, on the same dev server (SQLite, WAL), alternating;
 * then the wall time of a campaign sweep over an N-customer segment. Starts go to a task queue no worker
 * polls (the client path is measured), except the sweep, whose worker enrols for real.
 */
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { createCampaignActivities, definePlan } from '../src/campaigns';
import { createJourneyClient } from '../src/client';
import { journeySearchAttributes as attrs, journeyWorkflowId, type JourneyInput } from '../src/journey';
import { createPgliteProfileSource, defineSegment } from '../src/profile';
import { bundleJourneys } from '../src/worker';
import { reactivation } from '../workflows/reactivation';
import { onServer, type BenchServer } from './servers';

/**
 * Prints and returns the ratio (ours ÷ raw); on `given` (the cluster, say) or a dev server of its own.
 * `sweep: false` leaves out the campaign sweep's wall time.
 */
export function enrollManyBench(
  n: number,
  concurrency: number,
  rounds: number,
  options: { server?: BenchServer; sweep?: boolean } = {},
): Promise<number> {
  return onServer(options.server, 'many', (server) =>
    enrollMany(server, n, concurrency, rounds, options.sweep ?? true),
  );
}

async function enrollMany(
  server: BenchServer,
  n: number,
  concurrency: number,
  rounds: number,
  sweep: boolean,
): Promise<number> {
  const data = await createPgliteProfileSource();
  try {
    const client = server.client;
    const taskQueue = 'bench-many-nobody';
    const journeys = await createJourneyClient({ journeys: [reactivation], client, taskQueue });
    const raw = async (round: number) => {
      let next = 0;
      const started = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < n) {
            const id = `raw-${round}-${next++}`;
            await client.workflow.start('reactivation', {
              workflowId: journeyWorkflowId('reactivation', id),
              taskQueue,
              args: [{ customer: { id, email: `${id}@example.com` }, timeScale: 1 } satisfies JourneyInput],
              workflowIdReusePolicy: 'ALLOW_DUPLICATE',
              workflowIdConflictPolicy: 'FAIL',
              typedSearchAttributes: [
                { key: attrs.journeyName, value: 'reactivation' },
                { key: attrs.customerId, value: id },
              ],
            });
          }
        }),
      );
      return n / (Number(process.hrtime.bigint() - started) / 1e9);
    };
    const ours = async (round: number) => {
      const items = (function* () {
        for (let i = 0; i < n; i++)
          yield { customer: { id: `ours-${round}-${i}`, email: `ours-${round}-${i}@example.com` } };
      })();
      const summary = await journeys.enrollMany(reactivation, items, { concurrency });
      if (summary.enrolled !== n) throw new Error(`enrollMany enrolled ${summary.enrolled} of ${n}`);
      return n / (summary.durationMs / 1000);
    };
    const rawRates: number[] = [];
    const ourRates: number[] = [];
    for (let round = 0; round < rounds; round++) {
      rawRates.push(await raw(round));
      ourRates.push(await ours(round));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    console.log(
      `enrollMany of ${n.toLocaleString('en-US')} customers, ${concurrency} in flight, ${server.label}, ${rounds} rounds`,
    );
    const ratio = median(ourRates) / median(rawRates);
    console.log(
      `         ${median(ourRates).toFixed(0).padStart(6)} enrolments/s   raw workflow.start ${median(rawRates).toFixed(0).padStart(6)} starts/s   ratio ${ratio.toFixed(2)}`,
    );
    if (!sweep) return ratio;

    // A sweep over an n-customer segment, with a worker enrolling for real.
    for (let i = 0; i < n; i += 1000) {
      const ids = Array.from(
        { length: Math.min(1000, n - i) },
        (_, k) => `seg-${String(i + k).padStart(6, '0')}`,
      );
      await data.source.db.query(
        `INSERT INTO customers (id, email, sms_opt_in, signed_up_at) SELECT x, x || '@example.com', false, now() FROM unnest($1::text[]) AS x`,
        [ids],
      );
    }
    const everyone = defineSegment('bench-everyone', `SELECT id, email FROM customers WHERE id LIKE 'seg-%'`);
    const plan = definePlan({
      name: 'bench',
      campaigns: [{ segment: everyone, journey: 'reactivation', priority: 1, cooldown: '30 days' }],
    });
    const sweepQueue = 'bench-sweep';
    const sweepJourneys = await createJourneyClient({ journeys: [reactivation], client, taskQueue });
    const worker = await Worker.create({
      connection: server.nativeConnection,
      taskQueue: sweepQueue,
      workflowBundle: await bundleJourneys(path.resolve(__dirname, '..', 'workflows')),
      activities: createCampaignActivities({
        journeys: sweepJourneys,
        journeyRefs: [reactivation],
        db: data.source.db,
        taskQueue: sweepQueue,
      }),
      // Only the sweep and the contacts run here; the enrolled journeys wait on the unworked queue.
      maxConcurrentActivityTaskExecutions: 4,
    });
    await worker.runUntil(async () => {
      const started = process.hrtime.bigint();
      const summary = (await client.workflow.execute('campaignSweep', {
        workflowId: `bench-sweep-${Date.now()}`,
        taskQueue: sweepQueue,
        args: [{ plan, pageSize: 500 }],
      })) as { processed: number; entered: Record<string, number> };
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      console.log(
        `campaign sweep over a ${n.toLocaleString('en-US')}-customer segment (contact grant + enrolment each): ${seconds.toFixed(1)} s, ${(summary.processed / seconds).toFixed(0)} customers/s, entered ${summary.entered.reactivation ?? 0}`,
      );
    });
    return ratio;
  } finally {
    await data.close();
  }
}
