import { JourneyError } from '../errors';
import { toMs, type Duration } from '../journey';

/** One campaign of a plan: the customers of a segment enter a journey. */
export interface Campaign {
  /** The segment, by its definition (`defineSegment`): its SQL travels with the plan. */
  readonly segment: { readonly name: string; readonly sql: string };
  /** A proactive journey, by name. */
  readonly journey: string;
  /** Higher wins when a customer is in several segments. */
  readonly priority: number;
  /** After entering it, the customer enters no campaign of any plan for this long. */
  readonly cooldown: Duration;
}

/**
 * A campaign plan: micro-segments evaluated together on a schedule, each customer entering the single
 * highest-priority campaign they qualify for, unless a cooldown from an earlier one holds. Plain JSON: it is
 * the sweep workflow's input.
 */
export interface CampaignPlan {
  readonly name: string;
  readonly campaigns: readonly Campaign[];
  /** When the sweep runs: every day at `at` (HH:MM) in `timeZone`. */
  readonly schedule?: { readonly at: string; readonly timeZone: string };
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Defines a plan (pure, checked at once).
 *
 * @example
 * ```ts
 * export const dailyPlan = definePlan({
 *   name: 'daily',
 *   schedule: { at: '09:00', timeZone: 'Europe/Berlin' },
 *   campaigns: [
 *     { segment: topSpendersIdle, journey: 'reactivation', priority: 10, cooldown: '30 days' },
 *     { segment: newNoPurchase, journey: 'reactivation', priority: 5, cooldown: '14 days' },
 *   ],
 * });
 * ```
 */
export function definePlan(plan: CampaignPlan): CampaignPlan {
  const fail = (message: string): never => {
    throw new JourneyError('INPUT_INVALID', `Campaign plan "${plan?.name}": ${message}`);
  };
  if (!NAME.test(plan?.name ?? '')) fail('the name must be kebab-case, e.g. "daily"');
  if (!plan.campaigns?.length) fail('it needs at least one campaign');
  for (const c of plan.campaigns) {
    if (!c.segment?.sql || !c.segment.name) fail('each campaign needs a segment (defineSegment)');
    if (!NAME.test(c.journey ?? '')) fail(`"${c.journey}" is not a journey name`);
    if (!Number.isFinite(c.priority)) fail(`campaign "${c.journey}" needs a numeric priority`);
    try {
      toMs(c.cooldown);
    } catch {
      fail(`campaign "${c.journey}": cooldown "${String(c.cooldown)}" is not a duration`);
    }
  }
  const priorities = plan.campaigns.map((c) => c.priority);
  if (new Set(priorities).size !== priorities.length)
    fail('two campaigns share a priority; make them distinct');
  if (plan.schedule && !/^([01]\d|2[0-3]):[0-5]\d$/.test(plan.schedule.at)) fail('schedule.at must be HH:MM');
  return Object.freeze({
    name: plan.name,
    campaigns: plan.campaigns.map((c) => ({
      segment: { name: c.segment.name, sql: c.segment.sql },
      journey: c.journey,
      priority: c.priority,
      cooldown: c.cooldown,
    })),
    schedule: plan.schedule,
  });
}

/** The sweep workflow's id and the schedule's id of a plan. */
export const sweepWorkflowId = (plan: string) => `campaigns/${plan}/sweep`;
export const scheduleId = (plan: string) => `campaigns/${plan}`;

/**
 * The SQL that gives each customer of any of the plan's segments their best campaign: the union of the
 * segments tagged with their campaign's index, the highest priority kept per customer, in id order after
 * `$2`, `$3` at a time (`$1` is the sweep's "now").
 */
export function bestCampaignSql(plan: CampaignPlan): string {
  const union = plan.campaigns
    .map(
      (c, i) =>
        // to_jsonb: a segment need not select email or phone.
        `SELECT s${i}.id::text AS id, to_jsonb(s${i}) ->> 'email' AS email, to_jsonb(s${i}) ->> 'phone' AS phone, ${i} AS campaign, ${Number(c.priority)} AS priority FROM (${c.segment.sql}) AS s${i}`,
    )
    .join('\n UNION ALL ');
  return `SELECT DISTINCT ON (id) id, email, phone, campaign FROM (${union}) AS members
   WHERE $1::timestamptz IS NOT NULL AND id > $2
   ORDER BY id, priority DESC
   LIMIT $3`;
}
