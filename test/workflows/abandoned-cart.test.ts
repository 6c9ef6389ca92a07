import { WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { EVENT_SIGNAL } from '../../src/events';
import { journeySearchAttributes, type JourneyState } from '../../src/journey';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { abandonedCart } from '../../workflows/abandoned-cart';

let t: JourneyTestEnvironment;
let n = 0;

beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [abandonedCart],
    workflowsPath: require.resolve('../../workflows'),
  });
});
afterAll(() => t?.close());

const HOUR = 3_600_000;
/** The A/B split of the first reminder's delay. */
const DELAYS = { '15 minutes': 15 * 60_000, '1 hour': HOUR };

/** A fresh customer per test, so the shared outbox can be read per customer. */
function customer() {
  n += 1;
  const id = `cust-${n}-${Date.now()}`;
  return { id, email: `${id}@example.com`, phone: `+1415555${String(1000 + n).slice(-4)}` };
}

const cart = (cartId: string) => ({
  cartId,
  items: ['Blue teapot', 'Oolong 100g'],
  url: `https://shop.example/cart/${cartId}`,
});

const stepAt = (state: JourneyState, name: string) => {
  const step = state.steps.find((s) => s.name === name);
  return step ? Date.parse(step.at) : undefined;
};

test('no purchase: email after the A/B delay, then SMS after one more day without a click', async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    const { event } = await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('k1') });
    const handle = t.env.client.workflow.getHandle(
      journeys.workflowId(abandonedCart, { customerId: c.id, key: 'k1' }),
    );
    const result = (await handle.result()) as JourneyState;

    expect(result.outcome).toBe('completed');
    expect(result.steps.map((s) => s.name)).toEqual(['reminder-email', 'reminder-sms']);
    const startedAt = (await handle.describe()).startTime.getTime();
    const emailAt = stepAt(result, 'reminder-email')!;
    const smsAt = stepAt(result, 'reminder-sms')!;
    const delay = DELAYS[result.variant as keyof typeof DELAYS];
    expect(delay).toBeDefined();
    expect(emailAt - startedAt).toBeGreaterThanOrEqual(delay);
    expect(emailAt - startedAt).toBeLessThan(delay + 60_000);
    expect(smsAt - emailAt).toBeGreaterThanOrEqual(24 * HOUR);
    expect(smsAt - emailAt).toBeLessThan(24 * HOUR + 60_000);

    const [email] = t.outbox.emails(c.email);
    expect(email?.subject).toBe('You left 2 items in your cart');
    expect(email?.text).toContain('https://shop.example/cart/k1');
    expect(email?.idempotencyKey).toMatch(new RegExp(`^${handle.workflowId}/.+/reminder-email#1$`));
    const sms = t.outbox.sms(c.phone);
    expect(sms).toHaveLength(1);
    expect(sms[0]?.body).toBe('Your cart is waiting: https://shop.example/cart/k1');
    expect(event.type).toBe('cart.abandoned');
  });
});

test('a purchase before the first reminder converts the customer and sends nothing', async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('k2') });
    await t.env.sleep('10 minutes');
    const { deliveries } = await journeys.emit({
      type: 'order.placed',
      customer: c.id,
      data: { orderId: 'o-1', cartId: 'k2', total: 42 },
    });
    expect(deliveries).toEqual([expect.objectContaining({ journey: 'abandoned-cart', status: 'delivered' })]);
    const handle = t.env.client.workflow.getHandle(
      journeys.workflowId(abandonedCart, { customerId: c.id, key: 'k2' }),
    );
    const result = (await handle.result()) as JourneyState;
    expect(result.outcome).toBe('converted');
    expect(result.convertedAfter).toBeNull();
    expect(result.steps).toEqual([]);
    expect(t.outbox.emails(c.email)).toHaveLength(0);
    expect(t.outbox.sms(c.phone)).toHaveLength(0);
  });
});

