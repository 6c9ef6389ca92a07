import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { OPEN_POLICY, type ChannelSender, type TemplatesInput } from '../../activities';
import type { SendPolicy } from '../contact';
import {
  createJourneyClient,
  type JourneyClient,
  type JourneyClientOptions,
  type JourneyRef,
} from '../client';
import { deliveryEvents, type AnyEventDefinition } from '../events';
import { createWebhookServer, type WebhookServer } from '../http';
import { inboxWorkflowId } from '../inbox';
import { journeySearchAttributeKeys, type JourneyInput } from '../journey';
import type { ProfileSource } from '../profile/types';
import { userCacheDir } from '../config';
import { findTemporalCli, findTestServer, registerSearchAttributes, type FoundBinary } from '../server';
import { bundleJourneys } from '../worker';
import { startProviderFakes, type ProviderFakes } from './provider-fakes';
import { quietRuntime } from './quiet-runtime';

export interface JourneyTestEnvironmentOptions {
  /** The journeys the test client routes events to. */
  readonly journeys: readonly JourneyRef[];
  /** The journeys module; bundled once per process. Or pass `workflowBundle`. */
  readonly workflowsPath?: string;
  readonly workflowBundle?: WorkflowBundleOption;
  /**
   * `time-skipping` (default): Temporal's test server. `dev`: the CLI dev server (visibility, schedules),
   * or, when `JOURNEYS_TEST_TEMPORAL` is set (`host:port` or `host:port/namespace`), that Temporal: a
   * cluster (`journeys cluster up`) or a staging one, so the same tests prove the journeys there.
   * `{ address, namespace }`: that Temporal, always. Runs on a Temporal the kit did not start are ended
   * (terminated) when their test finishes, like on the others.
   */
  readonly server?: 'time-skipping' | 'dev' | ExistingTemporal;
  /** Email templates of your own ({@link defineTemplate}), over the bundled ones. */
  readonly templates?: TemplatesInput;
  /** Channels of your own, by name (sent with `send.via`). */
  readonly channels?: Readonly<Record<string, ChannelSender<never>>>;
  /** Retry and timeouts per channel for enrolments in this environment (e.g. short intervals). */
  readonly channelOptions?: JourneyInput['channels'];
  /** The `events` settings of the environment's clients (order window, `at` bounds); temporal.yaml's defaults otherwise. */
  readonly eventOptions?: JourneyClientOptions['eventOptions'];
  /** The contact entity's rules (caps, quiet hours) for this environment; none by default. */
  readonly sendPolicy?: SendPolicy;
  /** Who owns a phone number, for inbound STOP webhooks. */
  readonly customerByPhone?: (phone: string) => string | undefined | Promise<string | undefined>;
  /** Customer data behind `profile.get()` and `promoCode()`. */
  readonly profiles?: ProfileSource;
  /** More activities for each run's worker (e.g. `createCampaignActivities`), given the run's client. */
  readonly activities?: (run: { journeys: JourneyClient; taskQueue: string }) => object;
  /** Where binaries are cached; defaults to the per-user cache (`JOURNEYS_CACHE_DIR`, else the XDG cache folder). */
  readonly cacheDir?: string;
  /**
   * How payloads are written, for the environment's client and every run's worker: e.g.
   * `encryptingDataConverter(staticKeyRing(…))` or `dataConverterOf(config)` to test journeys encrypted.
   */
  readonly dataConverter?: DataConverter;
}

/** A Temporal the test kit connects to instead of starting one. */
export interface ExistingTemporal {
  readonly address: string;
  readonly namespace?: string;
}

/** The Temporal `JOURNEYS_TEST_TEMPORAL` names (`host:port[/namespace]`), if set. */
export function testTemporalFromEnv(env: NodeJS.ProcessEnv = process.env): ExistingTemporal | undefined {
  const value = env.JOURNEYS_TEST_TEMPORAL?.trim();
  if (!value) return undefined;
  const [address, namespace] = value.split('/', 2) as [string, string | undefined];
  if (!/^[^\s/:]+:\d{1,5}$/.test(address)) {
    throw new TypeError(`JOURNEYS_TEST_TEMPORAL must be host:port or host:port/namespace, not "${value}"`);
  }
  return { address, namespace: namespace || undefined };
}

