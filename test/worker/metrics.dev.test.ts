/**
 * The package's metrics where an on-call engineer scrapes them (dev server):
 * - a worker process with `metrics: { prometheus }` in temporal.yaml exports `journeys_sends` and
 *   `journeys_gate_decisions` on the same endpoint as the Temporal SDK's own metrics: three customers, two
 *   emails each under a cap of one, so three sent and three suppressed by the cap;
 * - `journeys serve` answers `GET /metrics` (scope `metrics:read`) with `journeys_ingest_requests` by route
 *   pattern and status and `journeys_events` by type and result, counting a duplicate and a bad request.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createJourneyClient } from '../../src/client';
import { loadConfig, parseConfig } from '../../src/config';
import { createApiKey, createIngestServer } from '../../src/http';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { bundleJourneys } from '../../src/worker';
import { gateStream } from '../../bench/gate-journeys';
import { startWorker } from '../../bench/gate-kills';
import { abandonedCart } from '../../workflows/abandoned-cart';

const workerScript = path.resolve(__dirname, '..', '..', 'dist', 'bench', 'gate-worker.js');

let t: JourneyTestEnvironment;
let dir: string;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [gateStream],
    workflowsPath: require.resolve('../../bench/gate-journeys'),
    server: 'dev',
  });
  dir = await mkdtemp(path.join(os.tmpdir(), 'journeys-metrics-'));
});
afterAll(async () => {
  await t?.close();
  await rm(dir, { recursive: true, force: true });
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** `name{labels} value` lines of a scrape, as `{ labels, value }` for one metric. */
function series(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .map((l) => {
      const match = /^[^{ ]+(?:\{(.*)\})? (\S+)$/.exec(l)!;
      const labels = Object.fromEntries(
        [...(match[1] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]),
      );
      return { labels, value: Number(match[2]) };
    });
}

const sum = (rows: { labels: Record<string, string>; value: number }[], where: Record<string, string>) =>
  rows
    .filter((r) => Object.entries(where).every(([k, v]) => r.labels[k] === v))
    .reduce((n, r) => n + r.value, 0);

test('a worker exports journeys_sends and journeys_gate_decisions next to the SDK metrics', async () => {
  expect(existsSync(workerScript)).toBe(true); // built by `npm run build`
  const metricsPort = await freePort();
  const [host, port] = t.env.address.split(':');
  const taskQueue = `metrics-${Date.now().toString(36)}`;
  const config = path.join(dir, 'temporal.yaml');
  await writeFile(
    config,
    [
      'profiles:',
      `  local: { type: local, ip: "${host === 'localhost' ? '127.0.0.1' : host}", port: ${port} }`,
      `taskQueue: ${taskQueue}`,
      'providers:',
      `  resend: { from: "Shop <shop@example.com>", baseUrl: "${t.fakes.resend.url}" }`,
      'contacts:',
      '  caps: [{ channel: email, max: 1, per: 7 days }]',
      '  overCap: suppress',
      `metrics: { prometheus: { bindAddress: "127.0.0.1:${metricsPort}" } }`,
      '',
    ].join('\n'),
  );
  const bundle = path.join(dir, 'bundle.js');
  await writeFile(bundle, (await bundleJourneys(require.resolve('../../bench/gate-journeys'))).code);
  const worker = await startWorker(workerScript, {
    ...process.env,
    JOURNEYS_CONFIG: config,
    RESEND_API_KEY: t.fakes.resendApiKey,
    GATE_BUNDLE: bundle,
  });
  const journeys = await createJourneyClient({
    journeys: [gateStream],
    config: loadConfig({ path: config }),
  });
  try {
    const customers = [0, 1, 2].map((i) => ({
      id: `${taskQueue}-${i}`,
      email: `${taskQueue}-${i}@example.com`,
    }));
    const runs = await Promise.all(
      customers.map((customer) => journeys.enroll(gateStream, { customer, key: 'k', data: { emails: 2 } })),
    );
    await Promise.all(runs.map((r) => journeys.temporal.workflow.getHandle(r.workflowId).result()));
    for (const c of customers) expect(t.fakes.outbox.emails(c.email)).toHaveLength(1);

    // The SDK reports on its own export interval: scrape until the counts are in.
    let text = '';
    for (let i = 0; i < 100; i++) {
      text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const sent = sum(series(text, 'journeys_sends'), { status: 'sent' });
      if (sent >= 3 && sum(series(text, 'journeys_gate_decisions'), {}) >= 6) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const sends = series(text, 'journeys_sends');
    expect(sum(sends, { channel: 'email', status: 'sent', journey: 'gate-stream' })).toBe(3);
    expect(sum(sends, { status: 'rejected' }) + sum(sends, { status: 'retrying' })).toBe(0);
    const decisions = series(text, 'journeys_gate_decisions');
    expect(sum(decisions, { channel: 'email', decision: 'allow' })).toBe(3);
    expect(sum(decisions, { channel: 'email', decision: 'suppress', reason: 'frequency_cap' })).toBe(3);
    // Beside the Temporal SDK's own, with its tags.
    expect(text).toMatch(/^temporal_\w+/m);
    expect(sends[0]!.labels).toMatchObject({ taskQueue, activityType: 'sendEmail' });
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
    await journeys.close();
  }
}, 120_000);

test('journeys serve answers GET /metrics: requests by route and status, events by result', async () => {
  const metrics = createApiKey('scraper', ['metrics:read']);
  const writer = createApiKey('writer', ['events:write']);
  const journeys = await createJourneyClient({
    journeys: [abandonedCart],
    client: t.env.client,
    taskQueue: `serve-metrics-${Date.now().toString(36)}`, // no worker: the runs are only started
  });
  const server = await createIngestServer({
    journeys: [abandonedCart],
    client: journeys,
    config: parseConfig('', { path: path.join(dir, 'temporal.yaml'), env: {} }),
    keys: [metrics.entry, writer.entry],
    port: 0,
    audit: () => undefined,
    dashboard: false,
  });
  try {
    const post = (body: unknown, key = writer.key) =>
      fetch(`${server.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const event = {
      id: `m-${Date.now()}`,
      type: 'cart.abandoned',
      customer: { id: `m-${Date.now()}`, email: 'm@example.com' },
      data: { cartId: 'c1', items: ['Tea'], url: 'https://shop.example/c1' },
    };
    expect((await post(event)).status).toBe(200);
    expect((await post(event)).status).toBe(200); // the same id again: a duplicate
    expect((await post({ ...event, id: 'bad', data: {} })).status).toBe(400);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${writer.key}` } })).status,
    ).toBe(403);
    const scrape = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${metrics.key}` },
    });
    expect(scrape.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await scrape.text();
    expect(text).toMatch(/^# TYPE journeys_events counter$/m);
    const events = series(text, 'journeys_events');
    expect(sum(events, { type: 'cart.abandoned', result: 'delivered' })).toBe(1);
    expect(sum(events, { type: 'cart.abandoned', result: 'duplicate' })).toBe(1);
    const requests = series(text, 'journeys_ingest_requests');
    expect(sum(requests, { route: 'POST /v1/events', status: '200' })).toBe(2);
    expect(sum(requests, { route: 'POST /v1/events', status: '400' })).toBe(1);
    expect(sum(requests, { route: 'GET /metrics', status: '401' })).toBe(1);
    expect(sum(requests, { route: 'GET /metrics', status: '403' })).toBe(1);
  } finally {
    await server.close();
    await journeys.close();
  }
});
