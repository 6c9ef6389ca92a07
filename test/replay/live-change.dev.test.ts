/**
 * Changing a live journey on the real dev server: a customer already inside finishes on the old path, a
 * new one takes the new path; histories exported from the server (with the CLI) replay.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Worker } from '@temporalio/worker';
import { createJourneyClient, type JourneyClient } from '../../src/client';
import type { JourneyState } from '../../src/journey';
import {
  createJourneyTestEnvironment,
  exportHistory,
  replayHistories,
  writeHistory,
  type JourneyTestEnvironment,
} from '../../src/testing/all';
import { bundleJourneys } from '../../src/worker';
import { abandonedCart } from '../../workflows/abandoned-cart';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'src', 'cli', 'main.js');
const v2 = path.join(root, 'test', 'fixtures', 'versions', 'v2-patched.ts');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 1 journey day = 4 s, so the 1-day wait is short and 2 journey hours (333 ms) are still measurable. */
const TIME_SCALE = 21_600;

let t: JourneyTestEnvironment;
let dir: string;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [abandonedCart],
    workflowsPath: require.resolve('../../workflows'),
    server: 'dev',
  });
  dir = await mkdtemp(path.join(os.tmpdir(), 'journeys-replay-'));
});
afterAll(() => t?.close());

const cart = { cartId: 'k', items: ['Tea'], url: 'https://shop.example/cart/k' };
const customer = (name: string) => ({
  id: `${name}-${Date.now().toString(36)}`,
  email: `${name}@example.com`,
  phone: '+14155550100',
});

async function until(
  journeys: JourneyClient,
  customerId: string,
  done: (s: JourneyState) => boolean,
): Promise<JourneyState> {
  for (let i = 0; i < 300; i++) {
    const state = await journeys.state(abandonedCart, { customerId, key: cart.cartId });
    if (done(state)) return state;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`journey of ${customerId} did not get there`);
}

/** Markers of the `sms-two-hours-later` patch in a run, and the timers (ms) it started between its two sends. */
async function between(workflowId: string): Promise<{ markers: number; timers: number[] }> {
  const events = (await t.env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const sends = events
    .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name?.startsWith('send'))
    .map((e) => Number(e.eventId));
  const timers = events
    .filter((e) => Number(e.eventId) > sends[0]! && Number(e.eventId) < sends[1]!)
    .flatMap((e) => {
      const timeout = e.timerStartedEventAttributes?.startToFireTimeout;
      return timeout ? [Number(timeout.seconds ?? 0) * 1000 + Math.round((timeout.nanos ?? 0) / 1e6)] : [];
    });
  const markers = events.filter((e) =>
    Object.values(e.markerRecordedEventAttributes?.details ?? {}).some((payloads) =>
      (payloads.payloads ?? []).some((p) =>
        Buffer.from(p.data ?? [])
          .toString()
          .includes('sms-two-hours-later'),
      ),
    ),
  ).length;
  return { markers, timers };
}

const gap = (s: JourneyState) => Date.parse(s.steps[1]!.at) - Date.parse(s.steps[0]!.at);

