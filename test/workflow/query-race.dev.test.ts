/**
 * A query waiting for a run's first workflow task (a dashboard or `journeys.state()` asking while the
 * worker was down) is answered in that task. Temporal's core then completes the task early, with the
 * inbox's local activity result recorded but not yet given to the journey, which gets it in the next task;
 * a replay gives it in the first. Before `temporal-journeys.patches-first`, the contact gate's patches,
 * decided at the first send right after, saw a different task on replay and the history no longer replayed
 * (found on the cluster with workers SIGKILLed while the test queried). Every history made this way replays.
 */
import { Worker } from '@temporalio/worker';
import { OPEN_POLICY } from '../../activities';
import { createJourneyClient } from '../../src/client';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { bundleJourneys, createJourneyWorker } from '../../src/worker';
import { twoGatedSends } from '../fixtures/query-race';

let t: JourneyTestEnvironment;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [twoGatedSends],
    workflowsPath: require.resolve('../fixtures/query-race'),
    server: 'dev',
  });
});
afterAll(() => t?.close());

test('runs queried before their first task replay, and each sent both emails once', async () => {
  const workflowBundle = await bundleJourneys(require.resolve('../fixtures/query-race'));
  const taskQueue = `query-race-${Date.now().toString(36)}`;
  const journeys = await createJourneyClient({ journeys: [twoGatedSends], client: t.env.client, taskQueue });
  const customers = Array.from({ length: 24 }, (_, i) => ({
    id: `${taskQueue}-${i}`,
    email: `${taskQueue}-${i}@example.com`,
  }));
  // No worker yet: each run's first task waits. Queries go on the whole time (refused while no worker
  // polls); those that arrive as the worker starts are answered in the runs' first tasks.
  const runs = await Promise.all(customers.map((customer) => journeys.enroll(twoGatedSends, { customer })));
  let querying = true;
  let answered = 0;
  const queries = customers.map(async (c) => {
    while (querying) {
      await journeys.state(twoGatedSends, { customerId: c.id }).then(
        () => (answered += 1),
        () => undefined,
      );
      await new Promise((r) => setTimeout(r, 10));
    }
  });
  await new Promise((r) => setTimeout(r, 300));
  const worker = await createJourneyWorker({
    connection: t.env.nativeConnection,
    client: t.env.client,
    taskQueue,
    workflowBundle,
    activities: t.fakes.activities({ gate: { client: t.env.client, taskQueue, policy: OPEN_POLICY } }),
  });
  await worker.runUntil(async () => {
    await Promise.all(runs.map((r) => t.env.client.workflow.getHandle(r.workflowId).result()));
    querying = false;
    await Promise.all(queries);
  });
  expect(answered).toBeGreaterThan(0);

  for (const c of customers) expect(t.outbox.emails(c.email)).toHaveLength(2);
  const histories = await Promise.all(
    runs.map(async (r) => ({
      workflowId: r.workflowId,
      history: await t.env.client.workflow.getHandle(r.workflowId).fetchHistory(),
    })),
  );
  const failures: string[] = [];
  for await (const replayed of Worker.runReplayHistories({ workflowBundle }, histories))
    if (replayed.error) failures.push(`${replayed.workflowId}: ${replayed.error.message.slice(0, 300)}`);
  expect(failures).toEqual([]);
  await journeys.close();
}, 120_000);
