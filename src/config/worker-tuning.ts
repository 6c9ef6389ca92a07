import { z } from 'zod';
import { ConfigError } from '../errors';
import { toMs, type Duration } from '../journey';
import { duration } from './duration';

/**
 * Runs a worker keeps in memory between their workflow tasks unless told otherwise. Temporal's default grows
 * with the heap (2,310 on a 4 GB heap), and each cached journey run costs about 1 MB (`bench/README.md`,
 * "Worker memory"): a worker with thousands of sleeping journeys grew to 3.9 GB. A journey that wakes
 * after an hour or a day is rarely still cached anyway; replaying it costs milliseconds.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 500;

/** Temporal's own default of concurrent workflow tasks, lowered to the cache when the cache is smaller. */
const SDK_WORKFLOW_TASKS = 40;

const count = (min: number) => z.number().int().min(min).max(1_000_000);

/**
 * `worker:` in `temporal.yaml`: how much a worker keeps in memory and how much it does at once. Options given
 * to `createJourneyWorker` override these; unset ones keep Temporal's defaults, except the cache
 * ({@link DEFAULT_MAX_CACHED_WORKFLOWS}).
 */
export const workerTuningSchema = z
  .object({
    /** Runs kept in memory between tasks (Temporal's sticky cache); 0 turns the cache off. */
    maxCachedWorkflows: count(0).refine((n) => n !== 1, {
      message: '0 (no cache) or at least 2: Temporal needs two slots to run a cached workflow',
    }),
    /** Workflow tasks run at once (Temporal: 40); at most `maxCachedWorkflows` when the cache is on. */
    maxConcurrentWorkflowTaskExecutions: count(2),
    /** Activities (sends, gate asks, profile reads) run at once (Temporal: 100). */
    maxConcurrentActivityTaskExecutions: count(1),
    /** Local activities run at once (Temporal: 100). */
    maxConcurrentLocalActivityExecutions: count(1),
    /** Concurrent polls for workflow tasks (Temporal: 10, or fewer when fewer tasks may run at once). */
    workflowTaskPollers: count(1),
    /** Concurrent polls for activity tasks (Temporal: 10, or fewer when fewer activities may run at once). */
    activityTaskPollers: count(1),
    /**
     * How long a run's next task waits for the worker that has it cached before any worker may take it
     * (Temporal: 10 seconds). Shorter moves work off a stuck worker sooner, at the price of a replay.
     */
    stickyQueueScheduleToStartTimeout: duration,
    /** On shutdown, how long running activities may finish before they are cancelled (Temporal: none). */
    shutdownGraceTime: duration,
    /**
     * Worker Versioning: the deployment this worker belongs to and its build (e.g. the git commit). Runs are
     * routed to the deployment's current (or ramping) build; see `journeys rollout` and the README, "Safe
     * rollouts". Unset: the worker is unversioned and takes every run on its task queue.
     */
    deployment: z.strictObject(
      {
        name: z
          .string()
          .min(1)
          .max(255)
          .refine((n) => !n.includes('.'), {
            message: 'a deployment name has no "." (Temporal joins name.buildId)',
          }),
        buildId: z.string().min(1).max(255),
      },
      { error: 'an object { name, buildId }' },
    ),
  })
  .partial()
  .strict()
  .superRefine((tuning, ctx) => {
    for (const { path, message } of contradictions(tuning)) ctx.addIssue({ code: 'custom', path, message });
  });

export type WorkerTuning = z.output<typeof workerTuningSchema>;
export type WorkerTuningInput = z.input<typeof workerTuningSchema>;

/** The settings as `Worker.create` takes them (`@temporalio/worker` `WorkerOptions`). */
export interface WorkerCreateTuning {
  readonly maxCachedWorkflows: number;
  readonly maxConcurrentWorkflowTaskExecutions?: number;
  readonly maxConcurrentActivityTaskExecutions?: number;
  readonly maxConcurrentLocalActivityExecutions?: number;
  readonly workflowTaskPollerBehavior?: { readonly type: 'simple-maximum'; readonly maximum: number };
  readonly activityTaskPollerBehavior?: { readonly type: 'simple-maximum'; readonly maximum: number };
  /** Milliseconds. */
  readonly stickyQueueScheduleToStartTimeout?: number;
  /** Milliseconds. */
  readonly shutdownGraceTime?: number;
  readonly workerDeploymentOptions?: {
    readonly useWorkerVersioning: true;
    readonly version: { readonly deploymentName: string; readonly buildId: string };
    readonly defaultVersioningBehavior: 'AUTO_UPGRADE';
  };
}

/**
 * A worker's settings: `options` (given in code) over `file` (`temporal.yaml` `worker:`) over the defaults.
 * Throws {@link ConfigError} for a bad option or for two settings that contradict each other, naming
 * where each came from.
 */
