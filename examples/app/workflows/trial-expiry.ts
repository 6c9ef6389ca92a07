import { journey, localTime, send, sleepUntil, step } from 'temporal-journeys/workflow';
import { subscriptionPurchased, trialStarted } from './events.js';

const DAY = 86_400_000;

/**
 * Trial expiry: an email three days before the trial ends, then on its last day an SMS at 10:00 in the
 * customer's time zone, unless they subscribe first (the goal ends the journey from anywhere).
 */
export const trialExpiry = journey(
  'trial-expiry',
  { trigger: trialStarted, goal: subscriptionPurchased, goalOutcome: 'subscribed' },
  async ({ trigger, customer }) => {
    const endsAt = new Date(trigger.data.endsAt);
    await sleepUntil(new Date(endsAt.getTime() - 3 * DAY));
    await step('ending-soon-email', () =>
      send.email('trial-ending', { plan: trigger.data.plan, endsOn: trigger.data.endsAt.slice(0, 10) }),
    );
    await sleepUntil(new Date(endsAt.getTime() - DAY));
    await sleepUntil(await localTime('10:00'));
    if (customer.phone)
      await step('last-day-sms', () =>
        send.sms(`Your ${trigger.data.plan} trial ends tomorrow. Keep it: shop.example/buy`),
      );
    return 'expired';
  },
);
