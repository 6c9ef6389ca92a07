import { DefaultFailureConverter } from '@temporalio/common';

/**
 * The failure converter of an encrypting worker and client (loaded by path, in the workflow sandbox too):
 * a failure's message and stack move into an encoded payload, which the codec then encrypts, so an error
 * naming a customer's address (a provider's "invalid `to`") is not readable in the history either.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
