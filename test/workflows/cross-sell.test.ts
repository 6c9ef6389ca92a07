/**
 * Every branch of cross-sell, with recommendations read at decision time: a shop order (a "goes with"
 * email five days later, clicked or reminded), a bank-style card order (insurance by email and SMS within
 * a day), and nothing left to recommend.
 */
import type { SqlProfileSource } from '../../src/profile';
import { createJourneyTestEnv, type JourneyTestEnv, type TestCustomer } from '../../src/testing';
import { crossSell } from '../../workflows/cross-sell';

let env: JourneyTestEnv<SqlProfileSource>;
beforeAll(async () => {
  env = await createJourneyTestEnv({
    profiles: 'sql',
    journeys: [crossSell],
    workflowsPath: require.resolve('../../workflows'),
  });
  await env.data.addProducts([
    { id: 'x-oolong', name: 'Oolong 100g', category: 'tea', price: 12, rank: 1 },
    { id: 'x-teapot', name: 'Blue teapot', category: 'teaware', price: 40, rank: 1 },
    { id: 'x-strainer', name: 'Tea strainer', category: 'teaware', price: 8, rank: 2 },
    { id: 'x-card', name: 'Gold card', category: 'cards', price: 0, rank: 1 },
    { id: 'x-cover', name: 'Purchase protection', category: 'insurance', price: 5, rank: 1 },
  ]);
  await env.data.relateCategories('tea', 'teaware', 'goes with your tea');
  await env.data.relateCategories('cards', 'insurance', 'protect your card');
});
afterAll(() => env?.close());

const DAY = 86_400_000;
let n = 0;
async function buy(
  productIds: string[],
  phone?: string,
): Promise<{ c: TestCustomer; orderId: string; start: number }> {
  n += 1;
  const c = await env.customer({ email: `xs-${n}-${Date.now()}@example.com`, phone });
  const catalog: Record<string, { name: string; category: string; price: number }> = {
    'x-oolong': { name: 'Oolong 100g', category: 'tea', price: 12 },
    'x-teapot': { name: 'Blue teapot', category: 'teaware', price: 40 },
    'x-strainer': { name: 'Tea strainer', category: 'teaware', price: 8 },
    'x-card': { name: 'Gold card', category: 'cards', price: 0 },
  };
  const orderId = `xs-order-${n}`;
  const start = (await env.now()).getTime();
  await env.data.addOrder({
    id: orderId,
    customerId: c.id,
    placedAt: new Date(start),
    items: productIds.map((id) => ({ productId: id, ...catalog[id]!, quantity: 1 })),
  });
  await env.emit('order.placed', c, { orderId, total: 12 });
  return { c, orderId, start };
}

test('tea: the best teaware five days later; a click ends it', async () => {
  const { c, orderId, start } = await buy(['x-oolong']);
  await env.advance('5 days');
  const [offer] = await env.outbox(c);
  expect(offer).toMatchObject({ channel: 'email', subject: 'Blue teapot' });
  expect(Math.round((offer!.at.getTime() - start) / DAY)).toBe(5);
  await env.click(offer!, 'https://shop.example/p/x-teapot');
  expect(await env.outcome(crossSell, c, orderId)).toBe('clicked');
  await env.advance('5 days');
  expect(await env.outbox(c)).toHaveLength(1);
});

test('tea, no click: one reminder three days later', async () => {
  const { c, orderId } = await buy(['x-oolong']);
  await env.advance('9 days');
  expect((await env.outbox(c)).map((m) => m.channel === 'email' && m.subject)).toEqual([
    'Blue teapot',
    'Still thinking about Blue teapot',
  ]);
  expect(await env.outcome(crossSell, c, orderId)).toBe('offered');
});

test('what the customer bought meanwhile is not recommended: decided on the data of day 5', async () => {
  const { c } = await buy(['x-oolong']);
  await env.advance('2 days');
  await env.data.addOrder({
    id: `xs-later-${c.id}`,
    customerId: c.id,
    items: [{ productId: 'x-teapot', name: 'Blue teapot', category: 'teaware', price: 40, quantity: 1 }],
  });
  await env.advance('3 days');
  expect((await env.outbox(c))[0]).toMatchObject({ subject: 'Tea strainer' });
});

test('a card: insurance within a day, by email and SMS', async () => {
  const { c, orderId, start } = await buy(['x-card'], '+14155553001');
  await env.advance('1 day');
  const sent = await env.outbox(c);
  expect(sent.map((m) => (m.channel === 'email' ? m.subject : m.channel))).toEqual([
    'Purchase protection',
    'sms',
  ]);
  expect(sent[1]?.channel === 'sms' && sent[1].body).toContain('protect your card');
  expect(Math.round((sent[0]!.at.getTime() - start) / DAY)).toBe(1);
  expect(await env.outcome(crossSell, c, orderId)).toBe('offered');
});

test('nothing left to recommend: nothing is sent', async () => {
  const { c, orderId } = await buy(['x-oolong', 'x-teapot', 'x-strainer']);
  await env.advance('5 days');
  expect(await env.outcome(crossSell, c, orderId)).toBe('nothing-to-offer');
  expect(await env.outbox(c)).toEqual([]);
});
