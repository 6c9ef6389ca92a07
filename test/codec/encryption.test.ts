/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument -- histories are read as the JSON a reader without the codec gets */
/**
 * Payload encryption on Temporal's time-skipping server, with the library journeys and the demo's customers:
 * the raw histories (read by a client without the codec) hold none of their data, every payload but the
 * search attributes is encrypted, and the same histories decode and replay with the keys. Keys rotate
 * without breaking a run under way; a history needing a key the ring lacks fails naming it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import {
  createEncryptionCodec,
  encryptingDataConverter,
  staticKeyRing,
  type KeyProvider,
} from '../../src/codec';
import { failureConverter } from '../../src/codec/failure-converter';
import { isJourneyError } from '../../src/errors';
import {
  createJourneyTestEnvironment,
  replayHistories,
  type JourneyTestEnvironment,
} from '../../src/testing/all';
import { bundleJourneys, createJourneyWorker } from '../../src/worker';
import { abandonedCart } from '../../workflows/abandoned-cart';
import { welcome } from '../../workflows/welcome';
import { demoCustomers } from '../../examples/backend-service';

const keys = { A: randomBytes(32), B: randomBytes(32) };
// A ring whose current key the test turns: what an operator does by changing encryption.currentKey.
let current: 'A' | 'B' = 'A';
const rotating: KeyProvider = { currentKeyId: () => current, key: (id) => keys[id as 'A' | 'B'] };
const dataConverter = encryptingDataConverter(rotating);
const workflowsPath = require.resolve('../../workflows');

let t: JourneyTestEnvironment;
let raw: Client;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [abandonedCart, welcome],
    workflowsPath,
    dataConverter,
  });
  // What anyone with access to the cluster (or its database, or its backups) reads: no codec.
  raw = new Client({ connection: t.env.connection, namespace: t.env.namespace });
});
afterAll(() => t?.close());

const uid = () => Math.random().toString(36).slice(2, 8);
const FIRST_NAMES = { ada: 'Ada', grace: 'Grace', linus: 'Linus', edsger: 'Edsger' } as const;
const ITEMS = ['Sencha green tea', 'Kyusu teapot'];
const b64 = (text: string) => Buffer.from(text).toString('base64');

/**
 * Every payload object of a history's JSON, with where it is: `sa` for a search attribute's, `marker` for
 * the SDK's own bookkeeping of a marker (a patch's id, a local activity's sequence number and times, which
 * Temporal's core writes itself, never user data), else a payload the data converter wrote.
 */
function payloadsOf(
  json: unknown,
  where = '',
  out: { sa: boolean; marker: boolean; where: string; p: any }[] = [],
) {
  if (Array.isArray(json)) for (const v of json) payloadsOf(v, where, out);
  else if (json && typeof json === 'object') {
    const o = json as Record<string, unknown>;
    if (o.metadata && typeof o.metadata === 'object' && 'data' in o)
      out.push({
        sa: where.includes('/searchAttributes'),
        marker: /markerRecordedEventAttributes\/details\/(patch-data|patch_data|data)\/payloads$/.test(where),
        where,
        p: o,
      });
    else for (const [k, v] of Object.entries(o)) payloadsOf(v, `${where}/${k}`, out);
  }
  return out;
}

async function rawHistory(workflowId: string): Promise<string> {
  return historyToJSON(await raw.workflow.getHandle(workflowId).fetchHistory());
}

/** The start event's input, decoded with the codec: what the worker and the Web UI (through the codec server) read. */
async function decodedInput(json: string, codec = createEncryptionCodec(rotating)): Promise<unknown[]> {
  const started = JSON.parse(json).events[0].workflowExecutionStartedEventAttributes;
  const payloads = (started.input.payloads as { metadata: Record<string, string>; data: string }[]).map(
    (p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
      data: Buffer.from(p.data, 'base64'),
    }),
  );
  return (await codec.decode(payloads)).map((p) => defaultPayloadConverter.fromPayload(p));
}

