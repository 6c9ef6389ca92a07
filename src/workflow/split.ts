import { upsertSearchAttributes } from '@temporalio/workflow';
import { journeySearchAttributes as attrs } from '../journey';
import { currentRuntime } from './runtime';

/** The variant of customers held out of a journey to measure its uplift: they are sent nothing. */
export const HOLDOUT = 'holdout';

export interface SplitOptions {
  /**
   * Percent of customers (0–99) held out: they walk the same path, but every marketing send is `skipped`
   * with reason `holdout` (transactional ones and webhooks still go), so their conversions measure what the
   * journey adds.
   */
  readonly holdout?: number;
}

/**
 * An A/B split: picks one of `variants` by weight, the same one for a customer every time (a hash of the
 * customer id, the journey and the split's name; no randomness, so replays pick it again). Records it as
 * the journey's `variant` (state and the `JourneyVariant` search attribute) for uplift reports.
 *
 * @example
 * ```ts
 * const delay = split('first-reminder', { '15 minutes': 50, '1 hour': 50 }, { holdout: 10 });
 * await sleep(delay === 'holdout' ? '1 hour' : delay);
 * ```
 */
export function split<TVariant extends string>(
  name: string,
  variants: Readonly<Record<TVariant, number>>,
  options: SplitOptions = {},
): TVariant | typeof HOLDOUT {
  const runtime = currentRuntime('split');
  const variant = variantOf(
    { customerId: runtime.customerId, journey: runtime.definition.name, split: name },
    variants,
    options,
  );
  runtime.variant = variant;
  // Once held out, always: a later split without a holdout does not put the customer back in.
  runtime.holdout ||= variant === HOLDOUT;
  upsertSearchAttributes([{ key: attrs.variant, value: variant }]);
  return variant;
}

/**
 * The variant `split()` picks for a customer: pure and deterministic, so a report or a test can tell which
 * arm a customer is (or will be) in without running the journey.
 */
export function variantOf<TVariant extends string>(
  who: { readonly customerId: string; readonly journey: string; readonly split: string },
  variants: Readonly<Record<TVariant, number>>,
  options: SplitOptions = {},
): TVariant | typeof HOLDOUT {
  const entries = Object.entries(variants) as [TVariant, number][];
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  const holdout = options.holdout ?? 0;
  if (entries.length === 0 || entries.some(([, w]) => !(w >= 0)) || !(total > 0))
    throw new TypeError(`split("${who.split}"): give each variant a weight >= 0, at least one above 0.`);
  if (!(holdout >= 0 && holdout < 100))
    throw new TypeError(`split("${who.split}"): holdout is a percentage from 0 to 99.`);
  const bucket = (hash(`${who.customerId}\u0000${who.journey}\u0000${who.split}`) % 10_000) / 100;
  if (bucket < holdout) return HOLDOUT;
  // Spread the remaining buckets over the variants by weight.
  let point = ((bucket - holdout) / (100 - holdout)) * total;
  for (const [candidate, weight] of entries) {
    if (point < weight) return candidate;
    point -= weight;
  }
  return entries[entries.length - 1]![0];
}

/**
 * FNV-1a, 32 bits, then MurmurHash3's finaliser so ids that differ in their last character still land far
 * apart: stable across runs and platforms.
 */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
