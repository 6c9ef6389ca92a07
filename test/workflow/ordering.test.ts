/**
 * The order window, case by case on the time-skipping server (the model-based test on the dev server,
 * `test/client/order.dev.test.ts`, covers the interleavings): events apply in `at` order whatever their
 * arrival order, an event from before the journey began does not count, and `orderWindow: 0` applies on
 * arrival.
 */
import type { JourneyClient } from '../../src/client';
import { journeyWorkflowId, type JourneyState } from '../../src/journey';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { raceCart } from '../fixtures/order/journeys';

let t: JourneyTestEnvironment;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [raceCart],
    workflowsPath: require.resolve('../fixtures/order/journeys'),
  });
});
afterAll(() => t?.close());

let n = 0;
const customer = () => {
  n += 1;
  const id = `ord-${n}-${Date.now().toString(36)}`;
  return { id, email: `${id}@example.com` };
};
const KEY = 'cart';
const trigger = (c: { id: string; email: string }, item: string, at: number) =>
  ({ type: 'race.cart_abandoned', customer: c, data: { cartId: KEY, item }, at: new Date(at) }) as const;
const goal = (c: { id: string }, at: number) =>
  ({ type: 'race.order_placed', customer: c.id, data: { cartId: KEY }, at: new Date(at) }) as const;
const result = async (c: { id: string }) =>
  (await t.env.client.workflow.getHandle(journeyWorkflowId('race-cart', c.id, KEY)).result()) as JourneyState;
const subjects = (c: { email: string }) => t.outbox.emails(c.email).map((m) => m.subject);

test('the earliest trigger is the run’s, even when a later one reached Temporal first', async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    const now = await t.env.currentTimeMs();
    await journeys.emit(trigger(c, 'late', now + 10));
    await journeys.emit(trigger(c, 'early', now));
    const state = await result(c);
    expect(state.outcome).toBe('completed');
    expect(subjects(c)).toEqual(['You left early in your cart', 'You left nudge in your cart']);
  });
});

test('a goal from before the journey began does not convert it, though it arrives after the trigger', async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    const now = await t.env.currentTimeMs();
    await journeys.emit(trigger(c, 'tea', now));
    await journeys.emit(goal(c, now - 1_000)); // the order placed a second before the cart was abandoned
    const state = await result(c);
    expect(state.outcome).toBe('completed');
    expect(state.ignoredEvents).toBe(1);
    expect(subjects(c)).toHaveLength(2);
  });
});

test('an exit and a goal: the earlier `at` wins, whichever arrives first', async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    const now = await t.env.currentTimeMs();
    await journeys.emit(trigger(c, 'tea', now));
    await journeys.exit(raceCart, { customerId: c.id, key: KEY, at: new Date(now + 20) });
    await journeys.emit(goal(c, now + 10));
    const state = await result(c);
    expect(state.outcome).toBe('converted');
    expect(subjects(c)).toEqual([]);
  });
});

test('a goal that reaches Temporal before its trigger converts the journey that trigger starts', async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    const now = await t.env.currentTimeMs();
    const { deliveries } = await journeys.emit(goal(c, now + 10));
    expect(deliveries.map((d) => d.status)).toEqual(['not-running']); // kept in the customer's inbox
    await journeys.emit(trigger(c, 'tea', now));
    const state = await result(c);
    expect(state.outcome).toBe('converted');
    expect(subjects(c)).toEqual([]);
  });
});

test('with orderWindow 0 events apply on arrival: an exit applied first is not undone by an earlier goal', async () => {
  const c = customer();
  const local = await createJourneyTestEnvironment({
    journeys: [raceCart],
    workflowsPath: require.resolve('../fixtures/order/journeys'),
    eventOptions: { orderWindow: '0 ms' },
  });
  try {
    await local.run(async ({ journeys }: { journeys: JourneyClient }) => {
      const now = await local.env.currentTimeMs();
      await journeys.emit(trigger(c, 'tea', now));
      await journeys.exit(raceCart, { customerId: c.id, key: KEY, at: new Date(now + 20) });
      let state = await journeys.state(raceCart, { customerId: c.id, key: KEY });
      for (let i = 0; i < 100 && state.outcome === null; i++) {
        await new Promise((r) => setTimeout(r, 50));
        state = await journeys.state(raceCart, { customerId: c.id, key: KEY });
      }
      expect(state.outcome).toBe('exited');
      // The goal happened before the exit, but reached the run after it was applied: too late.
      await journeys.emit(goal(c, now + 10));
      const final = (await local.env.client.workflow
        .getHandle(journeyWorkflowId('race-cart', c.id, KEY))
        .result()) as JourneyState;
      expect(final.outcome).toBe('exited');
    });
  } finally {
    await local.close();
  }
});
