/**
 * Exactly once across a crash: a real worker process killed with SIGKILL while its email activity is in
 * flight, then a new one started. The retry carries the same idempotency key, so the provider sends once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createJourneyClient } from '../../src/client';
import { loadConfig } from '../../src/config';
import type { JourneyState } from '../../src/journey';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { abandonedCart } from '../../workflows/abandoned-cart';

const root = path.resolve(__dirname, '..', '..');
let t: JourneyTestEnvironment;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [abandonedCart],
    workflowsPath: require.resolve('../../workflows'),
    server: 'dev',
  });
});
afterAll(() => t?.close());

function startWorker(config: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(root, 'dist', 'examples', 'worker.js')], {
    env: { ...process.env, JOURNEYS_CONFIG: config, RESEND_API_KEY: t.fakes.resendApiKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('worker running')) resolve(child);
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`worker exited ${code}: ${out}`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

test('a worker killed mid-send and restarted sends the email exactly once', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'journeys-crash-'));
  const [host, port] = t.env.address.split(':');
  const config = path.join(dir, 'temporal.yaml');
  await writeFile(
    config,
    [
      'profiles:',
      `  local: { type: local, ip: "${host === 'localhost' ? '127.0.0.1' : host}", port: ${port} }`,
      `taskQueue: crash-${Date.now()}`,
      'providers:',
      `  resend: { from: "Shop <shop@example.com>", baseUrl: "${t.fakes.resend.url}" }`,
      'channels:',
      '  email: { timeout: 3 seconds, retry: { initialInterval: 200 ms } }',
      '',
    ].join('\n'),
  );
  const journeys = await createJourneyClient({
    journeys: [abandonedCart],
    config: loadConfig({ path: config }),
    timeScale: 36_000,
  });
  const c = { id: `crash-${Date.now()}`, email: `crash-${Date.now()}@example.com` };

  let worker = await startWorker(config);
  t.fakes.resend.latencyMs = 1_500; // the provider call is in flight for 1.5 s
  const requestsBefore = t.fakes.resend.requests;
  const inFlight = t.fakes.resend.nextRequest();
  await journeys.emit({
    type: 'cart.abandoned',
    customer: c,
    data: { cartId: 'k', items: ['Tea'], url: 'https://shop.example/cart/k' },
  });
  await inFlight;
  worker.kill('SIGKILL');
  expect(await exited(worker)).toBeNull(); // killed, not exited

  worker = await startWorker(config);
  let state: JourneyState | undefined;
  for (let i = 0; i < 200 && !state?.sends.length; i++) {
    await new Promise((r) => setTimeout(r, 100));
    state = await journeys.state(abandonedCart, { customerId: c.id, key: 'k' });
  }
  t.fakes.resend.latencyMs = 0;
  expect(state?.sends[0]).toMatchObject({ status: 'sent', step: 'reminder-email', attempts: 2 });
  expect(t.fakes.resend.requests - requestsBefore).toBe(2); // the retry reached Resend…
  expect(t.outbox.emails(c.email)).toHaveLength(1); // …with the same key, so one email

  await journeys.exit(abandonedCart, { customerId: c.id, key: 'k' });
  worker.kill('SIGTERM');
  expect(await exited(worker)).toBe(0); // graceful: drained and stopped
  await journeys.close();
});
