/**
 * A bad or duplicate journey in the journeys module fails the worker's start, before any workflow task runs,
 * never the workflow tasks of the healthy journeys next to it. On Temporal's time-skipping test server.
 */
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { createJourneyClient } from '../../src/client';
import { isJourneyError, type JourneyDefinitionError } from '../../src';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { bundleWorkflowCode } from '@temporalio/worker';
import { bundleJourneys, createJourneyWorker } from '../../src/worker';
import { healthyJourney } from '../fixtures/start-checks/healthy';

const healthyModule = require.resolve('../fixtures/start-checks/healthy');

let t: JourneyTestEnvironment;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({ journeys: [healthyJourney], workflowsPath: healthyModule });
});
afterAll(() => t?.close());

async function refusal(promise: Promise<unknown>): Promise<JourneyDefinitionError> {
  try {
    await promise;
  } catch (err) {
    if (isJourneyError(err)) return err as JourneyDefinitionError;
    throw err;
  }
  throw new Error('expected createJourneyWorker to refuse to start, it started');
}

/** A healthy journey enrolled on its own task queue, before any worker polls it. */
async function enrolledHealthyJourney() {
  const taskQueue = `start-checks-${randomUUID()}`;
  const journeys = await createJourneyClient({ journeys: [healthyJourney], client: t.env.client, taskQueue });
  const { workflowId } = await journeys.enroll(healthyJourney, { customer: { id: `c-${randomUUID()}` } });
  return { taskQueue, handle: t.env.client.workflow.getHandle(workflowId) };
}

/** The run's history as event type names, e.g. `EVENT_TYPE_WORKFLOW_TASK_FAILED`. */
async function eventTypes(handle: ReturnType<typeof t.env.client.workflow.getHandle>): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).map(
    (e) => temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? String(e.eventType),
  );
}

const workerOn = (taskQueue: string, workflowsPath: string) =>
  createJourneyWorker({
    connection: t.env.nativeConnection,
    taskQueue,
    activities: t.fakes.activities(),
    workflowsPath,
  });

test('a journey with reentry after "7 dayz" fails the start, naming it, before any workflow task runs', async () => {
  const { taskQueue, handle } = await enrolledHealthyJourney();
  const err = await refusal(workerOn(taskQueue, require.resolve('../fixtures/start-checks/bad-reentry')));
  expect(err.name).toBe('JourneyDefinitionError');
  expect({ code: err.code, journey: err.journey, option: err.option }).toEqual({
    code: 'JOURNEY_INVALID',
    journey: 'bad-reentry',
    option: 'reentry.after',
  });
  expect(err.message).toContain('7 dayz');
  // No worker polled: the healthy journey's first workflow task is still waiting, nothing ran or failed.
  expect(await eventTypes(handle)).toEqual([
    'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
    'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED',
  ]);

  // A worker on the fixed module then runs the healthy journey to its end, without one failed task.
  const worker = await workerOn(taskQueue, healthyModule);
  const state = await worker.runUntil(handle.result());
  expect(state).toMatchObject({ journey: 'healthy-journey', outcome: 'done' });
  expect((await eventTypes(handle)).filter((e) => e.includes('WORKFLOW_TASK_FAILED'))).toEqual([]);
});

test('two journeys of one name in the module fail the start, naming both exports', async () => {
  const { taskQueue, handle } = await enrolledHealthyJourney();
  const err = await refusal(workerOn(taskQueue, require.resolve('../fixtures/start-checks/duplicate-names')));
  expect({ code: err.code, journey: err.journey, option: err.option }).toEqual({
    code: 'JOURNEY_INVALID',
    journey: 'dup-name',
    option: 'name',
  });
  expect(err.message).toContain('dupName');
  expect(err.message).toContain('dupNameAgain');
  expect(await eventTypes(handle)).toEqual([
    'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
    'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED',
  ]);
  await handle.terminate('test finished');
});

test('the library journeys start: the module is loaded and checked without `journeys`', async () => {
  const worker = await workerOn(`start-checks-${randomUUID()}`, require.resolve('../../workflows'));
  await worker.runUntil(Promise.resolve());
});

test("a prebuilt bundle without the SDK's own workflows fails the start, naming them", async () => {
  const bare = await bundleWorkflowCode({ workflowsPath: healthyModule, logger: quiet });
  const err = await refusal(
    createJourneyWorker({
      connection: t.env.nativeConnection,
      taskQueue: `start-checks-${randomUUID()}`,
      activities: t.fakes.activities(),
      workflowBundle: bare,
    }),
  );
  expect(err.message).toMatch(/lacks the workflows journeys need \(contact, journeyInbox, campaignSweep/);
  // One from bundleJourneys starts.
  const worker = await createJourneyWorker({
    connection: t.env.nativeConnection,
    taskQueue: `start-checks-${randomUUID()}`,
    activities: t.fakes.activities(),
    workflowBundle: await bundleJourneys(healthyModule),
  });
  await worker.runUntil(Promise.resolve());
});

test('a journey sending a template the worker does not have fails the start, naming both', async () => {
  const err = await refusal(
    createJourneyWorker({
      connection: t.env.nativeConnection,
      taskQueue: `start-checks-${randomUUID()}`,
      client: t.env.client,
      workflowsPath: require.resolve('../fixtures/unknown-template'),
    }),
  );
  expect(err.message).toMatch(/journey "sends-unknown-template" .* sends template "no-such-template"/);
  expect(err.message).toMatch(/createJourneyWorker\(\{ templates \}\)/);
});

const quiet = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
