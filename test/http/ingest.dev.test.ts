/**
 * `createIngestServer` (what `journeys serve` runs) on the dev server, through plain `fetch`: keys and
 * scopes, limits, problem+json, a batch checked whole before any of it applies, retries answered
 * `duplicate`, Segment calls, enrolment, state, exit, contacts, the dashboard behind a key, drain on close.
 */
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument -- the API's JSON answers are read loosely, as a caller in another language would */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import type { JourneyClient } from '../../src/client';
import { createEncryptionCodec, payloadToJson, staticKeyRing } from '../../src/codec';
import { parseConfig } from '../../src/config';
import { createLinkToken, deliveryTags } from '../../activities';
import {
  createIngestServer,
  hashApiKey,
  type AuditLine,
  type IngestServer,
  type IngestServerOptions,
} from '../../src/http';
import { newWebhookSecret, svixHeaders, twilioSignature } from '../../src/testing/webhook-signing';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { abandonedCart } from '../../workflows/abandoned-cart';
import { reactivation } from '../../workflows/reactivation';

const KEYS = {
  all: 'jk_all_0123456789abcdefghijklmnop',
  events: 'jk_events_0123456789abcdefghijklm',
  reader: 'jk_reader_0123456789abcdefghijklm',
  slow: 'jk_slow_0123456789abcdefghijklmnop',
};
const config = parseConfig(
  `
serve:
  maxBodyBytes: 4096
  maxBatch: 5
  requestTimeout: 5 seconds
  segment:
    events:
      Order Completed: order.placed
      Cart Abandoned: cart.abandoned
  keys:
    - { id: all, hash: "${hashApiKey(KEYS.all)}", scopes: [events:write, journeys:read, journeys:write, contacts:read, contacts:write, deliveries:write, dashboard:read], rate: { perSecond: 1000, burst: 1000 } }
    - { id: events, hash: "${hashApiKey(KEYS.events)}", scopes: [events:write] }
    - { id: reader, hash: "${hashApiKey(KEYS.reader)}", scopes: [journeys:read, dashboard:read] }
    - { id: slow, hash: "${hashApiKey(KEYS.slow)}", scopes: [events:write], rate: { perSecond: 1, burst: 3 } }
`,
  { path: '/tmp/temporal.yaml', env: {} },
);

let t: JourneyTestEnvironment;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [abandonedCart, reactivation],
    workflowsPath: require.resolve('../../workflows'),
    server: 'dev',
  });
});
afterAll(() => t?.close());

const uid = () => Math.random().toString(36).slice(2, 10);
const cart = (cartId: string) => ({ cartId, items: ['Tea'], url: `https://shop.example/cart/${cartId}` });

/** An ingest server for one test's run, with its audit lines. */
async function withServer<T>(
  fn: (s: { server: IngestServer; api: Api; audit: AuditLine[]; journeys: JourneyClient }) => Promise<T>,
  webhooks?: IngestServerOptions['webhooks'],
): Promise<T> {
  return t.run(async ({ journeys }) => {
    const audit: AuditLine[] = [];
    const server = await createIngestServer({
      journeys: [abandonedCart, reactivation],
      client: journeys,
      config,
      port: 0,
      audit: (line) => audit.push(line),
      onError: () => undefined,
      dashboard: { sourceDir: path.resolve(__dirname, '../../workflows') },
      webhooks,
    });
    try {
      return await fn({ server, api: api(server.url), audit, journeys });
    } finally {
      await server.close();
    }
  });
}

type Api = (
  method: string,
  path: string,
  options?: { key?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> },
) => Promise<{ status: number; headers: Headers; json: any; text: string }>;
const api =
  (base: string): Api =>
  async (method, path, options = {}) => {
    const key = options.key === undefined ? KEYS.all : options.key;
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(key !== null && { authorization: `Bearer ${key}` }),
        ...((options.body !== undefined || options.raw !== undefined) && {
          'content-type': 'application/json',
        }),
        ...options.headers,
      },
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text };
  };

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 150));
  }
}

