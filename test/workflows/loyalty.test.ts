/**
 * Every branch of loyalty over a year, decided on the order data at each order: bronze to silver to gold
 * with congratulations, the reminder two weeks before points expire, a move down when points expire, and
 * `lapsed` after a year without orders.
 */
import type { SqlProfileSource } from '../../src/profile';
import { createJourneyTestEnv, type JourneyTestEnv, type TestCustomer } from '../../src/testing';
import { loyalty } from '../../workflows/loyalty';

let env: JourneyTestEnv<SqlProfileSource>;
beforeAll(async () => {
  env = await createJourneyTestEnv({
    profiles: 'sql',
    journeys: [loyalty],
    workflowsPath: require.resolve('../../workflows'),
  });
});
afterAll(() => env?.close());

const DAY = 86_400_000;
let n = 0;
async function member(): Promise<TestCustomer> {
  n += 1;
  return env.customer({ email: `loyal-${n}-${Date.now()}@example.com` });
}
async function order(c: TestCustomer, total: number): Promise<void> {
  n += 1;
  const orderId = `loyal-order-${n}-${c.id}`;
  await env.data.addOrder({
    id: orderId,
    customerId: c.id,
    placedAt: await env.now(),
    items: [{ productId: 'p-tea', name: 'Tea', category: 'tea', price: total, quantity: 1 }],
  });
  await env.emit('order.placed', c, { orderId, total });
}
const log = async (c: TestCustomer, start: number) =>
  (await env.outbox(c)).map((m) => [
    m.channel === 'email' ? m.subject : m.channel,
    Math.round((m.at.getTime() - start) / DAY),
  ]);

test('orders move the customer up, bronze to silver to gold, each move congratulated with its perks', async () => {
  const c = await member();
  const start = (await env.now()).getTime();
  await order(c, 100); // 100 points: bronze, where everyone starts
  await env.advance('10 days');
  await order(c, 250); // 350: silver
  await env.advance('10 days');
  await order(c, 700); // 1050: gold
  expect(await log(c, start)).toEqual([
    ['Welcome to silver!', 10],
    ['Welcome to gold!', 20],
  ]);
  const gold = (await env.outbox(c))[1];
  expect(gold?.channel === 'email' && gold.text).toContain(
    '1050 points. Your perks: free express shipping and 15% off.',
  );
  expect((await env.state(loyalty, c)).steps.map((s) => s.name)).toEqual(['tier-up-silver', 'tier-up-gold']);
});

test('points about to expire: a reminder two weeks before; when they expire, a move down; a year later, lapsed', async () => {
  const c = await member();
  const start = (await env.now()).getTime();
  await order(c, 400); // silver
  await env.advance('200 days');
  await order(c, 50); // still silver (450)
  await env.advance('200 days'); // day 351: the first order's 400 points expire on day 365
  expect(await log(c, start)).toEqual([
    ['Welcome to silver!', 0],
    ['400 points expire soon', 351],
    ['Your tier is now bronze', 365],
  ]);
  await env.advance('170 days'); // day 570: the second order's points expire on day 565
  expect((await log(c, start)).slice(3)).toEqual([['50 points expire soon', 551]]);
  expect(await env.outcome(loyalty, c)).toBe('lapsed');
});
