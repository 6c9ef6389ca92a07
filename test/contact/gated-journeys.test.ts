/**
 * Journeys asking the customer's contact before each send, on the time-skipping server: a frequency cap
 * across journeys, quiet hours in the customer's time zone across a DST change, unsubscribe mid-journey,
 * and a hard bounce for every journey.
 */
import { nextLocalTime, type SendPolicy } from '../../src/contact';
import type { JourneyState, SendRecord } from '../../src/journey';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { settle } from '../fixtures/settle';
import { morningNote, oneSend, smsAt, weeklyNudge, winBack } from '../fixtures/journeys';

const policy: SendPolicy = {
  caps: [{ channel: 'email', max: 1, per: '1 day' }],
  quietHours: { sms: { from: '21:00', to: '09:00' } },
  overCap: 'defer',
  defaultTimeZone: 'UTC',
};

let t: JourneyTestEnvironment;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [oneSend, winBack, weeklyNudge, smsAt, morningNote],
    workflowsPath: require.resolve('../fixtures/journeys'),
    sendPolicy: policy,
  });
});
afterAll(() => t?.close());

const DAY = 86_400_000;
const uid = () => Math.random().toString(36).slice(2, 10);
const customer = () => ({
  id: `gj-${uid()}`,
  email: `gj-${uid()}@example.com`,
  phone: `+1415558${String(Math.floor(Math.random() * 9000) + 1000)}`,
});
const sendOf = (state: JourneyState): SendRecord => state.sends[0]!;

test('two journeys, one marketing email a day: the second waits for the next day and the outbox shows it there', async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    const first = await journeys.enroll(winBack, { customer: c });
    const firstState = await settle(t, first.workflowId);
    const second = await journeys.enroll(oneSend, { customer: c, data: { channel: 'email' } });
    await t.env.sleep('12 hours');
    expect(t.outbox.emails(c.email)).toHaveLength(1); // still waiting for its slot
    const waiting = await journeys.state(oneSend, { customerId: c.id });
    expect(waiting.deferred).toMatchObject({ channel: 'email', step: 'send', reason: 'frequency_cap' });
    // The slot opens a day after the first send was allowed (recorded a moment before it was sent).
    const opens = Date.parse(waiting.deferred!.until) - Date.parse(sendOf(firstState).at);
    expect(Math.abs(opens - DAY)).toBeLessThan(60_000);
    const secondState = await settle(t, second.workflowId, '12 hours');
    expect(sendOf(firstState)).toMatchObject({ status: 'sent' });
    expect(sendOf(secondState)).toMatchObject({ status: 'sent' });
    const gap = Date.parse(sendOf(secondState).at) - Date.parse(sendOf(firstState).at);
    // Each send is recorded when the provider answered; the slot itself opened exactly a day later.
    expect(gap).toBeGreaterThan(DAY - 60_000);
    expect(gap).toBeLessThan(DAY + 60_000);
    expect(t.outbox.emails(c.email)).toHaveLength(2);
    const contact = await journeys.contacts.get(c.id);
    expect(contact.decisions.map((d) => [d.request.journey, d.answer.decision])).toEqual([
      ['win-back', 'allow'],
      ['one-send', 'defer'],
      ['one-send', 'allow'],
    ]);
  });
});

