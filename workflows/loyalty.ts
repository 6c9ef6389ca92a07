import { journey, journeyNow, profile, send, step, waitFor, type Order } from 'temporal-journeys/workflow';
import { orderPlaced } from './events';

const DAY = 86_400_000;
/** Points are earned at one per whole unit spent and expire a year after the order. */
const POINTS_LIFETIME = 365 * DAY;
/** The expiry reminder goes out this long before points expire. */
const EXPIRY_NOTICE = 14 * DAY;

/** Tiers by points held (spend in the last year), best first. */
export const TIERS = [
  { name: 'gold', points: 1000, perk: 'free express shipping and 15% off' },
  { name: 'silver', points: 300, perk: 'free shipping and 5% off' },
  { name: 'bronze', points: 0, perk: 'early access to sales' },
] as const;
export type Tier = (typeof TIERS)[number]['name'];

/** The points a customer holds at `now`: whole units spent on orders of the last year. */
export function pointsAt(orders: readonly Order[], now: number): number {
  return orders
    .filter((o) => o.status !== 'cancelled' && now - Date.parse(o.placedAt) < POINTS_LIFETIME)
    .reduce((sum, o) => sum + Math.floor(o.total), 0);
}

export function tierOf(points: number): (typeof TIERS)[number] {
  return TIERS.find((t) => points >= t.points) ?? TIERS[TIERS.length - 1]!;
}

/**
 * Loyalty (from the first order, one run per customer): every order moves the customer between tiers by
 * the points of the last year's orders, read from the order data at that moment; a move up is
 * congratulated with its perks, a move down explained. Two weeks before points expire the customer is
 * reminded. A year without an order ends it `lapsed`. Each new order reaches the live run.
 */
export const loyalty = journey(
  'loyalty',
  {
    trigger: orderPlaced,
    reentry: 'always',
    description:
      'Tiers (bronze, silver, gold) from the last year of orders; congratulations and perks; expiry reminders.',
  },
  async () => {
    let tier: Tier = 'bronze';
    let reminded = 0; // the expiry instant already reminded about
    for (;;) {
      const now = journeyNow().getTime();
      // Strictly inside the year, like pointsAt: an order exactly a year old has expired.
      const orders = (await profile.orders({ since: new Date(now - POINTS_LIFETIME) })).filter(
        (o) => o.status !== 'cancelled' && now - Date.parse(o.placedAt) < POINTS_LIFETIME,
      );
      if (orders.length === 0) return 'lapsed';
      const points = pointsAt(orders, now);
      const next = tierOf(points);
      if (next.name !== tier) {
        const up = TIERS.findIndex((t) => t.name === next.name) < TIERS.findIndex((t) => t.name === tier);
        await step(up ? `tier-up-${next.name}` : `tier-down-${next.name}`, () =>
          send.email('loyalty-tier', { tier: next.name, perk: next.perk, points, up }),
        );
        tier = next.name;
      }

      // Wait for the next order, or until the oldest points are about to expire.
      const expiry = Math.min(...orders.map((o) => Date.parse(o.placedAt))) + POINTS_LIFETIME;
      const remindAt = expiry - EXPIRY_NOTICE;
      const order = await waitFor(orderPlaced, { until: new Date(reminded === expiry ? expiry : remindAt) });
      if (order) continue;
      if (reminded !== expiry && journeyNow().getTime() >= remindAt) {
        const expiring = pointsAt(orders, now) - pointsAt(orders, expiry);
        await step('points-expiring', () =>
          send.email('points-expiring', { points: expiring, expiresAt: new Date(expiry).toISOString() }),
        );
        reminded = expiry;
      }
    }
  },
);
