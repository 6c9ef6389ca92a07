import { rmSync } from 'node:fs';
import { postgresDataDir, type RunningCluster } from '../../src/cluster';

/** Stops the cluster test/cluster/global-setup.ts started and removes its data. */
export default async function globalTeardown(): Promise<void> {
  const cluster = (globalThis as { journeysTestCluster?: RunningCluster }).journeysTestCluster;
  await cluster?.stop();
  const dir = process.env.JOURNEYS_CLUSTER_DIR;
  if (dir) {
    rmSync(dir, { recursive: true, force: true });
    rmSync(postgresDataDir(dir), { recursive: true, force: true });
  }
}
