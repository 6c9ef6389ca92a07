import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleHandle,
} from '@temporalio/client';
import { JourneyError } from '../errors';
import { scheduleId, sweepWorkflowId, type CampaignPlan } from './plan';

/**
 * Creates (or updates) the Temporal Schedule that runs a plan's sweep every day at `schedule.at` in
 * `schedule.timeZone`, skipping a run while the previous sweep is still going (overlap `SKIP`).
 */
export async function scheduleSweep(
  client: Client,
  plan: CampaignPlan,
  options: { readonly taskQueue: string },
): Promise<ScheduleHandle> {
  if (!plan.schedule)
    throw new JourneyError(
      'INPUT_INVALID',
      `Campaign plan "${plan.name}" has no schedule ({ at, timeZone }).`,
    );
  const [hour, minute] = plan.schedule.at.split(':').map(Number) as [number, number];
  const definition = {
    spec: {
      calendars: [{ hour, minute, comment: `every day at ${plan.schedule.at}` }],
      timezone: plan.schedule.timeZone,
    },
    action: {
      type: 'startWorkflow' as const,
      workflowType: 'campaignSweep',
      workflowId: sweepWorkflowId(plan.name),
      taskQueue: options.taskQueue,
      args: [{ plan }],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
  };
  try {
    return await client.schedule.create({ scheduleId: scheduleId(plan.name), ...definition });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    const handle = client.schedule.getHandle(scheduleId(plan.name));
    await handle.update((previous) => ({ ...previous, ...definition }));
    return handle;
  }
}
