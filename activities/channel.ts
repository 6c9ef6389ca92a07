import { activityInfo, ApplicationFailure } from '@temporalio/activity';
import {
  channelActivity,
  type SendCustomRequest,
  type SendEmailRequest,
  type SendPushRequest,
  type SendResult,
  type SendSmsRequest,
  type SendWebhookRequest,
} from '../src/journey';
import { countInActivity } from '../src/metrics';
import { sendFailure } from './provider-errors';

/** What a channel returns when the provider accepted the message. */
export interface Delivered {
  readonly messageId: string;
  readonly segments?: number;
}

/**
 * A channel: sends one message and returns the provider's id, or throws: {@link PermanentSendError} (the
 * journey gets `failed` with its reason), {@link RetryableSendError} (retried, after its `retryAfterMs`), any
 * other error is retried. Implement one to add a channel of your own (`send.via(name, payload)`).
 */
export type ChannelSender<TRequest> = (request: TRequest) => Promise<Delivered>;

/** The channels a worker offers. Any extra key is a custom channel, sent with `send.via(name, payload)`. */
export interface Channels {
  readonly email?: ChannelSender<SendEmailRequest>;
  readonly sms?: ChannelSender<SendSmsRequest>;
  readonly webhook?: ChannelSender<SendWebhookRequest>;
  readonly push?: ChannelSender<SendPushRequest>;
  readonly [custom: string]: ChannelSender<SendCustomRequest> | ChannelSender<never> | undefined;
}

/** Activities by type: `sendEmail`, `sendSms`, `sendWebhook`, `sendPush`, `sendCustom`. */
export type ChannelActivities = Record<`send${string}`, (request: never) => Promise<SendResult>>;

const BUILT_IN = ['email', 'sms', 'webhook', 'push'] as const;

/** The attempt this activity is on (1 outside an activity, e.g. when a test calls a channel directly). */
function attempt(): number {
  try {
    return activityInfo().attempt;
  } catch {
    return 1;
  }
}

const sent = (channel: string, delivered: Delivered): SendResult => ({
  status: 'sent',
  channel,
  messageId: delivered.messageId,
  segments: delivered.segments,
  attempts: attempt(),
});

const notConfigured = (channel: string) =>
  ApplicationFailure.nonRetryable(
    `No ${channel} channel is configured on this worker; configure it in temporal.yaml (providers) or pass it to the worker's channels.`,
    'channel_not_configured',
  );

/** One send through a channel, counted in `journeys_sends` by its outcome. */
async function deliver(
  channel: string,
  sender: ChannelSender<unknown>,
  request: unknown,
): Promise<SendResult> {
  const named = (request as { journey?: unknown }).journey;
  const journey = typeof named === 'string' ? named : '';
  let delivered: Delivered;
  try {
    delivered = await sender(request);
  } catch (err) {
    const failure = sendFailure(err);
    const rejected = failure instanceof ApplicationFailure && failure.nonRetryable;
    countInActivity('sends', { channel, status: rejected ? 'rejected' : 'retrying', journey });
    throw failure;
  }
  // Counted after the provider took it, outside the try: a counter never turns a sent message into a retry.
  countInActivity('sends', { channel, status: 'sent', journey });
  return sent(channel, delivered);
}

/**
 * Wraps channels as the activities a worker registers: `sendEmail`, `sendSms`, `sendWebhook`,
 * `sendPush`, and `sendCustom`, which dispatches to the channels of your own by name. A channel the
 * worker does not have fails its sends permanently with reason `channel_not_configured`, which the
 * journey sees.
 */
export function createChannelActivities(channels: Channels): ChannelActivities {
  const activities: Record<string, (request: never) => Promise<SendResult>> = {};
  for (const name of BUILT_IN) {
    const sender = channels[name] as ChannelSender<unknown> | undefined;
    activities[channelActivity(name)] = async (request: never) => {
      if (!sender) throw notConfigured(name);
      return deliver(name, sender, request);
    };
  }
  activities[channelActivity('custom')] = async (request: never) => {
    const { channel } = request as { channel: string };
    const sender = (BUILT_IN as readonly string[]).includes(channel)
      ? undefined
      : (channels[channel] as ChannelSender<unknown> | undefined);
    if (!sender) throw notConfigured(channel);
    return deliver(channel, sender, request);
  };
  return activities;
}
