/**
 * The workflows a worker runs: the journeys, each exported under its workflow type (the journey name in
 * camelCase, which the worker checks at start), and the customer's contact entity.
 */
export { abandonedCart } from './abandoned-cart';
export { crossSell } from './cross-sell';
export { firstPurchase } from './first-purchase';
export { loyalty } from './loyalty';
export { paymentReminder } from './payment-reminder';
export { reactivation } from './reactivation';
export { upsell } from './upsell';
export { welcome } from './welcome';
export { campaignSweep } from './campaign-sweep';
export { contact } from '../src/contact/contact-workflow';
