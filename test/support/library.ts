/** The journeys of the package's own `workflows/`, by name, in name order. */
export const LIBRARY_JOURNEYS = [
  'abandoned-cart',
  'cross-sell',
  'first-purchase',
  'loyalty',
  'payment-reminder',
  'reactivation',
  'upsell',
  'welcome',
] as const;