test('keys: missing or forged → 401, a key without the scope → 403, over its rate → 429 with Retry-After; errors are problem+json', async () => {
  await withServer(async ({ api }) => {
    const event = { type: 'cart.abandoned', customer: `k-${uid()}`, data: cart('c1') };
    for (const key of [null, 'jk_all_0123456789abcdefghijklmnoq', '', KEYS.all.slice(0, -1)]) {
      const res = await api('POST', '/v1/events', { key, body: event });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.json).toMatchObject({ type: '/problems/unauthorized', status: 401 });
      expect(res.text).not.toMatch(/at \w+ \(|\.ts:\d+/); // no stack
    }
    // Basic auth with the key as password works (a pipeline's way); with a wrong one it does not.
    const basic = (user: string, pass: string) =>
      `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    expect(
      (await api('GET', '/v1/journeys', { key: null, headers: { authorization: basic('x', KEYS.reader) } }))
        .status,
    ).toBe(200);
    expect(
      (await api('GET', '/v1/journeys', { key: null, headers: { authorization: basic(KEYS.reader, '') } }))
        .status,
    ).toBe(200);
    expect(
      (await api('GET', '/v1/journeys', { key: null, headers: { authorization: basic('x', 'nope') } }))
        .status,
    ).toBe(401);

    const forbidden = await api('POST', '/v1/events', { key: KEYS.reader, body: event });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json).toMatchObject({
      type: '/problems/forbidden',
      detail: expect.stringContaining('events:write'),
    });
    expect(
      (
        await api('POST', '/v1/journeys/reactivation/enrolments', {
          key: KEYS.events,
          body: { customer: 'x' },
        })
      ).status,
    ).toBe(403);

    // burst 3 at 1/s: the fourth request at once is refused, and says when to come back.
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await api('POST', '/v1/events', { key: KEYS.slow, raw: '{' })).status);
    expect(statuses.slice(0, 3)).toEqual([400, 400, 400]);
    const limited = await api('POST', '/v1/events', { key: KEYS.slow, raw: '{' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another key is not slowed by it.
    expect((await api('POST', '/v1/events', { key: KEYS.events, raw: '{' })).status).toBe(400);
  });
});

test('limits: a body over maxBodyBytes → 413, more events than maxBatch → 413, not JSON → 400, not application/json → 415', async () => {
  await withServer(async ({ api, journeys }) => {
    const id = `big-${uid()}`;
    const big = await api('POST', '/v1/events', {
      body: { type: 'cart.abandoned', customer: id, data: { ...cart('c'), items: ['x'.repeat(5000)] } },
    });
    expect(big.status).toBe(413);
    expect(big.json.type).toBe('/problems/payload-too-large');
    const events = Array.from({ length: 6 }, (_, i) => ({
      type: 'cart.abandoned',
      customer: `${id}-${i}`,
      data: cart('c'),
    }));
    const many = await api('POST', '/v1/events', { body: { events } });
    expect(many.status).toBe(413);
    expect(many.json.issues).toEqual([{ path: 'events', message: 'at most 5 events' }]);
    const notJson = await api('POST', '/v1/events', { raw: '{"type": ' });
    expect(notJson.status).toBe(400);
    expect(notJson.headers.get('content-type')).toBe('application/problem+json');
    const form = await api('POST', '/v1/events', {
      raw: 'a=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    // Nesting deep enough to overflow a recursive check is a 400 before it is parsed; brackets in strings
    // do not count.
    const deep = await api('POST', '/v1/events', {
      raw: `{"type":"cart.abandoned","customer":"${id}","data":${'['.repeat(1000)}${']'.repeat(1000)}}`,
    });
    expect(deep.status).toBe(400);
    expect(deep.json.issues).toEqual([{ path: '', message: 'at most 64 levels of nesting' }]);
    const bracketsInText = await api('POST', '/v1/events', {
      body: {
        type: 'cart.abandoned',
        customer: `${id}-text`,
        data: { ...cart('c'), items: ['['.repeat(100)] },
      },
    });
    expect(bracketsInText.status).toBe(200);
    await api('POST', `/v1/journeys/abandoned-cart/runs/${id}-text/exit`, { body: { key: 'c' } });
    // A Segment event named like an Object member maps to nothing.
    const proto = await api('POST', '/v1/segment', {
      body: { type: 'track', event: 'constructor', userId: id, properties: {} },
    });
    expect(proto.json.results[0].status).toBe('ignored');
    await expect(
      journeys.state(abandonedCart, { customerId: `${id}-never`, key: 'c' }),
    ).rejects.toMatchObject({
      code: 'JOURNEY_NOT_FOUND',
    });
  });
});

test('a batch is checked whole first: one bad event is a 400 naming events.N and its field, and nothing of the batch is applied', async () => {
  await withServer(async ({ api, journeys, audit }) => {
    const ids = [`b-${uid()}`, `b-${uid()}`, `b-${uid()}`];
    const events = [
      { type: 'cart.abandoned', customer: ids[0], data: cart('k') },
      { type: 'cart.abandoned', customer: { id: ids[1], email: 'not-an-email' }, data: cart('k') },
      { type: 'cart.abandoned', customer: ids[2], data: { cartId: 'k' } },
      { type: 'no.such_event', customer: ids[2], data: {} },
    ];
    const res = await api('POST', '/v1/events', { body: { events } });
    expect(res.status).toBe(400);
    const paths = (res.json.issues as { path: string }[]).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['events.1.customer.email', 'events.2.data.items', 'events.3.type']),
    );
    expect(paths.some((p) => p.startsWith('events.0'))).toBe(false);
    for (const id of ids)
      await expect(journeys.state(abandonedCart, { customerId: id, key: 'k' })).rejects.toMatchObject({
        code: 'JOURNEY_NOT_FOUND',
      });
    expect(audit.at(-1)).toMatchObject({
      key: 'all',
      route: '/v1/events',
      status: 400,
      result: 'invalid-request',
    });
  });
});

test('events are idempotent by id: a retry (even concurrent) answers duplicate; the same id with other content is a conflict', async () => {
  await withServer(async ({ api, journeys, audit }) => {
    const customer = `d-${uid()}`;
    const event = {
      id: `evt-${uid()}`,
      type: 'cart.abandoned',
      customer: { id: customer, email: `${customer}@example.com` },
      data: cart('k'),
    };
    const [a, b] = await Promise.all([
      api('POST', '/v1/events', { body: event }),
      api('POST', '/v1/events', { body: event }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const statuses = [a.json.results[0].status, b.json.results[0].status].sort();
    expect(statuses).toEqual(['accepted', 'duplicate']);
    expect(a.json.results[0].deliveries).toEqual([
      {
        journey: 'abandoned-cart',
        workflowId: journeys.workflowId(abandonedCart, { customerId: customer, key: 'k' }),
        status: 'delivered',
      },
    ]);
    const again = await api('POST', '/v1/events', { body: { events: [event] } });
    expect(again.json.results[0]).toMatchObject({ id: event.id, status: 'duplicate' });
    const changed = await api('POST', '/v1/events', { body: { ...event, data: cart('other') } });
    expect(changed.json.results[0]).toMatchObject({ id: event.id, status: 'conflict', deliveries: [] });
    // One run, one trigger: the journey saw the event once.
    const state = await journeys.state(abandonedCart, { customerId: customer, key: 'k' });
    expect(state.rejectedEvents).toBe(0);
    expect(audit.filter((l) => l.route === '/v1/events').map((l) => l.customer)).toEqual([
      customer,
      customer,
      customer,
      customer,
    ]);
  });
});

test('retries without event ids: an Idempotency-Key header names the events; a Segment call without messageId is named by its content', async () => {
  await withServer(async ({ api }) => {
    const customer = `ik-${uid()}`;
    const body = { events: [{ type: 'cart.abandoned', customer, data: cart('k') }] };
    const headers = { 'idempotency-key': `req-${uid()}` };
    const first = await api('POST', '/v1/events', { body, headers });
    const again = await api('POST', '/v1/events', { body, headers });
    expect(first.json.results[0]).toMatchObject({
      id: `${headers['idempotency-key']}:0`,
      status: 'accepted',
    });
    expect(again.json.results[0]).toMatchObject({ id: first.json.results[0].id, status: 'duplicate' });
    // Without either, each request is new events (the README says: send ids).
    const fresh = await api('POST', '/v1/events', { body });
    expect(fresh.json.results[0].id).not.toBe(first.json.results[0].id);
    // The header as the OpenAPI document describes it, or a 400 (an event id is at most 200 characters).
    for (const bad of ['x'.repeat(151), 'two words'])
      expect(
        (await api('POST', '/v1/events', { body, headers: { 'idempotency-key': bad } })).json.issues,
      ).toEqual([{ path: 'Idempotency-Key', message: expect.any(String) }]);
    const call = { type: 'track', event: 'Cart Abandoned', userId: `ik-${uid()}`, properties: cart('k') };
    const s1 = await api('POST', '/v1/segment', { body: call });
    const s2 = await api('POST', '/v1/segment', { body: call });
    expect([s1.json.results[0].status, s2.json.results[0].status]).toEqual(['accepted', 'duplicate']);
  });
});

test('a chunked body over the limit is cut off with 413; CORS is off unless origins are configured; answers carry nosniff', async () => {
  await withServer(async ({ server }) => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/v1/events`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${KEYS.all}`,
          'content-type': 'application/json',
          'transfer-encoding': 'chunked',
        },
      });
      req.on('response', (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
      });
      req.on('error', reject);
      req.write('{"events": [');
      for (let i = 0; i < 20; i++) req.write(`"${'x'.repeat(500)}",`);
      req.end('"x"]}');
    });
    expect(status).toBe(413);
    const preflight = await fetch(`${server.url}/v1/events`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const health = await fetch(`${server.url}/healthz`);
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

test('a goal over HTTP converts the journey its trigger started over HTTP; state and the journeys list are readable with journeys:read', async () => {
  await withServer(async ({ api }) => {
    const customer = `g-${uid()}`;
    const res = await api('POST', '/v1/events', {
      body: {
        events: [
          {
            type: 'cart.abandoned',
            customer: { id: customer, email: `${customer}@example.com` },
            data: cart('k'),
          },
          { type: 'order.placed', customer, data: { orderId: 'o1', cartId: 'k', total: 12 } },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted']);
    const state = await until(
      () =>
        api('GET', `/v1/journeys/abandoned-cart/runs/${encodeURIComponent(customer)}?key=k`, {
          key: KEYS.reader,
        }),
      (r) => r.json?.outcome === 'converted',
    );
    expect(state.status).toBe(200);
    expect(state.json).toMatchObject({
      journey: 'abandoned-cart',
      customerId: customer,
      outcome: 'converted',
    });
    const list = await api('GET', '/v1/journeys', { key: KEYS.reader });
    expect(list.json.journeys.map((j: { name: string }) => j.name).sort()).toEqual([
      'abandoned-cart',
      'reactivation',
    ]);
    expect(
      (await api('GET', `/v1/journeys/abandoned-cart/runs/${customer}`, { key: KEYS.reader })).status,
    ).toBe(400); // keyed: no key
    expect(
      (await api('GET', `/v1/journeys/abandoned-cart/runs/nobody-${uid()}?key=k`, { key: KEYS.reader }))
        .status,
    ).toBe(404);
    expect((await api('GET', `/v1/journeys/nope/runs/${customer}`, { key: KEYS.reader })).status).toBe(404);
  });
});

test('enrol (twice: one run), read the state, exit; a reactive journey cannot be enrolled; odd customer ids travel in the path', async () => {
  await withServer(async ({ api }) => {
    const customer = `e/${uid()} ü?#%`;
    const run = `/v1/journeys/reactivation/runs/${encodeURIComponent(customer)}`;
    const first = await api('POST', '/v1/journeys/reactivation/enrolments', {
      body: { customer: { id: customer, email: 'e@example.com' } },
    });
    const second = await api('POST', '/v1/journeys/reactivation/enrolments', {
      body: { customer: { id: customer, email: 'e@example.com' } },
    });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ status: 'enrolled' });
    expect(second.json.runId).toBe(first.json.runId);
    expect(
      (
        await until(
          () => api('GET', run),
          (r) => r.status === 200,
        )
      ).json.customerId,
    ).toBe(customer);
    const exit = await api('POST', `${run}/exit`, { body: { reason: 'support asked' } });
    expect(exit.json).toMatchObject({ journey: 'reactivation', status: 'delivered' });
    expect(
      (
        await until(
          () => api('GET', run),
          (r) => r.json?.outcome === 'exited',
        )
      ).json.outcome,
    ).toBe('exited');
    const reactive = await api('POST', '/v1/journeys/abandoned-cart/enrolments', { body: { customer: 'x' } });
    expect(reactive.status).toBe(400);
    expect(reactive.json.detail).toMatch(/reactive/);
    const extra = await api('POST', '/v1/journeys/reactivation/enrolments', {
      body: { customer: 'x', cutomer: 1 },
    });
    expect(extra.json.issues).toEqual([expect.objectContaining({ path: 'cutomer' })]);
    const badId = await api('POST', '/v1/journeys/reactivation/enrolments', {
      body: { customer: ' padded ' },
    });
    expect(badId.status).toBe(400);
    expect(badId.json.issues[0].path).toBe('customer.id');
  });
});

