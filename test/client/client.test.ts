import { isJourneyError } from '../../src/errors';
import type { JourneyState } from '../../src/journey';
import { journeyWorkflowId } from '../../src/journey';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { createJourneyWorker } from '../../src/worker';
import { abandonedCart, dailyDigest, winBack } from '../fixtures/journeys';
import { rejection, workflowExists } from '../support/outcomes';

let t: JourneyTestEnvironment;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [abandonedCart, winBack, dailyDigest],
    workflowsPath: require.resolve('../fixtures/journeys'),
  });
});
afterAll(() => t?.close());

const uid = () => Math.random().toString(36).slice(2, 10);
const cart = (cartId: string) => ({ cartId, items: ['Tea'], url: `https://shop.example/cart/${cartId}` });

const exists = (workflowId: string) => workflowExists(t.env.client, workflowId);

test('bad input is rejected at the client, naming the field, and nothing is sent', async () => {
  await t.run(async ({ journeys }) => {
    const id = `c-${uid()}`;
    const bad = await rejection(
      journeys.emit({
        type: 'cart.abandoned',
        customer: id,
        data: { cartId: 'k', items: [], url: 'https://x.example' },
      }),
    );
    expect(bad.code).toBe('EVENT_INVALID');
    expect(bad.issues.map((i) => i.path)).toEqual(['data.items']);

    const unknown = await rejection(journeys.emit({ type: 'cart.emptied', customer: id, data: {} }));
    expect(unknown.code).toBe('EVENT_UNKNOWN');

    const noCustomer = await rejection(journeys.emit({ type: 'cart.abandoned', data: cart('k') } as never));
    expect(noCustomer.issues.map((i) => i.path)).toEqual(['customer.id']);

    const badPhone = await rejection(
      journeys.emit({ type: 'cart.abandoned', customer: { id, phone: '555-1234' }, data: cart('k') }),
    );
    expect(badPhone.issues.map((i) => i.path)).toEqual(['customer.phone']);

    expect(await exists(journeyWorkflowId('abandoned-cart', id, 'k'))).toBe(false);
  });
});

test("a customer id holding '/' cannot reach another customer's keyed journey", async () => {
  await t.run(async ({ journeys }) => {
    const alice = `alice-${uid()}`;
    const victim = { id: alice, email: `${alice}@example.com` };
    await journeys.emit({ type: 'cart.abandoned', customer: victim, data: cart('cart-1') });
    // "alice/cart-1" with no key would have been the victim's workflow id without encoding.
    expect(journeyWorkflowId('abandoned-cart', `${alice}/cart-1`)).not.toBe(
      journeyWorkflowId('abandoned-cart', alice, 'cart-1'),
    );
    const { deliveries } = await journeys.emit({
      type: 'order.placed',
      customer: `${alice}/cart-1`,
      data: { orderId: 'o', cartId: 'x', total: 1 },
    });
    expect(deliveries).toEqual([expect.objectContaining({ status: 'not-running' })]);
    const state = await journeys.state(abandonedCart, { customerId: alice, key: 'cart-1' });
    expect(state.outcome).toBeNull();
  });
});

test('enroll starts a proactive journey once; reentry never refuses a second enrolment after it ended', async () => {
  await t.run(async ({ journeys }) => {
    const c = { id: `wb-${uid()}`, email: `${uid()}@example.com` };
    const first = await journeys.enroll(winBack, { customer: c, data: { offer: '20% off' } });
    expect(first.status).toBe('enrolled');
    const result = (await t.env.client.workflow.getHandle(first.workflowId).result()) as JourneyState;
    expect(result).toMatchObject({
      outcome: 'completed',
      steps: [expect.objectContaining({ name: 'offer' })],
    });
    expect(t.outbox.emails(c.email).map((m) => m.subject)).toEqual(['You left 20% off in your cart']);

    expect((await journeys.enroll(winBack, { customer: c })).status).toBe('not-entered');
    expect(
      isJourneyError(await rejection(journeys.enroll(abandonedCart, { customer: c })), 'JOURNEY_INVALID'),
    ).toBe(true);
  });
});

test('reentry always: enrolling while running joins the live run; after it ends, a new run starts', async () => {
  await t.run(async ({ journeys }) => {
    const c = { id: `dd-${uid()}`, email: `${uid()}@example.com` };
    const a = await journeys.enroll(dailyDigest, { customer: c });
    const b = await journeys.enroll(dailyDigest, { customer: c });
    expect(b.runId).toBe(a.runId);
    await t.env.client.workflow.getHandle(a.workflowId).result();
    const again = await journeys.enroll(dailyDigest, { customer: c });
    expect(again.runId).not.toBe(a.runId);
    await t.env.client.workflow.getHandle(again.workflowId).result();
    expect(t.outbox.emails(c.email)).toHaveLength(2);
  });
});

test('reentry after 7 days: a new abandonment during the hold is ignored, after it starts again', async () => {
  await t.run(async ({ journeys }) => {
    const c = { id: `re-${uid()}`, email: `${uid()}@example.com` };
    await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('k') });
    await t.env.sleep('61 minutes');
    const [email] = await t.outbox.waitFor((m) => m.channel === 'email' && m.to.includes(c.email));
    expect(await t.fakes.resend.click(email!.id, 'https://shop.example/cart/k')).toBe(200);
    let state = await journeys.state(abandonedCart, { customerId: c.id, key: 'k' });
    for (let i = 0; i < 40 && state.outcome === null; i++) {
      await new Promise((r) => setTimeout(r, 50));
      state = await journeys.state(abandonedCart, { customerId: c.id, key: 'k' });
    }
    expect(state.outcome).toBe('completed');
    expect(Date.parse(state.reenterableAt!) - Date.parse(state.steps[0]!.at)).toBeGreaterThanOrEqual(
      7 * 86_400_000,
    );

    await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('k') }); // during the hold: ignored
    const workflowId = journeyWorkflowId('abandoned-cart', c.id, 'k');
    await t.env.client.workflow.getHandle(workflowId).result(); // the hold ends
    expect(t.outbox.emails(c.email)).toHaveLength(1);

    await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('k') });
    await t.env.sleep('61 minutes');
    await t.outbox.waitFor((m) => m.channel === 'email' && m.to.includes(c.email), { count: 2 });
  });
});

test('state of a journey the customer is not in throws JourneyNotFoundError; exit says not-running', async () => {
  await t.run(async ({ journeys }) => {
    const missing = { customerId: `nobody-${uid()}`, key: 'k' };
    expect(isJourneyError(await rejection(journeys.state(abandonedCart, missing)), 'JOURNEY_NOT_FOUND')).toBe(
      true,
    );
    expect(await journeys.exit(abandonedCart, missing)).toEqual({
      journey: 'abandoned-cart',
      workflowId: journeyWorkflowId('abandoned-cart', missing.customerId, 'k'),
      status: 'not-running',
    });
  });
});

test('a journey exported under another name than its workflow type fails the worker at start', async () => {
  const err = await rejection(
    createJourneyWorker({
      connection: t.env.nativeConnection,
      taskQueue: 'never-polled',
      activities: t.fakes.activities(),
      journeys: { cartJourney: abandonedCart },
    }),
  );
  expect(err.code).toBe('JOURNEY_INVALID');
  expect(err.message).toContain('abandonedCart');
});
