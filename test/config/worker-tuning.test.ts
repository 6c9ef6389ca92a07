/**
 * Worker tuning reaches Temporal: `createJourneyWorker` options and `temporal.yaml`'s `worker:` section, read
 * back from the created Temporal worker's compiled options (on the dev server, in memory), and bad
 * values refused as ConfigErrors with their line.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MAX_CACHED_WORKFLOWS, parseConfig } from '../../src/config';
import { type ConfigError, isJourneyError } from '../../src/errors';
import { startLocalServer, type LocalServer } from '../../src/server';
import { quietRuntime, testBinary } from '../../src/testing/all';
import { bundleJourneys, createJourneyWorker, type JourneyWorkerOptions } from '../../src/worker';

const FILE = '/srv/shop/temporal.yaml';
let server: LocalServer;
let workflowBundle: { code: string };

beforeAll(async () => {
  quietRuntime();
  server = await startLocalServer({ cli: await testBinary('dev') }); // in memory, free port
  workflowBundle = await bundleJourneys(require.resolve('../fixtures/config/idle-workflows'));
});
afterAll(() => server?.close());

/** The compiled options of a worker created with `options`, after a clean start and stop. */
async function compiledOptions(options: JourneyWorkerOptions) {
  const worker = await createJourneyWorker({
    connection: server.env.nativeConnection,
    taskQueue: `tuning-${randomUUID()}`,
    activities: {},
    workflowBundle,
    ...options,
  });
  await worker.runUntil(async () => {});
  const compiled = worker.worker.options;
  const tuner = compiled.tuner as unknown as Record<string, { numSlots?: number } | undefined>;
  return {
    maxCachedWorkflows: compiled.maxCachedWorkflows,
    workflowTasks: tuner.workflowTaskSlotSupplier?.numSlots,
    activities: tuner.activityTaskSlotSupplier?.numSlots,
    localActivities: tuner.localActivityTaskSlotSupplier?.numSlots,
    workflowPollers: compiled.workflowTaskPollerBehavior,
    activityPollers: compiled.activityTaskPollerBehavior,
    stickyMs: compiled.stickyQueueScheduleToStartTimeoutMs,
    shutdownGraceMs: compiled.shutdownGraceTimeMs,
  };
}

const config = (worker: string) => parseConfig(`taskQueue: shop\n${worker}`, { path: FILE, env: {} });

