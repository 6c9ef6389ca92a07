/**
 * Every branch of the first-purchase journey over its 30 days: thank-you, how-to, the review request three
 * days after delivery, the private-sale code without a second order, a second order ending it, no
 * delivery (no review request), and an order that is not the customer's first.
 */
import type { SqlProfileSource } from '../../src/profile';
import { createJourneyTestEnv, type JourneyTestEnv, type TestCustomer } from '../../src/testing';
import { firstPurchase } from '../../workflows/first-purchase';

let env: JourneyTestEnv<SqlProfileSource>;
beforeAll(async () => {
  env = await createJourneyTestEnv({
    profiles: 'sql',
    journeys: [firstPurchase],
    workflowsPath: require.resolve('../../workflows'),
  });
});
afterAll(() => env?.close());

const DAY = 86_400_000;
const teapot = { productId: 'p-teapot', name: 'Blue teapot', category: 'teaware', price: 40, quantity: 1 };

let n = 0;
async function order(c: TestCustomer, placedAt?: Date): Promise<string> {
  n += 1;
  const id = `fp-order-${n}-${c.id}`;
  await env.data.addOrder({
    id,
    customerId: c.id,
    placedAt: placedAt ?? (await env.now()),
    items: [teapot],
  });
  return id;
}
async function firstOrder(): Promise<{ c: TestCustomer; orderId: string; start: Date }> {
  const c = await env.customer({ email: `fp-${n}-${Math.random().toString(36).slice(2, 6)}@example.com` });
  const start = await env.now();
  const orderId = await order(c);
  await env.emit('order.placed', c, { orderId, total: 40 });
  return { c, orderId, start };
}
const timeline = async (c: TestCustomer, start: Date) =>
  (await env.outbox(c)).map((m) => [
    m.channel === 'email' ? m.subject : m.channel,
    Math.round((m.at.getTime() - start.getTime()) / DAY),
  ]);

test('no second order: thank-you, how-to on day 2, review request 3 days after delivery, private sale on day 30', async () => {
  const { c, orderId, start } = await firstOrder();
  await env.advance('4 days');
  await env.emit('order.delivered', c, { orderId });
  await env.advance('26 days');
  const sent = await env.outbox(c);
  expect(await timeline(c, start)).toEqual([
    [`Thank you for your order ${orderId}`, 0],
    ['Getting the most out of your order', 2],
    ['How was your order?', 7],
    ['A private sale, just for you', 30],
  ]);
  expect(sent[1]?.channel === 'email' && sent[1].text).toContain('Guides for teaware');
  const code = await env.data.assignPromoCode(c.id, 'private-sale');
  expect(sent[3]?.channel === 'email' && sent[3].text).toContain(code);
  expect(await env.outcome(firstPurchase, c)).toBe('private-sale-offered');
});

test('a second order within 30 days (even while waiting for delivery) ends it as a repeat customer', async () => {
  const { c, start } = await firstOrder();
  await env.advance('10 days');
  await env.emit('order.placed', c, { orderId: await order(c), total: 40 });
  await env.advance('14 days');
  expect(await env.outcome(firstPurchase, c)).toBe('repeat-customer');
  expect(await timeline(c, start)).toEqual([
    [expect.stringMatching(/^Thank you/), 0],
    ['Getting the most out of your order', 2],
  ]);
});

test('never delivered: no review request; the private sale still comes on day 30', async () => {
  const { c, start } = await firstOrder();
  await env.advance('30 days');
  expect((await timeline(c, start)).map(([subject]) => subject)).toEqual([
    expect.stringMatching(/^Thank you/),
    'Getting the most out of your order',
    'A private sale, just for you',
  ]);
  expect((await env.state(firstPurchase, c)).steps.map((s) => s.name)).toEqual([
    'thank-you',
    'how-to',
    'private-sale',
  ]);
});

test('a customer with an earlier order is not a first-time buyer: nothing is sent', async () => {
  const c = await env.customer({ email: `fp-repeat-${Date.now()}@example.com` });
  await order(c, new Date((await env.now()).getTime() - 40 * DAY));
  await env.emit('order.placed', c, { orderId: await order(c), total: 40 });
  expect(await env.outcome(firstPurchase, c)).toBe('not-first-order');
  expect(await env.outbox(c)).toEqual([]);
});

test("the first order emitted again, or another order's delivery, changes nothing", async () => {
  const { c, orderId, start } = await firstOrder();
  await env.advance('3 days');
  await env.emit('order.placed', c, { orderId, total: 40 }); // a retry of the first order, new event id
  await env.emit('order.delivered', c, { orderId: 'someone-elses-parcel' });
  await env.advance('27 days');
  expect((await timeline(c, start)).map(([subject]) => subject)).toEqual([
    expect.stringMatching(/^Thank you/),
    'Getting the most out of your order',
    'A private sale, just for you',
  ]);
  expect(await env.outcome(firstPurchase, c)).toBe('private-sale-offered');
});
