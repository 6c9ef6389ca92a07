/**
 * The bench's baseline: the loyalty journey's work for a customer who never orders again, written with the
 * raw Temporal SDK (same activities, same timers), bundled beside the journeys.
 */
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { AskContactRequest } from '../activities';
import type { GateDecision } from '../src/contact';
import type { SendEmailRequest, SendResult } from '../src/journey';
import type { ProfileActivities } from '../src/workflow';

const DAY = 86_400_000;
const act = proxyActivities<
  Pick<ProfileActivities, 'loadOrders'> & {
    askContact(request: AskContactRequest): Promise<GateDecision>;
    sendEmail(request: SendEmailRequest): Promise<SendResult>;
  }
>({ startToCloseTimeout: '30 seconds' });

export async function rawLoyalty(input: { customerId: string; email: string }): Promise<string> {
  const { customerId, email } = input;
  const context = (step: string) => ({
    journey: 'raw-loyalty',
    customerId,
    step,
    idempotencyKey: `raw/${customerId}/${step}`,
  });
  const ask = (step: string) =>
    act.askContact({ customerId, channel: 'email', category: 'marketing', journey: 'raw-loyalty', step });
  const orders = await act.loadOrders({ customerId, since: new Date(Date.now() - 365 * DAY).toISOString() });
  const placed = Math.min(...orders.map((o) => Date.parse(o.placedAt)));
  await ask('tier-up-silver');
  await act.sendEmail({
    ...context('tier-up-silver'),
    to: email,
    template: 'loyalty-tier',
    data: { tier: 'silver' },
  });
  await sleep(Math.max(1, placed + 351 * DAY - Date.now()));
  await ask('points-expiring');
  await act.sendEmail({
    ...context('points-expiring'),
    to: email,
    template: 'points-expiring',
    data: { points: 400 },
  });
  await sleep(Math.max(1, placed + 365 * DAY - Date.now()));
  await act.loadOrders({ customerId, since: new Date(Date.now() - 365 * DAY).toISOString() });
  return 'lapsed';
}

export * from '../workflows';
