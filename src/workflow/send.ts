import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
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
  type JourneyInput,
  type SendContext,
  type SendOptions,
  type SendResult,
} from '../journey';
import { askContact } from './contact-gate';
import { currentRuntime, type JourneyRuntime } from './runtime';
import type { TemplateData, TemplateName } from './templates';

/** The arguments after the template's name: its data (optional only when it may be empty), then options. */
export type EmailArgs<TName> =
  object extends TemplateData<TName>
    ? [data?: TemplateData<TName>, options?: SendOptions]
    : [data: TemplateData<TName>, options?: SendOptions];

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
 * its retries, comes back as `failed` for the journey to branch on; only cancellation propagates. On
 * ordered runs a send once started is not cancelled: a goal or an exit arriving meanwhile takes effect
 * after it, so the journey's state always holds what the provider sent.
 */
async function deliver(
  runtime: JourneyRuntime,
  channel: Channel,
  step: string,
  send: () => Promise<SendResult>,
): Promise<SendResult> {
  const done = runtime.sending();
  let result: SendResult;
  try {
    result = runtime.order ? await CancellationScope.nonCancellable(send) : await send();
  } catch (err) {
    if (!(err instanceof ActivityFailure) || isCancellation(err)) {
      done();
      throw err;
    }
    result = failure(channel, err);
  }
  record(runtime, result, step);
  done();
  return result;
}

/** What a failed send activity means to the journey: rejected for good, or given up after retries. */
function failure(channel: Channel, err: ActivityFailure): SendResult {
  const cause = err.cause;
  return cause instanceof ApplicationFailure
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

/** Keeps a send in the journey's state, with its step and journey time, and returns it. */
function record(runtime: JourneyRuntime, result: SendResult, step: string): SendResult {
  runtime.recordSend({ ...result, step, at: new Date(runtime.journeyNow()).toISOString() });
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
 * How each kind of channel sends: the customer address it needs (and the reason it is skipped without one),
 * whether it asks the customer's contact first, and whether a split's holdout skips it. Hand-offs (webhooks,
 * custom channels) are neither gated nor held out.
 */
const CHANNELS = {
  email: { address: (c) => c.email, missing: 'no_email_address', gated: true, heldOut: true },
  sms: { address: (c) => c.phone, missing: 'no_phone_number', gated: true, heldOut: true },
  push: { gated: true, heldOut: true },
  webhook: { gated: false, heldOut: false },
  custom: { gated: false, heldOut: false },
} satisfies Record<
  'email' | 'sms' | 'push' | 'webhook' | 'custom',
  {
    readonly address?: (customer: JourneyInput['customer']) => string | undefined;
    readonly missing?: string;
    readonly gated: boolean;
    readonly heldOut: boolean;
  }
>;

type Kind = keyof typeof CHANNELS;

/** One send, whatever the channel: named by its step, held out, skipped, gated, then delivered. */
async function dispatch(
  kind: Kind,
  channel: Channel,
  caller: string,
  options: SendOptions,
  request: (context: SendContext, to: string | undefined) => object,
): Promise<SendResult> {
  const runtime = currentRuntime(caller);
  const context = sendContext(runtime, caller);
  const spec: (typeof CHANNELS)[Kind] = CHANNELS[kind];
  await runtime.beforeAction();
  const marketing = (options.category ?? 'marketing') === 'marketing';
  // A marketing send in a split's holdout: recorded as skipped, so the group's path matches the others'.
  if (spec.heldOut && runtime.holdout && marketing) return skipped(runtime, channel, context.step, 'holdout');
  const to = 'address' in spec ? spec.address(runtime.input.customer) : undefined;
  if ('address' in spec && !to) return skipped(runtime, channel, context.step, spec.missing);
  const send = () => activityOf(runtime, channel)(request(context, to));
  return spec.gated
    ? gated(runtime, channel, context, options, send)
    : deliver(runtime, channel, context.step, send);
}

/** What `send` offers: declared (not inferred) so an app's declared templates type `email` in its build. */
export interface Send {
  /**
   * Emails the customer with a template registered on the worker. `skipped` when the customer has no
   * email address; `failed` with the provider's reason for a permanent rejection. With the app's templates
   * declared (`JourneyTemplates`), the name and the data are checked against the template.
   */
  email<TName extends TemplateName>(template: TName, ...args: EmailArgs<TName>): Promise<SendResult>;
  /** Texts the customer. `skipped` when the customer has no phone number. */
  sms(body: string, options?: SendOptions): Promise<SendResult>;
  /** POSTs `payload`, signed, to the webhook target named in `temporal.yaml` (`channels.webhooks.<target>`). */
  webhook(target: string, payload: unknown): Promise<SendResult>;
  /** A push notification to the customer's devices, through the worker's push channel. */
  push(
    notification: { title: string; body: string; data?: Record<string, unknown> },
    options?: SendOptions,
  ): Promise<SendResult>;
  /** Sends through a channel of your own, registered on the worker under `channel`. */
  via(channel: string, payload: unknown): Promise<SendResult>;
}

/**
 * Sends through the worker's channels. Call inside `step()`: each send is an activity (`sendEmail`, `sendSms`, …)
 * whose idempotency key derives from workflow id + run id + step + pass and reaches the provider, so a
 * retry or a worker killed mid-send never sends twice. Every send is recorded in the journey's state with
 * its message id, so a later open or click is tied to the step that sent it.
 */
export const send: Send = {
  /**
   * Emails the customer with a template registered on the worker. `skipped` when the customer has no
   * email address; `failed` with the provider's reason for a permanent rejection.
   */
  email<TName extends TemplateName>(template: TName, ...args: EmailArgs<TName>): Promise<SendResult> {
    const data = args[0] ?? {};
    const options: SendOptions = args[1] ?? {};
    return dispatch('email', 'email', 'send.email', options, (context, to) => ({
      ...context,
      to,
      template,
      data,
      ...options,
    }));
  },

  /** Texts the customer. `skipped` when the customer has no phone number. */
  sms(body: string, options: SendOptions = {}): Promise<SendResult> {
    return dispatch('sms', 'sms', 'send.sms', options, (context, to) => ({ ...context, to, body }));
  },

  /** POSTs `payload`, signed, to the webhook target named in `temporal.yaml` (`channels.webhooks.<target>`). */
  webhook(target: string, payload: unknown): Promise<SendResult> {
    return dispatch('webhook', 'webhook', 'send.webhook', {}, (context) => ({ ...context, target, payload }));
  },

  /** A push notification to the customer's devices, through the worker's push channel. */
  push(
    notification: { title: string; body: string; data?: Record<string, unknown> },
    options: SendOptions = {},
  ): Promise<SendResult> {
    return dispatch('push', 'push', 'send.push', options, (context) => ({ ...context, ...notification }));
  },

  /** Sends through a channel of your own, registered on the worker under `channel`. */
  via(channel: string, payload: unknown): Promise<SendResult> {
    return dispatch('custom', channel, 'send.via', {}, (context) => ({ ...context, channel, payload }));
  },
};
