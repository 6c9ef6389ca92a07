import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { ChannelActivities, ChannelSender } from '../../activities';
import { createCampaignActivities } from '../campaigns';
import { createJourneyClient, type JourneyRef } from '../client';
import type { SqlProfileSource } from '../profile';
import type { ProfileSource } from '../profile/types';
import type { Client } from '@temporalio/client';
import { connectTemporal } from '../client';
import { connectionOptionsOf, loadConfig, type JourneysConfig } from '../config';
import { JourneyError } from '../errors';
import { checkJourneyExports } from './check-journeys';
import { createProviderActivities } from './providers';

export interface JourneyWorkerOptions {
  /** Loaded `temporal.yaml`; defaults to `loadConfig()`. */
  readonly config?: JourneysConfig;
  /** An existing connection (tests); otherwise one is opened per config and closed by `close()`. */
  readonly connection?: NativeConnection;
  /** A Temporal client for the contact gate (sends ask the contact entity); otherwise one is opened per config. */
  readonly client?: Client;
  readonly namespace?: string;
  readonly taskQueue?: string;
  /** The module exporting the journeys; defaults to `./workflows` under the working directory. */
  readonly workflowsPath?: string;
  /** A prebuilt bundle (see {@link bundleJourneys}); skips bundling. */
  readonly workflowBundle?: WorkflowBundleOption;
  /** Channels of your own, by name, next to the ones configured in `temporal.yaml` (`send.via(name, …)`). */
  readonly channels?: Readonly<Record<string, ChannelSender<never>>>;
  /** Customer data for `profile.get()`, `promoCode()` and the like (e.g. `createPostgresProfileSource()`). */
  readonly profiles?: ProfileSource;
  /** Activities to register; defaults to the channels configured in `temporal.yaml`. */
  readonly activities?: ChannelActivities & object;
  /**
   * The journeys module's exports (`import * as journeys from './workflows'`), to check at start that each
   * journey is exported under its workflow type.
   */
  readonly journeys?: Readonly<Record<string, unknown>>;
  /** Concurrent workflow tasks and activities; Temporal's defaults otherwise. */
  readonly maxConcurrentActivityTaskExecutions?: number;
}

/** A worker running journeys. `run()` until SIGINT/SIGTERM (handled by Temporal's runtime), or `shutdown()`. */
export interface JourneyWorker {
  readonly worker: Worker;
  run(): Promise<void>;
  runUntil<T>(fnOrPromise: Promise<T> | (() => Promise<T>)): Promise<T>;
  shutdown(): void;
  /** Closes the connection if this worker opened it (after `run()` returned). */
  close(): Promise<void>;
}

const bundles = new Map<string, Promise<{ code: string }>>();

/**
 * Bundles the journeys once per process (per path) and reuses the bundle for every worker created after.
 * Call it ahead of time to keep bundling off a worker's start.
 */
export function bundleJourneys(workflowsPath: string): Promise<{ code: string }> {
  const file = resolveModule(path.resolve(workflowsPath));
  let bundle = bundles.get(file);
  if (!bundle) {
    bundle = bundleWorkflowCode({ workflowsPath: file, logger: quietLogger });
    bundles.set(file, bundle);
    bundle.catch(() => bundles.delete(file));
  }
  return bundle;
}

/**
 * Creates a worker for the journeys and their channel activities, connected per `temporal.yaml`.
 *
 * @example
 * ```ts
 * import * as journeys from './workflows';
 * const worker = await createJourneyWorker({ workflowsPath: require.resolve('./workflows'), journeys });
 * await worker.run(); // Ctrl-C drains and stops
 * ```
 */
export async function createJourneyWorker(options: JourneyWorkerOptions = {}): Promise<JourneyWorker> {
  if (options.journeys) checkJourneyExports(options.journeys);
  const config =
    options.config ??
    (options.connection && options.taskQueue && options.activities ? undefined : loadConfig());
  let owned: NativeConnection | undefined;
  let connection = options.connection;
  let namespace = options.namespace;
  if (!connection) {
    const settings = connectionOptionsOf(config as JourneysConfig);
    owned = await NativeConnection.connect({
      address: settings.address,
      tls: settings.tls,
      apiKey: settings.apiKey,
    });
    connection = owned;
    namespace ??= settings.namespace;
  }
  // Sends ask the customer's contact entity first, through a Temporal client of the activities' own.
  const connected =
    options.activities || options.client ? undefined : await connectTemporal(config as JourneysConfig);
  const gateClient = options.client ?? connected?.client;
  const workflowBundle =
    options.workflowBundle ?? (await bundleJourneys(options.workflowsPath ?? path.resolve('workflows')));
  const taskQueue = options.taskQueue ?? (config as JourneysConfig).taskQueue;
  // With a SQL profile source and the journeys module, the worker also runs campaign sweeps (plans).
  const refs = Object.values(options.journeys ?? {}).filter(
    (v): v is JourneyRef => typeof v === 'function' && 'definition' in v,
  );
  const db = (options.profiles as Partial<SqlProfileSource> | undefined)?.db;
  const campaigns =
    !options.activities && db && gateClient && refs.length > 0
      ? createCampaignActivities({
          journeys: await createJourneyClient({ journeys: refs, client: gateClient, taskQueue }),
          journeyRefs: refs,
          db,
          taskQueue,
        })
      : {};
  const worker = await Worker.create({
    connection,
    namespace: namespace ?? 'default',
    taskQueue,
    workflowBundle,
    activities: {
      ...(options.activities ??
        createProviderActivities(config as JourneysConfig, {
          custom: options.channels,
          profiles: options.profiles,
          gate: { client: gateClient as Client, taskQueue },
        })),
      ...campaigns,
    },
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions,
  });
  return {
    worker,
    run: () => worker.run(),
    runUntil: (fn) => worker.runUntil(fn),
    shutdown: () => worker.shutdown(),
    close: async () => {
      await Promise.all([owned?.close(), connected?.close()]);
    },
  };
}

/** A module path as the bundler takes it: compiled (`.js`) or TypeScript source (`.ts`), file or folder. */
function resolveModule(base: string): string {
  const candidates = [
    base,
    `${base}.ts`,
    `${base}.js`,
    path.join(base, 'index.ts'),
    path.join(base, 'index.js'),
  ];
  const found = candidates.find((file) => existsSync(file) && statSync(file).isFile());
  if (!found) {
    throw new JourneyError(
      'JOURNEY_INVALID',
      `No journeys module at ${base} (looked for ${candidates
        .slice(1)
        .map((c) => path.basename(c))
        .join(', ')}).`,
    );
  }
  return found;
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
