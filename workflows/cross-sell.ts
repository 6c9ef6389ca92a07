import { journey, profile, send, sleep, step, waitFor } from 'temporal-journeys/workflow';
import { emailClicked, orderPlaced } from './events';

/**
 * Cross-sell (after each order): a product related to what was bought, from the recommendations source,
 * never one the customer already has. The branch follows the order's category: a bank-style product (a
 * card) is followed by an insurance offer within a day, by email and SMS; a shop order by a "goes with"
 * email five days later, and one reminder if it was not clicked.
 */
export const crossSell = journey(
  'cross-sell',
  {
    trigger: orderPlaced,
    key: (e) => e.data.orderId,
    events: [emailClicked],
    // A click carries the key (the order id) its email was sent with.
    route: (e) => (e.data as { key?: string }).key,
    reentry: 'never',
    description:
      'After an order: a related product (cards → insurance; tea → teaware), chosen at decision time.',
  },
  async ({ customer, trigger }) => {
    const order = (await profile.orders()).find((o) => o.id === trigger.data.orderId);
    const category = order?.items[0]?.category;
    if (!category) return 'unknown-order';

    if (category === 'cards') {
      await sleep('1 day');
      const [offer] = await profile.recommendations({ category });
      if (!offer) return 'nothing-to-offer';
      await step('insurance-offer', () =>
        send.email('related-product', { product: offer.name, reason: offer.reason }),
      );
      if (customer.phone) {
        await step('insurance-sms', () => send.sms(`${offer.name}: ${offer.reason}. Details in your email.`));
      }
      return 'offered';
    }

    await sleep('5 days');
    const [related] = await profile.recommendations({ category });
    if (!related) return 'nothing-to-offer';
    await step('related-product', () =>
      send.email('related-product', { product: related.name, reason: related.reason }),
    );
    if (await waitFor(emailClicked, { within: '3 days' })) return 'clicked';
    await step('related-reminder', () =>
      send.email('related-product', { product: related.name, reason: related.reason, reminder: true }),
    );
    return 'offered';
  },
);
