import path from 'node:path';
import type { JourneyClient } from '../client';
import { exportHistory, writeHistory } from './histories';
import type { JourneyTestEnvironment } from './journey-test-environment';

/** One point in a journey worth keeping a history of: it drives the journey there and names the run. */
export interface HistoryScenario {
  /** File name without `.json`, e.g. `abandoned-cart--mid-wait`. */
  readonly name: string;
  /** Drives a journey to the point to record and returns its workflow id. */
  run(context: { readonly journeys: JourneyClient; readonly t: JourneyTestEnvironment }): Promise<string>;
}

/**
 * Runs each scenario on the time-skipping server and writes its history (up to the point it stopped) as
 * `<outDir>/<name>.json`, printing progress. Histories recorded mid-journey are the valuable ones: they
 * are what a deploy meets in production.
 */
export async function recordHistories(
  t: JourneyTestEnvironment,
  scenarios: readonly HistoryScenario[],
  outDir: string,
  log: (line: string) => void = console.log,
): Promise<string[]> {
  const files: string[] = [];
  for (const [i, scenario] of scenarios.entries()) {
    const file = await t.run(async ({ journeys }) => {
      const workflowId = await scenario.run({ journeys, t });
      return writeHistory(
        path.join(outDir, `${scenario.name}.json`),
        await exportHistory(t.env.client, workflowId),
      );
    });
    files.push(file);
    log(`[${i + 1}/${scenarios.length}] ${scenario.name} → ${path.relative(process.cwd(), file)}`);
  }
  return files;
}
