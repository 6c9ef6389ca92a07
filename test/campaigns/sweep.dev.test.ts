/**
 * A campaign plan on the real dev server (the time-skipping server has no schedules): two overlapping
 * segments, a customer in both enters only the higher-priority campaign, one in cooldown enters none; a dry
 * run says who would enter what; the Temporal Schedule (daily, in a time zone, overlap skip) fires the sweep;
 * a rerun enters nobody twice.
 */
import { randomUUID } from 'node:crypto';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { createCampaignActivities, definePlan, scheduleSweep, sweepWorkflowId } from '../../src/campaigns';
import type { JourneyClient } from '../../src/client';
import { contactWorkflowId, newContact } from '../../src/contact';
import { createPgliteProfileSource, defineSegment, type PgliteProfileSource } from '../../src/profile';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import type { SweepSummary } from '../../src/campaigns/sweep-workflow';
import { dailyDigest, winBack } from '../fixtures/journeys';

const run = `cp${randomUUID().slice(0, 6)}`;
const id = (who: string) => `${run}-${who}`;
let t: JourneyTestEnvironment;
let data: PgliteProfileSource;
beforeAll(async () => {
  data = await createPgliteProfileSource();
  t = await createJourneyTestEnvironment({
    journeys: [winBack, dailyDigest],
    workflowsPath: require.resolve('../fixtures/journeys'),
    server: 'dev',
    profiles: data.source,
    activities: ({ journeys, taskQueue }) =>
      createCampaignActivities({
        journeys,
        journeyRefs: [winBack, dailyDigest],
        db: data.source.db,
        taskQueue,
      }),
  });
  for (const [who, plan] of [
    ['both', 'vip'],
    ['trial', 'trial'],
    ['resting', 'vip'],
  ] as const)
    await data.source.upsertCustomer({ id: id(who), email: `${id(who)}@example.com`, plan });
  // "both" is a VIP and also on a trial: the second segment overlaps the first.
  await data.source.addOrder({
    id: `${id('both')}-o1`,
    customerId: id('both'),
    items: [{ productId: 'p', name: 'Trial box', category: 'trial', price: 1, quantity: 1 }],
  });
}, 60_000);
afterAll(async () => {
  await t?.close();
  await data?.close();
});

const vip = defineSegment(
  'vips',
  `SELECT id, email FROM customers WHERE plan = 'vip' AND id LIKE '${run}-%'`,
);
const trial = defineSegment(
  'trials',
  `SELECT c.id, c.email FROM customers c WHERE c.id LIKE '${run}-%' AND (c.plan = 'trial'
     OR EXISTS (SELECT 1 FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.customer_id = c.id AND i.category = 'trial'))`,
);
const plan = definePlan({
  name: `plan-${run}`,
  schedule: { at: '09:00', timeZone: 'Europe/Berlin' },
  campaigns: [
    { segment: trial, journey: 'daily-digest', priority: 5, cooldown: '14 days' },
    { segment: vip, journey: 'win-back', priority: 10, cooldown: '30 days' },
  ],
});

async function exists(
  journeys: JourneyClient,
  journey: typeof winBack,
  customerId: string,
): Promise<boolean> {
  try {
    await t.env.client.workflow.getHandle(journeys.workflowId(journey, { customerId })).describe();
    return true;
  } catch {
    return false;
  }
}

test('dry run, then the schedule fires the sweep: best campaign per customer, cooldowns hold, a rerun enters nobody twice', async () => {
  await t.run(async ({ journeys, taskQueue }) => {
    // "resting" entered a campaign last week: its 30-day cooldown still holds.
    await t.env.client.workflow.executeUpdateWithStart('contact.campaign', {
      args: [{ plan: 'earlier', journey: 'win-back', cooldownMs: 30 * 86_400_000 }],
      startWorkflowOperation: new (await import('@temporalio/client')).WithStartWorkflowOperation('contact', {
        workflowId: contactWorkflowId(id('resting')),
        taskQueue,
        args: [newContact(id('resting'))],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });

    const dry = await t.env.client.workflow.execute('campaignSweep', {
      workflowId: `${sweepWorkflowId(plan.name)}-dry`,
      taskQueue,
      args: [{ plan, dryRun: true, pageSize: 2 }],
    });
    expect(dry).toMatchObject({
      dryRun: true,
      processed: 3,
      cooldown: 1,
      entered: { 'win-back': 1, 'daily-digest': 1 },
    });
    expect((dry as SweepSummary).wouldEnter).toEqual([
      { customerId: id('both'), journey: 'win-back' },
      { customerId: id('trial'), journey: 'daily-digest' },
    ]);
    expect(await exists(journeys, winBack, id('both'))).toBe(false); // a dry run enrols nobody

    const schedule = await scheduleSweep(t.env.client, plan, { taskQueue });
    const described = await schedule.describe();
    expect(described.spec.timezone).toBe('Europe/Berlin');
    expect(described.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 9, end: 9, step: 1 }],
      minute: [{ start: 0, end: 0, step: 1 }],
    });
    expect(described.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    await schedule.trigger();
    let sweepId: string | undefined;
    for (let i = 0; i < 100 && !sweepId; i++) {
      sweepId = (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId;
      if (!sweepId) await new Promise((r) => setTimeout(r, 100));
    }
    const summary = (await t.env.client.workflow.getHandle(sweepId!).result()) as SweepSummary;
    expect(summary).toMatchObject({
      processed: 3,
      cooldown: 1,
      alreadyIn: 0,
      entered: { 'win-back': 1, 'daily-digest': 1 },
    });
    expect(await exists(journeys, winBack, id('both'))).toBe(true);
    expect(await exists(journeys, dailyDigest, id('both'))).toBe(false); // only the higher priority
    expect(await exists(journeys, dailyDigest, id('trial'))).toBe(true);
    expect(await exists(journeys, winBack, id('resting'))).toBe(false); // in cooldown
    const contact = await journeys.contacts.get(id('both'));
    expect(contact.campaigns).toEqual([expect.objectContaining({ plan: plan.name, journey: 'win-back' })]);

    const again = (await t.env.client.workflow.execute('campaignSweep', {
      workflowId: `${sweepWorkflowId(plan.name)}-again`,
      taskQueue,
      args: [{ plan }],
    })) as SweepSummary;
    expect(again).toMatchObject({ processed: 3, cooldown: 3, entered: {} });
    await schedule.delete();

    // A large segment keeps the sweep's history short: here one customer a page, one page a run.
    const handle = await t.env.client.workflow.start('campaignSweep', {
      workflowId: `${sweepWorkflowId(plan.name)}-paged`,
      taskQueue,
      args: [{ plan, dryRun: true, pageSize: 1, pagesPerRun: 1 }],
    });
    const paged = (await handle.result()) as SweepSummary;
    expect(paged).toMatchObject({ processed: 3, pages: 4, cooldown: 3 });
    expect((await handle.describe()).runId).not.toBe(handle.firstExecutionRunId); // it continued as new
  });
}, 90_000);
