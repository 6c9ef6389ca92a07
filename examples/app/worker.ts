/** The app's worker: its journeys (./workflows, as temporal.yaml says), its template, the channels in temporal.yaml. */
import { createJourneyWorker } from 'temporal-journeys/worker';
import { templates } from './templates.js';

async function main(): Promise<void> {
  const worker = await createJourneyWorker({ templates });
  await worker.run(); // Ctrl-C drains and stops
  await worker.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
