import {
  journey,
  journeyNow,
  profile,
  send,
  sleep,
  step,
  type CustomerProfile,
} from 'temporal-journeys/workflow';
import { planUpgraded, reviewSubmitted } from './events';

const DAY = 86_400_000;

/** The tiers in order: an upsell offers the next one. */
export const PLANS = ['basic', 'plus', 'premium'] as const;

/** Satisfied: no open complaint, and a review of 4 or 5 stars in the last 30 days (at `now`). */
export function isSatisfied(me: CustomerProfile | null, now: number): boolean {
  return (
    me !== null &&
    me.openComplaints === 0 &&
    me.lastReview !== null &&
    me.lastReview.rating >= 4 &&
    now - Date.parse(me.lastReview.at) <= 30 * DAY
  );
}

/**
 * Upsell (after a review): only for satisfied customers (no open complaint, a recent good review), an offer
 * of the next tier a day later and one reminder five days after; satisfaction is checked again before the
 * reminder, since a complaint may have come in meanwhile. Upgrading converts.
 */
export const upsell = journey(
  'upsell',
  {
    trigger: reviewSubmitted,
    goal: planUpgraded,
    reentry: { after: '90 days' },
    description: 'Satisfied customers (no open complaint, recent 4–5 star review) are offered the next tier.',
  },
  async ({ trigger }) => {
    // The review that triggered this counts even if the profile has not caught up with it yet.
    if (trigger.data.rating < 4) return 'not-satisfied';
    const me = await profile.get();
    if (!isSatisfied(me, journeyNow().getTime())) return 'not-satisfied';
    const current = PLANS.indexOf((me?.plan ?? 'basic') as (typeof PLANS)[number]);
    if (current < 0) return 'unknown-plan';
    const next = PLANS[current + 1];
    if (!next) return 'top-tier';

    await sleep('1 day');
    await step('offer', () => send.email('upsell', { plan: next }));
    await sleep('5 days');
    if (!isSatisfied(await profile.get(), journeyNow().getTime())) return 'not-satisfied';
    await step('reminder', () => send.email('upsell', { plan: next, reminder: true }));
    await sleep('7 days');
    return 'not-upgraded';
  },
);
