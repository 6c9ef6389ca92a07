/**
 * The signed links in emails and the SMS keywords, end to end on the time-skipping server: a one-click
 * List-Unsubscribe POST stops marketing email in every journey and resubscribing lifts it; a forged link
 * changes nothing; double opt-in holds marketing until the confirmation link is clicked; STOP and START.
 */
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { settle } from '../fixtures/settle';
import { doubleOptIn, oneSend, weeklyNudge, winBack } from '../fixtures/journeys';

const phones = new Map<string, string>();
let t: JourneyTestEnvironment;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [oneSend, winBack, weeklyNudge, doubleOptIn],
    workflowsPath: require.resolve('../fixtures/journeys'),
    customerByPhone: (phone) => phones.get(phone),
  });
});
afterAll(() => t?.close());

const uid = () => Math.random().toString(36).slice(2, 10);
const customer = () => {
  const c = {
    id: `ln-${uid()}`,
    email: `ln-${uid()}@example.com`,
    phone: `+1415559${String(Math.floor(Math.random() * 9000) + 1000)}`,
  };
  phones.set(c.phone, c.id);
  return c;
};

const unsubscribeLink = (headers: Readonly<Record<string, string>>) =>
  /^<(.+)>$/.exec(headers['List-Unsubscribe'] ?? '')?.[1] as string;

test('one-click List-Unsubscribe stops marketing email in every journey; resubscribing lets it out again', async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    const nudge = await journeys.enroll(weeklyNudge, { customer: c });
    await t.env.sleep('7 days');
    const [first] = await t.outbox.waitFor((m) => m.channel === 'email' && m.to.includes(c.email));
    if (first?.channel !== 'email') throw new Error('expected an email');
    expect(first.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const link = unsubscribeLink(first.headers);
    expect(first.text).toContain(link);

    // Opening the link (a mail scanner does) only asks; the one-click POST unsubscribes.
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<button>Unsubscribe</button>');
    expect((await journeys.contacts.get(c.id)).channels.email).toBeUndefined();
    const oneClick = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    const unsubscribed = await oneClick.text();
    expect(unsubscribed).toContain('You are unsubscribed from marketing email');
    const resubscribe = /action="(\/resubscribe\?token=[\w.-]+)"/.exec(unsubscribed)?.[1];
    expect(resubscribe).toBeDefined();
    expect((await journeys.contacts.get(c.id)).channels.email).toBe('unsubscribed');

    await t.env.sleep('7 days');
    const nudged = await settle(t, nudge.workflowId);
    expect(nudged.sends.map((s) => s.status)).toEqual(['sent', 'suppressed']);
    expect(nudged.sends[1]).toMatchObject({ reason: 'unsubscribed' });

    // Another journey is held back too, until the customer subscribes again from the page's button. The
    // unsubscribe link itself (in every email, forwarded ones too) cannot opt them back in.
    const held = await settle(t, (await journeys.enroll(winBack, { customer: c })).workflowId);
    expect(held.sends[0]).toMatchObject({ status: 'suppressed', reason: 'unsubscribed' });
    const replayed = await fetch(link.replace('/unsubscribe?', '/resubscribe?'), { method: 'POST' });
    expect(replayed.status).toBe(400);
    const again = await fetch(new URL(resubscribe!, link), { method: 'POST' });
    expect(again.status).toBe(200);
    const sent = await settle(
      t,
      (await journeys.enroll(oneSend, { customer: c, data: { channel: 'email' } })).workflowId,
    );
    expect(sent.sends[0]).toMatchObject({ status: 'sent' });
    expect(t.outbox.emails(c.email)).toHaveLength(2);
  });
});