test('contacts: read, change the time zone, unsubscribe and resubscribe; bad input is a 400 naming the field', async () => {
  await withServer(async ({ api }) => {
    const customer = `c-${uid()}`;
    const contact = `/v1/contacts/${customer}`;
    expect((await api('GET', contact)).json).toMatchObject({ customerId: customer, channels: {} });
    expect((await api('PATCH', contact, { body: { timeZone: 'Europe/Paris' } })).json.timeZone).toBe(
      'Europe/Paris',
    );
    const bad = await api('PATCH', contact, { body: { timeZone: 'Mars/Olympus' } });
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toMatch(/timeZone/);
    expect(
      (await api('POST', `${contact}/unsubscribe`, { body: { channel: 'email' } })).json.channels,
    ).toEqual({
      email: 'unsubscribed',
    });
    expect(
      (await api('POST', `${contact}/resubscribe`, { body: { channel: 'email' } })).json.channels,
    ).toEqual({
      email: 'subscribed',
    });
    expect(
      (await api('POST', `${contact}/unsubscribe`, { body: { channel: 'email', topic: 'news' } })).status,
    ).toBe(400);
    expect((await api('GET', contact, { key: KEYS.events })).status).toBe(403);
  });
});

test('consent and delivery events need their own scopes: an events:write key cannot resubscribe a customer or fake a bounce', async () => {
  await withServer(async ({ api, journeys }) => {
    const customer = `sc-${uid()}`;
    await api('POST', `/v1/contacts/${customer}/unsubscribe`, { body: { channel: 'email' } });
    const confirm = { type: 'subscription.confirmed', customer, data: { channel: 'email' } };
    const refused = await api('POST', '/v1/events', { key: KEYS.events, body: confirm });
    expect(refused.status).toBe(403);
    expect(refused.json.issues).toEqual([{ path: 'type', message: expect.stringMatching(/contacts:write/) }]);
    // In a batch: the whole batch is refused, its allowed events included.
    const mixed = await api('POST', '/v1/events', {
      key: KEYS.events,
      body: {
        events: [
          { type: 'cart.abandoned', customer, data: cart('k') },
          { type: 'email.bounced', customer, data: { messageId: 'm-1' } },
          { type: 'sms.stop', customer, data: {} },
        ],
      },
    });
    expect(mixed.status).toBe(403);
    expect(mixed.json.issues.map((i: { path: string }) => i.path)).toEqual([
      'events.1.type',
      'events.2.type',
    ]);
    expect(mixed.json.issues[0].message).toMatch(/deliveries:write/);
    // Through Segment (a catalog name is taken as is): that call is invalid, the others apply.
    const segment = await api('POST', '/v1/segment', {
      key: KEYS.events,
      body: {
        type: 'track',
        event: 'subscription.confirmed',
        userId: customer,
        properties: { channel: 'email' },
      },
    });
    expect(segment.json.results[0]).toMatchObject({
      status: 'invalid',
      issues: [{ path: 'event', message: expect.stringMatching(/contacts:write/) }],
    });
    expect((await journeys.contacts.get(customer)).channels).toEqual({ email: 'unsubscribed' });
    await expect(journeys.state(abandonedCart, { customerId: customer, key: 'k' })).rejects.toThrow();
    // A key with the scopes may.
    expect((await api('POST', '/v1/events', { body: confirm })).status).toBe(200);
    expect((await journeys.contacts.get(customer)).channels).toEqual({ email: 'subscribed' });
    expect(
      (
        await api('POST', '/v1/events', {
          body: { type: 'email.bounced', customer, data: { messageId: 'm-1' } },
        })
      ).status,
    ).toBe(200);
  });
});