/** One test's worker, on its own task queue, and a journey client routed to it. */
export interface JourneyTestRun {
  readonly journeys: JourneyClient;
  readonly taskQueue: string;
  /** The webhook receiver the fakes post delivery events to, for this run's journeys. */
  readonly webhooks: WebhookServer;
}

export interface JourneyTestEnvironment {
  readonly env: TestWorkflowEnvironment;
  readonly fakes: ProviderFakes;
  readonly outbox: ProviderFakes['outbox'];
  /**
   * Runs `fn` with a fresh worker on a unique task queue, stopping the worker when `fn` settles.
   */
  run<T>(fn: (run: JourneyTestRun) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const customerIdOf = (customer: unknown): string =>
  typeof customer === 'string' ? customer : String((customer as { id?: unknown } | undefined)?.id);

/** The inbox a customer id names, if it names one: an id the client refuses (the test's point) has none. */
function inboxOf(customerId: string): string | undefined {
  try {
    return inboxWorkflowId(customerId);
  } catch {
    return undefined;
  }
}

/**
 * Terminates a run the test left running. Only running ones: the Java test server can hang terminating a
 * run that has completed (seen with a run whose start raced a signal), and a closed run holds no clock.
 */
async function stop(env: TestWorkflowEnvironment, workflowId: string): Promise<void> {
  const handle = env.client.workflow.getHandle(workflowId);
  const bounded = <T>(p: Promise<T>) =>
    Promise.race([
      p,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 5_000).unref()),
    ]);
  const status = await bounded(handle.describe().then((d) => d.status.name)).catch(() => undefined);
  if (status === 'RUNNING') await bounded(handle.terminate('test finished')).catch(() => undefined);
}

/**
 * Starts a server, again when it did not answer within the SDK's start-up limit (5 s): on a loaded
 * two-core machine (several test files, each with its servers) a healthy server can take longer, and a
 * test should not fail for it. Any other failure is thrown at once.
 */
async function startServer(start: () => Promise<TestWorkflowEnvironment>): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      const slow = err instanceof Error && /did not start within/.test(err.message);
      if (!slow || attempt >= 5) throw err;
    }
  }
}

/** The binaries for tests, found or installed once into the project's cache. */
export function testBinary(kind: 'time-skipping' | 'dev', cacheDir?: string): Promise<FoundBinary> {
  const options = { cacheDir: cacheDir ?? userCacheDir() };
  return kind === 'dev' ? findTemporalCli(options) : findTestServer(options);
}

/** Connects to a Temporal the kit does not own (teardown closes the connections only); search attributes registered. */
async function connectExisting(
  existing: ExistingTemporal,
  dataConverter: DataConverter | undefined,
): Promise<TestWorkflowEnvironment> {
  const namespace = existing.namespace ?? 'default';
  const env = await TestWorkflowEnvironment.createFromExistingServer({
    address: existing.address,
    namespace,
    ...(dataConverter && { client: { dataConverter } }),
  });
  await registerSearchAttributes(env.connection, namespace);
  return env;
}

async function startTestServer(
  kind: 'time-skipping' | 'dev',
  cacheDir: string | undefined,
  dataConverter: DataConverter | undefined,
): Promise<TestWorkflowEnvironment> {
  const binary = await testBinary(kind, cacheDir);
  const executable = binary.path
    ? { type: 'existing-path' as const, path: binary.path }
    : { type: 'cached-download' as const };
  return startServer(() =>
    kind === 'dev'
      ? TestWorkflowEnvironment.createLocal({
          server: {
            executable,
            searchAttributes: journeySearchAttributeKeys,
            log: { format: 'pretty', level: 'error' },
          },
          ...(dataConverter && { client: { dataConverter } }),
        })
      : TestWorkflowEnvironment.createTimeSkipping({
          server: { executable },
          ...(dataConverter && { client: { dataConverter } }),
        }),
  );
}

/**
 * A journey test environment: Temporal's time-skipping test server (or the dev server), the provider fakes
 * and the journeys bundled once. One per test file; `run()` per test.
 *
 * @example
 * ```ts
 * const t = await createJourneyTestEnvironment({ journeys: [abandonedCart], workflowsPath: require.resolve('../workflows') });
 * await t.run(async ({ journeys }) => {
 *   await journeys.emit({ type: 'cart.abandoned', customer: { id: 'c1', email: 'c1@example.com' }, data });
 *   await t.env.sleep('2 hours');
 *   await t.outbox.waitFor((m) => m.channel === 'email');
 * });
 * await t.close();
 * ```
 */
