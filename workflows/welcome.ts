import {
  journey,
  profile,
  promoCode,
  send,
  sleep,
  sleepUntil,
  step,
  waitFor,
} from 'temporal-journeys/workflow';
import { customerSignedUp, orderPlaced, subscriptionConfirmed } from './events';

const DAY = 86_400_000;

/**
 * Welcome: double opt-in first (a confirmation email, one reminder two days later), then the welcome
 * series with a promo code assigned once. SMS only for customers with a phone who opted in to texts at
 * signup. Confirmed but still inactive on day 7: handed to the sales team (a customer who never confirms is
 * not contacted again: `unconfirmed`). A first order converts the customer wherever
 * they are. The backend marks the email subscription `pending` at signup, so no marketing email goes out
 * before the confirmation.
 */
export const welcome = journey(
  'welcome',
  {
    trigger: customerSignedUp,
    goal: orderPlaced,
    events: [subscriptionConfirmed],
    reentry: 'never',
    description:
      'Double opt-in, welcome series with a promo code, sales hand-off for the inactive; converts on a first order.',
  },
  async ({ customer, trigger }) => {
    const name = trigger.data.firstName;
    await step('confirm-email', () =>
      send.email('confirm-subscription', { name }, { category: 'transactional' }),
    );
    let confirmed = await waitFor(subscriptionConfirmed, { within: '2 days' });
    if (!confirmed) {
      await step('confirm-reminder', () =>
        send.email('confirm-subscription', { name, reminder: true }, { category: 'transactional' }),
      );
      confirmed = await waitFor(subscriptionConfirmed, { within: '3 days' });
    }
    if (!confirmed) return 'unconfirmed';

    const code = await promoCode('welcome');
    await step('welcome-email', () => send.email('welcome', { name, code }));
    const me = await profile.get();
    if (customer.phone && me?.smsOptIn) {
      await step('welcome-sms', () =>
        send.sms(`Welcome${name ? `, ${name}` : ''}! ${code} takes 10% off your first order.`),
      );
    }
    await sleep('2 days');
    await step('tips-email', () => send.email('welcome-tips', { name }));

    // Day 7 from signup: decided on the profile as it is then.
    await sleepUntil(new Date(Date.parse(trigger.at) + 7 * DAY));
    const later = await profile.get();
    const signedUpAt = later ? Date.parse(later.signedUpAt) : 0;
    const active = later?.lastActiveAt != null && Date.parse(later.lastActiveAt) > signedUpAt;
    if (!active) {
      await step('sales-handoff', () =>
        send.webhook('crm', { customerId: customer.id, reason: 'inactive 7 days after signup', code }),
      );
      return 'handed-to-sales';
    }
    return 'active';
  },
);