test('a Segment batch of track and identify calls: mapped events reach the journeys, identify sets the time zone, the rest is ignored or invalid', async () => {
  await withServer(async ({ api, journeys }) => {
    const [a, b] = [`s-${uid()}`, `s-${uid()}`];
    const now = new Date().toISOString();
    const batch = [
      {
        type: 'identify',
        userId: a,
        messageId: `m-${uid()}`,
        traits: { email: `${a}@example.com`, timezone: 'America/New_York' },
        timestamp: now,
      },
      {
        type: 'track',
        event: 'Cart Abandoned',
        userId: a,
        messageId: `m-${uid()}`,
        properties: cart('k'),
        context: { traits: { email: `${a}@example.com` } },
        timestamp: now,
      },
      {
        type: 'track',
        event: 'Order Completed',
        userId: a,
        messageId: `m-${uid()}`,
        properties: { orderId: 'o', cartId: 'k', total: 3 },
        timestamp: now,
      },
      { type: 'track', event: 'Product Viewed', userId: b, messageId: `m-${uid()}`, properties: {} },
      { type: 'page', userId: b, messageId: `m-${uid()}` },
      {
        type: 'track',
        event: 'Cart Abandoned',
        anonymousId: 'anon',
        messageId: `m-${uid()}`,
        properties: cart('k'),
      },
      {
        type: 'track',
        event: 'Cart Abandoned',
        userId: b,
        messageId: `m-${uid()}`,
        properties: { cartId: 'k' },
      },
    ];
    const res = await api('POST', '/v1/segment', { key: KEYS.events, body: { batch: batch.slice(0, 5) } });
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { status: string }) => r.status)).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'ignored',
      'ignored',
    ]);
    const rest = await api('POST', '/v1/segment', { key: KEYS.events, body: { batch: batch.slice(5) } });
    expect(rest.json.results.map((r: { status: string }) => r.status)).toEqual(['ignored', 'invalid']);
    expect(rest.json.results[1].issues[0].path).toBe('batch.1.data.items');
    expect((await journeys.contacts.get(a)).timeZone).toBe('America/New_York');
    const state = await until(
      () => journeys.state(abandonedCart, { customerId: a, key: 'k' }),
      (s) => s.outcome === 'converted',
    );
    expect(state.outcome).toBe('converted');
    // A single track call (how a webhook destination sends them), retried: duplicate.
    const single = batch[1]!;
    expect(
      (await api('POST', '/v1/segment', { key: KEYS.events, body: single })).json.results[0].status,
    ).toBe('duplicate');
  });
});

