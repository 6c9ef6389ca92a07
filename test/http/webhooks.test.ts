/**
 * Delivery webhooks from the fakes, signed the providers' way, become customer events the journeys see;
 * forged ones get 401 and change nothing.
 */
import { EVENT_SIGNAL } from '../../src/events';
import type { JourneyState } from '../../src/journey';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { abandonedCart } from '../../workflows/abandoned-cart';

const phones = new Map<string, string>();
let t: JourneyTestEnvironment;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [abandonedCart],
    workflowsPath: require.resolve('../../workflows'),
    customerByPhone: (phone) => phones.get(phone),
  });
});
afterAll(() => t?.close());

let n = 0;
function customer() {
  n += 1;
  const c = {
    id: `wh-${n}-${Date.now()}`,
    email: `wh${n}-${Date.now()}@example.com`,
    phone: `+1415557${String(1000 + n).slice(-4)}`,
  };
  phones.set(c.phone, c.id);
  return c;
}
const cart = (cartId: string) => ({ cartId, items: ['Tea'], url: `https://shop.example/cart/${cartId}` });

test('a signed Resend email.clicked reaches the journey waiting for it, tied to the step that sent the email', async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    const { deliveries } = await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('w1') });
    const handle = t.env.client.workflow.getHandle(deliveries[0]!.workflowId);
    await t.env.sleep('61 minutes');
    const [email] = await t.outbox.waitFor((m) => m.channel === 'email' && m.to.includes(c.email));
    expect(await t.fakes.resend.open(email!.id)).toBe(200);
    expect(await t.fakes.resend.click(email!.id, 'https://shop.example/cart/w1')).toBe(200);

    const state = (await handle.result()) as JourneyState;
    expect(state.steps.map((s) => s.name)).toEqual(['reminder-email']); // the click stopped the SMS
    expect(state.sends).toEqual([
      expect.objectContaining({ step: 'reminder-email', status: 'sent', messageId: email!.id }),
    ]);
    const history = await handle.fetchHistory();
    const clicks = (history.events ?? [])
      .filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === EVENT_SIGNAL)
      .map(
        (e) =>
          JSON.parse(
            Buffer.from(e.workflowExecutionSignaledEventAttributes!.input!.payloads![0]!.data!).toString(),
          ) as { type: string; data: Record<string, unknown> },
      )
      .filter((e) => e.type === 'email.clicked');
    expect(clicks).toEqual([
      expect.objectContaining({
        data: {
          messageId: email!.id,
          journey: 'abandoned-cart',
          step: 'reminder-email',
          key: 'w1',
          url: 'https://shop.example/cart/w1',
        },
      }),
    ]);
  });
});

test('a click webhook with a bad signature gets 401, and the journey times out to the SMS', async () => {
  const c = customer();
  await t.run(async ({ journeys, webhooks }) => {
    const { deliveries } = await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('w2') });
    await t.env.sleep('61 minutes');
    const [email] = await t.outbox.waitFor((m) => m.channel === 'email' && m.to.includes(c.email));
    const real = t.fakes.resend.webhook!;
    t.fakes.resend.webhook = {
      url: real.url,
      secret: 'whsec_' + Buffer.from('not the real secret').toString('base64'),
    };
    expect(await t.fakes.resend.click(email!.id, 'https://shop.example/cart/w2')).toBe(401);
    t.fakes.resend.webhook = real;
    const unsigned = await fetch(`${webhooks.url}/webhooks/resend`, {
      method: 'POST',
      body: '{"type":"email.clicked"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.status).toBe(401);

    const state = (await t.env.client.workflow.getHandle(deliveries[0]!.workflowId).result()) as JourneyState;
    expect(state.steps.map((s) => s.name)).toEqual(['reminder-email', 'reminder-sms']);
  });
});

test('Twilio: delivery status comes back signed; a forged status gets 401', async () => {
  const c = customer();
  await t.run(async ({ journeys, webhooks }) => {
    const { deliveries } = await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('w3') });
    await t.env.client.workflow.getHandle(deliveries[0]!.workflowId).result();
    await t.outbox.waitFor((m) => m.channel === 'sms' && m.to === c.phone);
    for (let i = 0; i < 50 && t.fakes.twilio.webhookResponses.length < 2; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(t.fakes.twilio.webhookResponses.slice(-2)).toEqual([200, 200]); // sent, delivered
    const forged = await fetch(`${webhooks.url}/webhooks/twilio/status?customer=${c.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'AAAA' },
      body: 'MessageSid=SM1&MessageStatus=delivered',
    });
    expect(forged.status).toBe(401);
  });
});

test('Twilio inbound STOP from a number we cannot match, then a send: Twilio refuses it with 21610 and the journey records it', async () => {
  const c = customer();
  phones.delete(c.phone); // the STOP reaches Twilio, but we cannot tell whose number it is
  await t.run(async ({ journeys }) => {
    expect(await t.fakes.twilio.receive(c.phone, 'STOP')).toBe(200);
    const { deliveries } = await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('w4') });
    const state = (await t.env.client.workflow.getHandle(deliveries[0]!.workflowId).result()) as JourneyState;
    expect(state.sends.map((s) => [s.step, s.status, s.status === 'failed' ? s.reason : undefined])).toEqual([
      ['reminder-email', 'sent', undefined],
      ['reminder-sms', 'failed', '21610'],
    ]);
    expect(state.outcome).toBe('completed');
    expect(t.outbox.sms(c.phone)).toHaveLength(0);
  });
});

test('Twilio inbound STOP from a known customer: the contact suppresses SMS before anything reaches Twilio', async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    const before = t.fakes.twilio.requests;
    expect(await t.fakes.twilio.receive(c.phone, 'STOP')).toBe(200);
    expect((await journeys.contacts.get(c.id)).suppressed.sms).toMatchObject({ reason: 'stopped' });
    const { deliveries } = await journeys.emit({ type: 'cart.abandoned', customer: c, data: cart('w5') });
    const state = (await t.env.client.workflow.getHandle(deliveries[0]!.workflowId).result()) as JourneyState;
    expect(state.sends.map((s) => [s.step, s.status, s.status === 'sent' ? undefined : s.reason])).toEqual([
      ['reminder-email', 'sent', undefined],
      ['reminder-sms', 'suppressed', 'stopped'],
    ]);
    expect(t.fakes.twilio.requests).toBe(before); // no SMS request at all
  });
});