test("an SMS due at 23:30 goes out at 09:00 in the customer's zone, New York and Tokyo alike, across a DST change", async () => {
  const ny = customer();
  const tokyo = customer();
  await t.run(async ({ journeys }) => {
    await journeys.contacts.update(ny.id, { timeZone: 'America/New_York' });
    await journeys.contacts.update(tokyo.id, { timeZone: 'Asia/Tokyo' });
    // The Saturday 23:30 before New York springs forward (2027-03-14 02:00): 09:00 on Sunday is EDT.
    const nyDue = nextLocalTime(
      Math.max(await t.env.currentTimeMs(), Date.parse('2027-03-13T12:00:00Z')),
      'America/New_York',
      '23:30',
    );
    const tokyoDue = nextLocalTime(
      Math.max(await t.env.currentTimeMs(), Date.parse('2027-03-13T00:00:00Z')),
      'Asia/Tokyo',
      '23:30',
    );
    const a = await journeys.enroll(smsAt, { customer: ny, data: { at: new Date(nyDue).toISOString() } });
    const b = await journeys.enroll(smsAt, {
      customer: tokyo,
      data: { at: new Date(tokyoDue).toISOString() },
    });
    // Skip past both: the Saturday night, then the morning; each waits for its own 09:00.
    const until = Math.max(nyDue, tokyoDue) + 11 * 3_600_000;
    await t.env.sleep(until - (await t.env.currentTimeMs()));
    const [nyState, tokyoState] = await Promise.all([settle(t, a.workflowId), settle(t, b.workflowId)]);
    const nyAt = Date.parse(sendOf(nyState).at);
    expect(new Date(nyDue).toISOString()).toBe('2027-03-14T04:30:00.000Z'); // Sat 23:30 EST
    expect(nyAt - Date.parse('2027-03-14T13:00:00Z')).toBeGreaterThanOrEqual(0); // Sun 09:00 EDT, not 14:00Z
    expect(nyAt - Date.parse('2027-03-14T13:00:00Z')).toBeLessThan(60_000);
    const tokyoAt = Date.parse(sendOf(tokyoState).at);
    expect(tokyoAt - nextLocalTime(tokyoDue, 'Asia/Tokyo', '09:00')).toBeGreaterThanOrEqual(0);
    expect(tokyoAt - nextLocalTime(tokyoDue, 'Asia/Tokyo', '09:00')).toBeLessThan(60_000);
    expect(t.outbox.sms(ny.phone)).toHaveLength(1);
    expect(t.outbox.sms(tokyo.phone)).toHaveLength(1);
  });
});

test("unsubscribe during a journey's sleep: the next email is suppressed as unsubscribed and the journey goes on", async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    const { workflowId } = await journeys.enroll(weeklyNudge, { customer: c });
    await t.env.sleep('8 days'); // past the first nudge, asleep before the second
    await t.outbox.waitFor((m) => m.channel === 'email' && m.to.includes(c.email));
    await journeys.contacts.unsubscribe(c.id, { channel: 'email' });
    const state = await settle(t, workflowId, '7 days');
    expect(state.sends.map((s) => [s.status, 'reason' in s ? s.reason : undefined])).toEqual([
      ['sent', undefined],
      ['suppressed', 'unsubscribed'],
    ]);
    expect(state.outcome).toBe('completed');
    expect(t.outbox.emails(c.email)).toHaveLength(1);
  });
});

test('a hard bounce suppresses email for that customer in every journey', async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    const first = await journeys.enroll(winBack, { customer: c });
    await settle(t, first.workflowId);
    const [email] = t.outbox.emails(c.email);
    expect(await t.fakes.resend.bounce(email!.id)).toBe(200);
    const second = await journeys.enroll(oneSend, { customer: c, data: { channel: 'email' } });
    expect(sendOf(await settle(t, second.workflowId))).toMatchObject({
      status: 'suppressed',
      reason: 'bounced',
    });
    expect(t.outbox.emails(c.email)).toHaveLength(1);
  });
});

test('sleepUntil(localTime("09:00")) waits for 09:00 in the customer\'s own zone', async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    await journeys.contacts.update(c.id, { timeZone: 'Asia/Tokyo' });
    const now = await t.env.currentTimeMs();
    const { workflowId } = await journeys.enroll(morningNote, { customer: c });
    const expected = nextLocalTime(now, 'Asia/Tokyo', '09:00');
    const state = await settle(t, workflowId, expected - now + 60_000);
    const at = Date.parse(state.steps[0]!.at);
    expect(at - expected).toBeGreaterThanOrEqual(0);
    expect(at - expected).toBeLessThan(60_000);
    expect(sendOf(state)).toMatchObject({ status: 'sent' });
  });
});

test('a transactional send reaches a customer unsubscribed from marketing email', async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    await journeys.contacts.update(c.id, { timeZone: 'Asia/Tokyo', channels: { email: 'unsubscribed' } });
    const now = await t.env.currentTimeMs();
    const { workflowId } = await journeys.enroll(morningNote, { customer: c }); // sends with category: 'transactional'
    const state = await settle(t, workflowId, nextLocalTime(now, 'Asia/Tokyo', '09:00') - now + 60_000);
    expect(sendOf(state)).toMatchObject({ status: 'sent' });
    const marketing = await journeys.enroll(oneSend, { customer: c, data: { channel: 'email' } });
    expect(sendOf(await settle(t, marketing.workflowId))).toMatchObject({
      status: 'suppressed',
      reason: 'unsubscribed',
    });
  });
});
