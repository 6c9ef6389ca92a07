/** The customer events of the bundled journeys. Pure definitions: backend services import them to emit. */
import { z } from 'zod';
import { defineEvent } from 'temporal-journeys';

export const cartAbandonedSchema = z.object({
  cartId: z.string().min(1),
  items: z.array(z.string().min(1)).min(1),
  url: z.url(),
  total: z.number().nonnegative().optional(),
});
export const cartAbandoned = defineEvent('cart.abandoned', cartAbandonedSchema);

export const orderPlacedSchema = z.object({
  orderId: z.string().min(1),
  /** The cart the order came from, when it came from one: routes the event to that cart's journey. */
  cartId: z.string().min(1).optional(),
  total: z.number().nonnegative(),
});
export const orderPlaced = defineEvent('order.placed', orderPlacedSchema);

/** The parcel arrived (from the shop's carrier integration). */
export const orderDelivered = defineEvent('order.delivered', z.object({ orderId: z.string().min(1) }));

/** A new account; `source` is where they signed up (web, app, store). */
export const customerSignedUp = defineEvent(
  'customer.signed_up',
  z.object({ firstName: z.string().min(1).optional(), source: z.string().min(1).optional() }),
);

/** Any sign of life: a visit, a login, an app open. Orders count too, as `order.placed`. */
export const customerActive = defineEvent(
  'customer.active',
  z.object({ kind: z.enum(['visit', 'login', 'app_open']) }),
);

/** A customer reviewed the shop or a product, 1 to 5 stars. */
export const reviewSubmitted = defineEvent(
  'review.submitted',
  z.object({
    reviewId: z.string().min(1),
    rating: z.number().int().min(1).max(5),
    orderId: z.string().min(1).optional(),
  }),
);

/** The customer moved to another plan or product tier. */
export const planUpgraded = defineEvent('plan.upgraded', z.object({ plan: z.string().min(1) }));

/** Clicks come back from the email provider's webhooks (see src/http): the SDK's delivery event. */
export { emailClicked, subscriptionConfirmed } from 'temporal-journeys';
