/**
 * Benchmarks against the raw Temporal SDK doing the same work, on the same server, in the same process:
 *   1. enroll ÷ raw workflow.start, and emit ÷ raw signalWithStart (dev server on SQLite with WAL);
 *   2. wall time of the abandoned-cart journey on the time-skipping server, worker already up.
 * Rounds alternate raw and ours so drift in the server (SQLite growing, JIT warming) hits both alike.
 *
 *   npm run bench [-- --ops 1000 --concurrency 32 --rounds 3 --many 20000 --only client,journey,send,gate,longest,inbox,many,ingest,codec]
 *   npm run bench -- --only funnel [--funnel-runs 20000 --funnel-rounds 5]
 *   npm run bench -- --only memory [--memory-journeys 5000 --memory-sizes sdk,100,250,default,1000 --memory-journey sleeper]
 *   npm run bench -- --only gate-stream [--stream-callers 10 --stream-updates 500 --stream-asks 500 --stream-journeys 5]
 *   npm run bench -- --only gate-kills [--kill-journeys 100 --kills 6]
 *   npm run bench -- --only cluster [--ops 1000 --rounds 3 --cluster-many 2000 --cluster-parts client,many,send]
 *   npm run bench -- --only ingest [--ops 1000 --rounds 3 --ingest-concurrency 64 --ingest-batch 50]
 *   npm run bench -- --only codec [--ops 1000 --concurrency 32 --rounds 3 --codec-iterations 20000]
 *
 * `funnel` seeds its runs for minutes first, `gate-stream` streams at one contact and `gate-kills` kills
 * workers for a minute or more, so they run only when named in `--only`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createJourneyClient } from '../src/client';
import { loadConfig } from '../src/config';
import { EVENT_SIGNAL } from '../src/events';
import {
  defineJourney,
  journeySearchAttributes as attrs,
  journeyWorkflowId,
  type JourneyInput,
  type JourneyState,
} from '../src/journey';
import { findTemporalCli, findTestServer, registerSearchAttributes, startLocalServer } from '../src/server';
import { startProviderFakes } from '../src/testing';
import { bundleJourneys } from '../src/worker';
import { Resend } from 'resend';
import { createResendEmail, OPEN_POLICY } from '../activities';
import { abandonedCart } from '../workflows/abandoned-cart';
import { codecBench } from './codec';
import { enrollManyBench } from './enroll-many';
import { funnelBench } from './funnel';
import { gateKillsBench } from './gate-kills';
import { inboxBench } from './inbox';
import { ingestBench } from './ingest';
import { gateSendBench } from './gate-send';
import { clusterServer, devServer, onServer, type BenchServer } from './servers';
import { gateStreamBench } from './gate-stream';
import { longestJourneyBench } from './longest-journey';
import { DEFAULT_MEMORY_SIZES, workerMemoryBench } from './worker-memory';

const { values } = parseArgs({
  options: {
    ops: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
    journeys: { type: 'string', default: '5' },
    many: { type: 'string', default: '20000' },
    'funnel-runs': { type: 'string', default: '20000' },
    'funnel-rounds': { type: 'string', default: '5' },
    'stream-callers': { type: 'string', default: '10' },
    'stream-updates': { type: 'string', default: '500' },
    'stream-asks': { type: 'string', default: '500' },
    'stream-journeys': { type: 'string', default: '5' },
    'kill-journeys': { type: 'string', default: '100' },
    kills: { type: 'string', default: '6' },
    'memory-journeys': { type: 'string', default: '5000' },
    'memory-sizes': { type: 'string', default: DEFAULT_MEMORY_SIZES.join(',') },
    'memory-journey': { type: 'string', default: 'sleeper' },
    'ingest-concurrency': { type: 'string', default: '64' },
    'ingest-batch': { type: 'string', default: '50' },
    'codec-iterations': { type: 'string', default: '20000' },
    'cluster-many': { type: 'string', default: '2000' },
    'cluster-parts': { type: 'string', default: 'client,many,send' },
    only: { type: 'string' },
  },
});
const OPS = Number(values.ops);
const CONCURRENCY = Number(values.concurrency);
const ROUNDS = Number(values.rounds);
const JOURNEY_RUNS = Number(values.journeys);

/** Runs `n` operations with bounded concurrency; returns operations per second. */
async function throughput(n: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) await op(next++);
    }),
  );
  return n / (Number(process.hrtime.bigint() - started) / 1e9);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (x: number) => x.toFixed(0).padStart(6);