test('a click after the email: no SMS, outcome completed', async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('k3') });
    await t.env.sleep('61 minutes');
    const [email] = await t.outbox.waitFor((m) => m.channel === 'email' && m.to.includes(c.email));
    // The customer clicks: Resend's signed webhook names the message, which the journey sent.
    expect(await t.fakes.resend.click(email!.id, 'https://shop.example/cart/k3')).toBe(200);
    const handle = t.env.client.workflow.getHandle(
      journeys.workflowId(abandonedCart, { customerId: c.id, key: 'k3' }),
    );
    const result = (await handle.result()) as JourneyState;
    expect(result.outcome).toBe('completed');
    expect(result.steps.map((s) => s.name)).toEqual(['reminder-email']);
    expect(t.outbox.sms(c.phone)).toHaveLength(0);
  });
});

test('the same event id twice is handled once; the same cart abandoned twice is one journey', async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    const first = await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('k4') });
    await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('k4') }); // abandoned again: new id
    const clickId = 'click-once';
    await t.env.sleep('61 minutes');
    const [email] = await t.outbox.waitFor((m) => m.channel === 'email' && m.to.includes(c.email));
    const workflowId = journeys.workflowId(abandonedCart, { customerId: c.id, key: 'k4' });
    // A click buffered twice under one id would satisfy two waitFor calls; handled once, it satisfies one.
    const click = { messageId: email!.id, journey: 'abandoned-cart', step: 'reminder-email', key: 'k4' };
    await journeys.emit({ id: clickId, type: 'email.clicked', customer: c.id, data: click });
    await journeys.emit({ id: clickId, type: 'email.clicked', customer: c.id, data: click });
    const result = (await t.env.client.workflow.getHandle(workflowId).result()) as JourneyState;
    expect(result.outcome).toBe('completed');
    expect(t.outbox.emails(c.email)).toHaveLength(1);
    const history = await t.env.client.workflow.getHandle(workflowId).fetchHistory();
    const signals =
      history.events?.filter(
        (e) => e.workflowExecutionSignaledEventAttributes?.signalName === EVENT_SIGNAL,
      ) ?? [];
    expect(signals).toHaveLength(4); // both abandonments and both clicks reached the one run
    expect(first.deliveries[0]?.workflowId).toBe(workflowId);
  });
});

test('a delivery event that arrives while its send is in flight waits for the send, then reaches the waitFor', async () => {
  const c = customer();
  // Resend accepts the email (its webhooks go out) but answers a second later: the click races the answer.
  t.fakes.resend.answerDelayMs = 1_000;
  try {
    await t.run(async ({ journeys }) => {
      await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('k5') });
      const handle = t.env.client.workflow.getHandle(
        journeys.workflowId(abandonedCart, { customerId: c.id, key: 'k5' }),
      );
      const result = handle.result(); // lets the server skip the first hour
      const [email] = await t.outbox.waitFor((m) => m.channel === 'email' && m.to.includes(c.email));
      expect(await t.fakes.resend.click(email!.id, 'https://shop.example/cart/k5')).toBe(200);
      const state = (await result) as JourneyState;
      expect(state.steps.map((s) => s.name)).toEqual(['reminder-email']);
      expect(state.rejectedEvents).toBe(0);
      expect(t.outbox.emails(c.email)).toHaveLength(1);
      expect(t.outbox.sms(c.phone)).toHaveLength(0);
    });
  } finally {
    t.fakes.resend.answerDelayMs = 0;
  }
});

test('a delivery event about a message the run never sent, or with no message, is rejected and counted', async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('k10') });
    const id = journeys.workflowId(abandonedCart, { customerId: c.id, key: 'k10' });
    await t.env.sleep('61 minutes');
    await t.outbox.waitFor((m) => m.channel === 'email' && m.to.includes(c.email));
    // Straight at the run, bypassing the client: no message id, another message's id, a field it lacks.
    const now = new Date(await t.env.currentTimeMs()).toISOString();
    for (const [n, data] of [{ nope: 1 }, { messageId: 'not-ours', key: 'k10' }, { key: 'k10' }].entries())
      await t.env.client.workflow.getHandle(id).signal(EVENT_SIGNAL, {
        id: `forged-${n}`,
        type: 'email.clicked',
        customerId: c.id,
        data,
        at: now,
      });
    const result = (await t.env.client.workflow.getHandle(id).result()) as JourneyState;
    expect(result.rejectedEvents).toBe(3);
    expect(result.steps.map((s) => s.name)).toEqual(['reminder-email', 'reminder-sms']); // no click counted
  });
});

