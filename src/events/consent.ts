import { z } from 'zod';
import { defineEvent } from './define-event';

/** What a customer consented to: one channel (`email`) or one topic (`newsletter`). */
export const consentTargetSchema = z
  .object({
    channel: z.string().min(1).optional(),
    topic: z.string().min(1).optional(),
  })
  .refine((t) => (t.channel === undefined) !== (t.topic === undefined), {
    message: 'name exactly one of channel or topic',
  });
export type ConsentTarget = z.output<typeof consentTargetSchema>;

/**
 * Double opt-in: the customer confirmed a `pending` subscription (clicked the confirmation link). The
 * client turns it into `subscribed` at the customer's contact before any journey sees the event, so a
 * journey waiting for it can send marketing at once.
 */
export const subscriptionConfirmed = defineEvent('subscription.confirmed', consentTargetSchema);

/** Consent events every journey client accepts, whether or not a journey listens to them. */
export const consentEvents = [subscriptionConfirmed] as const;
