import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { EmailTemplates } from '../../activities';
import { createJourneyClient, type JourneyClient, type JourneyRef } from '../client';
import type { AnyEventDefinition } from '../events';
import { journeySearchAttributeKeys } from '../journey';
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
  /** `time-skipping` (default): Temporal's test server. `dev`: the CLI dev server (visibility, schedules). */
  readonly server?: 'time-skipping' | 'dev';
  readonly templates?: EmailTemplates;
  /** Where binaries are cached; defaults to `JOURNEYS_CACHE_DIR` or `.journeys` in the working directory. */
  readonly cacheDir?: string;
}

/** One test's worker, on its own task queue, and a journey client routed to it. */
export interface JourneyTestRun<TEvents extends AnyEventDefinition = AnyEventDefinition> {
  readonly journeys: JourneyClient<TEvents>;
  readonly taskQueue: string;
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

/** The binaries for tests, found or installed once into the project's cache. */
export function testBinary(kind: 'time-skipping' | 'dev', cacheDir?: string): Promise<FoundBinary> {
  const options = { cacheDir: cacheDir ?? process.env.JOURNEYS_CACHE_DIR ?? path.resolve('.journeys') };
  return kind === 'dev' ? findTemporalCli(options) : findTestServer(options);
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
  const kind = options.server ?? 'time-skipping';
  const binary = await testBinary(kind, options.cacheDir);
  const executable = binary.path
    ? { type: 'existing-path' as const, path: binary.path }
    : { type: 'cached-download' as const };
  const env =
    kind === 'dev'
      ? await TestWorkflowEnvironment.createLocal({
          server: {
            executable,
            searchAttributes: journeySearchAttributeKeys,
            log: { format: 'pretty', level: 'error' },
          },
        })
      : await TestWorkflowEnvironment.createTimeSkipping({ server: { executable } });
  if (kind === 'time-skipping') await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  const fakes = await startProviderFakes();
  const workflowBundle =
    options.workflowBundle ??
    (await bundleJourneys(options.workflowsPath ?? path.resolve('workflows')).catch(async (err: unknown) => {
      await Promise.all([env.teardown(), fakes.close()]);
      throw err;
    }));
  const activities = fakes.activities({ templates: options.templates });

  return {
    env,
    fakes,
    outbox: fakes.outbox,
    async run(fn) {
      const taskQueue = `test-${randomUUID()}`;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle,
        activities,
      });
      const client = await createJourneyClient({ journeys: options.journeys, client: env.client, taskQueue });
      // Remember every run this test started, to terminate the ones left running: on the time-skipping
      // server a leftover run with no worker would hold the shared clock for every test after it.
      const started = new Set<string>();
      const journeys: JourneyClient = {
        ...client,
        emit: async (input) => {
          const result = await client.emit(input);
          for (const d of result.deliveries) started.add(d.workflowId);
          return result;
        },
        enroll: async (journey, enrollOptions) => {
          const result = await client.enroll(journey, enrollOptions);
          started.add(result.workflowId);
          return result;
        },
      };
      try {
        return await worker.runUntil(() => fn({ journeys, taskQueue }));
      } finally {
        await Promise.all(
          [...started].map((id) =>
            env.client.workflow
              .getHandle(id)
              .terminate('test finished')
              .catch(() => undefined),
          ),
        );
      }
    },
    async close() {
      await Promise.all([env.teardown(), fakes.close()]);
    },
  };
}
