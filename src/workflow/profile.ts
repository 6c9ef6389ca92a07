import { proxyActivities } from '@temporalio/workflow';
import type { CustomerProfile, Invoice, Order, Recommendation } from '../profile/types';
import { currentRuntime } from './runtime';

/**
 * The activities behind `profile` and `promoCode`, registered by the worker over a `ProfileSource`. Their
 * names are in every history that reads customer data: never rename them.
 */
export interface ProfileActivities {
  loadProfile(request: { customerId: string }): Promise<CustomerProfile | null>;
  loadOrders(request: { customerId: string; since?: string }): Promise<Order[]>;
  loadRecommendations(request: {
    customerId: string;
    category?: string;
    productId?: string;
    limit?: number;
  }): Promise<Recommendation[]>;
  loadInvoice(request: { invoiceId: string }): Promise<Invoice | null>;
  assignPromoCode(request: { customerId: string; campaign: string }): Promise<string>;
}

const activities = proxyActivities<ProfileActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const customerId = (caller: string) => currentRuntime(caller).customerId;

/**
 * The customer's data as it is now, read through the worker's profile source (an activity each), so a
 * decision made on day 30 sees day-30 data. Each read is recorded in the history: a replay sees the same
 * answer.
 *
 * @example
 * ```ts
 * const me = await profile.get();
 * if (me?.openComplaints === 0) await step('upsell', () => send.email('upsell', { plan: 'plus' }));
 * ```
 */
export const profile = {
  /** The customer's profile, or null when the source does not know them. */
  get: (): Promise<CustomerProfile | null> =>
    activities.loadProfile({ customerId: customerId('profile.get') }),
  /** The customer's orders, oldest first; `since` keeps the ones placed at or after that time. */
  orders: (options: { since?: Date | string } = {}): Promise<Order[]> =>
    activities.loadOrders({
      customerId: customerId('profile.orders'),
      since: options.since instanceof Date ? options.since.toISOString() : options.since,
    }),
  /** Products to suggest, related to a category or product, never one the customer already bought. */
  recommendations: (
    options: { category?: string; productId?: string; limit?: number } = {},
  ): Promise<Recommendation[]> =>
    activities.loadRecommendations({ customerId: customerId('profile.recommendations'), ...options }),
  /** An invoice of the customer's, with `paidAt` once the funds arrived. */
  invoice: (invoiceId: string): Promise<Invoice | null> => activities.loadInvoice({ invoiceId }),
};

/** The customer's promo code for `campaign`: assigned once, the same code on every later call. */
export function promoCode(campaign: string): Promise<string> {
  return activities.assignPromoCode({ customerId: customerId('promoCode'), campaign });
}
