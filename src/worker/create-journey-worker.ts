import { NativeConnection, Runtime, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createInboxReader } from '../../activities/inbox';
import {
  defaultEmailTemplates,
  templatesByName,
  type ChannelActivities,
  type ChannelSender,
  type TemplatesInput,
} from '../../activities';
import { createCampaignActivities } from '../campaigns';
import { createJourneyClient, type JourneyRef } from '../client';
import type { SqlProfileSource } from '../profile';
import type { ProfileSource } from '../profile/types';
import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { connectTemporal } from '../client';
import { dataConverterOf } from '../codec';
import { ConfigError } from '../errors';
import {
  connectionOptionsOf,
  loadConfig,
  workerTuningOf,
  type JourneysConfig,
  type WorkerTuningInput,
} from '../config';
import { assertEncodedFailures, assertSdkWorkflows, bundleJourneys } from './bundle';
import { checkJourneyExports } from './check-journeys';
import { checkJourneyTemplates } from './check-templates';
import { checkJourneysModule } from './load-journeys-module';
import { createProviderActivities } from './providers';

/**
 * How to create a worker. The tuning settings (`maxCachedWorkflows`, `maxConcurrentWorkflowTaskExecutions`,
 * `maxConcurrentActivityTaskExecutions`, `maxConcurrentLocalActivityExecutions`, `workflowTaskPollers`,
 * `activityTaskPollers`, `stickyQueueScheduleToStartTimeout`, `shutdownGraceTime`) override the same ones
 * under `worker:` in `temporal.yaml`, which override the defaults (README, "Worker tuning"); so does
 * `deployment: { name, buildId }`, which makes the worker a Worker Versioning deployment version (README,
 * "Safe rollouts").
 */
export interface JourneyWorkerOptions extends WorkerTuningInput {
  /** Loaded `temporal.yaml`; defaults to `loadConfig()`. */
  readonly config?: JourneysConfig;
  /** An existing connection (tests); otherwise one is opened per config and closed by `close()`. */
  readonly connection?: NativeConnection;
  /** A Temporal client for the contact gate (sends ask the contact entity); otherwise one is opened per config. */
  readonly client?: Client;
  readonly namespace?: string;
  readonly taskQueue?: string;
  /** The module exporting the journeys; defaults to `workflows:` in temporal.yaml, else `./workflows`. */
  readonly workflowsPath?: string;
  /** A prebuilt bundle (see {@link bundleJourneys}); skips bundling. */
  readonly workflowBundle?: WorkflowBundleOption;
  /**
   * Email templates ({@link defineTemplate} definitions, or functions by name), over the bundled ones. A
   * journey sending a template the worker does not have is refused at start.
   */
  readonly templates?: TemplatesInput;
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
  /**
   * How payloads are written: defaults to `dataConverterOf(config)` (encrypting when temporal.yaml has
   * `encryption:`). Give the client the same one.
   */
  readonly dataConverter?: DataConverter;
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
  await checkJourneysAtStart(options);
  const config =
    options.config ??
    (options.connection && options.taskQueue && options.activities ? undefined : loadConfig());
  if (config?.metrics) installMetrics(config);
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
  // One data converter for everything the worker writes (encrypting when temporal.yaml says so).
  const dataConverter = options.dataConverter ?? (config ? dataConverterOf(config) : undefined);
  // Sends ask the customer's contact entity first, through a Temporal client of the activities' own.
  const connected =
    options.activities || options.client
      ? undefined
      : await connectTemporal(config as JourneysConfig, dataConverter);
  const gateClient = options.client ?? connected?.client;
  if (
    options.workflowBundle &&
    dataConverter?.failureConverterPath &&
    ('code' in options.workflowBundle || 'codePath' in options.workflowBundle)
  )
    assertEncodedFailures(options.workflowBundle);
  const workflowBundle =
    options.workflowBundle ??
    (await bundleJourneys(options.workflowsPath ?? workflowsOf(config), {
      failureConverterPath: dataConverter?.failureConverterPath,
    }));
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
    dataConverter,
    activities: {
      ...(options.activities ??
        createProviderActivities(config as JourneysConfig, {
          custom: options.channels,
          templates: options.templates,
          profiles: options.profiles,
          gate: { client: gateClient as Client, taskQueue },
        })),
      ...campaigns,
      // The SDK's own activities, whatever else the worker was given: a run reads the customer's inbox.
      readInbox: createInboxReader({
        client: gateClient ?? new Client({ connection, namespace: namespace ?? 'default', dataConverter }),
      }),
    },
    // Options over temporal.yaml's `worker:` over our defaults (a cache sized for many sleeping journeys).
    ...workerTuningOf(config?.worker, options, config?.file),
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

/**
 * Installs Temporal's runtime with the metrics exporter `metrics:` in temporal.yaml names, once per process
 * (two workers of one process share it). A runtime installed before with other telemetry is a clear error.
 */
function installMetrics(config: JourneysConfig): void {
  const metrics = config.metrics!;
  const wanted = JSON.stringify(metrics);
  if (metricsInstalled === wanted) return;
  if (metricsInstalled !== undefined)
    throw new ConfigError(
      `metrics in ${config.file ?? 'temporal.yaml'}: this process already exports ${metricsInstalled}; one process has one Temporal runtime.`,
      { file: config.file, path: 'metrics' },
    );
  try {
    Runtime.install({
      telemetryOptions: {
        metrics:
          'prometheus' in metrics
            ? { prometheus: { bindAddress: metrics.prometheus.bindAddress } }
            : { otel: { url: metrics.otel.url } },
      },
    });
  } catch (err) {
    throw new ConfigError(
      `metrics in ${config.file ?? 'temporal.yaml'}: Temporal's runtime was already created in this process (by Runtime.install, or a connection made before createJourneyWorker), so the worker cannot export metrics; create the worker first, or drop metrics: and give your Runtime.install the exporter.`,
      { file: config.file, path: 'metrics' },
      { cause: err },
    );
  }
  metricsInstalled = wanted;
}
let metricsInstalled: string | undefined;

/**
 * Refuses to start on a bad or duplicate journey (`JourneyDefinitionError`), before any connection is
 * opened or task polled: in the sandbox it would fail workflow tasks instead. The journeys module is loaded
 * and checked in Node even when `journeys` is not passed, since it is what the bundle runs.
 */
async function checkJourneysAtStart(options: JourneyWorkerOptions): Promise<void> {
  if (options.journeys) checkJourneyExports(options.journeys);
  const given = options.workflowBundle;
  if (given && ('code' in given || 'codePath' in given)) assertSdkWorkflows(given);
  // A prebuilt bundle without its path leaves no module to load here.
  const modulePath =
    options.workflowsPath ?? (options.workflowBundle ? undefined : workflowsOf(options.config));
  if (modulePath !== undefined) await checkJourneysModule(modulePath);
  // The templates the journeys send, when the worker renders them (its own channels, not `activities`).
  if (modulePath !== undefined && !options.activities)
    checkJourneyTemplates(modulePath, [
      ...Object.keys(defaultEmailTemplates),
      ...Object.keys(templatesByName(options.templates)),
    ]);
}

/** The journeys module temporal.yaml names (`workflows:`, default `./workflows`). */
function workflowsOf(config: JourneysConfig | undefined): string {
  return (config ?? loadConfig()).workflows;
}
