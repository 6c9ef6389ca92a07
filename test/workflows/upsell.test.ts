/**
 * Every branch of upsell, decided on the profile at each step: a satisfied customer offered the next tier
 * (and reminded), upgrading converts, an open complaint or an old review keeps them out, a complaint during
 * the offer stops the reminder, and the top tier has nothing to offer.
 */
import type { SqlProfileSource } from '../../src/profile';
import { createJourneyTestEnv, type JourneyTestEnv, type TestCustomer } from '../../src/testing';
import { upsell } from '../../workflows/upsell';

let env: JourneyTestEnv<SqlProfileSource>;
beforeAll(async () => {
  env = await createJourneyTestEnv({
    journeys: [upsell],
    profiles: 'sql',
    workflowsPath: require.resolve('../../workflows'),
  });
});
afterAll(() => env?.close());

const DAY = 86_400_000;
let n = 0;
/** A customer on `plan` who just left a review of `rating` stars (or `daysAgo` days ago). */
async function reviewer(plan: string, rating: number, daysAgo = 0): Promise<TestCustomer> {
  n += 1;
  const c = await env.customer({ email: `up-${n}-${Date.now()}@example.com`, plan });
  await env.data.addReview(c.id, rating, new Date((await env.now()).getTime() - daysAgo * DAY));
  await env.emit('review.submitted', c, { reviewId: `r-${c.id}`, rating });
  return c;
}
const subjects = async (c: TestCustomer) =>
  (await env.outbox(c)).map((m) => (m.channel === 'email' ? m.subject : m.channel));

test('satisfied on basic: plus offered a day later, a reminder five days after, then not-upgraded', async () => {
  const c = await reviewer('basic', 5);
  const start = (await env.now()).getTime();
  await env.advance('13 days');
  const sent = await env.outbox(c);
  expect(await subjects(c)).toEqual(['Upgrade to plus', 'Last chance: Upgrade to plus']);
  expect(sent.map((m) => Math.round((m.at.getTime() - start) / DAY))).toEqual([1, 6]);
  expect(await env.outcome(upsell, c)).toBe('not-upgraded');
});

test('upgrading after the offer converts', async () => {
  const c = await reviewer('plus', 4);
  await env.advance('2 days');
  await env.emit('plan.upgraded', c, { plan: 'premium' });
  expect(await env.state(upsell, c)).toMatchObject({ outcome: 'converted', convertedAfter: 'offer' });
  expect(await subjects(c)).toEqual(['Upgrade to premium']);
});

test('an open complaint, a poor review or an old one: not satisfied, nothing sent', async () => {
  const complaining = await env.customer({ email: 'up-complaint@example.com', plan: 'basic' });
  await env.data.openComplaint(complaining.id);
  await env.data.addReview(complaining.id, 5);
  await env.emit('review.submitted', complaining, { reviewId: 'r-complaint', rating: 5 });
  const poor = await reviewer('basic', 2);
  const old = await reviewer('basic', 5, 40);
  for (const c of [complaining, poor, old]) {
    expect(await env.outcome(upsell, c)).toBe('not-satisfied');
    expect(await env.outbox(c)).toEqual([]);
  }
});

test('a complaint opened after the offer stops the reminder', async () => {
  const c = await reviewer('basic', 5);
  await env.advance('2 days');
  await env.data.openComplaint(c.id, await env.now());
  await env.advance('5 days');
  expect(await subjects(c)).toEqual(['Upgrade to plus']);
  expect(await env.outcome(upsell, c)).toBe('not-satisfied');
});

test('premium already: nothing to offer', async () => {
  const c = await reviewer('premium', 5);
  expect(await env.outcome(upsell, c)).toBe('top-tier');
});
