/**
 * What payload encryption (`encryptingDataConverter`, AES-256-GCM) costs, in two parts:
 *
 * 1. The codec alone, in process: `codec.encode([payload])` and `codec.decode([payload])` one payload at a
 *    time (as the SDK calls it for one argument), µs per payload, against the bare
 *    `defaultPayloadConverter.toPayload` / `fromPayload` of the same value (the JSON work every payload
 *    pays with or without the codec). Two payloads: the JSON of an abandoned-cart event envelope
 *    (about 300 bytes) and one with a large cart (about 4 KB). Also the bytes the codec adds to a payload.
 * 2. `enroll` and `emit` on the dev server (SQLite, WAL) through a journey client over a Client with the
 *    encrypting data converter ("on") against the same journey client over a plain Client ("off"), both on
 *    the same connection, in the same process, to a task queue no worker polls, as `bench/run.ts` measures
 *    them against the raw SDK. The bench then reads one history of each side and fails unless "on" wrote
 *    `binary/encrypted` payloads and "off" plain JSON.
 *
 * Rounds alternate the two sides after a warm-up of each; the median round is reported.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { createJourneyClient } from '../src/client';
import {
  createEncryptionCodec,
  ENCRYPTED_ENCODING,
  encryptingDataConverter,
  staticKeyRing,
} from '../src/codec';
import { loadConfig } from '../src/config';
import { defineJourney, journeyWorkflowId } from '../src/journey';
import { findTemporalCli, startLocalServer } from '../src/server';
import { abandonedCart } from '../workflows/abandoned-cart';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const PayloadMessage = temporal.api.common.v1.Payload;
/** A payload's size on the wire: the protobuf `Payload` message, metadata included. */
const wireBytes = (p: Payload) => PayloadMessage.encode(p).finish().length;
const textDecoder = new TextDecoder();

/** The `journeys.event` envelope `emit` sends for an abandoned cart of `items` items. */
function cartEnvelope(items: string[]) {
  return {
    id: 'evt_01JBENCHCODEC0000000000000',
    type: 'cart.abandoned',
    customerId: 'cus_4f7a2c9e-1b3d-4e8f-9a6c-0d2e5b7f1a34',
    data: {
      cartId: 'cart_9c1e5a7b-3d2f-4b6e-8a0c-1f4d7e2b9c65',
      items,
      url: 'https://shop.example/cart/9c1e5a7b',
      total: 58.4,
    },
    at: '2026-12-02T09:41:27.512Z',
  };
}

const SMALL = cartEnvelope(['Darjeeling 100 g', 'Teapot 0.8 l']);
const LARGE = cartEnvelope(
  Array.from(
    { length: 64 },
    (_, i) => `Item ${String(i).padStart(2, '0')}: Darjeeling First Flush, 100 g tin (sku TEA-${1000 + i})`,
  ),
);

/** Microseconds per call of `op` over `n` calls, one at a time (a promise awaited before the next call). */
async function perCall(n: number, op: () => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const result = op();
    if (result instanceof Promise) await result;
  }
  return Number(process.hrtime.bigint() - started) / 1e3 / n;
}

async function codecCost(iterations: number, rounds: number): Promise<void> {
  const codec = createEncryptionCodec(
    staticKeyRing({ current: 'bench-1', keys: { 'bench-1': randomBytes(32) } }),
  );
  console.log(
    `payload codec (AES-256-GCM), one payload a call, ${iterations} calls x ${rounds} rounds; median round, µs per payload`,
  );
  for (const [label, value] of [
    ['cart envelope', SMALL],
    ['large cart', LARGE],
  ] as const) {
    const plain = defaultPayloadConverter.toPayload(value);
    const [sealed] = (await codec.encode([plain])) as [Payload];
    const [opened] = (await codec.decode([sealed])) as [Payload];
    if (JSON.stringify(defaultPayloadConverter.fromPayload(opened)) !== JSON.stringify(value))
      throw new Error('the codec did not give the payload back');
    const sides = {
      toPayload: () => defaultPayloadConverter.toPayload(value),
      encode: () => codec.encode([plain]),
      fromPayload: () => defaultPayloadConverter.fromPayload(plain),
      decode: () => codec.decode([sealed]),
    };
    const us = {
      toPayload: [] as number[],
      encode: [] as number[],
      fromPayload: [] as number[],
      decode: [] as number[],
    };
    for (const op of Object.values(sides)) await perCall(iterations, op); // the JIT, the key cache
    for (let round = 0; round < rounds; round++)
      for (const [name, op] of Object.entries(sides))
        us[name as keyof typeof us].push(await perCall(iterations, op));
    const m = {
      toPayload: median(us.toPayload),
      encode: median(us.encode),
      fromPayload: median(us.fromPayload),
      decode: median(us.decode),
    };
    const data = (plain.data ?? new Uint8Array()).length;
    const f = (x: number) => `${x.toFixed(2)} µs`.padStart(9);
    console.log(
      `         ${label.padEnd(14)} ${String(data).padStart(5)} B JSON   toPayload ${f(m.toPayload)}   encode ${f(m.encode)} (${(m.encode / m.toPayload).toFixed(1)} x toPayload)   fromPayload ${f(m.fromPayload)}   decode ${f(m.decode)} (${(m.decode / m.fromPayload).toFixed(1)} x fromPayload)`,
    );
    console.log(
      `         ${''.padEnd(14)} payload ${wireBytes(plain)} -> ${wireBytes(sealed)} bytes on the wire (+${wireBytes(sealed) - wireBytes(plain)}; data ${data} -> ${(sealed.data ?? new Uint8Array()).length})`,
    );
  }
}

