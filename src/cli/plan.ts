import path from 'node:path';
import { scheduleSweep, sweepWorkflowId, type CampaignPlan } from '../campaigns';
import { connectTemporal } from '../client';
import { loadConfig } from '../config';
import { JourneyError } from '../errors';
import type { SweepSummary } from '../campaigns/sweep-workflow';
import { parseFlags } from './args';
import { PACKAGE_ROOT } from './journeys-module';

function loadPlans(plansPath?: string): Map<string, CampaignPlan> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(path.resolve(plansPath ?? path.join(PACKAGE_ROOT, 'workflows', 'plans'))) as Record<
    string,
    unknown
  >;
  const plans = Object.values(module).filter(
    (v): v is CampaignPlan =>
      typeof v === 'object' && v !== null && Array.isArray((v as { campaigns?: unknown }).campaigns),
  );
  return new Map(plans.map((p) => [p.name, p]));
}

function print(summary: SweepSummary): void {
  const entered =
    Object.entries(summary.entered)
      .map(([j, n]) => `${j} ${n.toLocaleString('en-US')}`)
      .join(', ') || 'none';
  console.log(
    `${summary.dryRun ? 'dry run' : 'sweep'} of plan ${summary.plan} at ${summary.now}: ${summary.processed.toLocaleString('en-US')} customers in its segments, ${summary.dryRun ? 'would enter' : 'entered'}: ${entered}; held by a cooldown ${summary.cooldown}${summary.dryRun ? '' : `, already inside ${summary.alreadyIn}`} (${summary.pages} page${summary.pages === 1 ? '' : 's'})`,
  );
  for (const w of summary.wouldEnter) console.log(`  ${w.customerId.padEnd(24)} → ${w.journey}`);
}

/**
 * `journeys plan dry-run|run|schedule <plan>`: who would enter what, a sweep now, or the plan's daily
 * Temporal Schedule. The sweep runs on the workers of `taskQueue` (`journeys dev`, or yours).
 */
export async function plan(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseFlags(rest, { plans: { type: 'string' } });
  const plans = loadPlans(values.plans);
  const [name] = positionals;
  if (!['dry-run', 'run', 'schedule'].includes(sub ?? '') || !name) {
    console.error(
      `Usage: journeys plan dry-run|run|schedule <plan> [--plans PATH] (plans: ${[...plans.keys()].join(', ')})`,
    );
    return 2;
  }
  const chosen = plans.get(name);
  if (!chosen)
    throw new JourneyError(
      'INPUT_INVALID',
      `No campaign plan "${name}" (known: ${[...plans.keys()].join(', ')}).`,
    );
  const config = loadConfig();
  const connected = await connectTemporal(config);
  try {
    if (sub === 'schedule') {
      const handle = await scheduleSweep(connected.client, chosen, { taskQueue: config.taskQueue });
      const next = (await handle.describe()).info.nextActionTimes[0];
      console.log(
        `schedule ${handle.scheduleId}: every day at ${chosen.schedule?.at} ${chosen.schedule?.timeZone}, next ${next?.toISOString() ?? '—'}, overlap skip`,
      );
      return 0;
    }
    const summary: unknown = await connected.client.workflow.execute('campaignSweep', {
      workflowId: `${sweepWorkflowId(chosen.name)}-${sub}-${Date.now()}`,
      taskQueue: config.taskQueue,
      args: [{ plan: chosen, dryRun: sub === 'dry-run' }],
    });
    print(summary as SweepSummary);
    return 0;
  } finally {
    await connected.close();
  }
}
