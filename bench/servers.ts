/**
 * The servers a benchmark runs on: the CLI's dev server on a SQLite file (WAL), or the Temporal cluster of
 * `journeys cluster up` (PostgreSQL, four service processes, SQL visibility, default rate limits). A bench
 * given one measures there; without one it starts its own dev server, as it always did.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { postgresDataDir, startCluster } from '../src/cluster';
import { loadConfig } from '../src/config';
import { findTemporalCli, startLocalServer } from '../src/server';

export interface BenchServer {
  /** How the bench's output names it: `dev server (SQLite WAL)` or `cluster (PostgreSQL, 4 services)`. */
  readonly label: string;
  readonly client: Client;
  readonly nativeConnection: NativeConnection;
  close(): Promise<void>;
}

export async function devServer(name: string): Promise<BenchServer> {
  const config = loadConfig();
  const cli = await findTemporalCli({
    explicitPath: config.server.cliPath,
    cacheDir: config.server.cacheDir,
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), `journeys-bench-${name}-`));
  const server = await startLocalServer({ cli, dbFile: path.join(dir, `${name}.sqlite`) });
  return {
    label: 'dev server (SQLite WAL)',
    client: server.env.client,
    nativeConnection: server.env.nativeConnection,
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh cluster in a temp folder (the server build is cached per user; the first one builds it). */
export async function clusterServer(): Promise<BenchServer> {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'journeys-bench-cluster-'));
  const cluster = await startCluster({
    stateDir,
    cacheDir: loadConfig().server.cacheDir,
    port: 0,
    log: (line) => console.log(`  cluster: ${line}`),
  });
  const connection = await Connection.connect({ address: cluster.address });
  const nativeConnection = await NativeConnection.connect({ address: cluster.address });
  return {
    label: 'cluster (PostgreSQL, 4 services)',
    client: new Client({ connection, namespace: cluster.namespace }),
    nativeConnection,
    async close() {
      await nativeConnection.close();
      await connection.close();
      await cluster.stop();
      await rm(stateDir, { recursive: true, force: true });
      await rm(path.dirname(postgresDataDir(stateDir)), { recursive: true, force: true });
    },
  };
}

/** Runs `use` on `given`, or on a dev server of its own that it closes after. */
export async function onServer<T>(
  given: BenchServer | undefined,
  name: string,
  use: (server: BenchServer) => Promise<T>,
): Promise<T> {
  const server = given ?? (await devServer(name));
  try {
    return await use(server);
  } finally {
    if (!given) await server.close();
  }
}
