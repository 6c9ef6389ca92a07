/** What the billing service does when a trial starts: emit the event (typed by the journeys alone). */
import { createJourneyClient } from 'temporal-journeys/client';
import { trialExpiry } from './workflows/index.js';

async function main(): Promise<void> {
  const journeys = await createJourneyClient({ journeys: [trialExpiry] });
  const result = await journeys.emit({
    type: 'trial.started',
    customer: { id: 'cust-ada', email: 'ada@example.com', phone: '+15550001111' },
    data: { plan: 'pro', endsAt: new Date(Date.now() + 14 * 86_400_000).toISOString() },
  });
  console.log(result.deliveries);
  await journeys.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
