/**
 * The channel activities through the real `resend` and `twilio` clients against the local fakes: what
 * reaches the provider, idempotency, and which errors Temporal retries.
 */
import { ApplicationFailure } from '@temporalio/common';
import { Resend } from 'resend';
import {
  createChannelActivities,
  createResendEmail,
  PermanentSendError,
  RetryableSendError,
  createTwilioClient,
  createSignedLinks,
  createTwilioSms,
  deliveryTags,
  readDeliveryTags,
  readLinkToken,
} from '../../activities';
import { parseConfig } from '../../src/config';
import type { SendContext } from '../../src/journey';
import { createProviderActivities } from '../../src/worker';
import { countSegments, FAKE_SMS_FROM, startProviderFakes, type ProviderFakes } from '../../src/testing';

const LINK_SECRET = 'test-link-secret-0123456789abcdef0123';
let fakes: ProviderFakes;
beforeAll(async () => {
  fakes = await startProviderFakes();
});
afterAll(() => fakes?.close());

let n = 0;
const context = (): SendContext => ({
  journey: 'abandoned-cart',
  customerId: 'c1',
  step: 'reminder',
  idempotencyKey: `wf/run/reminder#${++n}`,
});
const email = () =>
  createResendEmail({
    client: new Resend(fakes.resendApiKey, { baseUrl: fakes.resend.url }),
    from: 'Shop <shop@example.com>',
    links: createSignedLinks({ baseUrl: 'https://shop.example/', secret: LINK_SECRET }),
  });
const sms = () =>
  createTwilioSms({
    client: createTwilioClient({
      accountSid: fakes.twilio.accountSid,
      authToken: fakes.twilio.authToken,
      baseUrl: fakes.twilio.url,
    }),
    from: FAKE_SMS_FROM,
  });

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the send to fail');
}

