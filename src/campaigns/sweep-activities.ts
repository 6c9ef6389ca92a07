import { Context } from '@temporalio/activity';
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { EnrollManyItem, JourneyClient, JourneyRef } from '../client';
import { contactWorkflowId, newContact, type ContactSnapshot } from '../contact';
import { toMs } from '../journey';
import type { SqlQueryable } from '../profile';
import { bestCampaignSql, type CampaignPlan } from './plan';

/** One page of a sweep: what it asks, and what happened. */
export interface SweepPageRequest {
  readonly plan: CampaignPlan;
  /** The sweep's "now" (ISO), the same for every page. */
  readonly now: string;
  /** Resume after this customer id. */
  readonly after: string;
  readonly pageSize: number;
  readonly dryRun?: boolean;
}

export interface SweepPageResult {
  readonly processed: number;
  /** Entered (or, dry run, would enter) per journey. */
  readonly entered: Readonly<Record<string, number>>;
  /** Held back by an earlier campaign's cooldown. */
  readonly cooldown: number;
  /** Granted, but already inside that journey (a rerun). */
  readonly alreadyIn: number;
  /** The last customer id of the page; the next page starts after it. */
  readonly last: string;
  readonly done: boolean;
  /** Dry run: who would enter what (at most the first 100 of the page). */
  readonly wouldEnter: readonly { readonly customerId: string; readonly journey: string }[];
}

export interface CampaignActivitiesOptions {
  /** A journey client that knows the plans' journeys (its Temporal client reaches the contacts too). */
  readonly journeys: JourneyClient;
  readonly journeyRefs: readonly JourneyRef[];
  /** The customer database the segments run on. */
  readonly db: SqlQueryable;
  /** The task queue contacts run on (the worker's). */
  readonly taskQueue: string;
}

/** Contacts asked at once within a page. */
const CONTACT_CONCURRENCY = 16;

const nameOf = (ref: JourneyRef) => ('definition' in ref ? ref.definition.name : ref.name);

/**
 * The `sweepCampaignPage` activity: evaluates one page of a plan's segments (each customer's
 * highest-priority campaign, in id order), asks each customer's contact whether a cooldown holds (an update,
 * so two sweeps cannot both start a campaign for one customer), and enrols the granted ones. A dry run
 * only reads the contacts and reports who would enter what.
 */
export function createCampaignActivities(options: CampaignActivitiesOptions) {
  const client: Client = options.journeys.temporal;
  const grant = (customerId: string, plan: string, journey: string, cooldownMs: number) =>
    client.workflow.executeUpdateWithStart<
      (s: ContactSnapshot) => Promise<void>,
      { granted: boolean },
      [{ plan: string; journey: string; cooldownMs: number }]
    >('contact.campaign', {
      args: [{ plan, journey, cooldownMs }],
      startWorkflowOperation: new WithStartWorkflowOperation('contact', {
        workflowId: contactWorkflowId(customerId),
        taskQueue: options.taskQueue,
        args: [newContact(customerId)],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
  const holds = async (customerId: string, now: number): Promise<boolean> => {
    try {
      const contact = await client.workflow
        .getHandle(contactWorkflowId(customerId))
        .query<ContactSnapshot>('contact.state');
      return (contact.campaigns ?? []).some((c) => c.until > now);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  };

  return {
    async sweepCampaignPage(request: SweepPageRequest): Promise<SweepPageResult> {
      const { plan, now, after, pageSize, dryRun } = request;
      const { rows } = await options.db.query<{
        id: string;
        email: string | null;
        phone: string | null;
        campaign: number;
      }>(bestCampaignSql(plan), [now, after, pageSize]);
      const entered: Record<string, number> = {};
      const wouldEnter: { customerId: string; journey: string }[] = [];
      const granted = new Map<string, EnrollManyItem[]>();
      let cooldown = 0;
      // Contacts answer in parallel (each is its own workflow); 16 at a time keeps the server responsive.
      let nextRow = 0;
      const decideRow = async (row: (typeof rows)[number]) => {
        const campaign = plan.campaigns[row.campaign];
        if (!campaign) return;
        if (dryRun) {
          if (await holds(row.id, Date.parse(now))) cooldown += 1;
          else {
            entered[campaign.journey] = (entered[campaign.journey] ?? 0) + 1;
            if (wouldEnter.length < 100) wouldEnter.push({ customerId: row.id, journey: campaign.journey });
          }
          return;
        }
        const answer = await grant(row.id, plan.name, campaign.journey, toMs(campaign.cooldown));
        if (!answer.granted) {
          cooldown += 1;
          return;
        }
        const customer = {
          id: row.id,
          ...(row.email && { email: row.email }),
          ...(row.phone && { phone: row.phone }),
        };
        granted.set(campaign.journey, [
          ...(granted.get(campaign.journey) ?? []),
          { customer, data: { plan: plan.name } },
        ]);
      };
      await Promise.all(
        Array.from({ length: CONTACT_CONCURRENCY }, async () => {
          while (nextRow < rows.length) {
            const row = rows[nextRow++] as (typeof rows)[number];
            Context.current().heartbeat(row.id);
            await decideRow(row);
          }
        }),
      );
      wouldEnter.sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
      let alreadyIn = 0;
      for (const [journey, items] of granted) {
        const ref = options.journeyRefs.find((r) => nameOf(r) === journey);
        if (!ref)
          throw new Error(
            `Campaign plan "${plan.name}" names journey "${journey}", which this worker does not know.`,
          );
        const summary = await options.journeys.enrollMany(ref, items, { concurrency: 16 });
        if (summary.failed > 0)
          throw new Error(`Campaign "${journey}": ${summary.problems[0]?.reason ?? 'enrolment failed'}`);
        entered[journey] = (entered[journey] ?? 0) + summary.enrolled;
        alreadyIn += summary.skipped;
      }
      return {
        processed: rows.length,
        entered,
        cooldown,
        alreadyIn,
        last: rows.at(-1)?.id ?? after,
        done: rows.length < pageSize,
        wouldEnter,
      };
    },
  };
}

export type CampaignActivities = ReturnType<typeof createCampaignActivities>;
