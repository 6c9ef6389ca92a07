import { journey, send, sleep, step, waitFor } from '../src/workflow';
import { cartAbandoned, emailClicked, orderPlaced } from './events';

/**
 * Abandoned cart: an email an hour after the cart is left, an SMS a day later if the email was not
 * clicked. Ordering from the cart converts the customer wherever they are. One live journey per cart; a
 * customer may enter again for the same cart a week after the last run ended.
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
    description: 'Email after 1 hour, SMS after one more day without a click; converts on order.placed.',
  },
  async ({ customer, trigger }) => {
    await sleep('1 hour');
    await step('reminder-email', () =>
      send.email('cart-reminder', { items: trigger.data.items, url: trigger.data.url }),
    );
    const click = await waitFor(emailClicked, { within: '1 day' });
    if (!click && customer.phone) {
      await step('reminder-sms', () => send.sms(`Your cart is waiting: ${trigger.data.url}`));
    }
  },
);
