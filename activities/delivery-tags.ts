import type { SendContext } from '../src/journey';

/**
 * Tags that tie a provider's later webhook (opened, clicked, bounced) back to the customer, journey run
 * and step that sent the message. Resend allows only ASCII letters, digits, `_` and `-` in tag values, so
 * ids are base64url-encoded. Customer ids are opaque ids (never PII), so they may travel with the message.
 */
export function deliveryTags(
  context: Pick<SendContext, 'journey' | 'customerId' | 'key' | 'step'>,
): { name: string; value: string }[] {
  const encode = (value: string) => Buffer.from(value, 'utf8').toString('base64url');
  return [
    { name: 'journey', value: context.journey },
    { name: 'customer', value: encode(context.customerId) },
    { name: 'step', value: encode(context.step) },
    ...(context.key !== undefined ? [{ name: 'key', value: encode(context.key) }] : []),
  ];
}

/** Reads tags made by {@link deliveryTags} from a webhook's `tags` (array or record form). */
export function readDeliveryTags(tags: unknown): {
  journey?: string;
  customerId?: string;
  step?: string;
  key?: string;
} {
  const pairs: [string, string][] = Array.isArray(tags)
    ? tags.flatMap((t: { name?: unknown; value?: unknown }) =>
        typeof t?.name === 'string' && typeof t.value === 'string'
          ? [[t.name, t.value] as [string, string]]
          : [],
      )
    : tags && typeof tags === 'object'
      ? Object.entries(tags as Record<string, unknown>).flatMap(([k, v]) =>
          typeof v === 'string' ? [[k, v] as [string, string]] : [],
        )
      : [];
  const map = new Map(pairs);
  const decode = (value: string | undefined) =>
    value === undefined ? undefined : Buffer.from(value, 'base64url').toString('utf8');
  return {
    journey: map.get('journey'),
    customerId: decode(map.get('customer')),
    step: decode(map.get('step')),
    key: decode(map.get('key')),
  };
}
