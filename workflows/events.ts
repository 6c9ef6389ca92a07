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

export const emailClickedSchema = z.object({
  /** The provider's id of the email clicked. */
  messageId: z.string().optional(),
  url: z.string().optional(),
  /** The journey key the email belonged to (e.g. a cart id), when the link carried it. */
  key: z.string().optional(),
});
export const emailClicked = defineEvent('email.clicked', emailClickedSchema);