async function compare(
  label: string,
  baseline: string,
  raw: (round: number, i: number) => Promise<unknown>,
  ours: (round: number, i: number) => Promise<unknown>,
) {
  await throughput(Math.min(200, OPS), (i) => raw(-1, i)); // warm both paths and the server
  await throughput(Math.min(200, OPS), (i) => ours(-1, i));
  const rawRates: number[] = [];
  const ourRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    rawRates.push(await throughput(OPS, (i) => raw(round, i)));
    ourRates.push(await throughput(OPS, (i) => ours(round, i)));
  }
  const ratio = median(ourRates) / median(rawRates);
  console.log(
    `${label.padEnd(8)} ${fmt(median(ourRates))} ops/s   ${baseline.padEnd(24)} ${fmt(median(rawRates))} ops/s   ratio ${ratio.toFixed(2)}`,
  );
  return ratio;
}

/** `enroll` and `emit` against the raw SDK; on `given` (the cluster) or a dev server of its own. */
function devServerBench(given?: BenchServer): Promise<{ enroll: number; emit: number }> {
  return onServer(given, 'bench', (server) => clientBench(server));
}

async function clientBench(server: BenchServer): Promise<{ enroll: number; emit: number }> {
  const client = server.client;
  const taskQueue = 'bench-no-worker'; // starts and signals only: no worker needed, none polls
  const proactive = defineJourney('bench-proactive', {});
  const journeys = await createJourneyClient({ journeys: [proactive, abandonedCart], client, taskQueue });
  const customer = (tag: string, round: number, i: number) => ({
    id: `${tag}-${round}-${i}`,
    email: `c${i}@example.com`,
  });
  const startArgs = (c: { id: string }): [JourneyInput] => [{ customer: c, data: undefined, timeScale: 1 }];
  const searchAttributes = (journey: string, id: string) => [
    { key: attrs.journeyName, value: journey },
    { key: attrs.customerId, value: id },
  ];

  console.log(
    `${server.label}, ${OPS} operations x ${ROUNDS} rounds, ${CONCURRENCY} in flight; median round`,
  );
  const enroll = await compare(
    'enroll',
    'raw workflow.start',
    (round, i) => {
      const c = customer('raw', round, i);
      return client.workflow.start('benchProactive', {
        workflowId: journeyWorkflowId('bench-proactive', c.id),
        taskQueue,
        args: startArgs(c),
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        workflowIdConflictPolicy: 'USE_EXISTING',
        typedSearchAttributes: searchAttributes('bench-proactive', c.id),
      });
    },
    (round, i) => journeys.enroll(proactive, { customer: customer('ours', round, i) }),
  );
  const data = (i: number) => ({
    cartId: `cart-${i}`,
    items: ['Tea'],
    url: `https://shop.example/cart/${i}`,
  });
  const emit = await compare(
    'emit',
    'raw signalWithStart',
    (round, i) => {
      const c = customer('rawsws', round, i);
      return client.workflow.signalWithStart('abandonedCart', {
        workflowId: journeyWorkflowId('abandoned-cart', c.id, `cart-${i}`),
        taskQueue,
        args: startArgs(c),
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        typedSearchAttributes: searchAttributes('abandoned-cart', c.id),
        signal: EVENT_SIGNAL,
        signalArgs: [
          {
            id: `${c.id}-e`,
            type: 'cart.abandoned',
            customerId: c.id,
            data: data(i),
            at: new Date().toISOString(),
          },
        ],
      });
    },
    (round, i) =>
      journeys.emit({ type: 'cart.abandoned', customer: customer('oursemit', round, i), data: data(i) }),
  );
  return { enroll, emit };
}

