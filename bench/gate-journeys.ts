/**
 * The gate benches' workflows, bundled on their own: a journey that sends marketing emails through the
 * contact gate, and the same email sent by a raw Temporal workflow with no gate, beside the contact entity.
 * Workflow-safe: it imports only src/workflow, src/contact's workflow and @temporalio/workflow.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { SendEmailRequest, SendResult } from '../src/journey';
import { journey, send, sleep, step } from '../src/workflow';

/** Keyed, so one customer can run several at once: `data.emails` marketing emails, `data.gap` apart. */
export const gateStream = journey('gate-stream', { keyed: true, reentry: 'always' }, async ({ data }) => {
  const { emails, gap } = data as { emails: number; gap?: string };
  for (let i = 0; i < emails; i++) {
    if (i > 0 && gap) await sleep(gap as '1 second');
    await step(`email-${i + 1}`, () => send.email('cart-reminder', { items: [`item ${i + 1}`] }));
  }
});

/** One gated marketing email: the journey-level side of "gated ÷ ungated send". */
export const gatedSend = journey('gated-send', { reentry: 'always' }, async () => {
  await step('email', () => send.email('cart-reminder', { items: ['Tea'] }));
});

// The same activity options a journey's email gets by default (src/workflow/send.ts).
const raw = proxyActivities<{ sendEmail(request: SendEmailRequest): Promise<SendResult> }>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** The same email with the raw SDK and no gate: the baseline of "gated ÷ ungated send". */
export async function rawSend(input: { customerId: string; email: string; key: string }): Promise<void> {
  await raw.sendEmail({
    journey: 'raw-send',
    customerId: input.customerId,
    step: 'email',
    idempotencyKey: input.key,
    to: input.email,
    template: 'cart-reminder',
    data: { items: ['Tea'] },
  });
}

export { contact } from '../src/contact/contact-workflow';
