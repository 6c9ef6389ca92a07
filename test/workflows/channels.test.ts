/**
 * Every channel through its real client against its fake, inside a journey on the time-skipping server:
 * success, a permanent error the journey goes on from, 500 twice then success, 429 with Retry-After.
 */
import { postSigned } from '../../activities';
import { createJourneyClient } from '../../src/client';
import type { JourneyState, SendRecord } from '../../src/journey';
import {
  createJourneyTestEnvironment,
  type JourneyTestEnvironment,
  type OutboxMessage,
} from '../../src/testing/all';
import { oneSend } from '../fixtures/journeys';

let t: JourneyTestEnvironment;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [oneSend],
    workflowsPath: require.resolve('../fixtures/journeys'),
    // A channel of the user's own, through the same interface as the built-in ones.
    channels: {
      fax: (request: { idempotencyKey: string; payload: unknown }) =>
        postSigned('fax', `${t.fakes.crm.url}/fax`, request.payload, {
          idempotencyKey: request.idempotencyKey,
          secret: t.fakes.sinkSecret,
        }).then((messageId) => ({ messageId })),
    },
    channelOptions: { default: { retry: { initialInterval: '1 second', maximumInterval: '10 seconds' } } },
  });
});
afterAll(() => t?.close());

let n = 0;
const customer = () => {
  n += 1;
  return {
    id: `ch-${n}-${Date.now()}`,
    email: `ch${n}-${Date.now()}@example.com`,
    phone: `+1415556${String(1000 + n).slice(-4)}`,
  };
};

type Case = {
  channel: string;
  fake: () => {
    fail: (f: { status: number; count?: number; retryAfter?: number; code?: string | number }) => void;
  };
  mine: (c: ReturnType<typeof customer>) => (m: OutboxMessage) => boolean;
  permanent: { status: number; code?: string | number };
  reason: string;
};

const cases: Case[] = [
  {
    channel: 'email',
    fake: () => t.fakes.resend,
    mine: (c) => (m) => m.channel === 'email' && m.to.includes(c.email),
    permanent: { status: 422, code: 'validation_error' },
    reason: 'validation_error',
  },
  {
    channel: 'sms',
    fake: () => t.fakes.twilio,
    mine: (c) => (m) => m.channel === 'sms' && m.to === c.phone,
    permanent: { status: 400, code: 21211 },
    reason: '21211',
  },
  {
    channel: 'webhook',
    fake: () => t.fakes.crm,
    mine: (c) => (m) => m.channel === 'webhook' && (m.body as { customerId?: string }).customerId === c.id,
    permanent: { status: 400 },
    reason: 'http_400',
  },
  {
    channel: 'push',
    fake: () => t.fakes.push,
    mine: (c) => (m) => m.channel === 'push' && (m.body as { customerId?: string }).customerId === c.id,
    permanent: { status: 410 },
    reason: 'http_410',
  },
];

async function sendOnce(channel: string, c: ReturnType<typeof customer>): Promise<JourneyState> {
  return t.run(async ({ journeys }) => {
    const { workflowId } = await journeys.enroll(oneSend, { customer: c, data: { channel } });
    return (await t.env.client.workflow.getHandle(workflowId).result()) as JourneyState;
  });
}

const sendOf = (state: JourneyState): SendRecord => state.sends[0]!;

describe.each(cases)('$channel', ({ channel, fake, mine, permanent, reason }) => {
  test('sends once and records the message id with its step', async () => {
    const c = customer();
    const state = await sendOnce(channel, c);
    const sent = t.outbox.messages.filter(mine(c));
    expect(sent).toHaveLength(1);
    expect(sendOf(state)).toMatchObject({
      status: 'sent',
      channel,
      step: 'send',
      attempts: 1,
      messageId: expect.any(String),
    });
    expect(state.steps.map((s) => s.name)).toEqual(['send', 'after']);
  });

  test('a permanent error comes back as failed and the journey goes on', async () => {
    const c = customer();
    fake().fail({ ...permanent, count: 1 });
    const state = await sendOnce(channel, c);
    expect(sendOf(state)).toMatchObject({ status: 'failed', channel, reason });
    expect(state.steps.map((s) => s.name)).toEqual(['send', 'after']);
    expect(state.outcome).toBe('completed');
    expect(t.outbox.messages.filter(mine(c))).toHaveLength(0);
  });

  test('500 twice then success: exactly one message', async () => {
    const c = customer();
    fake().fail({ status: 500, count: 2 });
    const state = await sendOnce(channel, c);
    expect(sendOf(state)).toMatchObject({ status: 'sent', attempts: 3 });
    expect(t.outbox.messages.filter(mine(c))).toHaveLength(1);
  });

  test('429 with Retry-After: waits that long, then sends once', async () => {
    const c = customer();
    fake().fail({ status: 429, count: 1, retryAfter: 30 });
    const state = await sendOnce(channel, c);
    expect(sendOf(state)).toMatchObject({ status: 'sent', attempts: 2 });
    const [stepAt, after] = state.steps.map((s) => Date.parse(s.at));
    expect(after! - stepAt!).toBeGreaterThanOrEqual(30_000); // the backoff alone would have been 1 s
    expect(t.outbox.messages.filter(mine(c))).toHaveLength(1);
  });
});

test('a channel of your own, registered on the worker, is sent with send.via', async () => {
  const c = customer();
  const state = await sendOnce('fax', c);
  expect(sendOf(state)).toMatchObject({ status: 'sent', channel: 'fax' });
  expect(
    t.outbox
      .posts('webhook')
      .filter((m) => m.path === '/fax')
      .at(-1)?.body,
  ).toEqual({ note: 'custom channel' });
});

test('a channel the worker does not have fails the send with channel_not_configured', async () => {
  const state = await sendOnce('carrier-pigeon', customer());
  expect(sendOf(state)).toMatchObject({ status: 'failed', reason: 'channel_not_configured' });
});

test('a send still failing when giveUpAfter passes comes back as failed with reason gave_up', async () => {
  const c = customer();
  t.fakes.resend.fail({ status: 503, count: 1000 });
  try {
    const state = await t.run(async ({ taskQueue }) => {
      const impatient = await createJourneyClient({
        journeys: [oneSend],
        client: t.env.client,
        taskQueue,
        channels: {
          email: { giveUpAfter: '1 minute', retry: { initialInterval: '5 seconds', backoffCoefficient: 1 } },
        },
      });
      const { workflowId } = await impatient.enroll(oneSend, { customer: c, data: { channel: 'email' } });
      return (await t.env.client.workflow.getHandle(workflowId).result()) as JourneyState;
    });
    expect(sendOf(state)).toMatchObject({ status: 'failed', reason: 'gave_up' });
    expect(state.steps.map((s) => s.name)).toEqual(['send', 'after']);
  } finally {
    t.fakes.resend.clearFailures();
  }
});
