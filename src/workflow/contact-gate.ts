import { patched, proxyActivities, sleep as temporalSleep } from '@temporalio/workflow';
import type { GateDecision, GateRequest } from '../contact';
import type { Channel, SendContext, SendOptions } from '../journey';
import type { JourneyRuntime } from './runtime';

/**
 * Sends made before the contact gate existed have no `askContact` in their history: the patch keeps them
 * replaying, while every run that reaches a send on this code asks first.
 */
const GATE_PATCH = 'temporal-journeys.contact-gate';

const contactGate = proxyActivities<{
  askContact(request: GateRequest & { customerId: string }): Promise<GateDecision>;
}>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' },
});

/**
 * Asks the customer's contact entity for a slot: waits out a deferral (quiet hours, a full cap) and asks
 * again; returns the suppression reason when the contact refuses.
 */
export async function askContact(
  runtime: JourneyRuntime,
  channel: Channel,
  context: SendContext,
  options: SendOptions,
): Promise<string | undefined> {
  const { step } = context;
  if (!patched(GATE_PATCH)) return undefined;
  for (;;) {
    const answer = await contactGate.askContact({
      customerId: runtime.customerId,
      channel,
      category: options.category ?? 'marketing',
      topic: options.topic,
      journey: runtime.definition.name,
      step,
    });
    if (answer.decision === 'allow') return undefined;
    if (answer.decision === 'suppress') return answer.reason;
    runtime.deferred = { channel, step, until: new Date(answer.until).toISOString(), reason: answer.reason };
    try {
      await temporalSleep(Math.max(1, answer.until - Date.now()));
    } finally {
      runtime.deferred = null;
    }
  }
}