test('an exit while Resend is still answering: the email that went out is in the state, and nothing after it', async () => {
  const c = customer();
  t.fakes.resend.answerDelayMs = 1_500;
  try {
    await t.run(async ({ journeys }) => {
      await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('k11') });
      const id = journeys.workflowId(abandonedCart, { customerId: c.id, key: 'k11' });
      const result = t.env.client.workflow.getHandle(id).result();
      await t.outbox.waitFor((m) => m.channel === 'email' && m.to.includes(c.email));
      // The provider has the email; its answer is still on the way when the customer is taken out.
      const { status } = await journeys.exit(abandonedCart, {
        customerId: c.id,
        key: 'k11',
        reason: 'support',
      });
      expect(status).toBe('delivered');
      const state = (await result) as JourneyState;
      expect(state.outcome).toBe('exited');
      expect(state.sends.map((s) => [s.step, s.status])).toEqual([['reminder-email', 'sent']]);
      expect(state.sends[0]).toMatchObject({ messageId: t.outbox.emails(c.email)[0]!.id });
      expect(t.outbox.emails(c.email)).toHaveLength(1);
      expect(t.outbox.sms(c.phone)).toHaveLength(0);
    });
  } finally {
    t.fakes.resend.answerDelayMs = 0;
  }
});

test('a forged bad payload signalled straight at the workflow does not wedge it', async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('k6') });
    const handle = t.env.client.workflow.getHandle(
      journeys.workflowId(abandonedCart, { customerId: c.id, key: 'k6' }),
    );
    await handle.signal(EVENT_SIGNAL, {
      id: 'forged-1',
      type: 'order.placed',
      customerId: c.id,
      data: { orderId: 42 },
      at: new Date().toISOString(),
    });
    await handle.signal(EVENT_SIGNAL, 'not even an object');
    await handle.signal(EVENT_SIGNAL, {
      id: 'forged-2',
      type: 'order.placed',
      customerId: 'someone-else',
      data: { orderId: 'o', total: 1 },
      at: new Date().toISOString(),
    });
    // Signals that reach a run while it reads its inbox are handled right after: ask until they are.
    let state = await journeys.state(abandonedCart, { customerId: c.id, key: 'k6' });
    for (let i = 0; i < 50 && state.rejectedEvents < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = await journeys.state(abandonedCart, { customerId: c.id, key: 'k6' });
    }
    expect(state.rejectedEvents).toBe(3);
    expect(state.outcome).toBeNull();
    // Still alive: a valid goal converts it.
    await journeys.emit({
      type: 'order.placed',
      customer: c.id,
      data: { orderId: 'o-6', cartId: 'k6', total: 10 },
    });
    expect(((await handle.result()) as JourneyState).outcome).toBe('converted');
  });
});

test('exit takes the customer out with outcome exited', async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('k7') });
    await journeys.exit(abandonedCart, { customerId: c.id, key: 'k7', reason: 'support request' });
    const handle = t.env.client.workflow.getHandle(
      journeys.workflowId(abandonedCart, { customerId: c.id, key: 'k7' }),
    );
    expect(((await handle.result()) as JourneyState).outcome).toBe('exited');
    expect(t.outbox.emails(c.email)).toHaveLength(0);
  });
});

test('a permanent provider rejection is a result, not a crash', async () => {
  const c = { ...customer(), phone: '+15005550001' };
  t.fakes.twilio.stopped.add(c.phone);
  await t.run(async ({ journeys }) => {
    await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('k8') });
    const handle = t.env.client.workflow.getHandle(
      journeys.workflowId(abandonedCart, { customerId: c.id, key: 'k8' }),
    );
    const result = (await handle.result().catch((err: unknown) => {
      throw err instanceof WorkflowFailedError ? new Error(`journey failed: ${String(err.cause)}`) : err;
    })) as JourneyState;
    expect(result.outcome).toBe('completed');
    expect(result.steps.map((s) => s.name)).toEqual(['reminder-email', 'reminder-sms']);
    expect(t.outbox.sms(c.phone)).toHaveLength(0);
  });
});

