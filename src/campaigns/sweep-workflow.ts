import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { CampaignPlan } from './plan';
import type { CampaignActivities, SweepPageResult } from './sweep-activities';

/** What a sweep did, summed over its pages (and its continued runs). */
export interface SweepSummary {
  readonly plan: string;
  readonly now: string;
  readonly processed: number;
  readonly entered: Readonly<Record<string, number>>;
  readonly cooldown: number;
  readonly alreadyIn: number;
  readonly pages: number;
  readonly dryRun: boolean;
  /** Dry run: a sample of who would enter what. */
  readonly wouldEnter: SweepPageResult['wouldEnter'];
}

export interface SweepInput {
  readonly plan: CampaignPlan;
  readonly dryRun?: boolean;
  readonly pageSize?: number;
  /** Pages per run before continuing as new (default 100). */
  readonly pagesPerRun?: number;
  /** Set by the sweep itself when it continues as new. */
  readonly now?: string;
  readonly after?: string;
  readonly totals?: SweepSummary;
}

const { sweepCampaignPage } = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Pages per run before continuing as new, so a sweep of millions keeps a short history. */
const PAGES_PER_RUN = 100;

/**
 * A campaign plan's sweep (started by its Temporal Schedule, or by hand): the plan's segments a page at a
 * time in customer-id order, each customer into their highest-priority campaign unless a cooldown holds.
 * "Now" is fixed when the sweep starts, so every page (and every continued run) evaluates the segments at
 * the same instant. Safe to rerun: contacts grant a campaign once per cooldown, and enrolment is by
 * workflow id.
 */
export async function campaignSweep(input: SweepInput): Promise<SweepSummary> {
  const now = input.now ?? new Date(Date.now()).toISOString();
  let after = input.after ?? '';
  let totals: SweepSummary = input.totals ?? {
    plan: input.plan.name,
    now,
    processed: 0,
    entered: {},
    cooldown: 0,
    alreadyIn: 0,
    pages: 0,
    dryRun: input.dryRun === true,
    wouldEnter: [],
  };
  for (let page = 1; ; page++) {
    const result = await sweepCampaignPage({
      plan: input.plan,
      now,
      after,
      pageSize: input.pageSize ?? 500,
      dryRun: input.dryRun,
    });
    const entered = { ...totals.entered };
    for (const [journey, n] of Object.entries(result.entered)) entered[journey] = (entered[journey] ?? 0) + n;
    totals = {
      ...totals,
      processed: totals.processed + result.processed,
      entered,
      cooldown: totals.cooldown + result.cooldown,
      alreadyIn: totals.alreadyIn + result.alreadyIn,
      pages: totals.pages + 1,
      wouldEnter: [...totals.wouldEnter, ...result.wouldEnter].slice(0, 100),
    };
    if (result.done) return totals;
    after = result.last;
    if (page >= (input.pagesPerRun ?? PAGES_PER_RUN) || workflowInfo().continueAsNewSuggested)
      await continueAsNew<typeof campaignSweep>({ ...input, now, after, totals });
  }
}
