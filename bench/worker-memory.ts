/**
 * Worker memory with many sleeping journeys, per workflow cache size: N customers enrolled on the dev server
 * in `bench-sleeper` (`bench/sleeping-journey.ts`: a webhook hand-off, then a month asleep) or, with
 * `--memory-journey reactivation`, the library's reactivation (a split, a win-back email through the contact
 * gate, then a week asleep; each customer's contact workflow is cached too), or with `raw` the raw SDK doing
 * the sleeper's work (`bench/raw-sleeper.ts`), the baseline. The worker runs in a child
 * process (`bench/worker-memory-child.ts`, `createJourneyWorker` from a written `temporal.yaml`) so its RSS is
 * its own. For each size: the worker's RSS idle and with every run asleep (as the OS sees it, and after a
 * full GC), the runs it keeps cached, memory per cached run, then the time to wake them all with their goal
 * event, where a small cache pays a replay per run.
 *
 *   npm run bench -- --only memory [--memory-journeys 5000 --memory-sizes sdk,100,250,default,1000]
 *                                  [--memory-journey sleeper|reactivation|raw]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createJourneyClient, type JourneyClient, type JourneyRef } from '../src/client';
import { DEFAULT_MAX_CACHED_WORKFLOWS, loadConfig } from '../src/config';
import { journeySearchAttributes as attrs } from '../src/journey';
import { findTemporalCli, startLocalServer, type LocalServer } from '../src/server';
import { startProviderFakes, type ProviderFakes } from '../src/testing';
import { bundleJourneys } from '../src/worker';
import { reactivation } from '../workflows/reactivation';
import { benchSleeper } from './sleeping-journey';
import type { ChildMessage, ChildRequest } from './worker-memory-child';

export interface WorkerMemoryOptions {
  /** Sleeping journeys per size (default 5,000). */
  readonly journeys: number;
  /** `sdk` (Temporal's default for this heap), `default` (ours), or a number of cached runs. */
  readonly sizes: readonly string[];
  readonly concurrency: number;
  /** `sleeper` (default), `reactivation`, or `raw` (the raw SDK doing the sleeper's work). */
  readonly journey: string;
}

/** What the bench puts to sleep: how to start N of them, when they are asleep, how to wake them. */
interface Sleeper {
  readonly name: string;
  readonly workflowsPath: string;
  /** The `providers:` of the worker's temporal.yaml, and the variables they name. */
  readonly providers: (fakes: ProviderFakes) => { yaml: string; env: Record<string, string> };
  start(run: Run, n: number, concurrency: number): Promise<void>;
  /** How many have taken their first step (the sends are counted apart). */
  started(run: Run): Promise<number>;
  wake(run: Run, i: number): Promise<unknown>;
  /** How many have reached their goal. */
  ended(run: Run): Promise<number>;
}

/** One size's server and the queue its worker polls. */
interface Run {
  readonly server: LocalServer;
  readonly taskQueue: string;
  readonly journeys: JourneyClient;
  readonly sent: readonly unknown[];
}

const count = async (run: Run, query: string) => (await run.server.env.client.workflow.count(query)).count;

/** A journey of ours: enrolled with `enrollMany`, counted by its search attributes, woken by its goal. */
function journeySleeper(options: {
  name: string;
  ref: JourneyRef;
  workflowsPath: string;
  firstStep: string;
  outcome: string;
  providers: Sleeper['providers'];
  wake: (journeys: JourneyClient, customerId: string) => Promise<unknown>;
}): Sleeper {
  const named = `${attrs.journeyName.name} = '${options.name}'`;
  return {
    name: options.name,
    workflowsPath: options.workflowsPath,
    providers: options.providers,
    start: async (run, n, concurrency) => {
      const summary = await run.journeys.enrollMany(
        options.ref,
        (function* () {
          for (let i = 0; i < n; i++) yield { customer: { id: `m${i}`, email: `m${i}@example.com` } };
        })(),
        { concurrency },
      );
      if (summary.enrolled !== n)
        throw new Error(`enrolled ${summary.enrolled}: ${JSON.stringify(summary.problems.slice(0, 3))}`);
    },
    started: (run) =>
      count(run, `${named} AND ${attrs.steps.name} = '${options.firstStep}' AND ExecutionStatus = 'Running'`),
    wake: (run, i) => options.wake(run.journeys, `m${i}`),
    // A converted run may stay open for its re-entry hold: done is its outcome, not its close.
    ended: (run) => count(run, `${named} AND ${attrs.outcome.name} = '${options.outcome}'`),
  };
}

const crm = (fakes: ProviderFakes) => ({
  yaml: `providers: { webhooks: { crm: { url: "${fakes.crm.url}/leads", secretEnv: CRM_SECRET } } }`,
  env: { CRM_SECRET: fakes.sinkSecret },
});