test('a service in another language can start a journey with the raw signal-with-start protocol', async () => {
  const c = customer();
  await t.run(async ({ taskQueue }) => {
    // What a Go or Python service sends: the README's ids, signal name, envelope and start argument, no search attributes.
    const workflowId = `journey/abandoned-cart/${encodeURIComponent(c.id)}/${encodeURIComponent('k9')}`;
    const handle = await t.env.client.workflow.signalWithStart('abandonedCart', {
      workflowId,
      taskQueue,
      args: [{ customer: { id: c.id, email: c.email } }],
      signal: 'journeys.event',
      signalArgs: [
        {
          id: 'go-1',
          type: 'cart.abandoned',
          customerId: c.id,
          data: cart('k9'),
          at: new Date(await t.env.currentTimeMs()).toISOString(), // the test server's clock
        },
      ],
    });
    const result = (await handle.result()) as JourneyState;
    expect(result.steps.map((s) => s.name)).toEqual(['reminder-email']); // no phone, so no SMS
    const { typedSearchAttributes } = await handle.describe();
    expect(typedSearchAttributes.get(journeySearchAttributes.journeyName)).toBe('abandoned-cart');
    expect(typedSearchAttributes.get(journeySearchAttributes.customerId)).toBe(c.id);
    expect(typedSearchAttributes.get(journeySearchAttributes.outcome)).toBe('completed');
  });
});

test('a start without a customer fails the run with JOURNEY_INVALID instead of retrying forever', async () => {
  await t.run(async ({ taskQueue }) => {
    const handle = await t.env.client.workflow.start('abandonedCart', {
      workflowId: `journey/abandoned-cart/bad-${Date.now()}`,
      taskQueue,
      args: [{}],
    });
    const err = await handle.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(((err as WorkflowFailedError).cause as ApplicationFailure).type).toBe('JOURNEY_INVALID');
  });
});

test('the first delay is an A/B split: the same customer always gets the same variant, recorded on the run', async () => {
  const seen = new Map<string, string>();
  await t.run(async ({ journeys }) => {
    for (const id of ['ab-ada', 'ab-grace', 'ab-linus', 'ab-edsger', 'ab-barbara', 'ab-alan']) {
      await journeys.emit({
        type: 'cart.abandoned',
        customer: { id, email: `${id}@example.com` },
        data: cart('ab'),
      });
    }
    await t.env.sleep('61 minutes');
    for (const id of ['ab-ada', 'ab-grace', 'ab-linus', 'ab-edsger', 'ab-barbara', 'ab-alan']) {
      const handle = t.env.client.workflow.getHandle(
        journeys.workflowId(abandonedCart, { customerId: id, key: 'ab' }),
      );
      const state = await handle.query<JourneyState>('journeys.state');
      const startedAt = (await handle.describe()).startTime.getTime();
      const delay = DELAYS[state.variant as keyof typeof DELAYS];
      expect(Date.parse(state.steps[0]!.at) - startedAt - delay).toBeLessThan(60_000);
      expect((await handle.describe()).typedSearchAttributes.get(journeySearchAttributes.variant)).toBe(
        state.variant,
      );
      seen.set(id, state.variant!);
    }
  });
  expect(new Set(seen.values())).toEqual(new Set(['15 minutes', '1 hour'])); // both arms are used
  // Again for the same customers (new carts): the same arm each.
  await t.run(async ({ journeys }) => {
    for (const [id, variant] of seen) {
      await journeys.emit({
        type: 'cart.abandoned',
        customer: { id, email: `${id}@example.com` },
        data: cart('ab-2'),
      });
      let state = await journeys.state(abandonedCart, { customerId: id, key: 'ab-2' });
      for (let i = 0; i < 100 && state.variant === null; i++) {
        await new Promise((r) => setTimeout(r, 20));
        state = await journeys.state(abandonedCart, { customerId: id, key: 'ab-2' });
      }
      expect(state.variant).toBe(variant);
    }
  });
});
