/**
 * A journey test as a user writes it, against the public testing kit only: the welcome journey's month,
 * told in simulated time. (`npm test` runs it; it is also the README's example.)
 */
import { createJourneyTestEnv, type JourneyTestEnv } from 'temporal-journeys/testing';
import { welcome } from '../workflows/welcome';

let env: JourneyTestEnv;
beforeAll(async () => {
  env = await createJourneyTestEnv({ journeys: [welcome], workflowsPath: require.resolve('../workflows') });
});
afterAll(() => env.close());

test('Ada confirms on the second day, gets her welcome code, goes quiet and is handed to sales on day 7', async () => {
  const ada = await env.customer({ email: 'ada@example.com', firstName: 'Ada' });
  await env.journeys.contacts.update(ada.id, { channels: { email: 'pending' } }); // double opt-in
  await env.emit('customer.signed_up', ada, { firstName: 'Ada' });

  await env.advance('1 day');
  const [confirmation] = await env.outbox(ada);
  await env.confirm(confirmation!);
  await env.advance('6 days');

  const sent = await env.outbox(ada);
  expect(sent.map((m) => (m.channel === 'email' ? m.subject : m.channel))).toEqual([
    'Please confirm your subscription',
    'Welcome! Here is 10% off your first order',
    'Three things to try this week',
    'webhook', // the sales hand-off
  ]);
  expect(await env.outcome(welcome, ada)).toBe('handed-to-sales');
});
