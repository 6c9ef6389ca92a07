/** The app's journeys: the worker bundles this module, the CLI and the test kit read it. */
export { trialExpiry } from './trial-expiry.js';
export { subscriptionPurchased, trialStarted } from './events.js';