/**
 * `enroll`, `emit`, `enrollMany` and the gated send on a Temporal cluster (PostgreSQL, four services, SQL
 * visibility) and on the dev server, in this one run, each against the raw SDK on the same server: the
 * ratios side by side.
 */
async function clusterBench(many: number, parts: readonly string[]): Promise<void> {
  const dev = await devServer('cluster-beside');
  const cluster = await clusterServer();
  const ratios: Record<string, Record<string, number>> = {};
  try {
    for (const server of [cluster, dev]) {
      const these: Record<string, number> = {};
      if (parts.includes('client')) {
        const client = await devServerBench(server);
        these['enroll ÷ workflow.start'] = client.enroll;
        these['emit ÷ signalWithStart'] = client.emit;
      }
      if (parts.includes('many'))
        these['enrollMany ÷ workflow.start'] = await enrollManyBench(many, CONCURRENCY, ROUNDS, {
          server,
          sweep: false,
        });
      if (parts.includes('send')) {
        const send = await gateSendBench(Math.min(OPS, 50), server);
        these['gated send ÷ raw send (time, lower is better)'] = send.gated / send.ungated;
      }
      ratios[server.label] = these;
    }
  } finally {
    await cluster.close();
    await dev.close();
  }
  const labels = Object.keys(ratios);
  console.log(`\nratios, ${labels.join(' | ')}`);
  for (const what of Object.keys(ratios[labels[0]!]!))
    console.log(
      `  ${what.padEnd(46)} ${labels.map((l) => ratios[l]![what]!.toFixed(2).padStart(6)).join('   ')}`,
    );
}

async function timeSkippingBench(): Promise<void> {
  const config = loadConfig();
  const testServer = await findTestServer({
    explicitPath: config.server.testServerPath,
    cacheDir: config.server.cacheDir,
  });
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: {
      executable: testServer.path
        ? { type: 'existing-path', path: testServer.path }
        : { type: 'cached-download' },
    },
  });
  const fakes = await startProviderFakes();
  try {
    await registerSearchAttributes(env.connection, 'default');
    const taskQueue = 'bench-journey';
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await bundleJourneys(path.resolve(__dirname, '..', 'workflows')),
      activities: fakes.activities(),
    });
    const journeys = await createJourneyClient({
      journeys: [abandonedCart],
      client: env.client,
      taskQueue,
      // An event's `at` is the server's simulated time: after four 8-day runs it is a month ahead of the
      // clock, and an event stamped with the clock would be too old for the run (past events.maxAge).
      now: () => env.currentTimeMs(),
    });
    await worker.runUntil(async () => {
      const walls: number[] = [];
      let span = 0;
      for (let run = -1; run < JOURNEY_RUNS; run++) {
        const c = { id: `ts-${run}`, email: `ts${run}@example.com`, phone: '+14155550199' };
        const started = process.hrtime.bigint();
        const { deliveries } = await journeys.emit({
          type: 'cart.abandoned',
          customer: c,
          data: { cartId: 'k', items: ['Tea'], url: 'https://shop.example/cart/k' },
        });
        const handle = env.client.workflow.getHandle(deliveries[0]!.workflowId);
        const result = (await handle.result()) as JourneyState;
        const wall = Number(process.hrtime.bigint() - started) / 1e6;
        if (result.steps.length !== 2)
          throw new Error(`unexpected journey path: ${JSON.stringify(result.steps)}`);
        if (run < 0) continue; // the first run warms the worker's workflow cache and the JIT
        walls.push(wall);
        const d = await handle.describe();
        span = (d.closeTime!.getTime() - d.startTime.getTime()) / 86_400_000;
      }
      console.log(
        `abandoned cart, no purchase (email, 1-day wait, SMS, 7-day re-entry hold: ${span.toFixed(1)} days of journey time)`,
      );
      console.log(
        `         time-skipping server, worker up: median ${(median(walls) / 1000).toFixed(2)} s wall, min ${(Math.min(...walls) / 1000).toFixed(2)} s, ${walls.length} runs`,
      );
    });
  } finally {
    await fakes.close();
    await env.teardown();
  }
}

