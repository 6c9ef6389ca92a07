/**
 * Temporal stopped under a live `createIngestServer`: events are answered 503 with Retry-After within the
 * request timeout and nothing of them is applied; `/readyz` says so; once the same dev server (same SQLite
 * file, same port) is back, the same request is applied and nothing sent before the outage is lost.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { createJourneyClient, type JourneyClient } from '../../src/client';
import { parseConfig } from '../../src/config';
import { createIngestServer, hashApiKey, type IngestServer } from '../../src/http';
import { findTemporalCli, startLocalServer, type LocalServer } from '../../src/server';
import { userCacheDir } from '../../src/config';
import { abandonedCart } from '../../workflows/abandoned-cart';
import { freePort } from '../support/ports';

const KEY = 'jk_outage_0123456789abcdefghijklmnop';
const config = parseConfig(
  `serve:\n  requestTimeout: 3 seconds\n  keys:\n    - { id: outage, hash: "${hashApiKey(KEY)}", scopes: [events:write], rate: { perSecond: 10000 } }\n`,
  { path: '/tmp/temporal.yaml', env: {} },
);

let dir: string;
let port: number;
let temporal: LocalServer | undefined;
let connection: Connection;
let journeys: JourneyClient;
let server: IngestServer;
const start = async () =>
  (temporal = await startLocalServer({
    cli: await findTemporalCli({ cacheDir: userCacheDir(), allowSdkDownload: false }),
    port,
    dbFile: path.join(dir, 'dev.sqlite'),
  }));

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'journeys-outage-'));
  port = await freePort();
  await start();
  // Its own connection, not the server environment's: it must outlive the server it talks to.
  connection = await Connection.connect({ address: `127.0.0.1:${port}` });
  journeys = await createJourneyClient({
    journeys: [abandonedCart],
    client: new Client({ connection }),
    taskQueue: 'outage', // no worker: signal-with-start needs none, and the runs are only described
  });
  server = await createIngestServer({
    journeys: [abandonedCart],
    client: journeys,
    config,
    port: 0,
    audit: () => undefined,
    dashboard: false,
    onError: () => undefined,
  });
});
afterAll(async () => {
  await server?.close();
  await journeys?.close();
  await connection?.close();
  await temporal?.close();
  await rm(dir, { recursive: true, force: true });
});

const uid = () => Math.random().toString(36).slice(2, 10);
const batch = (customers: string[]) => ({
  events: customers.map((c) => ({
    id: `${c}-abandoned`,
    type: 'cart.abandoned',
    customer: c,
    data: { cartId: 'k', items: ['Tea'], url: 'https://shop.example/k' },
  })),
});
const post = (body: unknown) =>
  fetch(`${server.url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const exists = async (customer: string) => {
  try {
    await journeys.temporal.workflow
      .getHandle(journeys.workflowId(abandonedCart, { customerId: customer, key: 'k' }))
      .describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
};

test('`journeys serve` as a process: temporal.yaml profile, keys from JOURNEYS_API_KEYS, an audit line per write, SIGTERM exits 0', async () => {
  const cwd = path.join(dir, 'serve');
  const servePort = await freePort();
  await mkdir(cwd, { recursive: true });
  await writeFile(
    path.join(cwd, 'temporal.yaml'),
    `profile: here\nprofiles:\n  here: { type: cluster, address: "127.0.0.1:${port}", namespace: default }\ntaskQueue: serve-cli\nserve:\n  port: ${servePort}\n`,
  );
  const key = 'jk_cli_0123456789abcdefghijklmnopqrst';
  const child = spawn(
    process.execPath,
    [
      path.resolve(__dirname, '../../dist/src/cli/main.js'),
      'serve',
      '--workflows',
      path.resolve(__dirname, '../../dist/workflows'),
    ],
    {
      cwd,
      env: {
        ...process.env,
        JOURNEYS_API_KEYS: JSON.stringify([{ id: 'cli', hash: hashApiKey(key), scopes: ['events:write'] }]),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = `http://127.0.0.1:${servePort}`;
    for (let i = 0; i < 150 && !stderr.includes(url); i++) await new Promise((r) => setTimeout(r, 100));
    expect(stderr).toContain(`journeys serve: ${url}`);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const customer = `cli-${uid()}`;
    const res = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(batch([customer])),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { results: { status: string }[] }).results[0]?.status).toBe('accepted');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const audit = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { audit: Record<string, unknown> });
    expect(audit).toEqual([
      {
        audit: expect.objectContaining({
          key: 'cli',
          route: '/v1/events',
          customer,
          status: 200,
          result: '1 accepted',
        }),
      },
    ]);
    expect(stdout).not.toContain(key);
  } finally {
    child.kill('SIGKILL');
  }
}, 60_000);

test('Temporal stopped: 503 with Retry-After and nothing applied; back: the retry applies, and nothing from before is lost', async () => {
  const before = Array.from({ length: 5 }, () => `out-${uid()}`);
  const during = Array.from({ length: 5 }, () => `out-${uid()}`);
  const ok = await post(batch(before));
  expect(ok.status).toBe(200);

  await temporal!.close();
  const startedAt = Date.now();
  const down = await post(batch(during));
  expect(down.status).toBe(503);
  expect(Date.now() - startedAt).toBeLessThan(10_000); // the request timeout (3 s), not the SDK's retries
  expect(down.headers.get('retry-after')).toBe('5');
  expect(down.headers.get('content-type')).toBe('application/problem+json');
  expect(((await down.json()) as { type: string }).type).toBe('/problems/unavailable');
  const ready = await fetch(`${server.url}/readyz`);
  expect(ready.status).toBe(503);
  expect(ready.headers.get('retry-after')).toBe('5');

  await start();
  for (let i = 0; i < 100 && (await fetch(`${server.url}/readyz`)).status !== 200; i++)
    await new Promise((r) => setTimeout(r, 200));
  expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  // Nothing of the refused request was applied; everything before the outage is there.
  expect(await Promise.all(during.map(exists))).toEqual(during.map(() => false));
  expect(await Promise.all(before.map(exists))).toEqual(before.map(() => true));

  // The client retries as told: the whole request is applied now.
  const retried = await post(batch(during));
  expect(retried.status).toBe(200);
  const results = ((await retried.json()) as { results: { status: string }[] }).results;
  expect(results.map((r) => r.status)).toEqual(during.map(() => 'accepted'));
  expect(await Promise.all(during.map(exists))).toEqual(during.map(() => true));
  // And a retry of the first batch is recognised as such.
  const again = (await (await post(batch(before))).json()) as { results: { status: string }[] };
  expect(again.results.map((r) => r.status)).toEqual(before.map(() => 'duplicate'));
}, 120_000);
