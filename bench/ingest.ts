/**
 * `POST /v1/events` of `journeys serve` (`createIngestServer`) against the in-process `journeys.emit` of the
 * same events, on the same dev server (SQLite, WAL), in the same process, through the same journey client
 * and Temporal connection:
 *
 * - HTTP: one `cart.abandoned` per request (with an id), `concurrency` requests in flight over as many
 *   keep-alive connections (`node:http`, the sender in this process too);
 * - emit: `journeys.emit` of the same event (with an id), `concurrency` calls in flight;
 * - batch: `{ events: [...] }` of `batch` events, as many requests in flight as keep about `concurrency`
 *   events in flight (the server applies 16 customers of a batch at once).
 *
 * Each event is a trigger: one signal-with-start, to a task queue no worker polls. Rounds alternate the
 * paths after a warm-up of each; the median round is reported, with the median round's p50 and p99.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createJourneyClient } from '../src/client';
import { loadConfig } from '../src/config';
import { createIngestServer, hashApiKey } from '../src/http';
import { findTemporalCli, startLocalServer } from '../src/server';
import { abandonedCart } from '../workflows/abandoned-cart';

/** How many customers of one batch the server applies at once (`CUSTOMERS_AT_ONCE` in src/http/routes-events.ts). */
const BATCH_CUSTOMERS_AT_ONCE = 16;
const KEY = 'jk_bench_not-a-secret-only-for-this-bench';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;

interface Round {
  /** Events per second. */
  readonly rate: number;
  /** Per-operation latency, ms. */
  readonly p50: number;
  readonly p99: number;
}

/** Runs `n` operations with `concurrency` in flight, each timed; `events` per operation (a batch's size). */
async function timed(
  n: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
  events = 1,
): Promise<Round> {
  let next = 0;
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t = process.hrtime.bigint();
        await op(i);
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return { rate: (n * events) / seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}

/** POSTs `body` as JSON with the bench key; resolves with the status and the parsed answer. */
function post(agent: http.Agent, url: URL, body: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          authorization: `Bearer ${KEY}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
            });
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function ingestBench(options: {
  readonly ops: number;
  readonly rounds: number;
  readonly concurrency: number;
  readonly batch: number;
}): Promise<void> {
  const { ops, rounds, concurrency, batch } = options;
  const config = loadConfig();
  const cli = await findTemporalCli({
    explicitPath: config.server.cliPath,
    cacheDir: config.server.cacheDir,
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'journeys-bench-ingest-'));
  const server = await startLocalServer({ cli, dbFile: path.join(dir, 'ingest.sqlite') });
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    const client = server.env.client;
    const taskQueue = 'bench-ingest-no-worker'; // signal-with-start only: no worker needed, none polls
    const journeys = await createJourneyClient({ journeys: [abandonedCart], client, taskQueue });
    const ingest = await createIngestServer({
      journeys: [abandonedCart],
      client: journeys,
      config,
      keys: [
        {
          id: 'bench',
          hash: hashApiKey(KEY),
          scopes: ['events:write'],
          rate: { perSecond: 1_000_000, burst: 1_000_000 },
        },
      ],
      port: 0,
      audit: () => undefined,
      dashboard: false,
    });
    try {
      const url = new URL('/v1/events', ingest.url);
      const event = (tag: string, round: number, i: number) => ({
        id: `${tag}-${round}-${i}-e`,
        type: 'cart.abandoned' as const,
        customer: { id: `${tag}-${round}-${i}`, email: `c${i}@example.com` },
        data: { cartId: `cart-${i}`, items: ['Tea'], url: `https://shop.example/cart/${i}` },
      });
      const accepted = (answer: { status: number; body: unknown }, events: number) => {
        const results = (answer.body as { results?: { status: string }[] }).results;
        if (
          answer.status !== 200 ||
          results?.length !== events ||
          !results.every((r) => r.status === 'accepted')
        )
          throw new Error(`POST /v1/events answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      };
      const emit = (round: number) => async (i: number) => {
        const { deliveries } = await journeys.emit(event('emit', round, i));
        if (deliveries[0]?.status !== 'delivered')
          throw new Error(`emit delivered ${JSON.stringify(deliveries)}`);
      };
      const one = (round: number) => async (i: number) =>
        accepted(await post(agent, url, JSON.stringify(event('http', round, i))), 1);
      const many = (round: number) => async (b: number) => {
        const events = Array.from({ length: batch }, (_, j) => event('batch', round, b * batch + j));
        accepted(await post(agent, url, JSON.stringify({ events })), batch);
      };
      const batchesInFlight = Math.max(1, Math.round(concurrency / BATCH_CUSTOMERS_AT_ONCE));
      const batches = Math.max(1, Math.round(ops / batch));

      const warm = Math.min(200, ops); // the JIT, both paths, the server and the connections
      await timed(warm, concurrency, emit(-1));
      await timed(warm, concurrency, one(-1));
      await timed(Math.max(1, Math.round(warm / batch)), batchesInFlight, many(-1), batch);
      const results = { emit: [] as Round[], http: [] as Round[], batch: [] as Round[] };
      for (let round = 0; round < rounds; round++) {
        results.emit.push(await timed(ops, concurrency, emit(round)));
        results.http.push(await timed(ops, concurrency, one(round)));
        results.batch.push(await timed(batches, batchesInFlight, many(round), batch));
      }
      const summary = (rs: Round[]) => ({
        rate: median(rs.map((r) => r.rate)),
        p50: median(rs.map((r) => r.p50)),
        p99: median(rs.map((r) => r.p99)),
      });
      const [e, h, b] = [summary(results.emit), summary(results.http), summary(results.batch)];
      const ms = (x: number) => `${x.toFixed(1)} ms`.padStart(9);
      const line = (label: string, s: { rate: number; p50: number; p99: number }, unit = '') =>
        `         ${label.padEnd(34)} ${s.rate.toFixed(0).padStart(6)} events/s   p50 ${ms(s.p50)}   p99 ${ms(s.p99)}${unit}`;
      console.log(
        `HTTP ingest (journeys serve) on the dev server (SQLite WAL), ${ops} events x ${rounds} rounds, ${concurrency} in flight; median round`,
      );
      console.log(line(`POST /v1/events, 1 event/request`, h));
      console.log(line('journeys.emit, in process', e));
      console.log(`         ratio HTTP ÷ emit ${(h.rate / e.rate).toFixed(2)} (events/s)`);
      console.log(
        line(`POST /v1/events, ${batch} events/request`, b, ` per request (${batchesInFlight} in flight)`),
      );
      console.log(`         ratio batch ÷ emit ${(b.rate / e.rate).toFixed(2)} (events/s)`);
    } finally {
      await ingest.close();
      await journeys.close();
    }
  } finally {
    agent.destroy();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
