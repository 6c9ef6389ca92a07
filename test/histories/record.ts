/**
 * Records the histories under test/histories/ (`npm run histories:record`): every journey's scenarios, on
 * the time-skipping server, with the current code. Commit the files; `npm test` replays them.
 */
import path from 'node:path';
import { createJourneyTestEnvironment, recordHistories } from '../../src/testing';
import { abandonedCart } from '../../workflows/abandoned-cart';
import { abandonedCartScenarios } from './abandoned-cart.scenarios';

/** Each journey with the scenarios that record it. A new journey adds its line here. */
export const scenariosByJourney = [{ journey: abandonedCart, scenarios: abandonedCartScenarios }];

async function main(): Promise<void> {
  const t = await createJourneyTestEnvironment({
    journeys: scenariosByJourney.map((s) => s.journey),
    workflowsPath: path.resolve(__dirname, '..', '..', 'workflows'),
  });
  try {
    await recordHistories(t, scenariosByJourney.flatMap((s) => s.scenarios), __dirname);
  } finally {
    await t.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