async function rejection(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (err) {
    if (isJourneyError(err, 'CONFIG_INVALID')) return err as ConfigError;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

test('with nothing set, the cache is ours (sized for sleeping journeys) and the rest is Temporal’s', async () => {
  expect(await compiledOptions({})).toEqual({
    maxCachedWorkflows: DEFAULT_MAX_CACHED_WORKFLOWS,
    workflowTasks: 40,
    activities: 100,
    localActivities: 100,
    workflowPollers: { type: 'simple-maximum', maximum: 10 },
    activityPollers: { type: 'simple-maximum', maximum: 10 },
    stickyMs: 10_000,
    shutdownGraceMs: 0,
  });
});

const WORKER_SECTION = [
  'worker:',
  '  maxCachedWorkflows: 300',
  '  maxConcurrentWorkflowTaskExecutions: 20',
  '  maxConcurrentActivityTaskExecutions: 30',
  '  maxConcurrentLocalActivityExecutions: 7',
  '  workflowTaskPollers: 6',
  '  activityTaskPollers: 3',
  '  stickyQueueScheduleToStartTimeout: 3 seconds',
  '  shutdownGraceTime: 20 seconds',
  '',
].join('\n');

test("temporal.yaml's worker section reaches Worker.create", async () => {
  expect(await compiledOptions({ config: config(WORKER_SECTION) })).toEqual({
    maxCachedWorkflows: 300,
    workflowTasks: 20,
    activities: 30,
    localActivities: 7,
    workflowPollers: { type: 'simple-maximum', maximum: 6 },
    activityPollers: { type: 'simple-maximum', maximum: 3 },
    stickyMs: 3_000,
    shutdownGraceMs: 20_000,
  });
});

test('createJourneyWorker options win over the file, setting by setting', async () => {
  const compiled = await compiledOptions({
    config: config(WORKER_SECTION),
    maxCachedWorkflows: 50,
    maxConcurrentActivityTaskExecutions: 8,
    stickyQueueScheduleToStartTimeout: '1 second',
  });
  expect(compiled).toMatchObject({
    maxCachedWorkflows: 50,
    workflowTasks: 20,
    activities: 8,
    localActivities: 7,
    stickyMs: 1_000,
    shutdownGraceMs: 20_000,
  });
});

test('a cache smaller than 40 lowers the default workflow tasks to it, instead of a warning', async () => {
  expect(await compiledOptions({ maxCachedWorkflows: 10 })).toMatchObject({
    maxCachedWorkflows: 10,
    workflowTasks: 10,
  });
  expect(await compiledOptions({ maxCachedWorkflows: 0 })).toMatchObject({
    maxCachedWorkflows: 0,
    workflowTasks: 40,
  });
});

test("temporal.yaml's commented worker block, uncommented, is what a worker gets with nothing set", async () => {
  let inBlock = false;
  const uncommented = readFileSync(path.join(__dirname, '..', '..', 'temporal.yaml'), 'utf8')
    .split('\n')
    .map((line) => {
      inBlock = line === '# worker:' || (inBlock && line.startsWith('#   '));
      return inBlock ? line.slice(2) : line;
    })
    .join('\n');
  const documented = parseConfig(uncommented, { path: FILE, env: {} });
  expect(Object.keys(documented.worker).length).toBeGreaterThanOrEqual(8); // every setting is shown
  expect(await compiledOptions({ config: documented })).toEqual(await compiledOptions({}));
});

/** [what, worker section, path, line] */
const BAD: readonly (readonly [string, string, string, number])[] = [
  ['a cache of 1', 'worker:\n  maxCachedWorkflows: 1\n', 'worker.maxCachedWorkflows', 3],
  ['a negative cache', 'worker:\n  maxCachedWorkflows: -5\n', 'worker.maxCachedWorkflows', 3],
  [
    'a fractional count',
    'worker:\n  maxConcurrentActivityTaskExecutions: 2.5\n',
    'worker.maxConcurrentActivityTaskExecutions',
    3,
  ],
  ['a count as text', 'worker:\n  maxCachedWorkflows: lots\n', 'worker.maxCachedWorkflows', 3],
  [
    'one workflow task at once',
    'worker:\n  maxConcurrentWorkflowTaskExecutions: 1\n',
    'worker.maxConcurrentWorkflowTaskExecutions',
    3,
  ],
  ['zero pollers', 'worker:\n  activityTaskPollers: 0\n', 'worker.activityTaskPollers', 3],
  [
    'a duration it cannot read',
    'worker:\n  stickyQueueScheduleToStartTimeout: soon\n',
    'worker.stickyQueueScheduleToStartTimeout',
    3,
  ],
  ['a misspelt setting', 'worker:\n  maxCachedWorkflow: 100\n', 'worker.maxCachedWorkflow', 3],
  [
    'more workflow tasks than cached runs',
    'worker:\n  maxCachedWorkflows: 100\n  maxConcurrentWorkflowTaskExecutions: 200\n',
    'worker.maxConcurrentWorkflowTaskExecutions',
    4,
  ],
  [
    'more workflow tasks than the default cache',
    `worker:\n  maxConcurrentWorkflowTaskExecutions: ${DEFAULT_MAX_CACHED_WORKFLOWS + 1}\n`,
    'worker.maxConcurrentWorkflowTaskExecutions',
    3,
  ],
  [
    'more pollers than workflow tasks',
    'worker:\n  maxConcurrentWorkflowTaskExecutions: 20\n  workflowTaskPollers: 50\n',
    'worker.workflowTaskPollers',
    4,
  ],
  ['a list for the section', 'worker:\n  - maxCachedWorkflows: 10\n', 'worker', 3],
];

test.each(BAD)('%s is a ConfigError on its line', (_what, section, at, line) => {
  let err: ConfigError | undefined;
  try {
    config(section);
  } catch (e) {
    if (isJourneyError(e, 'CONFIG_INVALID')) err = e as ConfigError;
    else throw e;
  }
  expect(err?.location).toEqual({ file: FILE, path: at, line });
});

test('a bad option, or an option that contradicts the file, is a ConfigError naming where each came from', async () => {
  const bad = await rejection(compiledOptions({ maxCachedWorkflows: 1.5 }));
  expect(bad.location.path).toBe('maxCachedWorkflows');
  const clash = await rejection(
    compiledOptions({
      config: config('worker:\n  maxCachedWorkflows: 100\n'),
      maxConcurrentWorkflowTaskExecutions: 200,
    }),
  );
  expect(clash.location.path).toBe('worker.maxConcurrentWorkflowTaskExecutions');
  expect(clash.message).toContain('the createJourneyWorker option');
  expect(clash.message).toContain(`worker.maxCachedWorkflows in ${FILE}`);
});
