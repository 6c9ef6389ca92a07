import { z } from 'zod';
import { defineEvent } from './define-event';

/**
 * What a provider's delivery webhook says about one message, tied back to the send that made it: the
 * provider's message id and the journey, step and key the send carried.
 */
export const deliveryEventSchema = z.object({
  messageId: z.string().min(1),
  journey: z.string().optional(),
  step: z.string().optional(),
  /** The journey key (e.g. a cart id) of the run that sent the message. */
  key: z.string().optional(),
  /** For clicks: the link. */
  url: z.string().optional(),
  /** For bounces and failures: why. */
  reason: z.string().optional(),
});
export type DeliveryEventData = z.output<typeof deliveryEventSchema>;

/** Delivery events turned from verified provider webhooks into customer events (`src/http`). */
export const emailDelivered = defineEvent('email.delivered', deliveryEventSchema);
export const emailOpened = defineEvent('email.opened', deliveryEventSchema);
export const emailClicked = defineEvent('email.clicked', deliveryEventSchema.partial({ messageId: true }));
export const emailBounced = defineEvent('email.bounced', deliveryEventSchema);
export const emailComplained = defineEvent('email.complained', deliveryEventSchema);
export const smsDelivered = defineEvent('sms.delivered', deliveryEventSchema);
export const smsUndelivered = defineEvent('sms.undelivered', deliveryEventSchema);
export const smsFailed = defineEvent('sms.failed', deliveryEventSchema);
/** The customer texted STOP (or another opt-out word): Twilio refuses further sends with 21610. */
export const smsStop = defineEvent('sms.stop', deliveryEventSchema.partial({ messageId: true }));
/** The customer texted START (or UNSTOP, YES) after a STOP: SMS is subscribed again. */
export const smsStart = defineEvent('sms.start', deliveryEventSchema.partial({ messageId: true }));

/** Every delivery event, for a catalog. */
export const deliveryEvents = [
  emailDelivered,
  emailOpened,
  emailClicked,
  emailBounced,
  emailComplained,
  smsDelivered,
  smsUndelivered,
  smsFailed,
  smsStop,
  smsStart,
] as const;

/**
 * Delivery events about one message a journey sent (everything but the inbound STOP and START, which are
 * about the phone number): a run accepts one only when it sent that message.
 */
export const messageEventTypes: ReadonlySet<string> = new Set(
  deliveryEvents.filter((e) => e !== smsStop && e !== smsStart).map((e) => e.name),
);