test('OpenAPI, the reference page, health and readiness answer without a key; the dashboard asks for one (Basic) and opens with dashboard:read', async () => {
  await withServer(async ({ api, server }) => {
    const doc = await api('GET', '/openapi.json', { key: null });
    expect(doc.json.openapi).toBe('3.1.0');
    expect(Object.keys(doc.json.components.schemas)).toEqual(
      expect.arrayContaining(['CartAbandonedEvent', 'OrderPlacedEvent', 'EmailClickedEvent', 'Problem']),
    );
    expect(doc.json.components.schemas.CartAbandonedEvent.properties.data.required).toEqual(
      expect.arrayContaining(['cartId', 'items', 'url']),
    );
    expect(doc.json).toEqual(server.openapi);
    const page = await api('GET', '/docs', { key: null });
    expect(page.text).toContain('/v1/events');
    expect(page.text).not.toMatch(/<script|(?:src|href)="https?:/i); // nothing fetched: works offline
    expect((await api('GET', '/healthz', { key: null })).json).toEqual({ status: 'alive' });
    expect((await api('GET', '/readyz', { key: null })).json).toEqual({ status: 'ready' });
    const dashboard = await api('GET', '/dashboard/', { key: null });
    expect(dashboard.status).toBe(401);
    expect(dashboard.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const opened = await api('GET', '/dashboard/', { key: KEYS.reader });
    expect(opened.status).toBe(200);
    expect(opened.text).toContain('app.js');
    const data = await api('GET', '/dashboard/api/journeys', { key: KEYS.reader });
    expect(data.json.map((j: { name: string }) => j.name).sort()).toEqual(['abandoned-cart', 'reactivation']);
    expect((await api('GET', '/dashboard/', { key: KEYS.events })).status).toBe(403);
    expect((await api('GET', '/v2/nothing', { key: null })).json.type).toBe('/problems/not-found');
  });
});

test('one server for everything inbound: signed provider webhooks and links, no API key; forged ones change nothing', async () => {
  const resendSecret = newWebhookSecret();
  const authToken = 'twilio-auth-token-for-the-test';
  const linkSecret = 'a-link-secret-of-at-least-32-characters';
  const phones = new Map<string, string>();
  await withServer(
    async ({ server, journeys }) => {
      const a = `wh-${uid()}`;
      const bounce = JSON.stringify({
        type: 'email.bounced',
        data: {
          email_id: `em-${uid()}`,
          tags: deliveryTags({ journey: 'abandoned-cart', customerId: a, key: 'k', step: 'reminder-email' }),
          bounce: { message: 'mailbox does not exist' },
        },
      });
      const forged = await fetch(`${server.url}/webhooks/resend`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...svixHeaders(newWebhookSecret(), bounce) },
        body: bounce,
      });
      expect(forged.status).toBe(401);
      expect((await journeys.contacts.get(a)).suppressed.email).toBeUndefined();
      const signed = await fetch(`${server.url}/webhooks/resend`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...svixHeaders(resendSecret, bounce) },
        body: bounce,
      });
      expect(signed.status).toBe(200);
      expect((await journeys.contacts.get(a)).suppressed.email?.reason).toBe('bounced');

      const b = `wh-${uid()}`;
      phones.set('+14155550123', b);
      const params = { From: '+14155550123', Body: 'STOP', MessageSid: `SM${uid()}` };
      const url = `${server.url}/webhooks/twilio/inbound`;
      const stop = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilioSignature(authToken, url, params),
        },
        body: new URLSearchParams(params).toString(),
      });
      expect(stop.status).toBe(200);
      expect((await journeys.contacts.get(b)).suppressed.sms?.reason).toBe('stopped');

      const c = `wh-${uid()}`;
      const token = createLinkToken(linkSecret, { action: 'unsubscribe', customerId: c, channel: 'email' });
      expect((await fetch(`${server.url}/unsubscribe?token=${token}`)).status).toBe(200); // asks only
      expect((await journeys.contacts.get(c)).channels.email).toBeUndefined();
      expect((await fetch(`${server.url}/unsubscribe?token=${token}x`, { method: 'POST' })).status).toBe(400);
      expect((await fetch(`${server.url}/unsubscribe?token=${token}`, { method: 'POST' })).status).toBe(200);
      expect((await journeys.contacts.get(c)).channels.email).toBe('unsubscribed');
    },
    {
      resend: { webhookSecret: resendSecret },
      twilio: { authToken },
      links: { secret: linkSecret },
      customerByPhone: (phone) => phones.get(phone),
    },
  );
});