const SLEEPERS: Record<string, Sleeper> = {
  sleeper: journeySleeper({
    name: 'bench-sleeper',
    ref: benchSleeper,
    workflowsPath: path.join(__dirname, 'sleeping-journey'),
    firstStep: 'hand-off',
    outcome: 'converted',
    providers: crm,
    wake: (journeys, id) => journeys.emit({ type: 'bench.woke', customer: { id }, data: {} }),
  }),
  reactivation: journeySleeper({
    name: 'reactivation',
    ref: reactivation,
    workflowsPath: path.resolve(__dirname, '..', 'workflows'),
    firstStep: 'win-back-1',
    outcome: 'reactivated',
    providers: (fakes) => ({
      yaml: `providers: { resend: { from: "Shop <shop@example.com>", baseUrl: "${fakes.resend.url}" } }\ncontacts: { caps: [] }`,
      env: { RESEND_API_KEY: fakes.resendApiKey },
    }),
    wake: (journeys, id) =>
      journeys.emit({ type: 'customer.active', customer: { id }, data: { kind: 'visit' } }),
  }),
  // The raw SDK doing bench-sleeper's work: what a cached run costs without the journey runtime.
  raw: {
    name: 'rawSleeper',
    workflowsPath: path.join(__dirname, 'raw-sleeper'),
    providers: crm,
    start: async (run, n, concurrency) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < n) {
            const i = next++;
            await run.server.env.client.workflow.start('rawSleeper', {
              workflowId: `raw-sleeper/m${i}`,
              taskQueue: run.taskQueue,
              args: [`m${i}`],
            });
          }
        }),
      );
    },
    started: () => Promise.resolve(Number.POSITIVE_INFINITY), // the sends tell
    wake: (run, i) => run.server.env.client.workflow.getHandle(`raw-sleeper/m${i}`).signal('wake'),
    ended: (run) => count(run, `WorkflowType = 'rawSleeper' AND ExecutionStatus = 'Completed'`),
  },
};

const MB = 1024 * 1024;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function workerMemoryBench(options: WorkerMemoryOptions): Promise<void> {
  const sleeper = SLEEPERS[options.journey];
  if (!sleeper) throw new Error(`--memory-journey is one of ${Object.keys(SLEEPERS).join(', ')}`);
  const config = loadConfig();
  const cli = await findTemporalCli({
    explicitPath: config.server.cliPath,
    cacheDir: config.server.cacheDir,
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'journeys-bench-memory-'));
  const bundle = path.join(dir, 'bundle.js');
  await writeFile(bundle, (await bundleJourneys(sleeper.workflowsPath)).code);
  console.log(
    `worker memory: ${options.journeys} ${sleeper.name} runs asleep after their first step (dev server, SQLite WAL), worker in its own process`,
  );
  try {
    for (const size of options.sizes) await measure(size, sleeper, options, cli, dir, bundle);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function measure(
  size: string,
  sleeper: Sleeper,
  options: WorkerMemoryOptions,
  cli: Awaited<ReturnType<typeof findTemporalCli>>,
  dir: string,
  bundle: string,
): Promise<void> {
  const label = size === 'sdk' ? 'sdk' : size === 'default' ? `ours` : size;
  const server = await startLocalServer({ cli, dbFile: path.join(dir, `memory-${label}.sqlite`) });
  const fakes = await startProviderFakes();
  const taskQueue = `bench-memory-${label}`;
  const file = path.join(dir, `temporal-${label}.yaml`);
  const providers = sleeper.providers(fakes);
  await writeFile(
    file,
    [
      'profile: bench',
      `profiles: { bench: { type: cluster, address: "${server.address}", namespace: ${server.namespace} } }`,
      `taskQueue: ${taskQueue}`,
      providers.yaml,
      /^\d+$/.test(size) ? `worker: { maxCachedWorkflows: ${size} }` : '',
    ].join('\n'),
  );
  const child = await startChild(file, bundle, size, providers.env);
  try {
    const journeys = await createJourneyClient({
      journeys: [benchSleeper, reactivation],
      client: server.env.client,
      taskQueue,
    });
    const run: Run = { server, taskQueue, journeys, sent: fakes.outbox.messages };
    await sleep(3000);
    const idle = await child.memory(true);

    const enrolStart = Date.now();
    await sleeper.start(run, options.journeys, options.concurrency);
    await asleep(run, sleeper, options.journeys);
    const settled = Date.now() - enrolStart;
    const asleepRaw = await child.memory(false);
    const asleepGc = await child.memory(true);

    const wakeStart = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < options.journeys) await sleeper.wake(run, next++);
      }),
    );
    const emitted = Date.now() - wakeStart;
    await until(async () => (await sleeper.ended(run)) >= options.journeys, 30 * 60_000);
    const woke = Date.now() - wakeStart;
    const after = await child.memory(false);
    const cached = asleepRaw.metrics.temporal_sticky_cache_size ?? NaN;
    const perRun = (asleepGc.rss - idle.rss) / cached;
    const delta = (name: string) => (after.metrics[name] ?? 0) - (asleepRaw.metrics[name] ?? 0);
    const tasks = delta('temporal_workflow_task_execution_latency_count');
    // A task whose run is not cached replays the run's history first.
    const misses = delta('temporal_sticky_cache_miss');
    console.log(
      `  cache ${String(child.maxCachedWorkflows).padStart(5)} (${label.padEnd(4)}, ${child.workflowTasks} workflow tasks at once): ` +
        `idle RSS ${(idle.rss / MB).toFixed(0)} MB; all asleep after ${seconds(settled)}: ${cached} runs cached, ` +
        `RSS ${(asleepRaw.rss / MB).toFixed(0)} MB (${(asleepGc.rss / MB).toFixed(0)} MB after GC, heap ${(asleepGc.heapUsed / MB).toFixed(0)} of ${(asleepGc.heapTotal / MB).toFixed(0)} MB, external ${(asleepGc.external / MB).toFixed(0)} MB), ` +
        `${((perRun * 1024) / MB).toFixed(0)} KB per cached run; ` +
        `wake all: ${seconds(woke)} (emits ${seconds(emitted)}), ${tasks} workflow tasks, ${misses} not cached (replayed); RSS after ${(after.rss / MB).toFixed(0)} MB; ` +
        `Core warnings: ${child.warnings.slowTasks} tasks over 5 s, ${child.warnings.evictedWithWork} runs evicted with work in flight, ${child.warnings.untrackedLocalActivities} local activity results dropped`,
    );
  } finally {
    await child.stop();
    await fakes.close();
    await server.close();
  }
}