/** Our email activity (real Resend client, template, tags, idempotency key) ÷ a bare fetch, per message. */
async function sendOverheadBench(): Promise<void> {
  const fakes = await startProviderFakes();
  try {
    const email = createResendEmail({
      client: new Resend(fakes.resendApiKey, { baseUrl: fakes.resend.url }),
      from: 'Shop <shop@example.com>',
    });
    const body = (i: number) =>
      JSON.stringify({
        from: 'Shop <shop@example.com>',
        to: `bare${i}@example.com`,
        subject: 'You left Tea in your cart',
        html: '<p>Tea</p>',
        text: 'Tea',
      });
    const bare = async (round: number, i: number) => {
      const response = await fetch(`${fakes.resend.url}/emails`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${fakes.resendApiKey}`,
          'content-type': 'application/json',
          'idempotency-key': `bare-${round}-${i}`,
        },
        body: body(i),
      });
      await response.json();
    };
    const ours = (round: number, i: number) =>
      email({
        journey: 'abandoned-cart',
        customerId: `c${i}`,
        key: `cart-${i}`,
        step: 'reminder-email',
        idempotencyKey: `ours-${round}-${i}`,
        to: `ours${i}@example.com`,
        template: 'cart-reminder',
        data: { items: ['Tea'], url: 'https://shop.example/cart/1' },
      });
    const perMessage = async (fn: (round: number, i: number) => Promise<unknown>, round: number) => {
      const started = process.hrtime.bigint();
      for (let i = 0; i < OPS; i++) await fn(round, i);
      return Number(process.hrtime.bigint() - started) / 1e3 / OPS;
    };
    await perMessage(bare, -1);
    await perMessage(ours, -1);
    const bareUs: number[] = [];
    const oursUs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      bareUs.push(await perMessage(bare, round));
      oursUs.push(await perMessage(ours, round));
    }
    console.log(`email send, one at a time against the local Resend fake (${OPS} x ${ROUNDS} rounds)`);
    console.log(
      `         our activity ${median(oursUs).toFixed(0)} µs/message   bare fetch ${median(bareUs).toFixed(0)} µs/message   ratio ${(median(oursUs) / median(bareUs)).toFixed(2)}`,
    );
  } finally {
    await fakes.close();
  }
}

/**
 * What the contact gate adds to a send on the dev server, as functions: `askContact` (an update of the
 * customer's contact workflow, run by a real worker; update-with-start the first time) then the email
 * activity, against the email activity alone, one message at a time, customers spread over 20 contacts.
 * `gateSendBench` then measures the same inside journeys, where the activity round trips count too.
 */
async function gateBench(): Promise<void> {
  const config = loadConfig();
  const cli = await findTemporalCli({
    explicitPath: config.server.cliPath,
    cacheDir: config.server.cacheDir,
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'journeys-bench-gate-'));
  const server = await startLocalServer({ cli, dbFile: path.join(dir, 'gate.sqlite') });
  const fakes = await startProviderFakes();
  try {
    const taskQueue = 'bench-gate';
    const activities = fakes.activities({
      gate: { client: server.env.client, taskQueue, policy: OPEN_POLICY },
    });
    const worker = await Worker.create({
      connection: server.env.nativeConnection,
      taskQueue,
      workflowBundle: await bundleJourneys(path.resolve(__dirname, '..', 'workflows')),
      activities,
    });
    await worker.runUntil(async () => {
      const email = (round: number, i: number) =>
        activities.sendEmail!({
          journey: 'abandoned-cart',
          customerId: `g${i % 20}`,
          step: 'reminder-email',
          idempotencyKey: `gate-${round}-${i}-${Math.random()}`,
          to: `g${i % 20}@example.com`,
          template: 'cart-reminder',
          data: { items: ['Tea'] },
        } as never);
      const gated = async (round: number, i: number) => {
        await activities.askContact({
          customerId: `g${i % 20}`,
          channel: 'email',
          category: 'marketing',
          journey: 'abandoned-cart',
          step: 'reminder-email',
        });
        await email(round, i);
      };
      const n = Math.min(OPS, 300);
      const perMessage = async (fn: (round: number, i: number) => Promise<unknown>, round: number) => {
        const started = process.hrtime.bigint();
        for (let i = 0; i < n; i++) await fn(round, i);
        return Number(process.hrtime.bigint() - started) / 1e3 / n;
      };
      await perMessage(gated, -1); // starts the 20 contacts and warms both paths
      const plain: number[] = [];
      const withGate: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        plain.push(await perMessage(email, round));
        withGate.push(await perMessage(gated, round));
      }
      console.log(`send gate on the dev server, one message at a time (${n} x ${ROUNDS} rounds)`);
      console.log(
        `         gated send ${median(withGate).toFixed(0)} µs/message   ungated ${median(plain).toFixed(0)} µs/message   ratio ${(median(withGate) / median(plain)).toFixed(2)}`,
      );
    });
  } finally {
    await fakes.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  console.log(`temporal-journeys bench  node ${process.version}  ${os.cpus().length} cpus`);
  const benches: Record<string, () => Promise<void>> = {
    client: async () => {
      await devServerBench();
    },
    journey: timeSkippingBench,
    send: sendOverheadBench,
    gate: async () => {
      await gateBench();
      await gateSendBench(Math.min(OPS, 100));
    },
    longest: () => longestJourneyBench(JOURNEY_RUNS),
    inbox: () => inboxBench(OPS, CONCURRENCY, ROUNDS),
    ingest: () =>
      ingestBench({
        ops: OPS,
        rounds: ROUNDS,
        concurrency: Number(values['ingest-concurrency']),
        batch: Number(values['ingest-batch']),
      }),
    codec: () =>
      codecBench({
        ops: OPS,
        concurrency: CONCURRENCY,
        rounds: ROUNDS,
        iterations: Number(values['codec-iterations']),
      }),
    many: async () => {
      await enrollManyBench(Number(values.many), CONCURRENCY, ROUNDS);
    },
    cluster: () => clusterBench(Number(values['cluster-many']), values['cluster-parts'].split(',')),
    funnel: () => funnelBench(Number(values['funnel-runs']), Number(values['funnel-rounds'])),
    memory: () =>
      workerMemoryBench({
        journeys: Number(values['memory-journeys']),
        sizes: values['memory-sizes'].split(','),
        concurrency: CONCURRENCY,
        journey: values['memory-journey'],
      }),
    'gate-stream': () =>
      gateStreamBench({
        callers: Number(values['stream-callers']),
        updates: Number(values['stream-updates']),
        asks: Number(values['stream-asks']),
        journeys: Number(values['stream-journeys']),
      }),
    'gate-kills': () => gateKillsBench(Number(values['kill-journeys']), Number(values.kills)),
  };
  const onlyWhenAsked = ['funnel', 'gate-stream', 'gate-kills', 'memory', 'cluster']; // minutes each: not part of the default run
  for (const [name, bench] of Object.entries(benches))
    if (values.only ? values.only.split(',').includes(name) : !onlyWhenAsked.includes(name)) await bench();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
