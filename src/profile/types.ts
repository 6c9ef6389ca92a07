/**
 * The customer data journeys decide on, read through activities at decision time (never cached in the
 * journey's input): profiles, orders, recommendations, invoices and promo codes. Temporal stays the only
 * database the SDK needs; this data lives in the user's own store behind {@link ProfileSource}.
 * Plain JSON shapes: they cross the activity boundary into workflow histories. Times are ISO-8601 strings,
 * money is a number in the currency's main unit.
 */

/** A customer as the shop knows them. */
export interface CustomerProfile {
  readonly id: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly firstName: string | null;
  /** The customer opted in to marketing SMS at signup (explicit consent, as SMS rules require). */
  readonly smsOptIn: boolean;
  readonly signedUpAt: string;
  /** The last time the customer did anything (visit, login, order); null if never. */
  readonly lastActiveAt: string | null;
  /** A subscription plan or product tier (`basic`, `plus`, `premium`), null when none. */
  readonly plan: string | null;
  /** Complaints (support tickets of kind complaint) still open. */
  readonly openComplaints: number;
  /** The customer's latest review, if any. */
  readonly lastReview: { readonly rating: number; readonly at: string } | null;
}

export interface OrderItem {
  readonly productId: string;
  readonly name: string;
  readonly category: string;
  readonly price: number;
  readonly quantity: number;
}

export interface Order {
  readonly id: string;
  readonly customerId: string;
  readonly placedAt: string;
  /** `placed`, `shipped`, `delivered` or `cancelled`. */
  readonly status: string;
  readonly total: number;
  readonly currency: string;
  readonly items: readonly OrderItem[];
}

/** A product suggested for a customer, with why. */
export interface Recommendation {
  readonly productId: string;
  readonly name: string;
  readonly category: string;
  readonly reason: string;
}

/** An amount a customer owes, due on a date. */
export interface Invoice {
  readonly id: string;
  readonly customerId: string;
  readonly amount: number;
  readonly currency: string;
  readonly dueAt: string;
  /** When the funds arrived; null while unpaid. */
  readonly paidAt: string | null;
}

/** What activities read the customer's data through. Implement it over your own store, or use the SQL one. */
export interface ProfileSource {
  /** The customer's profile; null for an unknown id. */
  profile(customerId: string): Promise<CustomerProfile | null>;
  /** The customer's orders, oldest first; `since` (ISO time) keeps the ones placed at or after it. */
  orders(customerId: string, options?: { readonly since?: string }): Promise<Order[]>;
  /**
   * Products to suggest: related to `category` (or to `productId`'s category) when given, never one the
   * customer already bought, best first, at most `limit` (default 3).
   */
  recommendations(
    customerId: string,
    options?: { readonly category?: string; readonly productId?: string; readonly limit?: number },
  ): Promise<Recommendation[]>;
  /** An invoice by id; null when unknown. */
  invoice(invoiceId: string): Promise<Invoice | null>;
  /**
   * The customer's promo code for `campaign`: generated and stored on the first call (`WELCOME-7K3QX9MA`:
   * the campaign upper-cased, then 8 random characters, unique across customers), the same code on every
   * later call, so an activity retry never hands out a second one.
   */
  assignPromoCode(customerId: string, campaign: string): Promise<string>;
}
