/**
 * Campaign plans: micro-segments evaluated together on a Temporal Schedule, each customer entering the
 * single highest-priority campaign they qualify for, with cooldowns the contact entity keeps.
 *
 * @example
 * ```ts
 * const plan = definePlan({ name: 'daily', schedule: { at: '09:00', timeZone: 'UTC' },
 *   campaigns: [{ segment: topSpendersIdle, journey: 'reactivation', priority: 10, cooldown: '30 days' }] });
 * await scheduleSweep(client, plan, { taskQueue: 'journeys' });
 * ```
 */
export { bestCampaignSql, definePlan, scheduleId, sweepWorkflowId } from './plan';
export type { Campaign, CampaignPlan } from './plan';
export { scheduleSweep } from './schedule';
export { createCampaignActivities } from './sweep-activities';
export type {
  CampaignActivities,
  CampaignActivitiesOptions,
  SweepPageRequest,
  SweepPageResult,
} from './sweep-activities';
