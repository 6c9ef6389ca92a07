/**
 * A Temporal cluster on this machine, like a production one: PostgreSQL, and the frontend, history, matching
 * and worker services as separate processes with SQL advanced visibility. `journeys cluster up|down|status`,
 * and the test suite's `cluster` project.
 *
 * @example
 * ```ts
 * const cluster = await startCluster({ stateDir: '.journeys/cluster', cacheDir: userCacheDir() });
 * // … point a `cluster` profile at cluster.address …
 * await cluster.stop();
 * ```
 */
export {
  attachCluster,
  CLUSTER_SERVICES,
  clusterStatus,
  connectionTo,
  DEFAULT_CLUSTER_PORT,
  postgresDataDir,
  readClusterState,
  startCluster,
} from './cluster';
export type {
  ClusterService,
  ClusterServiceState,
  ClusterState,
  ClusterTls,
  RunningCluster,
  StartClusterOptions,
} from './cluster';
export { findTemporalServer, TEMPORAL_SERVER_GOTOOLCHAIN, TEMPORAL_SERVER_VERSION } from './install';
export type { FindTemporalServerOptions, TemporalServerBinaries } from './install';