export function workerTuningOf(
  file: WorkerTuning | undefined,
  options: WorkerTuningInput & object,
  configFile?: string,
): WorkerCreateTuning {
  // `options` may be a whole JourneyWorkerOptions: only the tuning settings given are read.
  const keys = Object.keys(workerTuningSchema.shape) as (keyof WorkerTuningInput)[];
  const given = Object.fromEntries(keys.filter((k) => options[k] !== undefined).map((k) => [k, options[k]]));
  const parsed = workerTuningSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.join('.') || (issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
    throw new ConfigError(
      `createJourneyWorker option ${key}: ${issue?.message}`,
      { path: key },
      { cause: parsed.error },
    );
  }
  const merged: WorkerTuning = { ...file, ...parsed.data };
  const from = (key: keyof WorkerTuning) =>
    key in parsed.data
      ? 'the createJourneyWorker option'
      : `worker.${key} in ${configFile ?? 'temporal.yaml'}`;
  const clash = contradictions(merged)[0];
  if (clash) {
    const [key] = clash.path;
    const other = clash.other in merged ? from(clash.other) : 'the default';
    throw new ConfigError(`${key} (${from(key)}): ${clash.message} (${clash.other}: ${other}).`, {
      file: key in parsed.data ? undefined : configFile,
      path: `worker.${key}`,
    });
  }
  const cache = merged.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_WORKFLOWS;
  const ms = (d: string | undefined) => (d === undefined ? undefined : toMs(d as Duration));
  const pollers = (maximum: number | undefined) =>
    maximum === undefined ? undefined : { type: 'simple-maximum' as const, maximum };
  const tuning: WorkerCreateTuning = {
    maxCachedWorkflows: cache,
    maxConcurrentWorkflowTaskExecutions:
      merged.maxConcurrentWorkflowTaskExecutions ?? defaultWorkflowTasks(cache),
    maxConcurrentActivityTaskExecutions: merged.maxConcurrentActivityTaskExecutions,
    maxConcurrentLocalActivityExecutions: merged.maxConcurrentLocalActivityExecutions,
    // `maxConcurrentWorkflowTaskPolls` is ignored by this Temporal SDK: poller behaviours are what it reads.
    workflowTaskPollerBehavior: pollers(merged.workflowTaskPollers),
    activityTaskPollerBehavior: pollers(merged.activityTaskPollers),
    stickyQueueScheduleToStartTimeout: ms(merged.stickyQueueScheduleToStartTimeout),
    shutdownGraceTime: ms(merged.shutdownGraceTime),
    // Journeys upgrade to the current build unless they say `versioning: 'pinned'` (their workflow option).
    workerDeploymentOptions: merged.deployment && {
      useWorkerVersioning: true,
      version: { deploymentName: merged.deployment.name, buildId: merged.deployment.buildId },
      defaultVersioningBehavior: 'AUTO_UPGRADE',
    },
  };
  // Only what is set: Worker.create spreads its options over its defaults, so an `undefined` would erase one.
  return Object.fromEntries(Object.entries(tuning).filter(([, v]) => v !== undefined)) as WorkerCreateTuning;
}

/** Temporal's 40 workflow tasks at once, lowered to a smaller cache (Temporal would do it with a warning). */
function defaultWorkflowTasks(cache: number): number {
  return cache > 0 ? Math.max(2, Math.min(SDK_WORKFLOW_TASKS, cache)) : SDK_WORKFLOW_TASKS;
}

/** A setting that cannot hold with another one. */
interface Contradiction {
  readonly path: [keyof WorkerTuning];
  /** The setting it contradicts. */
  readonly other: keyof WorkerTuning;
  readonly message: string;
}

/** Settings that cannot hold together, each with the setting to change. */
function contradictions(t: WorkerTuning): Contradiction[] {
  const found: Contradiction[] = [];
  const cache = t.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_WORKFLOWS;
  const tasks = t.maxConcurrentWorkflowTaskExecutions;
  if (tasks !== undefined && cache > 0 && tasks > cache)
    found.push({
      path: ['maxConcurrentWorkflowTaskExecutions'],
      other: 'maxCachedWorkflows',
      message: `${tasks} is more than maxCachedWorkflows (${cache}): each workflow task in flight holds a cached run; raise maxCachedWorkflows or lower this`,
    });
  const limits = [
    ['workflowTaskPollers', tasks ?? defaultWorkflowTasks(cache), 'maxConcurrentWorkflowTaskExecutions'],
    [
      'activityTaskPollers',
      t.maxConcurrentActivityTaskExecutions ?? 100,
      'maxConcurrentActivityTaskExecutions',
    ],
  ] as const;
  for (const [key, limit, limitKey] of limits) {
    const value = t[key];
    if (value !== undefined && value > limit)
      found.push({
        path: [key],
        other: limitKey,
        message: `${value} is more than ${limitKey} (${limit}): a poll needs a free slot to take its task`,
      });
  }
  return found;
}