test('an email reaches Resend rendered, tagged, with List-Unsubscribe and the idempotency key', async () => {
  const request = {
    ...context(),
    to: 'ada@example.com',
    template: 'cart-reminder',
    data: { items: ['Tea'], url: 'https://shop.example/c/1' },
  };
  const result = await email()(request);
  expect(result.messageId).toMatch(/^[0-9a-f-]{36}$/);
  const [sent] = fakes.outbox.emails('ada@example.com');
  expect(sent).toMatchObject({
    subject: 'You left Tea in your cart',
    idempotencyKey: request.idempotencyKey,
    headers: {
      'List-Unsubscribe': expect.stringMatching(
        /^<https:\/\/shop\.example\/unsubscribe\?token=[\w-]+\.[\w-]+>$/,
      ),
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    tags: deliveryTags({ journey: 'abandoned-cart', customerId: 'c1', step: 'reminder' }),
  });
  expect(sent?.html).toContain('<a href="https://shop.example/c/1">');
  // The link names its customer and channel, signed: nobody can turn it into somebody else's.
  const link = new URL(/<(.*)>/.exec(sent!.headers['List-Unsubscribe']!)![1]!);
  const token = link.searchParams.get('token')!;
  expect(readLinkToken(LINK_SECRET, token)).toEqual({
    action: 'unsubscribe',
    customerId: 'c1',
    channel: 'email',
  });
  expect(sent?.text).toContain(`Unsubscribe: ${link.href}`);
  const [payload, mac] = token.split('.') as [string, string];
  const forged = Buffer.from(
    JSON.stringify({ action: 'unsubscribe', customerId: 'c2', channel: 'email' }),
  ).toString('base64url');
  expect(readLinkToken(LINK_SECRET, `${forged}.${mac}`)).toBeUndefined();
  expect(readLinkToken('another-secret-of-at-least-32-characters', `${payload}.${mac}`)).toBeUndefined();
});

test('a transactional email carries no List-Unsubscribe; a topic email unsubscribes from its topic alone', async () => {
  await email()({
    ...context(),
    to: 'tx@example.com',
    template: 'cart-reminder',
    data: {},
    category: 'transactional',
  });
  expect(fakes.outbox.emails('tx@example.com')[0]?.headers).toEqual({});
  await email()({
    ...context(),
    to: 'topic@example.com',
    template: 'cart-reminder',
    data: {},
    topic: 'tips',
  });
  const header = fakes.outbox.emails('topic@example.com')[0]!.headers['List-Unsubscribe']!;
  const token = new URL(/<(.*)>/.exec(header)![1]!).searchParams.get('token')!;
  expect(readLinkToken(LINK_SECRET, token)).toEqual({
    action: 'unsubscribe',
    customerId: 'c1',
    topic: 'tips',
  });
});

test('a template that cannot render fails at once instead of retrying', async () => {
  const err = await failure(
    createResendEmail({
      client: new Resend(fakes.resendApiKey, { baseUrl: fakes.resend.url }),
      from: 'Shop <shop@example.com>',
    })({ ...context(), to: 'noconfirm@example.com', template: 'confirm-subscription', data: {} }),
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  expect((err as ApplicationFailure).nonRetryable).toBe(true);
  expect((err as ApplicationFailure).type).toBe('template_failed');
});

test('the same idempotency key sends once; reused with another payload it is a permanent error', async () => {
  const send = email();
  const request = {
    ...context(),
    to: 'once@example.com',
    template: 'cart-reminder',
    data: { items: ['Tea'] },
  };
  const first = await send(request);
  const retry = await send(request);
  expect(retry).toEqual(first);
  expect(fakes.outbox.emails('once@example.com')).toHaveLength(1);
  const err = await failure(send({ ...request, data: { items: ['Coffee'] } }));
  expect(err).toBeInstanceOf(ApplicationFailure);
  expect((err as ApplicationFailure).nonRetryable).toBe(true);
  expect((err as ApplicationFailure).type).toBe('invalid_idempotent_request');
});

test('Resend: an invalid address is permanent, 429 and 5xx are retried', async () => {
  const send = email();
  const bad = await failure(
    send({ ...context(), to: 'not-an-address', template: 'cart-reminder', data: { items: ['x'] } }),
  );
  expect(bad).toMatchObject({ type: 'validation_error', nonRetryable: true });

  fakes.resend.fail({ status: 429, count: 1, retryAfter: 2 });
  const limited = await failure(
    send({ ...context(), to: 'r@example.com', template: 'cart-reminder', data: { items: ['x'] } }),
  );
  // Retryable, after the provider's Retry-After.
  expect(limited).toMatchObject({ type: 'rate_limit_exceeded', nonRetryable: false, nextRetryDelay: '2s' });

  fakes.resend.fail({ status: 500 });
  expect(
    (
      await failure(
        send({ ...context(), to: 'r@example.com', template: 'cart-reminder', data: { items: ['x'] } }),
      )
    ).message,
  ).toContain('500');
  await expect(
    send({ ...context(), to: 'r@example.com', template: 'cart-reminder', data: { items: ['x'] } }),
  ).resolves.toHaveProperty('messageId');
});

test('an unknown template is a permanent error naming the templates the worker knows', async () => {
  const err = await failure(email()({ ...context(), to: 'a@example.com', template: 'nope', data: {} }));
  expect(err).toMatchObject({ type: 'unknown_template', nonRetryable: true });
  expect(err.message).toContain('cart-reminder');
});

test('SMS reaches Twilio with segments counted and the idempotency token honoured', async () => {
  const send = sms();
  const request = { ...context(), to: '+14155550111', body: 'Your cart is waiting' };
  const first = await send(request);
  expect(first).toMatchObject({ messageId: expect.stringMatching(/^SM/), segments: 1 });
  expect(await send(request)).toEqual(first);
  expect(fakes.outbox.sms('+14155550111')).toHaveLength(1);
  expect(fakes.outbox.sms('+14155550111')[0]?.idempotencyKey).toBe(request.idempotencyKey);
});

test('Twilio: invalid number and STOP are permanent with their codes, 20429 is retried', async () => {
  const send = sms();
  expect(await failure(send({ ...context(), to: '12345', body: 'hi' }))).toMatchObject({
    type: '21211',
    nonRetryable: true,
  });
  fakes.twilio.stopped.add('+14155550112');
  expect(await failure(send({ ...context(), to: '+14155550112', body: 'hi' }))).toMatchObject({
    type: '21610',
    nonRetryable: true,
  });
  fakes.twilio.fail({ status: 429 });
  const limited = await failure(send({ ...context(), to: '+14155550113', body: 'hi' }));
  expect(limited).toMatchObject({ nonRetryable: false });
  expect(limited.message).toContain('20429');
});

test('segments are counted the way Twilio does', () => {
  expect(countSegments('a'.repeat(160))).toBe(1);
  expect(countSegments('a'.repeat(161))).toBe(2);
  expect(countSegments('é'.repeat(160))).toBe(1); // é is in GSM-7
  expect(countSegments('ő'.repeat(70))).toBe(1); // UCS-2
  expect(countSegments('ő'.repeat(71))).toBe(2);
});

test("delivery tags carry any customer id, key and step through Resend's tag alphabet", () => {
  const tags = deliveryTags({
    journey: 'abandoned-cart',
    customerId: 'alice/ü 1',
    key: 'cart#7',
    step: 'reminder email',
  });
  for (const tag of tags) expect(tag.value).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(readDeliveryTags(Object.fromEntries(tags.map((t) => [t.name, t.value])))).toEqual({
    journey: 'abandoned-cart',
    customerId: 'alice/ü 1',
    key: 'cart#7',
    step: 'reminder email',
  });
});

test('webhook and push channels POST signed JSON with the idempotency key; a retry is dropped by the receiver', async () => {
  const channels = fakes.activities() as unknown as Record<string, (request: never) => Promise<unknown>>;
  const request = { ...context(), target: 'crm', payload: { lead: 'c1', score: 7 } };
  const sent = await channels.sendWebhook!(request as never);
  await channels.sendWebhook!(request as never);
  expect(sent).toMatchObject({ status: 'sent', channel: 'webhook', messageId: request.idempotencyKey });
  expect(fakes.outbox.posts('webhook').filter((m) => m.idempotencyKey === request.idempotencyKey)).toEqual([
    expect.objectContaining({
      path: '/leads',
      body: expect.objectContaining({
        customerId: 'c1',
        step: 'reminder',
        payload: { lead: 'c1', score: 7 },
      }),
    }),
  ]);
  const push = await channels.sendPush!({
    ...context(),
    title: 'Still there?',
    body: 'Your cart misses you',
  } as never);
  expect(push).toMatchObject({ status: 'sent', channel: 'push' });
  expect(fakes.outbox.posts('push').at(-1)?.body).toMatchObject({ customerId: 'c1', title: 'Still there?' });
  const unknown = await failure(channels.sendWebhook!({ ...context(), target: 'erp', payload: {} } as never));
  expect(unknown).toMatchObject({ type: 'unknown_target', nonRetryable: true });
});

test('a worker configured from temporal.yaml offers the providers it names and the custom channels it is given', async () => {
  const config = parseConfig(
    `providers:\n  resend: { from: "Shop <shop@example.com>", baseUrl: "${fakes.resend.url}" }\n  webhooks:\n    crm: { url: "${fakes.crm.url}/leads", secretEnv: CRM_SECRET }\n`,
    { path: '/x/temporal.yaml', env: {} },
  );
  const faxed: unknown[] = [];
  const activities = createProviderActivities(config, {
    env: { RESEND_API_KEY: fakes.resendApiKey, CRM_SECRET: fakes.sinkSecret },
    custom: {
      fax: (request: { payload: unknown }) => (
        faxed.push(request.payload),
        Promise.resolve({ messageId: 'fax-1' })
      ),
    },
  }) as unknown as Record<string, (request: never) => Promise<unknown>>;
  await expect(
    activities.sendEmail!({
      ...context(),
      to: 'cfg@example.com',
      template: 'cart-reminder',
      data: { items: ['x'] },
    } as never),
  ).resolves.toMatchObject({ status: 'sent', channel: 'email' });
  await expect(
    activities.sendWebhook!({ ...context(), target: 'crm', payload: { a: 1 } } as never),
  ).resolves.toMatchObject({ status: 'sent' });
  await expect(
    activities.sendCustom!({ ...context(), channel: 'fax', payload: { page: 1 } } as never),
  ).resolves.toMatchObject({ status: 'sent', channel: 'fax', messageId: 'fax-1' });
  expect(faxed).toEqual([{ page: 1 }]);
  await expect(
    activities.sendSms!({ ...context(), to: '+14155550100', body: 'hi' } as never),
  ).rejects.toMatchObject({ type: 'channel_not_configured', nonRetryable: true });
  expect(() => createProviderActivities(config, { env: {} })).toThrow(/RESEND_API_KEY/);
});

test('a channel of your own: PermanentSendError is a non-retryable failure with its reason, RetryableSendError is retried after its delay', async () => {
  const activities = createChannelActivities({
    refuses: () => Promise.reject(new PermanentSendError('no such user', { reason: 'unknown_user' })),
    busy: () => Promise.reject(new RetryableSendError('rate limited', { retryAfterMs: 2_000 })),
  }) as Record<string, (request: unknown) => Promise<unknown>>;
  const refused = await activities.sendCustom!({ channel: 'refuses' }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(ApplicationFailure);
  expect(refused).toMatchObject({ type: 'unknown_user', nonRetryable: true, message: 'no such user' });
  const busy = await activities.sendCustom!({ channel: 'busy' }).catch((e: unknown) => e);
  expect(busy).toMatchObject({ type: 'RetryableSendError', nonRetryable: false, nextRetryDelay: 2_000 });
});
