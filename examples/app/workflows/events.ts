import { z } from 'zod';
import { defineEvent } from 'temporal-journeys';

/** The billing service starts a trial; `endsAt` is when it ends (ISO-8601). */
export const trialStarted = defineEvent(
  'trial.started',
  z.object({ plan: z.string().min(1), endsAt: z.iso.datetime() }),
);

/** The customer bought a subscription: the journey's goal. */
export const subscriptionPurchased = defineEvent(
  'subscription.purchased',
  z.object({ plan: z.string().min(1) }),
);
