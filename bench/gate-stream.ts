/**
 * The contact gate under a stream, on the dev server (SQLite file, WAL): one customer, `callers` callers
 * sharing `updates` `contacts.update` calls and `asks` gate asks (the `askContact` activity function), while
 * `journeys` journeys of that customer each send three gated emails and a reader polls `contacts.get`.
 * Prints p50/p99 of each kind, the errors and query time-outs, what the server refused (inside the SDK's
 * retries), and the contact's runs in bytes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  InterceptingCall,
  ListenerBuilder,
  RequesterBuilder,
  status as grpcStatus,
  type Interceptor,
} from '@grpc/grpc-js';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { createJourneyClient, type JourneyClient } from '../src/client';
import { loadConfig } from '../src/config';
import { contactWorkflowId, type SendPolicy } from '../src/contact';
import type { JourneyState } from '../src/journey';
import { findTemporalCli, startLocalServer } from '../src/server';
import { startProviderFakes } from '../src/testing';
import { bundleJourneys } from '../src/worker';
import { runSizes } from './gate-history';
import { gateStream } from './gate-journeys';

/** Every ask is allowed and counted: the ledger grows as far as any cap lets it (the worst case for size). */
const STREAM_POLICY: SendPolicy = {
  caps: [{ channel: 'any', max: 5_000, per: '1 day' }],
  quietHours: {},
  overCap: 'defer',
  defaultTimeZone: 'UTC',
};

export interface GateStreamOptions {
  readonly callers: number;
  readonly updates: number;
  readonly asks: number;
  readonly journeys: number;
}

const pct = (xs: number[], p: number) =>
  xs.length === 0
    ? NaN
    : ([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] as number);
const ms = (x: number) => `${x.toFixed(0)} ms`;
const line = (label: string, xs: number[]) =>
  `         ${label.padEnd(16)} n=${String(xs.length).padStart(4)}  p50 ${ms(pct(xs, 0.5)).padStart(8)}  p99 ${ms(pct(xs, 0.99)).padStart(8)}  max ${ms(Math.max(...xs)).padStart(8)}`;

