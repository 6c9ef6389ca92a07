/**
 * The contact entity on the time-skipping server: created on first use by update-with-start, preferences
 * validated at the client and at the workflow, the gate's answers, and continue-as-new under load.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import {
  contactWorkflowId,
  type ContactSnapshot,
  type GateDecision,
  type GateRequest,
  type SendPolicy,
} from '../../src/contact';
import { isJourneyError } from '../../src/errors';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { abandonedCart } from '../fixtures/journeys';

let t: JourneyTestEnvironment;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [abandonedCart],
    workflowsPath: require.resolve('../fixtures/journeys'),
  });
});
afterAll(() => t?.close());

const policy: SendPolicy = {
  caps: [{ channel: 'email', max: 1, per: '1 day' }],
  quietHours: { sms: { from: '21:00', to: '09:00' } },
  overCap: 'defer',
  defaultTimeZone: 'UTC',
};
const uid = () => Math.random().toString(36).slice(2, 10);
const request = (journey: string): GateRequest => ({
  channel: 'email',
  category: 'marketing',
  journey,
  step: 'hello',
});

function gate(customerId: string, req: GateRequest): Promise<GateDecision> {
  return t.env.client.workflow
    .getHandle(contactWorkflowId(customerId))
    .executeUpdate<GateDecision, [GateRequest & { policy: SendPolicy }]>('contact.gate', {
      args: [{ ...req, policy }],
    });
}

test('update starts the contact on first use; get reads it; a never-seen customer reads as defaults', async () => {
  await t.run(async ({ journeys }) => {
    const id = `ct-${uid()}`;
    expect(await journeys.contacts.get(id)).toMatchObject({ customerId: id, channels: {}, sendsAllowed: 0 });
    await journeys.contacts.update(id, { timeZone: 'America/New_York', channels: { sms: 'pending' } });
    expect(await journeys.contacts.get(id)).toMatchObject({
      timeZone: 'America/New_York',
      channels: { sms: 'pending' },
    });
  });
});

test('bad input: the client names the field and sends nothing; the workflow rejects it too', async () => {
  await t.run(async ({ journeys }) => {
    const id = `ct-${uid()}`;
    const err = await journeys.contacts.update(id, { timeZone: 'Mars/Olympus' }).catch((e: unknown) => e);
    expect(isJourneyError(err, 'CONTACT_INVALID')).toBe(true);
    expect((err as Error).message).toContain('timeZone');
    await expect(journeys.contacts.unsubscribe(id, {})).rejects.toMatchObject({ code: 'CONTACT_INVALID' });
    expect((await journeys.contacts.get(id)).generation).toBe(1); // still the defaults: never started

    await journeys.contacts.update(id, { timeZone: 'Europe/Paris' });
    const raw = t.env.client.workflow
      .getHandle(contactWorkflowId(id))
      .executeUpdate('contact.update', { args: [{ timeZone: 'Nowhere/Land' }] });
    await expect(raw).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    expect((await journeys.contacts.get(id)).timeZone).toBe('Europe/Paris');
  });
});

test('two journeys, one email a day: the second is deferred a day; unsubscribe suppresses, resubscribe allows', async () => {
  await t.run(async ({ journeys }) => {
    const id = `ct-${uid()}`;
    await journeys.contacts.update(id, {});
    const first = await gate(id, request('welcome'));
    const second = await gate(id, request('abandoned-cart'));
    expect(first).toEqual({ decision: 'allow' });
    expect(second).toMatchObject({ decision: 'defer', reason: 'frequency_cap' });
    const contact = await journeys.contacts.get(id);
    expect((second as { until: number }).until - contact.ledger[0]!.at).toBe(86_400_000);
    expect(contact.decisions.map((d) => d.answer.decision)).toEqual(['allow', 'defer']);

    await journeys.contacts.unsubscribe(id, { channel: 'email' });
    expect(await gate(id, request('newsletter'))).toEqual({ decision: 'suppress', reason: 'unsubscribed' });
    expect(await gate(id, { ...request('receipt'), category: 'transactional' })).toEqual({
      decision: 'allow',
    });
    await journeys.contacts.update(id, { channels: { email: 'subscribed' } });
    expect((await gate(id, request('newsletter'))).decision).toBe('defer'); // consent back; the cap still holds
  });
});

test('a hard bounce suppresses email for every journey, transactional included', async () => {
  await t.run(async ({ journeys }) => {
    const id = `ct-${uid()}`;
    await journeys.contacts.update(id, {});
    await t.env.client.workflow
      .getHandle(contactWorkflowId(id))
      .executeUpdate('contact.suppress', { args: [{ channel: 'email', reason: 'bounced' }] });
    expect(await gate(id, request('welcome'))).toEqual({ decision: 'suppress', reason: 'bounced' });
    expect(await gate(id, { ...request('receipt'), category: 'transactional' })).toEqual({
      decision: 'suppress',
      reason: 'bounced',
    });
    // SMS is not suppressed (it may be deferred by quiet hours, depending on the hour the test runs).
    expect((await gate(id, { ...request('welcome'), channel: 'sms' })).decision).not.toBe('suppress');
  });
});

test('a contact with 10,000 recorded sends has continued as new and still answers correctly', async () => {
  await t.run(async ({ journeys }) => {
    const id = `ct-${uid()}`;
    await journeys.contacts.update(id, { timeZone: 'Asia/Tokyo' });
    const transactional: GateRequest = { ...request('receipt'), category: 'transactional' };
    for (let i = 0; i < 10_000; i += 50) {
      await Promise.all(Array.from({ length: 50 }, () => gate(id, transactional)));
    }
    const contact: ContactSnapshot = await journeys.contacts.get(id);
    expect(contact.sendsAllowed).toBe(10_000);
    expect(contact.generation).toBeGreaterThan(1);
    expect(contact.timeZone).toBe('Asia/Tokyo');
    expect(contact.decisions.length).toBeLessThanOrEqual(200);
    expect(contact.ledger).toEqual([]); // no cap counts a transactional send: none is kept
    expect(await gate(id, request('welcome'))).toEqual({ decision: 'allow' }); // marketing: transactional sends are not capped
    expect(await gate(id, request('welcome'))).toMatchObject({ decision: 'defer', reason: 'frequency_cap' });
  });
}, 240_000); // 10,000 updates on the time-skipping server: about 100 s on two busy cores
