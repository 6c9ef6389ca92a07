import {
  journey,
  journeyNow,
  profile,
  promoCode,
  send,
  sleep,
  step,
  waitFor,
} from 'temporal-journeys/workflow';
import { orderDelivered, orderPlaced } from './events';

const DAY = 86_400_000;

/**
 * First purchase: a thank-you, how-to content two days later, a review request three days after the
 * parcel arrives, and a private-sale code if no second order comes within 30 days of the first. Started by
 * every customer's first `order.placed` (an order from a customer who already had one ends it at once).
 */
export const firstPurchase = journey(
  'first-purchase',
  {
    trigger: orderPlaced,
    events: [orderDelivered],
    reentry: 'never',
    description:
      'Thank-you, how-to, review request after delivery, private-sale code without a second order in 30 days.',
  },
  async ({ trigger }) => {
    const orders = await profile.orders();
    if (orders.some((o) => o.id !== trigger.data.orderId && Date.parse(o.placedAt) < Date.parse(trigger.at)))
      return 'not-first-order';
    const order = orders.find((o) => o.id === trigger.data.orderId);
    const categories = [...new Set(order?.items.map((i) => i.category) ?? [])];

    await step('thank-you', () =>
      send.email(
        'thank-you',
        { orderId: trigger.data.orderId, total: trigger.data.total },
        { category: 'transactional' },
      ),
    );
    await sleep('2 days');
    await step('how-to', () => send.email('how-to', { categories }));

    // The first order's parcel, within two weeks; deliveries of other orders do not count.
    const deliveryDeadline = new Date(journeyNow().getTime() + 14 * DAY);
    let delivered = await waitFor(orderDelivered, { until: deliveryDeadline });
    while (delivered && delivered.data.orderId !== trigger.data.orderId)
      delivered = await waitFor(orderDelivered, { until: deliveryDeadline });
    if (delivered) {
      await sleep('3 days');
      await step('review-request', () => send.email('review-request', { orderId: trigger.data.orderId }));
    }

    // A second order any time in the 30 days (it may have come in while we waited above) ends it here.
    const deadline = Date.parse(trigger.at) + 30 * DAY;
    // The first order emitted again (a retry under a new event id) is not a second one.
    let second = await waitFor(orderPlaced, { until: new Date(deadline) });
    while (second && second.data.orderId === trigger.data.orderId)
      second = await waitFor(orderPlaced, { until: new Date(deadline) });
    if (second) return 'repeat-customer';
    const code = await promoCode('private-sale');
    await step('private-sale', () => send.email('private-sale', { code }));
    return 'private-sale-offered';
  },
);
