import { journey, patched, send, sleep, split, step, waitFor } from 'temporal-journeys/workflow';
import { cartAbandoned, emailClicked, orderPlaced } from './events';

/**
 * Abandoned cart: an email after a delay chosen by an A/B split (15 minutes or 1 hour, recorded as the
 * variant), an SMS a day later if the email was not clicked. Ordering from the cart converts the customer
 * wherever they are. One live journey per cart; a customer may enter again for the same cart a week
 * after the last run ended.
 */
export const abandonedCart = journey(
  'abandoned-cart',
  {
    trigger: cartAbandoned,
    key: (e) => e.data.cartId,
    goal: orderPlaced,
    events: [emailClicked],
    route: (e) => (e.type === 'order.placed' ? e.data.cartId : e.data.key),
    reentry: { after: '7 days' },
    description:
      'Email after 15 minutes or 1 hour (A/B), SMS after one more day without a click; converts on order.placed.',
  },
  async ({ customer, trigger }) => {
    // Carts abandoned before the split existed keep their hour (their histories have no split).
    const delay = patched('abandoned-cart.first-delay-split')
      ? split('first-delay', { '15 minutes': 50, '1 hour': 50 })
      : '1 hour';
    await sleep(delay === 'holdout' ? '1 hour' : delay);
    await step('reminder-email', () =>
      send.email('cart-reminder', { items: trigger.data.items, url: trigger.data.url }),
    );
    const click = await waitFor(emailClicked, { within: '1 day' });
    if (!click && customer.phone) {
      await step('reminder-sms', () => send.sms(`Your cart is waiting: ${trigger.data.url}`));
    }
  },
);