async function exported(ids: readonly string[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'encrypted-histories-'));
  for (const [i, id] of ids.entries()) await writeFile(path.join(dir, `h${i}.json`), await rawHistory(id));
  return dir;
}

test('the raw histories of the demo customers hold no email, phone, name or template data; every payload but the search attributes is encrypted; with the codec they decode and replay', async () => {
  await t.run(async ({ journeys }) => {
    const ids: string[] = [];
    const secrets: string[] = [];
    for (const [name, c] of Object.entries(demoCustomers)) {
      const firstName = FIRST_NAMES[name as keyof typeof FIRST_NAMES];
      const customer = { ...c, id: `${c.id}-${uid()}` };
      const cartId = `cart-${uid()}`;
      const url = `https://shop.example/cart/${cartId}`;
      secrets.push(c.email, c.phone, firstName, 'https://shop.example/cart/', ...ITEMS);
      const cart = await journeys.emit({
        type: 'cart.abandoned',
        customer,
        data: { cartId, items: ITEMS, url },
      });
      const signup = await journeys.emit({
        type: 'customer.signed_up',
        customer,
        data: { firstName, source: 'ads' },
      });
      ids.push(...[...cart.deliveries, ...signup.deliveries].map((d) => d.workflowId));
    }
    // Past the reminder email and SMS (no click), and the welcome's confirmation and its reminder.
    await t.env.sleep('6 days');
    expect(t.outbox.emails(demoCustomers.ada.email).length).toBeGreaterThanOrEqual(3);
    expect(t.outbox.sms(demoCustomers.ada.phone).length).toBeGreaterThanOrEqual(1);
    const runs = [...new Set(ids)];
    expect(runs.length).toBeGreaterThanOrEqual(8);
    for (const id of runs) {
      const json = await rawHistory(id);
      const found = secrets.filter((secret) => json.includes(secret) || json.includes(b64(secret)));
      expect({ id, found }).toEqual({ id, found: [] });
      const payloads = payloadsOf(JSON.parse(json));
      const plain = payloads.filter(
        (x) => !x.sa && !x.marker && x.p.metadata.encoding !== b64('binary/encrypted'),
      );
      expect({ id, plain: plain.map((x) => x.where) }).toEqual({ id, plain: [] });
      // Search attributes are never encrypted by Temporal: they hold journey names, steps, ids, outcomes.
      const attributes = payloads.filter((x) => x.sa);
      expect(attributes.length).toBeGreaterThan(0);
      for (const { p } of attributes) {
        const value = Buffer.from(p.data ?? '', 'base64').toString('utf8');
        expect(secrets.filter((secret) => value.includes(secret))).toEqual([]);
      }
    }
    // The same bytes, decoded with the keys: the customer's data is there.
    const first = await decodedInput(await rawHistory(runs[0]!));
    expect(JSON.stringify(first)).toContain(demoCustomers.ada.email);
    // And they replay against the journeys, read with the keys (as `journeys replay` does).
    const outcomes = await replayHistories(await exported(runs), { workflowsPath, dataConverter });
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(outcomes).toHaveLength(runs.length);
  });
});

test('keys rotate: a run started under key A finishes under key B; its history replays with both keys, and without A fails naming "A"', async () => {
  current = 'A';
  await t.run(async ({ journeys }) => {
    const customer = { id: `rot-${uid()}`, email: `rot-${uid()}@example.com`, phone: '+14155550199' };
    const cartId = `cart-${uid()}`;
    const { deliveries } = await journeys.emit({
      type: 'cart.abandoned',
      customer,
      data: { cartId, items: ITEMS, url: `https://shop.example/cart/${cartId}` },
    });
    const workflowId = deliveries[0]!.workflowId;
    await t.env.sleep('5 minutes');
    current = 'B'; // the operator makes B current; A stays listed
    await t.env.sleep('2 days');
    await journeys.emit({
      type: 'order.placed',
      customer: customer.id,
      data: { orderId: `o-${uid()}`, cartId, total: 12 },
    });
    const state = await journeys.state(abandonedCart, { customerId: customer.id, key: cartId });
    expect(state.outcome).toBe('completed');
    expect(t.outbox.emails(customer.email)).toHaveLength(1);
    const json = await rawHistory(workflowId);
    const used = new Set(
      payloadsOf(JSON.parse(json))
        .filter((x) => !x.sa && !x.marker)
        .map((x) => Buffer.from(x.p.metadata['encryption-key-id'], 'base64').toString()),
    );
    expect([...used].sort()).toEqual(['A', 'B']);
    const dir = await exported([workflowId]);
    const both = await replayHistories(dir, { workflowsPath, dataConverter });
    expect(both.map((o) => o.ok)).toEqual([true]);
    const onlyB = await replayHistories(dir, {
      workflowsPath,
      dataConverter: encryptingDataConverter(staticKeyRing({ current: 'B', keys: { B: keys.B } })),
    });
    expect(onlyB[0]?.ok).toBe(false);
    expect(onlyB[0]?.message).toMatch(/key "A", which the key ring does not have/);
  });
  current = 'A';
});

