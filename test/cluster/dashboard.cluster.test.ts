/**
 * The dashboard's API on the cluster (SQL visibility on PostgreSQL, the default visibility rate limit), in a
 * namespace of its own so its counts are this test's runs only: six abandoned carts, two ordered at once,
 * two clicked, two reaching the SMS. The list, the journey's detail (funnel, outcomes, paths, runs) and its
 * map answer with what the runs did.
 */
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { NativeConnection, Worker } from '@temporalio/worker';
import path from 'node:path';
import { OPEN_POLICY } from '../../activities';
import { createJourneyClient } from '../../src/client';
import { startDashboard, type Dashboard, type JourneyDetail, type JourneySummary } from '../../src/dashboard';
import { deliveryEvents, type AnyEventDefinition } from '../../src/events';
import { registerSearchAttributes } from '../../src/server/search-attributes';
import { startProviderFakes, type ProviderFakes } from '../../src/testing';
import { bundleJourneys } from '../../src/worker';
import { abandonedCart } from '../../workflows/abandoned-cart';

const address = process.env.JOURNEYS_CLUSTER_ADDRESS!;
const tag = `d${Date.now().toString(36)}`;
const namespace = `dashboard-${tag}`;
const taskQueue = `dashboard-${tag}`;

let connection: Connection;
let native: NativeConnection;
let fakes: ProviderFakes;
let dashboard: Dashboard;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined && done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

beforeAll(async () => {
  connection = await Connection.connect({ address });
  await connection.workflowService.registerNamespace({
    namespace,
    workflowExecutionRetentionPeriod: msToTs('1 day'),
  });
  // A new namespace reaches every frontend's cache within seconds; its search attributes after it.
  await until(
    async () => {
      await registerSearchAttributes(connection, namespace);
      await connection.workflowService.listWorkflowExecutions({
        namespace,
        pageSize: 1,
        query: `JourneyName = 'probe'`,
      });
      return true;
    },
    (ok) => ok,
  );
  native = await NativeConnection.connect({ address });
  fakes = await startProviderFakes();
}, 120_000);

afterAll(async () => {
  await dashboard?.close();
  await fakes?.close();
  await native?.close();
  await connection?.close();
});

const get = async <T>(p: string): Promise<{ status: number; body: T; type: string }> => {
  const res = await fetch(`${dashboard.url}${p}`);
  const type = res.headers.get('content-type') ?? '';
  return {
    status: res.status,
    type,
    body: (type.includes('json') ? await res.json() : await res.text()) as T,
  };
};

test('list, detail, paths and map of a journey answer with what its runs did', async () => {
  const client = new Client({ connection, namespace });
  const worker = await Worker.create({
    connection: native,
    namespace,
    taskQueue,
    workflowBundle: await bundleJourneys(require.resolve('../../workflows')),
    activities: fakes.activities({ gate: { client, taskQueue, policy: OPEN_POLICY } }),
  });
  await worker.runUntil(async () => {
    const journeys = await createJourneyClient({
      journeys: [abandonedCart],
      events: deliveryEvents as readonly AnyEventDefinition[],
      client,
      taskQueue,
      timeScale: 36_000, // a journey day is 2.4 s
    });
    const customer = (i: number) => ({
      id: `${tag}-${i}`,
      email: `${tag}-${i}@example.com`,
      phone: `+1415557${1000 + i}`,
    });
    const cart = (i: number) => ({
      cartId: `cart-${i}`,
      items: ['Tea'],
      url: `https://shop.example/cart/${i}`,
    });
    for (let i = 0; i < 6; i++) {
      await journeys.emit({ type: 'cart.abandoned', customer: customer(i), data: cart(i) });
      if (i < 2)
        await journeys.emit({
          type: 'order.placed',
          customer: customer(i).id,
          data: { orderId: `o-${i}`, cartId: cart(i).cartId, total: 9 },
        });
    }
    await Promise.all(
      [2, 3].map(async (i) => {
        const [email] = await fakes.outbox.waitFor(
          (m) => m.channel === 'email' && m.to.includes(customer(i).email),
          {
            timeoutMs: 30_000,
          },
        );
        await journeys.emit({
          type: 'email.clicked',
          customer: customer(i).id,
          data: { messageId: email!.id, key: cart(i).cartId },
        });
      }),
    );
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const state = await until(
        () => journeys.state(abandonedCart, { customerId: customer(i).id, key: cart(i).cartId }),
        (s) => s.outcome !== null,
      );
      outcomes.push(state.outcome!);
    }
    expect(outcomes.sort()).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
      'converted',
      'converted',
    ]);
    await journeys.close();
  });

  dashboard = await startDashboard({
    client,
    namespace,
    journeys: [abandonedCart.definition],
    sourceDir: path.resolve(__dirname, '..', '..', 'workflows'),
  });
  // Visibility is eventually consistent: the list answers once it has every run's outcome.
  const list = await until(
    () => get<JourneySummary[]>('/api/journeys'),
    (r) => r.body.find((j) => j.name === 'abandoned-cart')?.converted === 2,
  );
  expect(list.body.find((j) => j.name === 'abandoned-cart')).toMatchObject({
    entered: 6,
    running: 0,
    converted: 2,
  });

  const detail = await until(
    () => get<JourneyDetail>('/api/journeys/abandoned-cart?since=1h'),
    (r) =>
      r.status === 200 && r.body.funnel.outcomes.converted === 2 && r.body.funnel.outcomes.completed === 4,
  );
  const emailed = new Set(fakes.outbox.emails().flatMap((m) => m.to)).size;
  const texted = new Set(fakes.outbox.sms().map((m) => m.to)).size;
  expect(texted).toBe(2);
  expect(detail.body.funnel).toMatchObject({ entered: 6, running: 0 });
  expect(detail.body.funnel.steps.map((s) => [s.step, s.passed])).toEqual([
    ['reminder-email', emailed],
    ['reminder-sms', texted],
  ]);
  expect(detail.body.paths).toMatchObject({ total: 6, sampled: 6 });
  expect(detail.body.runs).toHaveLength(6);
  expect(detail.body.runs.every((r) => r.customerId?.startsWith(tag))).toBe(true);
  expect('svg' in detail.body.map).toBe(true);

  const map = await get<string>('/api/journeys/abandoned-cart/map.svg');
  expect(map.status).toBe(200);
  expect(map.type).toMatch(/svg/);
  expect(map.body).toMatch(/^<svg/);
  expect((await get('/api/journeys/nope')).status).toBe(404);
}, 180_000);
