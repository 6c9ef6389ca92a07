/**
 * The campaign plans a worker sweeps on their schedule (`journeys plan schedule daily`): segments to
 * journeys, by priority, with cooldowns. Plain data, run by the `campaignSweep` workflow.
 */
import { definePlan } from 'temporal-journeys/profile';
import { bigSpendersGoneQuiet, topSpendersIdle } from './segments';

/** Every morning: the win-back series for the customers most worth winning back first. */
export const daily = definePlan({
  name: 'daily',
  schedule: { at: '09:00', timeZone: 'UTC' },
  campaigns: [
    { segment: topSpendersIdle, journey: 'reactivation', priority: 10, cooldown: '30 days' },
    { segment: bigSpendersGoneQuiet, journey: 'reactivation', priority: 5, cooldown: '30 days' },
  ],
});