export async function createJourneyTestEnvironment(
  options: JourneyTestEnvironmentOptions,
): Promise<JourneyTestEnvironment> {
  quietRuntime();
  const requested = options.server ?? 'time-skipping';
  const existing =
    typeof requested === 'object' ? requested : requested === 'dev' ? testTemporalFromEnv() : undefined;
  const kind = typeof requested === 'object' ? 'dev' : requested;
  const dataConverter = options.dataConverter;
  const env = existing
    ? await connectExisting(existing, dataConverter)
    : await startTestServer(kind, options.cacheDir, dataConverter);
  if (kind === 'time-skipping') await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  const fakes = await startProviderFakes();

  const workflowBundle =
    options.workflowBundle ??
    (await bundleJourneys(options.workflowsPath ?? path.resolve('workflows'), {
      failureConverterPath: dataConverter?.failureConverterPath,
    }).catch(async (err: unknown) => {
      await Promise.all([env.teardown(), fakes.close()]);
      throw err;
    }));

  return {
    env,
    fakes,
    outbox: fakes.outbox,
    async run(fn) {
      const taskQueue = `test-${randomUUID()}`;
      const client = await createJourneyClient({
        journeys: options.journeys,
        events: deliveryEvents as readonly AnyEventDefinition[],
        client: env.client,
        taskQueue,
        channels: options.channelOptions,
        eventOptions: options.eventOptions,
        // On the time-skipping server an event's `at` is simulated time, which runs ahead of the clock.
        now: kind === 'time-skipping' ? () => env.currentTimeMs() : undefined,
      });
      // Remember every run this test started, and every customer's inbox, to terminate the ones left
      // running: on the time-skipping server a leftover run with no worker would hold the shared clock for
      // every test after it (an inbox waits out its timer, then for a worker that is gone).
      const started = new Set<string>();
      const journeys: JourneyClient = {
        ...client,
        emit: async (input) => {
          const inbox = inboxOf(customerIdOf(input.customer));
          if (inbox) started.add(inbox);
          const result = await client.emit(input);
          for (const d of result.deliveries) started.add(d.workflowId);
          return result;
        },
        exit: async (journey, target) => {
          const inbox = inboxOf(target.customerId);
          if (inbox) started.add(inbox);
          return client.exit(journey, target);
        },
        enroll: async (journey, enrollOptions) => {
          const result = await client.enroll(journey, enrollOptions);
          started.add(result.workflowId);
          return result;
        },
      };
      // Delivery webhooks of this run's messages come back to this run's journeys, and so do the clicks
      // on its emails' unsubscribe and confirmation links.
      const linkSecret = randomBytes(32).toString('hex');
      const webhooks = await createWebhookServer({
        journeys,
        resend: { webhookSecret: fakes.resendWebhookSecret },
        twilio: { authToken: fakes.twilio.authToken },
        links: { secret: linkSecret },
        customerByPhone: options.customerByPhone,
      });
      fakes.resend.webhook = { url: `${webhooks.url}/webhooks/resend`, secret: fakes.resendWebhookSecret };
      fakes.twilio.inboundUrl = `${webhooks.url}/webhooks/twilio/inbound`;
      const activities = fakes.activities({
        templates: options.templates,
        custom: options.channels,
        statusCallback: `${webhooks.url}/webhooks/twilio/status`,
        gate: { client: env.client, taskQueue, policy: options.sendPolicy ?? OPEN_POLICY },
        links: { baseUrl: webhooks.url, secret: linkSecret },
        profiles: options.profiles,
      });
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle,
        dataConverter,
        activities: { ...activities, ...options.activities?.({ journeys: client, taskQueue }) },
      });
      try {
        return await worker.runUntil(() => fn({ journeys, taskQueue, webhooks }));
      } finally {
        await webhooks.close();
        await Promise.all([...started].map((id) => stop(env, id)));
      }
    },
    async close() {
      await Promise.all([env.teardown(), fakes.close()]);
    },
  };
}
