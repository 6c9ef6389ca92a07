/**
 * The typed event catalog. One signal, `journeys.event`, carries every customer event as
 * `{ id, type, customerId, data, at }`.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { defineEvent } from 'temporal-journeys';
 * export const orderPlaced = defineEvent('order.placed', z.object({ orderId: z.string(), cartId: z.string().optional() }));
 * ```
 */
export { defineEvent, parseEventData } from './define-event';
export type {
  AnyEventDefinition,
  EventDefinition,
  EventInputOf,
  EventOf,
  JourneyEvent,
} from './define-event';
export { defineEventCatalog } from './catalog';
export type { EventCatalog } from './catalog';
export { EVENT_SIGNAL, eventEnvelopeSchema, parseEnvelope } from './envelope';
export {
  deliveryEvents,
  deliveryEventSchema,
  emailBounced,
  emailClicked,
  emailComplained,
  emailDelivered,
  emailOpened,
  messageEventTypes,
  smsDelivered,
  smsFailed,
  smsStart,
  smsStop,
  smsUndelivered,
} from './delivery';
export { consentEvents, consentTargetSchema, subscriptionConfirmed } from './consent';
export type { ConsentTarget } from './consent';
export type { DeliveryEventData } from './delivery';
