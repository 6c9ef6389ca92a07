/**
 * What only a cluster shows (the `cluster` jest project; test/cluster/global-setup.ts started it):
 * separate service processes with SQL visibility on PostgreSQL, a history service killed and restarted
 * while journeys send. The reports under Temporal's default visibility rate limit are in
 * visibility.cluster.test.ts, `journeys cluster` in cli.cluster.test.ts.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  attachCluster,
  CLUSTER_SERVICES,
  clusterStatus,
  readClusterState,
  type RunningCluster,
} from '../../src/cluster';
import { userCacheDir } from '../../src/config';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { gateStream } from '../../bench/gate-journeys';
import { runGateKills } from '../../bench/gate-kills';

const root = path.resolve(__dirname, '..', '..');
const stateDir = process.env.JOURNEYS_CLUSTER_DIR!;
let cluster: RunningCluster;
let t: JourneyTestEnvironment;

beforeAll(async () => {
  cluster = (await attachCluster(stateDir, userCacheDir()))!;
  t = await createJourneyTestEnvironment({
    journeys: [gateStream],
    workflowsPath: require.resolve('../../bench/gate-journeys'),
    server: 'dev', // the cluster, through JOURNEYS_TEST_TEMPORAL
  });
});
afterAll(() => t?.close());

test('the cluster is four service processes and PostgreSQL, and its frontend serves', async () => {
  const state = readClusterState(stateDir)!;
  const pids = new Set(CLUSTER_SERVICES.map((s) => state.services[s].pid));
  expect(pids.size).toBe(4); // one process per service
  const status = await clusterStatus(state);
  expect(status.processes).toEqual({
    postgres: true,
    history: true,
    matching: true,
    frontend: true,
    worker: true,
  });
  expect(status.frontend).toMatch(/^serving/);
  expect(t.env.address).toBe(state.address);
});

test('history killed and restarted, two workers SIGKILLed in turn: every email sent once, none lost', async () => {
  const workerScript = path.join(root, 'dist', 'bench', 'gate-worker.js');
  expect(existsSync(workerScript)).toBe(true); // built by `npm run build`
  const result = await runGateKills({
    address: t.env.address,
    client: t.env.client,
    fakes: t.fakes,
    journeys: 20,
    kills: 3,
    workerScript,
    deadlineMs: 120_000,
    during: async () => {
      await new Promise((r) => setTimeout(r, 1_500));
      await cluster.kill('history'); // a host lost: no shard handoff
      await new Promise((r) => setTimeout(r, 2_000));
      await cluster.restart('history');
    },
  });
  console.log(`cluster kills: ${JSON.stringify(result)}`);
  expect(result).toMatchObject({ emailsSent: 60, doubled: 0, ledgerEntries: 60, deferred: 0, unfinished: 0 });
  expect((await clusterStatus(readClusterState(stateDir)!)).processes.history).toBe(true);
}, 240_000);
