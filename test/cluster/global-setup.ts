import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCluster, type RunningCluster } from '../../src/cluster';
import { userCacheDir } from '../../src/config';

/**
 * Starts one Temporal cluster for every file of the `cluster` project: PostgreSQL and the four services as
 * separate processes, Temporal's default rate limits. Builds the server the first time (about 5 minutes,
 * then cached per user). Its address reaches the test files as JOURNEYS_CLUSTER_ADDRESS, its state folder as
 * JOURNEYS_CLUSTER_DIR (a test restarts a service through it).
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'journeys-test-cluster-'));
  const cluster = await startCluster({
    stateDir,
    cacheDir: userCacheDir(),
    port: 0,
    log: (line) => console.log(`cluster: ${line}`),
  });
  (globalThis as { journeysTestCluster?: RunningCluster }).journeysTestCluster = cluster;
  process.env.JOURNEYS_CLUSTER_ADDRESS = cluster.address;
  process.env.JOURNEYS_CLUSTER_DIR = stateDir;
  console.log(`cluster: up at ${cluster.address} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
