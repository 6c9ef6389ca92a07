/**
 * Workflow ids of journeys: `journey/<journey-name>/<customer-id>[/<key>]`. The customer id and key are
 * percent-encoded, so a customer id holding `/` (e.g. `alice/cart-1`) can never name another customer's
 * keyed journey.
 */
export function journeyWorkflowId(journeyName: string, customerId: string, key?: string): string {
  const base = `journey/${journeyName}/${encodeURIComponent(customerId)}`;
  return key === undefined ? base : `${base}/${encodeURIComponent(key)}`;
}
