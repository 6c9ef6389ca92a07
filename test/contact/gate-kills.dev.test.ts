/**
 * The gate while workers die, with caps on (dev server): 20 journeys each send three marketing emails under
 * `{ channel: email, max: 3, per: 7 days }` through two worker processes, SIGKILLed three times in turn and
 * replaced. Every email goes out once, the ledger holds exactly the emails sent, and no journey is deferred
 * by a grant its own killed attempt received. The workers are `dist/bench/gate-worker.js` (`npm run build`,
 * or `GATE_DIST` naming another output folder of `tsc -p tsconfig.build.json`).
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { gateStream } from '../../bench/gate-journeys';
import { runGateKills } from '../../bench/gate-kills';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { bundleJourneys } from '../../src/worker';

const root = path.resolve(__dirname, '..', '..');
const workerScript = path.join(process.env.GATE_DIST ?? path.join(root, 'dist'), 'bench', 'gate-worker.js');

let t: JourneyTestEnvironment;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [gateStream],
    workflowsPath: require.resolve('../../bench/gate-journeys'),
    server: 'dev',
  });
});
afterAll(() => t?.close());

test('20 three-email journeys, 3 worker kills: every email sent once, ledger = emails, none deferred', async () => {
  expect(existsSync(workerScript)).toBe(true); // built by `npm run build` (or GATE_DIST)
  const started = new Date();
  const result = await runGateKills({
    address: t.env.address,
    client: t.env.client,
    fakes: t.fakes,
    journeys: 20,
    kills: 3,
    workerScript,
    deadlineMs: 40_000,
  });
  console.log(`gate kills: ${JSON.stringify(result)}`);
  expect(result).toMatchObject({ emailsSent: 60, doubled: 0, ledgerEntries: 60, deferred: 0, unfinished: 0 });

  // Every history the kills left replays on the same code: no run is one query or one worker away from
  // a nondeterminism error.
  const histories = [];
  for await (const execution of t.env.client.workflow.list({
    // This test's runs only: a server shared with other runs of it may keep theirs.
    query: `JourneyName = "gate-stream" AND StartTime >= "${started.toISOString()}"`,
  }))
    histories.push({
      workflowId: execution.workflowId,
      history: await t.env.client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory(),
    });
  expect(histories.length).toBeGreaterThanOrEqual(20);
  const bundle = await bundleJourneys(require.resolve('../../bench/gate-journeys'));
  const failures: string[] = [];
  for await (const replayed of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) {
    if (!replayed.error) continue;
    // Kept for whoever reads the failure: the history that did not replay, as the Temporal CLI writes one.
    const { history } = histories.find((h) => h.workflowId === replayed.workflowId)!;
    const file = path.join(os.tmpdir(), `${replayed.workflowId.replace(/[^\w.-]+/g, '_')}.history.json`);
    await writeFile(file, historyToJSON(history));
    failures.push(`${replayed.workflowId}: ${replayed.error.message} (history: ${file})`);
  }
  expect(failures).toEqual([]);
}, 180_000);
