/**
 * Every branch of the welcome journey, with time moved by days: double opt-in (confirmed at once, after the
 * reminder, never), the welcome series with its promo code, SMS only with a phone and SMS consent, the
 * sales hand-off on day 7 for the inactive, and a first order converting from anywhere.
 */
import type { SqlProfileSource } from '../../src/profile';
import { createJourneyTestEnv, type JourneyTestEnv, type TestCustomer } from '../../src/testing';
import { welcome } from '../../workflows/welcome';

let env: JourneyTestEnv<SqlProfileSource>;
beforeAll(async () => {
  env = await createJourneyTestEnv({
    profiles: 'sql',
    journeys: [welcome],
    workflowsPath: require.resolve('../../workflows'),
  });
});
afterAll(() => env?.close());

const DAY = 86_400_000;
let n = 0;
async function signUp(profile: { phone?: string; smsOptIn?: boolean } = {}): Promise<TestCustomer> {
  n += 1;
  const c = await env.customer({ email: `welcome-${n}@example.com`, firstName: 'Ada', ...profile });
  // The backend marks the email subscription pending at signup: double opt-in.
  await env.journeys.contacts.update(c.id, { channels: { email: 'pending' } });
  await env.emit('customer.signed_up', c, { firstName: 'Ada' });
  return c;
}
const subjects = async (c: TestCustomer) =>
  (await env.outbox(c)).map((m) =>
    m.channel === 'email' ? m.subject : m.channel === 'sms' ? `sms: ${m.body}` : m.channel,
  );

test('confirmed at once, phone and SMS consent: welcome email and SMS with one code, tips, then sales on day 7', async () => {
  const c = await signUp({ phone: '+14155551201', smsOptIn: true });
  const start = await env.now();
  const [confirmation] = await env.outbox(c);
  expect(confirmation).toMatchObject({ channel: 'email', subject: 'Please confirm your subscription' });
  await env.confirm(confirmation!);

  const sent = await env.outbox(c);
  const code = /Your code: (WELCOME-\w+)/.exec(sent[1]?.channel === 'email' ? (sent[1].text ?? '') : '')?.[1];
  expect(code).toMatch(/^WELCOME-[A-Z0-9]{8}$/);
  expect(sent[2]).toMatchObject({ channel: 'sms', body: expect.stringContaining(code!) });
  expect(await env.data.assignPromoCode(c.id, 'welcome')).toBe(code); // assigned once

  await env.advance('2 days');
  expect((await subjects(c)).at(-1)).toBe('Three things to try this week');
  await env.advance('5 days');
  const all = await env.outbox(c);
  expect(await subjects(c)).toEqual([
    'Please confirm your subscription',
    'Welcome! Here is 10% off your first order',
    `sms: Welcome, Ada! ${code} takes 10% off your first order.`,
    'Three things to try this week',
    'webhook',
  ]);
  const handoff = all.at(-1)!;
  expect(handoff).toMatchObject({
    body: { customerId: c.id, payload: { reason: 'inactive 7 days after signup', code } },
  });
  expect(Math.round((handoff.at.getTime() - start.getTime()) / DAY)).toBe(7); // day 7 in simulated time
  expect(await env.outcome(welcome, c)).toBe('handed-to-sales');
});

test('no SMS consent: email only; active by day 7: no hand-off', async () => {
  const c = await signUp({ phone: '+14155551202', smsOptIn: false });
  await env.confirm((await env.outbox(c))[0]!);
  await env.advance('3 days');
  await env.data.recordActivity(c.id, await env.now());
  await env.advance('5 days');
  expect(await subjects(c)).toEqual([
    'Please confirm your subscription',
    'Welcome! Here is 10% off your first order',
    'Three things to try this week',
  ]);
  expect(await env.outcome(welcome, c)).toBe('active');
});

test('not confirmed in 2 days: one reminder, confirmed after it, then the series', async () => {
  const c = await signUp();
  await env.advance('2 days');
  expect(await subjects(c)).toEqual(['Please confirm your subscription', 'Please confirm your subscription']);
  const reminder = (await env.outbox(c))[1]!;
  // Two days after the first, to within the second the sends themselves took.
  expect(Math.abs(reminder.at.getTime() - (await env.outbox(c))[0]!.at.getTime() - 2 * DAY)).toBeLessThan(
    1_000,
  );
  await env.confirm(reminder);
  expect((await subjects(c)).at(-1)).toBe('Welcome! Here is 10% off your first order');
  expect((await env.state(welcome, c)).steps.map((s) => s.name)).toEqual([
    'confirm-email',
    'confirm-reminder',
    'welcome-email',
  ]);
});

test('never confirmed: the reminder, then the journey ends unconfirmed with no marketing sent', async () => {
  const c = await signUp();
  await env.advance('6 days');
  expect(await subjects(c)).toEqual(['Please confirm your subscription', 'Please confirm your subscription']);
  expect(await env.outcome(welcome, c)).toBe('unconfirmed');
});

test('a first order converts the customer wherever they are', async () => {
  const c = await signUp();
  await env.confirm((await env.outbox(c))[0]!);
  await env.advance('1 day');
  await env.emit('order.placed', c, { orderId: `o-${c.id}`, total: 30 });
  const state = await env.state(welcome, c);
  expect(state.outcome).toBe('converted');
  expect(state.convertedAfter).toBe('welcome-email');
  await env.advance('7 days');
  expect(await subjects(c)).toHaveLength(2); // nothing after the conversion
});
