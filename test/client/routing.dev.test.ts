/**
 * Routing on the real dev server: the race of an event emitted right after its trigger, and the
 * visibility route for keyed journeys whose key an event does not carry. Journeys here keep their real
 * durations, so the tests poll state instead of awaiting results.
 */
import { advertiseTimeScale, createJourneyClient, type JourneyClient } from '../../src/client';
import { journeyWorkflowId, type JourneyState } from '../../src/journey';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { abandonedCart } from '../../workflows/abandoned-cart';

let t: JourneyTestEnvironment;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [abandonedCart],
    workflowsPath: require.resolve('../../workflows'),
    server: 'dev',
  });
});
afterAll(() => t?.close());

const uid = () => Math.random().toString(36).slice(2, 10);
const cart = (cartId: string) => ({ cartId, items: ['Tea'], url: `https://shop.example/cart/${cartId}` });

async function until(
  journeys: JourneyClient,
  customerId: string,
  key: string,
  done: (s: JourneyState) => boolean,
): Promise<JourneyState> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const state = await journeys.state(abandonedCart, { customerId, key });
    if (done(state) || Date.now() > deadline) return state;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('an order emitted right after the abandonment reaches the journey it started (16 customers at once)', async () => {
  await t.run(async ({ journeys }) => {
    const customers = Array.from({ length: 16 }, () => ({
      id: `race-${uid()}`,
      email: `${uid()}@example.com`,
    }));
    await Promise.all(
      customers.map(async (c) => {
        await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('k') });
        const { deliveries } = await journeys.emit({
          type: 'order.placed',
          customer: c.id,
          data: { orderId: 'o', cartId: 'k', total: 1 },
        });
        expect(deliveries).toEqual([
          {
            journey: 'abandoned-cart',
            workflowId: journeyWorkflowId('abandoned-cart', c.id, 'k'),
            status: 'delivered',
          },
        ]);
      }),
    );
    const states = await Promise.all(
      customers.map((c) => until(journeys, c.id, 'k', (s) => s.outcome !== null)),
    );
    expect(states.map((s) => s.outcome)).toEqual(customers.map(() => 'converted'));
    expect(customers.flatMap((c) => t.outbox.emails(c.email))).toHaveLength(0);
  });
});

test("an event without the journey's key finds the customer's keyed runs through visibility, and no one else's", async () => {
  await t.run(async ({ journeys }) => {
    const c = { id: `vis-${uid()}`, email: `${uid()}@example.com` };
    const other = { id: `vis-${uid()}`, email: `${uid()}@example.com` };
    await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('k1') });
    await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('k2') });
    await journeys.emit({ type: 'cart.abandoned', customer: other, data: cart('k1') });
    // Visibility is eventually consistent: wait until both runs are listed before emitting.
    const query = `JourneyName = 'abandoned-cart' AND CustomerId = '${c.id}' AND ExecutionStatus = 'Running'`;
    for (let i = 0; i < 100 && (await t.env.client.workflow.count(query)).count < 2; i++)
      await new Promise((r) => setTimeout(r, 100));

    const { deliveries } = await journeys.emit({
      type: 'order.placed',
      customer: c.id,
      data: { orderId: 'o', total: 5 },
    }); // no cartId
    expect(deliveries.map((d) => d.workflowId).sort()).toEqual([
      journeyWorkflowId('abandoned-cart', c.id, 'k1'),
      journeyWorkflowId('abandoned-cart', c.id, 'k2'),
    ]);
    expect((await until(journeys, c.id, 'k1', (s) => s.outcome !== null)).outcome).toBe('converted');
    expect((await until(journeys, c.id, 'k2', (s) => s.outcome !== null)).outcome).toBe('converted');
    expect((await journeys.state(abandonedCart, { customerId: other.id, key: 'k1' })).outcome).toBeNull();
  });
});

test('search attributes tell where customers are: journey, customer, outcome', async () => {
  await t.run(async ({ journeys }) => {
    const c = { id: `sa-${uid()}`, email: `${uid()}@example.com` };
    await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('k') });
    await journeys.emit({
      type: 'order.placed',
      customer: c.id,
      data: { orderId: 'o', cartId: 'k', total: 1 },
    });
    await until(journeys, c.id, 'k', (s) => s.outcome !== null);
    const query = `JourneyName = 'abandoned-cart' AND CustomerId = '${c.id}' AND JourneyOutcome = 'converted'`;
    let count = 0;
    for (let i = 0; i < 100 && count === 0; i++) {
      count = (await t.env.client.workflow.count(query)).count;
      if (count === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(count).toBe(1);
  });
});

test("a client of the app's own, connecting to a server that advertises a time scale (journeys dev), starts runs at it", async () => {
  await advertiseTimeScale(t.env.client, 3600);
  try {
    const inputScale = async (options: { timeScale?: number }) => {
      const journeys = await createJourneyClient({
        journeys: [abandonedCart],
        client: t.env.client,
        taskQueue: `scale-${uid()}`,
        ...options,
      });
      const customer = { id: `c-${uid()}`, email: 'scale@example.com' };
      const key = `k-${uid()}`;
      await journeys.emit({ type: 'cart.abandoned', customer, data: cart(key) });
      const history = await t.env.client.workflow
        .getHandle(journeyWorkflowId('abandoned-cart', customer.id, key))
        .fetchHistory();
      const payload = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
      return (JSON.parse(Buffer.from(payload.data!).toString()) as { timeScale: number }).timeScale;
    };
    expect(await inputScale({})).toBe(3600);
    expect(await inputScale({ timeScale: 2 })).toBe(2); // an explicit option still wins
  } finally {
    await advertiseTimeScale(t.env.client, 1);
  }
});
