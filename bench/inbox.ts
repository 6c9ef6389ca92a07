/**
 * What keeping an event that reached no run costs, on the dev server with a worker running the inbox:
 *
 * - ours: `emit` of a goal for a customer not in the journey: the signal finds no run, the event is kept in
 *   the customer's inbox (signal-with-start) and signalled once more;
 * - the old path: the same signal alone, which lost the event;
 * - the alternative we did not build: signal-with-start of the journey itself for every goal (a run that
 *   waits for its trigger), one start per journey listening, and a closed run that blocks `reentry: never`.
 *
 * Starts per event are counted through visibility: inbox runs started ÷ events kept.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { createJourneyClient } from '../src/client';
import { loadConfig } from '../src/config';
import { EVENT_SIGNAL } from '../src/events';
import { journeyWorkflowId } from '../src/journey';
import { findTemporalCli, startLocalServer } from '../src/server';
import { startProviderFakes } from '../src/testing';
import { bundleJourneys } from '../src/worker';
import { OPEN_POLICY } from '../activities';
import { abandonedCart } from '../workflows/abandoned-cart';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function rate(n: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await op(next++);
    }),
  );
  return n / (Number(process.hrtime.bigint() - started) / 1e9);
}

export async function inboxBench(ops: number, concurrency: number, rounds: number): Promise<void> {
  const config = loadConfig();
  const cli = await findTemporalCli({
    explicitPath: config.server.cliPath,
    cacheDir: config.server.cacheDir,
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'journeys-bench-inbox-'));
  const server = await startLocalServer({ cli, dbFile: path.join(dir, 'inbox.sqlite') });
  const fakes = await startProviderFakes();
  try {
    const client = server.env.client;
    const taskQueue = 'bench-inbox';
    const worker = await Worker.create({
      connection: server.env.nativeConnection,
      taskQueue,
      workflowBundle: await bundleJourneys(path.resolve(__dirname, '..', 'workflows')),
      activities: fakes.activities({ gate: { client, taskQueue, policy: OPEN_POLICY } }),
    });
    await worker.runUntil(async () => {
      const journeys = await createJourneyClient({ journeys: [abandonedCart], client, taskQueue });
      const order = (id: string, i: number) => ({
        id: `order-${id}-${i}`,
        type: 'order.placed' as const,
        customer: id,
        data: { orderId: `o${i}`, cartId: 'k', total: 1 },
      });
      const envelope = (id: string, i: number) => ({
        ...order(id, i),
        customerId: id,
        at: new Date().toISOString(),
      });
      const ours = (tag: string) => (i: number) => journeys.emit(order(`${tag}-${i}`, i));
      const oldSignal = (tag: string) => (i: number) =>
        client.workflow
          .getHandle(journeyWorkflowId('abandoned-cart', `${tag}-${i}`, 'k'))
          .signal(EVENT_SIGNAL, envelope(`${tag}-${i}`, i))
          .catch(() => undefined);
      const orphan = (tag: string) => (i: number) =>
        client.workflow.signalWithStart('abandonedCart', {
          workflowId: journeyWorkflowId('abandoned-cart', `${tag}-${i}`, 'k'),
          taskQueue: 'bench-orphans-nobody-polls',
          args: [{ customer: { id: `${tag}-${i}` } }],
          signal: EVENT_SIGNAL,
          signalArgs: [envelope(`${tag}-${i}`, i)],
        });

      await rate(100, concurrency, ours('warm'));
      await rate(100, concurrency, oldSignal('warm'));
      const results = { ours: [] as number[], old: [] as number[], orphan: [] as number[] };
      for (let round = 0; round < rounds; round++) {
        results.old.push(await rate(ops, concurrency, oldSignal(`old${round}`)));
        results.ours.push(await rate(ops, concurrency, ours(`ours${round}`)));
        results.orphan.push(await rate(ops, concurrency, orphan(`orphan${round}`)));
      }
      // A burst: ten goals for each of a hundred customers, none in the journey.
      const burst = await rate(1_000, concurrency, (i) => journeys.emit(order(`burst-${i % 100}`, i)));
      const inboxes = async (prefix: string) =>
        (
          await client.workflow.count(
            `WorkflowType = 'journeyInbox' AND WorkflowId STARTS_WITH 'inbox/${prefix}'`,
          )
        ).count;
      let one = 0;
      let tens = 0;
      for (let i = 0; i < 50 && (one < ops || tens < 100); i++) {
        [one, tens] = await Promise.all([inboxes('ours0-'), inboxes('burst-')]);
        await new Promise((r) => setTimeout(r, 200));
      }
      console.log(
        `unrouted goal on the dev server, ${ops} events x ${rounds} rounds, ${concurrency} in flight; median round`,
      );
      console.log(
        `         emit (kept in the inbox) ${median(results.ours).toFixed(0)}/s   old signal (lost) ${median(results.old).toFixed(0)}/s   ratio ${(median(results.ours) / median(results.old)).toFixed(2)}`,
      );
      console.log(
        `         one start per journey instead (not built) ${median(results.orphan).toFixed(0)}/s, 1 start per listening journey per event`,
      );
      console.log(
        `         inbox starts per event: ${(one / ops).toFixed(2)} (one event per customer), ${(tens / 1_000).toFixed(2)} (ten per customer, ${burst.toFixed(0)}/s)`,
      );
    });
  } finally {
    await fakes.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
