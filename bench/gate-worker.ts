/**
 * A worker process for the gate's kill scenario (bench/gate-kills.ts): connects per `JOURNEYS_CONFIG`,
 * runs the gate benches' journeys and the contact entity with the channels and contact rules of that file,
 * from a prebuilt bundle (`GATE_BUNDLE`, so a restart after SIGKILL does not bundle again). Compiled with the
 * bench (`dist/bench/gate-worker.js`).
 */
import path from 'node:path';
import { createJourneyWorker } from '../src/worker';

async function main(): Promise<void> {
  const codePath = process.env.GATE_BUNDLE;
  const worker = await createJourneyWorker({
    workflowsPath: path.resolve(__dirname, 'gate-journeys'),
    workflowBundle: codePath ? { codePath } : undefined,
  });
  console.log(`worker running (pid ${process.pid})`);
  await worker.run(); // returns once SIGINT/SIGTERM has drained in-flight tasks
  await worker.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
