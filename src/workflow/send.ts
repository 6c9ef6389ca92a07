import {
  ActivityFailure,
  ApplicationFailure,
  isCancellation,
  proxyActivities,
  TimeoutFailure,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import {
  channelActivity,
  toMs,
  type Channel,
  type ChannelActivityOptions,
  type Duration,
  type SendContext,
  type SendOptions,
  type SendResult,
} from '../journey';
import { askContact } from './contact-gate';
import { currentRuntime, type JourneyRuntime } from './runtime';

const ms = (value: string | undefined, fallback: Duration) => toMs((value ?? fallback) as Duration);

type SendActivity = (request: unknown) => Promise<SendResult>;

/**
 * Activity options of a channel: its own settings over `default` over these defaults (one attempt 30 s,
 * retried with backoff from 1 s to 5 minutes, given up after a day).
 */
function activityOptions(
  own: ChannelActivityOptions = {},
  fallback: ChannelActivityOptions = {},
): ActivityOptions {
  const retry = { ...fallback.retry, ...own.retry };
  return {
    startToCloseTimeout: ms(own.timeout ?? fallback.timeout, '30 seconds'),
    scheduleToCloseTimeout: ms(own.giveUpAfter ?? fallback.giveUpAfter, '1 day'),
    retry: {
      initialInterval: ms(retry.initialInterval, '1 second'),
      backoffCoefficient: retry.backoffCoefficient ?? 2,
      maximumInterval: ms(retry.maximumInterval, '5 minutes'),
      maximumAttempts: retry.maximumAttempts || undefined,
    },
  };
}

const BUILT_IN: readonly string[] = ['email', 'sms', 'webhook', 'push'];

/**
 * The activity of a channel, with the retry policy the journey was enrolled with. Custom channels share
 * the `sendCustom` activity, which dispatches by name on the worker.
 */
function activityOf(runtime: JourneyRuntime, channel: Channel): SendActivity {
  const options = activityOptions(runtime.input.channels?.[channel], runtime.input.channels?.default);
  const type = BUILT_IN.includes(channel) ? channelActivity(channel) : channelActivity('custom');
  return proxyActivities<Record<string, SendActivity>>(options)[type] as SendActivity;
}

/**
 * A marketing send in the holdout group of a split: recorded as skipped, so the group's path matches the
 * others'. Transactional messages (a receipt, a payment notice) and hand-offs (webhooks) still go out.
 */
function heldOut(
  runtime: JourneyRuntime,
  channel: Channel,
  context: SendContext,
  options: SendOptions,
): SendResult | undefined {
  const marketing = (options.category ?? 'marketing') === 'marketing';
  return runtime.holdout && marketing ? skipped(runtime, channel, context.step, 'holdout') : undefined;
}

function sendContext(runtime: JourneyRuntime, caller: string): SendContext {
  const current = runtime.currentStep;
  if (!current)
    throw new TypeError(`${caller}() must be called inside step(name, fn), which names the send.`);
  current.sends += 1;
  const { workflowId, runId } = workflowInfo();
  const suffix = current.sends > 1 ? `.${current.sends}` : '';
  return {
    journey: runtime.definition.name,
    customerId: runtime.customerId,
    key: runtime.key,
    step: current.name,
    idempotencyKey: `${workflowId}/${runId}/${current.name}#${current.pass}${suffix}`,
  };
}

/**
 * Runs a send and records it in the journey's state. A permanent rejection, or a send that gave up after
 * its retries, comes back as `failed` for the journey to branch on; only cancellation (a goal arriving,
 * an exit) propagates.
 */
async function deliver(
  runtime: JourneyRuntime,
  channel: Channel,
  step: string,
  send: () => Promise<SendResult>,
): Promise<SendResult> {
  let result: SendResult;
  try {
    result = await send();
  } catch (err) {
    if (!(err instanceof ActivityFailure) || isCancellation(err)) throw err;
    const cause = err.cause;
    result =
      cause instanceof ApplicationFailure
        ? {
            status: 'failed',
            channel,
            reason: cause.nonRetryable ? (cause.type ?? 'rejected') : 'gave_up',
            message: cause.message,
          }
        : {
            status: 'failed',
            channel,
            reason: cause instanceof TimeoutFailure ? 'gave_up' : 'failed',
            message: cause?.message ?? err.message,
          };
  }
  return record(runtime, result, step);
}

/** Keeps a send in the journey's state, with its step and journey time, and returns it. */
function record(runtime: JourneyRuntime, result: SendResult, step: string): SendResult {
  runtime.sends.push({ ...result, step, at: new Date(runtime.journeyNow()).toISOString() });
  return result;
}

/** Asks the contact, then sends: a refused send is recorded as `suppressed` with the contact's reason. */
async function gated(
  runtime: JourneyRuntime,
  channel: Channel,
  context: SendContext,
  options: SendOptions,
  send: () => Promise<SendResult>,
): Promise<SendResult> {
  const refused = await askContact(runtime, channel, context, options);
  if (refused === undefined) return deliver(runtime, channel, context.step, send);
  return record(runtime, { status: 'suppressed', channel, reason: refused }, context.step);
}

function skipped(runtime: JourneyRuntime, channel: Channel, step: string, reason: string): SendResult {
  return record(runtime, { status: 'skipped', channel, reason }, step);
}

/**
 * Sends through the worker's channels. Call inside `step()`: each send is an activity (`sendEmail`, `sendSms`, …)
 * whose idempotency key derives from workflow id + run id + step + pass and reaches the provider, so a
 * retry or a worker killed mid-send never sends twice. Every send is recorded in the journey's state with
 * its message id, so a later open or click is tied to the step that sent it.
 */
export const send = {
  /**
   * Emails the customer with a template registered on the worker. `skipped` when the customer has no
   * email address; `failed` with the provider's reason for a permanent rejection.
   */
  async email(
    template: string,
    data: Record<string, unknown> = {},
    options: SendOptions = {},
  ): Promise<SendResult> {
    const runtime = currentRuntime('send.email');
    const context = sendContext(runtime, 'send.email');
    const to = runtime.input.customer.email;
    const held = heldOut(runtime, 'email', context, options);
    if (held) return held;
    if (!to) return skipped(runtime, 'email', context.step, 'no_email_address');
    return gated(runtime, 'email', context, options, () =>
      activityOf(runtime, 'email')({ ...context, to, template, data, ...options }),
    );
  },

  /** Texts the customer. `skipped` when the customer has no phone number. */
  async sms(body: string, options: SendOptions = {}): Promise<SendResult> {
    const runtime = currentRuntime('send.sms');
    const context = sendContext(runtime, 'send.sms');
    const to = runtime.input.customer.phone;
    const held = heldOut(runtime, 'sms', context, options);
    if (held) return held;
    if (!to) return skipped(runtime, 'sms', context.step, 'no_phone_number');
    return gated(runtime, 'sms', context, options, () =>
      activityOf(runtime, 'sms')({ ...context, to, body }),
    );
  },

  /** POSTs `payload`, signed, to the webhook target named in `temporal.yaml` (`channels.webhooks.<target>`). */
  async webhook(target: string, payload: unknown): Promise<SendResult> {
    const runtime = currentRuntime('send.webhook');
    const context = sendContext(runtime, 'send.webhook');
    return deliver(runtime, 'webhook', context.step, () =>
      activityOf(runtime, 'webhook')({ ...context, target, payload }),
    );
  },

  /** A push notification to the customer's devices, through the worker's push channel. */
  async push(
    notification: { title: string; body: string; data?: Record<string, unknown> },
    options: SendOptions = {},
  ): Promise<SendResult> {
    const runtime = currentRuntime('send.push');
    const context = sendContext(runtime, 'send.push');
    const held = heldOut(runtime, 'push', context, options);
    if (held) return held;
    return gated(runtime, 'push', context, options, () =>
      activityOf(runtime, 'push')({ ...context, ...notification }),
    );
  },

  /** Sends through a channel of your own, registered on the worker under `channel`. */
  async via(channel: string, payload: unknown): Promise<SendResult> {
    const runtime = currentRuntime('send.via');
    const context = sendContext(runtime, 'send.via');
    return deliver(runtime, channel, context.step, () =>
      activityOf(runtime, channel)({ ...context, channel, payload }),
    );
  },
};
