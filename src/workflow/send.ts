import { ActivityFailure, ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Channel, ChannelActivities, SendContext, SendResult } from '../journey';
import { currentRuntime, type JourneyRuntime } from './runtime';

const channels = proxyActivities<ChannelActivities>({
  startToCloseTimeout: '30 seconds',
  // Provider outages are retried for a day; permanent rejections are non-retryable failures.
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

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
    step: current.name,
    idempotencyKey: `${workflowId}/${runId}/${current.name}#${current.pass}${suffix}`,
  };
}

/** A permanent provider rejection comes back as a result the journey can branch on. */
async function deliver(channel: Channel, send: () => Promise<SendResult>): Promise<SendResult> {
  try {
    return await send();
  } catch (err) {
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.nonRetryable) {
      return { status: 'failed', channel, reason: err.cause.type ?? 'rejected', message: err.cause.message };
    }
    throw err;
  }
}

/**
 * Sends through the worker's channels. Call inside `step()`. Each send is an activity with an idempotency
 * key derived from workflow id + run id + step, passed to the provider, so retries never send twice.
 */
export const send = {
  /**
   * Emails the customer with a template registered on the worker. Returns `skipped` when the customer has
   * no email address, `failed` with the provider's reason for a permanent rejection.
   */
  async email(template: string, data: Record<string, unknown> = {}): Promise<SendResult> {
    const runtime = currentRuntime('send.email');
    const context = sendContext(runtime, 'send.email');
    const to = runtime.input.customer.email;
    if (!to) return { status: 'skipped', channel: 'email', reason: 'no_email_address' };
    return deliver('email', () => channels.sendEmail({ ...context, to, template, data }));
  },

  /** Texts the customer. Returns `skipped` when the customer has no phone number. */
  async sms(body: string): Promise<SendResult> {
    const runtime = currentRuntime('send.sms');
    const context = sendContext(runtime, 'send.sms');
    const to = runtime.input.customer.phone;
    if (!to) return { status: 'skipped', channel: 'sms', reason: 'no_phone_number' };
    return deliver('sms', () => channels.sendSms({ ...context, to, body }));
  },
};