test('a missing key, a changed key and an altered payload are errors that say which', async () => {
  const codec = createEncryptionCodec(staticKeyRing({ current: 'A', keys: { A: keys.A } }));
  const [sealed] = await codec.encode([defaultPayloadConverter.toPayload({ email: 'x@example.com' })]);
  const other = createEncryptionCodec(staticKeyRing({ current: 'B', keys: { B: keys.B } }));
  const missing = await other.decode([sealed!]).catch((e: unknown) => e);
  expect(isJourneyError(missing, 'KEY_MISSING')).toBe(true);
  expect((missing as Error).message).toMatch(/key "A"/);
  const changed = createEncryptionCodec(staticKeyRing({ current: 'A', keys: { A: keys.B } }));
  expect(isJourneyError(await changed.decode([sealed!]).catch((e: unknown) => e), 'PAYLOAD_UNREADABLE')).toBe(
    true,
  );
  const altered = { ...sealed!, data: Buffer.from(sealed!.data!).fill(7, 20, 21) };
  expect(isJourneyError(await codec.decode([altered]).catch((e: unknown) => e), 'PAYLOAD_UNREADABLE')).toBe(
    true,
  );
  // Same plaintext, different ciphertext: a fresh IV per payload.
  const [again] = await codec.encode([defaultPayloadConverter.toPayload({ email: 'x@example.com' })]);
  expect(Buffer.from(again!.data!).equals(Buffer.from(sealed!.data!))).toBe(false);
  // Payloads written before encryption was turned on still read.
  const plain = defaultPayloadConverter.toPayload('before');
  expect(await codec.decode([plain])).toEqual([plain]);
  expect(() => staticKeyRing({ current: 'C', keys: { A: keys.A } })).toThrow(/current encryption key "C"/);
  expect(() => staticKeyRing({ current: 'A', keys: { A: randomBytes(16) } })).toThrow(/32/);
});

test("an encrypting worker's failures carry their message and stack encoded, so the codec encrypts them", () => {
  const failure = failureConverter.errorToFailure(
    new Error('Resend refused ada@example.com'),
    defaultPayloadConverter,
  );
  expect(failure.message).not.toContain('ada@example.com');
  expect(failure.stackTrace ?? '').not.toContain('ada@example.com');
  expect(failure.encodedAttributes).toBeDefined();
  expect(failureConverter.failureToError(failure, defaultPayloadConverter).message).toBe(
    'Resend refused ada@example.com',
  );
});

test('an encrypting worker refuses a prebuilt bundle that does not encode failures', async () => {
  const plain = await bundleJourneys(workflowsPath);
  await expect(
    createJourneyWorker({
      connection: t.env.nativeConnection,
      taskQueue: `refused-${uid()}`,
      activities: {},
      workflowBundle: plain,
      dataConverter,
    }),
  ).rejects.toThrow(/does not encode failures/);
  const encoded = await bundleJourneys(workflowsPath, {
    failureConverterPath: dataConverter.failureConverterPath,
  });
  expect(encoded.code).toContain('__temporalJourneysEncodedFailures');
});