export async function gateStreamBench(options: GateStreamOptions): Promise<void> {
  const config = loadConfig();
  const cli = await findTemporalCli({
    explicitPath: config.server.cliPath,
    cacheDir: config.server.cacheDir,
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'journeys-bench-stream-'));
  const server = await startLocalServer({ cli, dbFile: path.join(dir, 'stream.sqlite') });
  const fakes = await startProviderFakes();
  // The bench's client counts every attempt the server refused (inside the SDK's retries), by reason.
  const refused: Record<string, number> = {};
  const observing: Interceptor = (options, next) =>
    new InterceptingCall(
      next(options),
      new RequesterBuilder()
        .withStart((metadata, _listener, start) =>
          start(
            metadata,
            new ListenerBuilder()
              .withOnReceiveStatus((status, receive) => {
                if (status.code !== grpcStatus.OK) {
                  const method = options.method_definition.path.split('/').pop();
                  const reason = `${method}: ${status.code} ${status.details.slice(0, 70)}`;
                  refused[reason] = (refused[reason] ?? 0) + 1;
                }
                receive(status);
              })
              .build(),
          ),
        )
        .build(),
    );
  const connection = await Connection.connect({
    address: server.address,
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions()), observing],
  });
  try {
    const client = new Client({ connection, namespace: server.namespace });
    const taskQueue = 'bench-gate-stream';
    const activities = fakes.activities({ gate: { client, taskQueue, policy: STREAM_POLICY } });
    const worker = await Worker.create({
      connection: server.env.nativeConnection,
      taskQueue,
      workflowBundle: await bundleJourneys(path.resolve(__dirname, 'gate-journeys')),
      activities,
    });
    const journeys = await createJourneyClient({ journeys: [gateStream], client, taskQueue });
    await worker.runUntil(async () => {
      await streamRound(client, journeys, activities, options);
      console.log(`         attempts the server refused: ${JSON.stringify(refused)}`);
    });
  } finally {
    await fakes.close();
    await connection.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

type Journeys = JourneyClient;
type Activities = ReturnType<Awaited<ReturnType<typeof startProviderFakes>>['activities']>;

async function streamRound(
  client: Client,
  journeys: Journeys,
  activities: Activities,
  options: GateStreamOptions,
) {
  const customerId = `stream-${Date.now()}`;
  const email = `${customerId}@example.com`;
  await journeys.contacts.update(customerId, { timeZone: 'Europe/Paris' }); // the contact exists
  const took = { update: [] as number[], ask: [] as number[], get: [] as number[] };
  const errors: Record<string, number> = {};
  let queryTimeouts = 0;
  const timed = async (kind: keyof typeof took, op: () => Promise<unknown>) => {
    const started = performance.now();
    try {
      await op();
      took[kind].push(performance.now() - started);
    } catch (err) {
      const cause = (err as Error).cause as Error | undefined;
      const message = `${(err as Error).message}${cause ? `: ${cause.message}` : ''}`;
      const name = `${kind}: ${(err as Error).name}: ${message.slice(0, 100)}`;
      errors[name] = (errors[name] ?? 0) + 1;
      if (kind === 'get' && /timed? ?out|deadline/i.test(message)) queryTimeouts += 1;
    }
  };
  const work: (() => Promise<unknown>)[] = [];
  for (let i = 0; i < Math.max(options.updates, options.asks); i++) {
    if (i < options.updates)
      work.push(() =>
        timed('update', () =>
          journeys.contacts.update(customerId, {
            topics: { [`topic-${i % 5}`]: i % 2 ? 'subscribed' : 'unsubscribed' },
          }),
        ),
      );
    if (i < options.asks)
      work.push(() =>
        timed('ask', () =>
          activities.askContact({
            customerId,
            channel: 'push',
            category: 'marketing',
            journey: 'stream',
            step: `ask-${i}`,
            requestId: `stream/${customerId}/ask-${i}`,
          } as never),
        ),
      );
  }
  const started = performance.now();
  let done = false;
  const enrolled = await Promise.all(
    Array.from({ length: options.journeys }, (_, k) =>
      journeys.enroll(gateStream, {
        customer: { id: customerId, email },
        key: `k${k}`,
        data: { emails: 3, gap: '1 second' },
      }),
    ),
  );
  const reader = (async () => {
    while (!done) {
      await timed('get', () => journeys.contacts.get(customerId));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  let next = 0;
  await Promise.all(
    Array.from({ length: options.callers }, async () => {
      while (next < work.length) await work[next++]!();
    }),
  );
  const streamSeconds = (performance.now() - started) / 1000;
  const results = await Promise.all(
    enrolled.map((r) => client.workflow.getHandle(r.workflowId).result() as Promise<JourneyState>),
  );
  done = true;
  await reader;
  const sent = results.reduce((n, s) => n + s.sends.filter((x) => x.status === 'sent').length, 0);
  const contact = await journeys.contacts.get(customerId);
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
  // A run past 4 MB cannot be fetched by a default client at all (gRPC's limit): say so, as a user would see.
  const runs = await runSizes(client, contactWorkflowId(customerId)).catch((err: Error) => err);
  console.log(
    `gate under a stream: one customer, ${options.callers} callers, ${options.updates} updates + ${options.asks} asks in ${streamSeconds.toFixed(1)} s, ${options.journeys} journeys x 3 emails (${sent} sent)`,
  );
  console.log(line('contacts.update', took.update));
  console.log(line('gate ask', took.ask));
  console.log(line('contacts.get', took.get));
  console.log(`         query time-outs ${queryTimeouts}; errors ${JSON.stringify(errors)}`);
  console.log(
    runs instanceof Error
      ? `         contact: history unreadable (${runs.message})`
      : `         contact: ${runs.length} runs (${runs.map((r) => `${r.events} events ${kib(r.bytes)}`).join(', ')}), largest ${kib(Math.max(...runs.map((r) => r.bytes)))}, snapshot carried ${kib(runs.at(-1)?.inputBytes ?? 0)}; ledger ${contact.ledger.length}, decisions ${contact.decisions.length}`,
  );
}
