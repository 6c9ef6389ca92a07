/**
 * A worker process as you deploy it: connects per temporal.yaml (`JOURNEYS_CONFIG` to use another file),
 * runs the journeys in ../workflows with the channels configured under `providers`, and drains on
 * SIGINT/SIGTERM.
 *
 *   npm run build && node dist/examples/worker.js
 */
import path from 'node:path';
import { createJourneyWorker } from 'temporal-journeys/worker';
import * as journeys from '../workflows';

async function main(): Promise<void> {
  const worker = await createJourneyWorker({
    workflowsPath: path.resolve(__dirname, '..', 'workflows'),
    journeys,
  });
  console.log(`worker running (pid ${process.pid})`);
  await worker.run(); // returns once SIGINT/SIGTERM has drained in-flight tasks
  await worker.close();
  console.log('worker stopped');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
