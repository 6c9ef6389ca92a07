/** The customer events of the bundled journeys. Pure definitions: backend services import them to emit. */
import { z } from 'zod';
import { defineEvent } from '../src/events';

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

/** Clicks come back from the email provider's webhooks (see src/http): the SDK's delivery event. */
export { emailClicked } from '../src/events';