/** Every run has taken its first step and sent once, and the sends have stopped coming: the worker is idle. */
async function asleep(run: Run, sleeper: Sleeper, n: number): Promise<void> {
  let logged = Date.now();
  await until(async () => {
    const started = Math.min(await sleeper.started(run), run.sent.length);
    if (Date.now() - logged > 60_000) {
      logged = Date.now();
      console.log(`    … ${run.sent.length} of ${n} runs past their first step`);
    }
    return started >= n;
  }, 60 * 60_000);
  let last = -1;
  await until(
    () => {
      const now = run.sent.length;
      const still = now === last;
      last = now;
      return Promise.resolve(still);
    },
    60 * 60_000,
    5000,
  );
}

interface Child {
  /** Core's warnings so far: workflow tasks over 5 s, runs evicted with work in flight, lost local activities. */
  readonly warnings: { slowTasks: number; evictedWithWork: number; untrackedLocalActivities: number };
  readonly maxCachedWorkflows: number;
  readonly workflowTasks: number | undefined;
  memory(gc: boolean): Promise<Extract<ChildMessage, { type: 'memory' }>>;
  stop(): Promise<void>;
}

async function startChild(
  configFile: string,
  bundle: string,
  size: string,
  secrets: Record<string, string>,
): Promise<Child> {
  const ts = __filename.endsWith('.ts');
  const script = path.join(__dirname, `worker-memory-child.${ts ? 'ts' : 'js'}`);
  const child: ChildProcess = fork(script, [], {
    execArgv: [...(ts ? ['-r', 'ts-node/register/transpile-only'] : []), '--expose-gc'],
    env: {
      ...process.env,
      JOURNEYS_CONFIG: configFile,
      JOURNEYS_PROFILE: 'bench',
      ...secrets,
      BENCH_BUNDLE: bundle,
      BENCH_CACHE: size,
      BENCH_METRICS_PORT: String(await freePort()),
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // Core's warnings about evicted runs come by the thousand: counted, not printed; anything else is shown.
  const warnings = { slowTasks: 0, evictedWithWork: 0, untrackedLocalActivities: 0 };
  let pending = '';
  const count = (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.includes('Workflow task duration exceeded')) warnings.slowTasks++;
      else if (line.includes('activation was only an eviction')) warnings.evictedWithWork++;
      else if (line.includes('untracked local activity')) warnings.untrackedLocalActivities++;
      else if (line.trim()) process.stderr.write(`${line}\n`);
    }
  };
  child.stdout?.on('data', count);
  child.stderr?.on('data', count);
  const next = <T extends ChildMessage['type']>(type: T) =>
    new Promise<Extract<ChildMessage, { type: T }>>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`the worker process exited (${code}) before "${type}"`));
      child.once('exit', onExit);
      const onMessage = (message: ChildMessage) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as Extract<ChildMessage, { type: T }>);
      };
      child.on('message', onMessage);
    });
  const ready = await next('ready');
  const ask = (request: ChildRequest) => child.send(request);
  return {
    warnings,
    maxCachedWorkflows: ready.maxCachedWorkflows,
    workflowTasks: ready.workflowTasks,
    memory: (gc) => {
      const answer = next('memory');
      ask({ type: 'memory', gc });
      return answer;
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      ask({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function until(check: () => Promise<boolean>, timeoutMs: number, everyMs = 500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds(timeoutMs)}`);
    await sleep(everyMs);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The sizes measured by default: Temporal's, a few around ours, and ours. */
export const DEFAULT_MEMORY_SIZES = ['sdk', '100', '250', 'default', '1000'].filter(
  (s) => s !== String(DEFAULT_MAX_CACHED_WORKFLOWS),
);