/** Runs `n` operations with `concurrency` in flight; returns operations per second. */
async function throughput(
  n: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await op(next++);
    }),
  );
  return n / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function serverCost(ops: number, concurrency: number, rounds: number): Promise<void> {
  const config = loadConfig();
  const cli = await findTemporalCli({
    explicitPath: config.server.cliPath,
    cacheDir: config.server.cacheDir,
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'journeys-bench-codec-'));
  const server = await startLocalServer({ cli, dbFile: path.join(dir, 'codec.sqlite') });
  try {
    const { connection } = server.env;
    const keys = staticKeyRing({ current: 'bench-1', keys: { 'bench-1': randomBytes(32) } });
    const plainClient = new Client({ connection, namespace: server.namespace });
    const sealedClient = new Client({
      connection,
      namespace: server.namespace,
      dataConverter: encryptingDataConverter(keys),
    });
    const taskQueue = 'bench-codec-no-worker'; // starts and signals only: no worker needed, none polls
    const proactive = defineJourney('bench-proactive', {});
    const off = await createJourneyClient({
      journeys: [proactive, abandonedCart],
      client: plainClient,
      taskQueue,
    });
    const on = await createJourneyClient({
      journeys: [proactive, abandonedCart],
      client: sealedClient,
      taskQueue,
    });
    try {
      const customer = (tag: string, round: number, i: number) => ({
        id: `${tag}-${round}-${i}`,
        email: `c${i}@example.com`,
      });
      const data = (i: number) => ({
        cartId: `cart-${i}`,
        items: ['Tea'],
        url: `https://shop.example/cart/${i}`,
      });
      const enroll = (journeys: typeof on, tag: string) => (round: number, i: number) =>
        journeys.enroll(proactive, { customer: customer(tag, round, i) });
      const emit = (journeys: typeof on, tag: string) => async (round: number, i: number) => {
        const { deliveries } = await journeys.emit({
          type: 'cart.abandoned',
          customer: customer(tag, round, i),
          data: data(i),
        });
        if (deliveries[0]?.status !== 'delivered')
          throw new Error(`emit delivered ${JSON.stringify(deliveries)}`);
      };

      const compare = async (
        label: string,
        plain: (round: number, i: number) => Promise<unknown>,
        sealed: (round: number, i: number) => Promise<unknown>,
      ) => {
        await throughput(Math.min(200, ops), concurrency, (i) => plain(-1, i)); // both paths and the server
        await throughput(Math.min(200, ops), concurrency, (i) => sealed(-1, i));
        const offRates: number[] = [];
        const onRates: number[] = [];
        for (let round = 0; round < rounds; round++) {
          offRates.push(await throughput(ops, concurrency, (i) => plain(round, i)));
          onRates.push(await throughput(ops, concurrency, (i) => sealed(round, i)));
        }
        const [a, b] = [median(onRates), median(offRates)];
        const fmt = (x: number) => x.toFixed(0).padStart(6);
        console.log(
          `${label.padEnd(8)} codec on ${fmt(a)} ops/s   codec off ${fmt(b)} ops/s   ratio on ÷ off ${(a / b).toFixed(2)}   (rounds on ${onRates.map((r) => r.toFixed(0)).join(', ')}; off ${offRates.map((r) => r.toFixed(0)).join(', ')})`,
        );
      };

      console.log(
        `dev server (SQLite WAL), ${ops} operations x ${rounds} rounds, ${concurrency} in flight, one connection; median round`,
      );
      await compare('enroll', enroll(off, 'off'), enroll(on, 'on'));
      await compare('emit', emit(off, 'offemit'), emit(on, 'onemit'));

      // What each side wrote: the start's input and the event signal, as the server holds them.
      const encodings = async (workflowId: string) => {
        const history = await plainClient.workflow.getHandle(workflowId).fetchHistory();
        return (history.events ?? []).flatMap((e) =>
          [
            ...(e.workflowExecutionStartedEventAttributes?.input?.payloads ?? []),
            ...(e.workflowExecutionSignaledEventAttributes?.input?.payloads ?? []),
          ].map((p) => textDecoder.decode(p.metadata?.encoding ?? new Uint8Array())),
        );
      };
      const expect = (what: string, found: string[], encoding: string, count: number) => {
        if (found.length !== count || !found.every((e) => e === encoding))
          throw new Error(`${what}: expected ${count} payloads ${encoding}, found ${JSON.stringify(found)}`);
      };
      const enrolled = (id: string) => encodings(journeyWorkflowId('bench-proactive', id));
      const emitted = (id: string) => encodings(journeyWorkflowId('abandoned-cart', id, 'cart-0'));
      expect('enroll, codec on', await enrolled('on-0-0'), ENCRYPTED_ENCODING, 1);
      expect('enroll, codec off', await enrolled('off-0-0'), 'json/plain', 1);
      expect('emit, codec on', await emitted('onemit-0-0'), ENCRYPTED_ENCODING, 2);
      expect('emit, codec off', await emitted('offemit-0-0'), 'json/plain', 2);
      console.log(`         checked: codec on wrote ${ENCRYPTED_ENCODING} payloads, codec off json/plain`);
    } finally {
      await on.close();
      await off.close();
    }
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function codecBench(options: {
  readonly ops: number;
  readonly concurrency: number;
  readonly rounds: number;
  readonly iterations: number;
}): Promise<void> {
  await codecCost(options.iterations, options.rounds);
  await serverCost(options.ops, options.concurrency, options.rounds);
}
