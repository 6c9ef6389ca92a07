/**
 * The library journeys, each exported under its workflow type (the journey name in camelCase, which the
 * worker checks at start). The SDK's own workflows (the contact, the inbox, the campaign sweep) are bundled
 * by the worker itself.
 */
export { abandonedCart } from './abandoned-cart';
export { crossSell } from './cross-sell';
export { firstPurchase } from './first-purchase';
export { loyalty } from './loyalty';
export { paymentReminder } from './payment-reminder';
export { reactivation } from './reactivation';
export { upsell } from './upsell';
export { welcome } from './welcome';