test('a link altered to name another customer gets 400 and unsubscribes nobody', async () => {
  const victim = customer();
  const c = customer();
  await t.run(async ({ journeys }) => {
    await settle(t, (await journeys.enroll(winBack, { customer: c })).workflowId);
    const [email] = t.outbox.emails(c.email);
    const link = new URL(unsubscribeLink(email!.headers));
    const [, mac] = link.searchParams.get('token')!.split('.');
    const forged = Buffer.from(
      JSON.stringify({ action: 'unsubscribe', customerId: victim.id, channel: 'email' }),
    ).toString('base64url');
    link.searchParams.set('token', `${forged}.${mac}`);
    const res = await fetch(link, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(400);
    const unsigned = await fetch(link.href.replace(/token=[^&]+/, 'token=nope'), { method: 'POST' });
    expect(unsigned.status).toBe(400);
    expect((await journeys.contacts.get(victim.id)).channels.email).toBeUndefined();
    expect((await journeys.contacts.get(c.id)).channels.email).toBeUndefined();
  });
});

test('double opt-in: marketing waits for the confirmation link; the journey waiting for it goes on', async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    await journeys.contacts.update(c.id, { channels: { email: 'pending' } });
    const early = await settle(t, (await journeys.enroll(winBack, { customer: c })).workflowId);
    expect(early.sends[0]).toMatchObject({ status: 'suppressed', reason: 'pending_confirmation' });

    const run = await journeys.enroll(doubleOptIn, { customer: c });
    const [confirmation] = await t.outbox.waitFor(
      (m) => m.channel === 'email' && m.to.includes(c.email) && m.subject.includes('confirm'),
    );
    if (confirmation?.channel !== 'email') throw new Error('expected an email');
    expect(confirmation.headers).toEqual({}); // transactional: no List-Unsubscribe
    const link = /(http:\/\/\S+\/confirm\?token=\S+)/.exec(confirmation.text ?? '')?.[1] as string;
    expect((await fetch(link)).status).toBe(200); // asks for the click; confirms nothing yet
    expect((await journeys.contacts.get(c.id)).channels.email).toBe('pending');

    const confirm = await fetch(link, { method: 'POST' });
    expect(confirm.status).toBe(200);
    expect((await fetch(link, { method: 'POST' })).status).toBe(200); // a second click is harmless
    const state = await settle(t, run.workflowId);
    expect(state.steps.map((s) => s.name)).toEqual(['confirm', 'welcome']);
    expect(state.sends.map((s) => s.status)).toEqual(['sent', 'sent']);
    expect((await journeys.contacts.get(c.id)).channels.email).toBe('subscribed');
    expect(t.outbox.emails(c.email).map((m) => m.subject)).toEqual([
      'Please confirm your subscription',
      'You left Welcome gift in your cart',
    ]);
  });
});

test('a confirmation emitted by a backend (not a link) subscribes the contact too; a bad one is refused', async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    await journeys.contacts.update(c.id, { channels: { email: 'pending' } });
    await journeys.emit({ type: 'subscription.confirmed', customer: c.id, data: { channel: 'email' } });
    expect((await journeys.contacts.get(c.id)).channels.email).toBe('subscribed');
    await expect(
      journeys.emit({ type: 'subscription.confirmed', customer: c.id, data: {} }),
    ).rejects.toMatchObject({ code: 'EVENT_INVALID' });
  });
});

test('SMS STOP suppresses texts; START lifts it and the next SMS goes out', async () => {
  const c = customer();
  await t.run(async ({ journeys }) => {
    expect(await t.fakes.twilio.receive(c.phone, 'STOP')).toBe(200);
    expect((await journeys.contacts.get(c.id)).suppressed.sms).toMatchObject({ reason: 'stopped' });
    const stopped = await settle(
      t,
      (await journeys.enroll(oneSend, { customer: c, data: { channel: 'sms' } })).workflowId,
    );
    expect(stopped.sends[0]).toMatchObject({ status: 'suppressed', reason: 'stopped' });

    expect(await t.fakes.twilio.receive(c.phone, 'START')).toBe(200);
    const contact = await journeys.contacts.get(c.id);
    expect(contact.suppressed.sms).toBeUndefined();
    expect(contact.channels.sms).toBe('subscribed');
    const sent = await settle(
      t,
      (await journeys.enroll(oneSend, { customer: c, data: { channel: 'sms' } })).workflowId,
    );
    expect(sent.sends[0]).toMatchObject({ status: 'sent' });
    expect(t.outbox.sms(c.phone)).toHaveLength(1);
  });
});