test('a customer inside the journey keeps the old path after a patched deploy; a new customer takes the new one', async () => {
  const taskQueue = `live-change-${Date.now()}`;
  const journeys = await createJourneyClient({
    journeys: [abandonedCart],
    client: t.env.client,
    taskQueue,
    timeScale: TIME_SCALE,
  });
  const activities = t.fakes.activities();
  const connection = t.env.nativeConnection;
  const [v1Bundle, v2Bundle] = await Promise.all([
    bundleJourneys(require.resolve('../../workflows')),
    bundleJourneys(v2),
  ]);

  const before = customer('before-deploy');
  const after = customer('after-deploy');
  const v1 = await Worker.create({ connection, taskQueue, workflowBundle: v1Bundle, activities });
  await v1.runUntil(async () => {
    await journeys.emit({ type: 'cart.abandoned', customer: before, data: cart });
    await until(journeys, before.id, (s) => s.waitingFor !== null); // past the email, waiting for a click
  });

  const v2Worker = await Worker.create({ connection, taskQueue, workflowBundle: v2Bundle, activities });
  const [old, fresh] = await v2Worker.runUntil(async () => {
    await journeys.emit({ type: 'cart.abandoned', customer: after, data: cart });
    return Promise.all([
      until(journeys, before.id, (s) => s.outcome !== null),
      until(journeys, after.id, (s) => s.outcome !== null),
    ]);
  });

  expect(old.steps.map((s) => s.name)).toEqual(['reminder-email', 'reminder-sms']);
  expect(fresh.steps.map((s) => s.name)).toEqual(['reminder-email', 'reminder-sms']);
  expect(gap(fresh)).toBeGreaterThanOrEqual(26 * HOUR); // one day and the two new hours
  // The paths, read from the histories: the new customer recorded the patch and waited on one more timer,
  // of two journey hours, between the email and the SMS; the old one did neither.
  expect(
    await between(journeys.workflowId(abandonedCart, { customerId: before.id, key: cart.cartId })),
  ).toEqual({
    markers: 0,
    timers: [DAY / TIME_SCALE],
  });
  expect(
    await between(journeys.workflowId(abandonedCart, { customerId: after.id, key: cart.cartId })),
  ).toEqual({
    markers: 1,
    timers: [DAY / TIME_SCALE, Math.round((2 * HOUR) / TIME_SCALE)],
  });

  // Export then replay: the old customer's history replays against the patched code.
  const workflowId = journeys.workflowId(abandonedCart, { customerId: before.id, key: cart.cartId });
  const file = await writeHistory(
    path.join(dir, 'api', 'before.json'),
    await exportHistory(t.env.client, workflowId),
  );
  expect(await replayHistories(file, { workflowsPath: v2 })).toEqual([
    expect.objectContaining({ ok: true, journey: 'abandoned-cart' }),
  ]);
  expect(
    (
      await replayHistories(file, {
        workflowsPath: path.join(root, 'test', 'fixtures', 'versions', 'v2-unpatched.ts'),
      })
    )[0],
  ).toMatchObject({
    ok: false,
    step: 'reminder-email',
  });
});

test('journeys history export and journeys replay, as the README runs them', async () => {
  const [host, port] = t.env.address.split(':');
  const config = path.join(dir, 'temporal.yaml');
  await writeFile(
    config,
    // `workflows:` is relative to the file: this one names the repository's journeys.
    `workflows: ${JSON.stringify(path.join(root, 'workflows'))}\nprofiles:\n  local:\n    type: local\n    ip: ${host === 'localhost' ? '127.0.0.1' : host}\n    port: ${port}\n`,
  );
  const env = { ...process.env, JOURNEYS_CONFIG: config };
  const journeys = t.run(async ({ journeys: client }) => {
    const c = customer('cli');
    const { deliveries } = await client.emit({ type: 'cart.abandoned', customer: c, data: cart });
    return deliveries[0]!.workflowId;
  });
  const workflowId = await journeys;
  const out = path.join(dir, 'cli');

  const exported = await run(process.execPath, [cli, 'history', 'export', workflowId, '--out', out], {
    env,
    cwd: root,
  });
  expect(exported.stdout).toContain(`exported ${workflowId}`);
  const files = await readdir(out);
  expect(files).toHaveLength(1);

  const replayed = await run(process.execPath, [cli, 'replay', out], { env, cwd: root });
  expect(replayed.stdout).toMatch(/^OK +.*\.json$/m);
  expect(replayed.stdout).toContain('1 replayed OK, 0 failed');

  // Visibility is eventually consistent: wait until the server lists the run, then export by journey.
  for (
    let i = 0;
    i < 100 && (await t.env.client.workflow.count(`WorkflowId = '${workflowId}'`)).count === 0;
    i++
  )
    await new Promise((r) => setTimeout(r, 100));
  const byJourney = await run(
    process.execPath,
    [cli, 'history', 'export', '--journey', 'abandoned-cart', '--last', '3', '--out', path.join(dir, 'last')],
    { env, cwd: root },
  );
  expect(byJourney.stdout).toMatch(/^\[1\/\d\] journey\/abandoned-cart\//m);

  const live = await run(
    process.execPath,
    [cli, 'replay', '--from-server', '--journey', 'abandoned-cart', '--last', '10', '--workflows', v2],
    { env, cwd: root },
  );
  expect(live.stdout).toMatch(/\d+ replayed OK, 0 failed/);

  const broken = await run(
    process.execPath,
    [
      cli,
      'replay',
      path.join(dir, 'api'),
      '--workflows',
      path.join(root, 'test', 'fixtures', 'versions', 'v2-unpatched.ts'),
    ],
    { env, cwd: root },
  ).catch((err: { code: number; stdout: string }) => err);
  expect(broken).toMatchObject({ code: 1 });
  expect(broken.stdout).toMatch(
    /^FAIL +.*before\.json: journey "abandoned-cart", in step "reminder-email" at history event \d+: the code now issues a Timer where the history has UpsertWorkflowSearchAttributes$/m,
  );
});