test('close() drains: a request in flight when the server closes is answered, and a new one is refused', async () => {
  await withServer(async ({ server }) => {
    const customers = Array.from({ length: 5 }, () => `dr-${uid()}`);
    const inFlight = fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.all}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        events: customers.map((c) => ({ type: 'cart.abandoned', customer: c, data: cart('k') })),
      }),
    });
    // Once the server has it (its first signal sent), close.
    await until(
      () => Promise.resolve(server.inFlight),
      (n) => n > 0,
      5_000,
    );
    const closed = server.close();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { results: unknown[] }).results).toHaveLength(5);
    await closed;
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});

test('close() under a barrage: every answer the server wrote reaches its caller whole; none is cut off', async () => {
  await withServer(async ({ server, audit }) => {
    const customers = Array.from({ length: 40 }, () => `bar-${uid()}`);
    const requests = customers.map((customer) =>
      fetch(`${server.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEYS.all}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'cart.abandoned', customer, data: cart('k') }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { results: unknown[] } })),
    );
    await until(
      () => Promise.resolve(server.inFlight),
      (n) => n > 0,
      5_000,
    );
    const closed = server.close();
    const outcomes = await Promise.allSettled(requests);
    await closed;
    // A connection still in the kernel's queue when the server stops listening is reset unread (a caller
    // retries it; nothing was applied). But each request the server answered must have reached its caller.
    const answered = new Set(audit.map((line) => line.customer));
    const lost = customers.filter((c, i) => answered.has(c) && outcomes[i]!.status === 'rejected');
    expect(lost).toEqual([]);
    for (const o of outcomes)
      if (o.status === 'fulfilled') expect(o.value).toMatchObject({ status: 200, body: { results: [{}] } });
    expect(answered.size).toBeGreaterThan(0);
  });
});

test('with a codec, journeys serve answers the remote codec protocol under /codec (its own token, bodies past maxBodyBytes)', async () => {
  const codecToken = 'codec-token-0123456789abcdef0123';
  const codec = createEncryptionCodec(staticKeyRing({ current: 'k', keys: { k: Buffer.alloc(32, 7) } }));
  await t.run(async ({ journeys }) => {
    const server = await createIngestServer({
      journeys: [abandonedCart, reactivation],
      client: journeys,
      config,
      port: 0,
      audit: () => undefined,
      dashboard: false,
      codec: { codec, token: codecToken, origins: [] },
    });
    try {
      const big = { payloads: [payloadToJson(defaultPayloadConverter.toPayload('x'.repeat(10_000)))] };
      const call = (op: string, body: unknown, auth?: string) =>
        fetch(`${server.url}/codec/${op}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(auth && { authorization: auth }) },
          body: JSON.stringify(body),
        });
      expect((await call('encode', big)).status).toBe(401);
      expect((await call('encode', big, `Bearer ${KEYS.all}`)).status).toBe(401); // an API key is not the codec's token
      expect((await call(`${codecToken}/encode`, big)).status).toBe(401); // on serve, never in the path (proxy logs)
      const encoded = (await (await call('encode', big, `Bearer ${codecToken}`)).json()) as typeof big;
      expect(Buffer.from(encoded.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe(
        'binary/encrypted',
      );
      const decoded = (await (await call('decode', encoded, `Bearer ${codecToken}`)).json()) as typeof big;
      expect(decoded).toEqual(big);
      expect((await call('decode', { payloads: 'nope' }, `Bearer ${codecToken}`)).status).toBe(400);
    } finally {
      await server.close();
    }
  });
});

test('keys are kept as hashes and compared whole', () => {
  expect(hashApiKey('k')).toBe(`sha256:${createHash('sha256').update('k').digest('hex')}`);
});
