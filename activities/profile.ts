import { ApplicationFailure } from '@temporalio/common';
import type { ProfileSource } from '../src/profile/types';
import type { ProfileActivities } from '../src/workflow/profile';

/**
 * The activities journeys read customer data through (`profile.get()`, `promoCode()`), over a
 * `ProfileSource`. Without one, each fails at once with a message saying how to configure it, instead of
 * retrying forever.
 */
export function createProfileActivities(source: ProfileSource | undefined): ProfileActivities {
  const need = (): ProfileSource => {
    if (source) return source;
    throw ApplicationFailure.nonRetryable(
      'This worker has no profile source: pass createJourneyWorker({ profiles }) (e.g. createPostgresProfileSource()).',
      'NO_PROFILE_SOURCE',
    );
  };
  return {
    loadProfile: ({ customerId }) => need().profile(customerId),
    loadOrders: ({ customerId, since }) => need().orders(customerId, { since }),
    loadRecommendations: ({ customerId, ...options }) => need().recommendations(customerId, options),
    loadInvoice: ({ invoiceId }) => need().invoice(invoiceId),
    assignPromoCode: ({ customerId, campaign }) => need().assignPromoCode(customerId, campaign),
  };
}
