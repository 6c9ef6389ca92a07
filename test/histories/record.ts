/**
 * Records the histories under test/histories/ (`npm run histories:record`): every journey's scenarios, on
 * the time-skipping server, with the current code. A file already there is kept (it is what customers
 * already inside the journey have); `--force` records it again. Commit the files; `npm test` replays them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  createJourneyTestEnv,
  createJourneyTestEnvironment,
  exportHistory,
  recordHistories,
  writeHistory,
} from '../../src/testing/all';
import { abandonedCart } from '../../workflows/abandoned-cart';
import { abandonedCartScenarios } from './abandoned-cart.scenarios';
import { journeyScenarios } from './journeys.scenarios';

const workflowsPath = path.resolve(__dirname, '..', '..', 'workflows');

/** Each journey with the scenarios that record it. A new journey adds its scenarios to journeys.scenarios.ts. */
export const scenariosByJourney = [
  { journey: abandonedCart, scenarios: abandonedCartScenarios.map((s) => s.name) },
  ...[...new Set(journeyScenarios.map((s) => s.journey))].map((journey) => ({
    journey,
    scenarios: journeyScenarios.filter((s) => s.journey === journey).map((s) => s.name),
  })),
];

async function main(force: boolean): Promise<void> {
  const missing = <T extends { name: string }>(list: readonly T[]) =>
    list.filter((s) => force || !existsSync(path.join(__dirname, `${s.name}.json`)));

  const classic = missing(abandonedCartScenarios);
  if (classic.length > 0) {
    const t = await createJourneyTestEnvironment({ journeys: [abandonedCart], workflowsPath });
    try {
      await recordHistories(t, classic, __dirname);
    } finally {
      await t.close();
    }
  }
  // One environment per journey: an event another journey also listens to would route there too.
  const todo = missing(journeyScenarios);
  for (const journey of new Set(todo.map((s) => s.journey))) {
    const env = await createJourneyTestEnv({ journeys: [journey], workflowsPath, profiles: 'sql' });
    try {
      for (const scenario of todo.filter((s) => s.journey === journey)) {
        const workflowId = await scenario.run(env);
        const file = await writeHistory(
          path.join(__dirname, `${scenario.name}.json`),
          await exportHistory(env.t.env.client, workflowId),
        );
        console.log(`${scenario.name} → ${path.relative(process.cwd(), file)}`);
      }
    } finally {
      await env.close();
    }
  }
  console.log(`${classic.length + todo.length} recorded; the others were kept (--force records them again).`);
}

if (require.main === module) {
  main(process.argv.includes('--force')).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
