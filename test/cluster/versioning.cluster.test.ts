/**
 * Safe rollouts with Worker Versioning on the cluster: two builds of the same journeys (test/cluster/rollout:
 * only the code after a wait differs) run as deployment versions of one deployment. New runs go to the
 * current build, a ramp sends a share of them to the new one, a rollback undoes the ramp and then the
 * promotion; a pinned journey ends on the build it started on, an auto-upgrading one moves to the current
 * build at its next task and replays there. Every run's last email is the one its final build's code sends.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { OPEN_POLICY } from '../../activities';
import {
  createJourneyClient,
  deploymentStatus,
  promoteBuild,
  rampBuild,
  rollbackBuild,
  type JourneyClient,
} from '../../src/client';
import { isJourneyError } from '../../src/errors';
import { startProviderFakes, type ProviderFakes } from '../../src/testing';
import { bundleJourneys, createJourneyWorker, type JourneyWorker } from '../../src/worker';
import { rolloutGo } from './rollout/events';
import { rolloutLong, rolloutShort } from './rollout/v1';

const address = process.env.JOURNEYS_CLUSTER_ADDRESS!;
const tag = `ro${Date.now().toString(36)}`;
const deployment = `journeys-${tag}`;
const taskQueue = `rollout-${tag}`;

let fakes: ProviderFakes;
let connection: NativeConnection;
let temporal: Client;
let journeys: JourneyClient;
const workers: JourneyWorker[] = [];
const running: Promise<void>[] = [];

async function startBuild(build: 'v1' | 'v2'): Promise<void> {
  const worker = await createJourneyWorker({
    connection,
    client: journeys.temporal,
    taskQueue,
    workflowBundle: await bundleJourneys(require.resolve(`./rollout/${build}`)),
    activities: fakes.activities({ gate: { client: journeys.temporal, taskQueue, policy: OPEN_POLICY } }),
    deployment: { name: deployment, buildId: build },
  });
  workers.push(worker);
  running.push(worker.run());
  // A build exists once its worker has polled.
  await until(async () => {
    const status = await deploymentStatus(journeys.temporal, deployment).catch((err: unknown) => {
      if (isJourneyError(err) && err.code === 'ROLLOUT_REFUSED') return undefined;
      throw err;
    });
    return status?.builds.some((b) => b.buildId === build) === true;
  });
}

async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${check.toString()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const email = (id: string) => `${id}@example.com`;

/** Enrols a customer and waits for the first email: the run has had its first task on some build. */
async function enrol(journey: typeof rolloutLong, id: string): Promise<string> {
  const { workflowId } = await journeys.enroll(journey, { customer: { id, email: email(id) } });
  await fakes.outbox.waitFor((m) => m.channel === 'email' && m.to.includes(email(id)), { timeoutMs: 30_000 });
  return workflowId;
}

/** The build a run's workflow tasks go to now, per Temporal, and its versioning behaviour. */
async function buildOf(
  workflowId: string,
): Promise<{ build: string | undefined; behavior: string | undefined }> {
  const info = (await journeys.temporal.workflow.getHandle(workflowId).describe()).raw.workflowExecutionInfo;
  const versioning = info?.versioningInfo;
  const behavior = { 1: 'pinned', 2: 'auto-upgrade' }[Number(versioning?.behavior ?? 0)]; // temporal.api.enums.v1.VersioningBehavior
  return { build: versioning?.deploymentVersion?.buildId ?? undefined, behavior };
}

/** Lets the run go on past its wait and returns the step of its last email, once sent. */
async function finish(journey: typeof rolloutLong, id: string): Promise<string> {
  await journeys.emit({ type: rolloutGo.name, customer: id, data: {} });
  await fakes.outbox.waitFor(
    (m) =>
      m.channel === 'email' &&
      m.to.includes(email(id)) &&
      m.tags.some((t) => t.name === 'step' && Buffer.from(t.value, 'base64url').toString() !== 'hello'),
    { timeoutMs: 30_000 },
  );
  await until(async () => (await journeys.state(journey, { customerId: id })).outcome === 'completed');
  const last = fakes.outbox.emails(email(id)).at(-1)!;
  // Resend tag values allow only letters, digits, _ and -: the step travels base64url-encoded.
  return Buffer.from(last.tags.find((t) => t.name === 'step')!.value, 'base64url').toString();
}

beforeAll(async () => {
  fakes = await startProviderFakes();
  connection = await NativeConnection.connect({ address });
  temporal = new Client({ connection: await Connection.connect({ address }) });
  journeys = await createJourneyClient({
    journeys: [rolloutLong, rolloutShort],
    events: [rolloutGo],
    client: temporal,
    taskQueue,
  });
});

afterAll(async () => {
  for (const w of workers) w.shutdown();
  await Promise.allSettled(running);
  await Promise.all(workers.map((w) => w.close()));
  await journeys?.close();
  await temporal?.connection.close();
  await connection?.close();
  await fakes?.close();
});

test('promote, ramp, roll back: new runs follow the routing; pinned runs stay, auto-upgrading ones move', async () => {
  await startBuild('v1');
  expect((await promoteBuild(journeys.temporal, deployment, 'v1')).current).toBe('v1');

  // Started on v1: one journey of each kind, waiting between their emails.
  const long = await enrol(rolloutLong, `${tag}-long`);
  const short = await enrol(rolloutShort, `${tag}-short`);
  expect(await buildOf(long)).toEqual({ build: 'v1', behavior: 'auto-upgrade' });
  expect(await buildOf(short)).toEqual({ build: 'v1', behavior: 'pinned' });

  // v2 deployed beside it, ramped to half of new runs: some start on each build.
  await startBuild('v2');
  const ramped = await rampBuild(journeys.temporal, deployment, 'v2', 50);
  expect(ramped).toMatchObject({ current: 'v1', ramping: { buildId: 'v2', percent: 50 } });
  const ramp = Array.from({ length: 16 }, (_, i) => `${tag}-ramp-${i}`);
  const rampRuns = await Promise.all(ramp.map((id) => enrol(rolloutShort, id)));
  const rampBuilds = await Promise.all(rampRuns.map(async (w) => (await buildOf(w)).build));
  expect(new Set(rampBuilds)).toEqual(new Set(['v1', 'v2']));
  // Each ends with its own build's code.
  const rampEndings = await Promise.all(ramp.map((id) => finish(rolloutShort, id)));
  expect(rampEndings).toEqual(rampBuilds.map((b) => `ending-${b}`));

  // Rolled back: the ramp ends, every new run starts on v1 again.
  expect(await rollbackBuild(journeys.temporal, deployment, 'v2')).toMatchObject({
    current: 'v1',
    ramping: null,
  });
  // Again (a retried step): v2 is rolled back already, nothing changes.
  expect(await rollbackBuild(journeys.temporal, deployment, 'v2')).toMatchObject({
    current: 'v1',
    ramping: null,
  });
  const after = await Promise.all([0, 1, 2, 3].map((i) => enrol(rolloutShort, `${tag}-back-${i}`)));
  expect(await Promise.all(after.map(async (w) => (await buildOf(w)).build))).toEqual([
    'v1',
    'v1',
    'v1',
    'v1',
  ]);

  // v2 promoted: the pinned run ends on v1, the auto-upgrading one on v2 (its v1 history replayed there).
  expect((await promoteBuild(journeys.temporal, deployment, 'v2')).current).toBe('v2');
  expect(await finish(rolloutShort, `${tag}-short`)).toBe('ending-v1');
  expect(await finish(rolloutLong, `${tag}-long`)).toBe('ending-v2');
  expect((await buildOf(long)).build).toBe('v2');
  expect(await enrol(rolloutLong, `${tag}-new`).then(buildOf)).toMatchObject({ build: 'v2' });

  // And rolled back: the build current before v2 is current again.
  expect((await rollbackBuild(journeys.temporal, deployment, 'v2')).current).toBe('v1');
  // Retried: still v1, not back to v2.
  expect((await rollbackBuild(journeys.temporal, deployment, 'v2')).current).toBe('v1');
  expect(await enrol(rolloutShort, `${tag}-last`).then(buildOf)).toMatchObject({ build: 'v1' });
}, 180_000);

test('refused rollout steps change nothing and say why', async () => {
  const before = await deploymentStatus(journeys.temporal, deployment);
  const reason = (p: Promise<unknown>) =>
    p.then(
      () => 'done',
      (err: unknown) => (isJourneyError(err) ? (err as { reason?: string }).reason : String(err)),
    );
  expect(await reason(rampBuild(journeys.temporal, deployment, 'v9', 10))).toBe('unknown-build');
  expect(await reason(rampBuild(journeys.temporal, deployment, 'v2', 120))).toBe('bad-percent');
  expect(await reason(rampBuild(journeys.temporal, deployment, 'v2', Number.NaN))).toBe('bad-percent');
  expect(await reason(rampBuild(journeys.temporal, deployment, before.current!, 10))).toBe('already-current');
  expect(await reason(deploymentStatus(journeys.temporal, `${deployment}-nope`))).toBe('unknown-deployment');
  expect(await reason(rollbackBuild(journeys.temporal, deployment, 'v9'))).toBe('unknown-build');
  expect(await deploymentStatus(journeys.temporal, deployment)).toEqual(before);
});

test('journeys rollout: status, ramp and rollback from the CLI, the deployment from temporal.yaml', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'journeys-rollout-'));
  try {
    writeFileSync(
      path.join(dir, 'temporal.yaml'),
      [
        'profile: cluster',
        'profiles:',
        `  cluster: { type: cluster, address: ${address}, namespace: default }`,
        `taskQueue: ${taskQueue}`,
        `worker: { deployment: { name: ${deployment}, buildId: v2 } }`,
        '',
      ].join('\n'),
    );
    const cli = path.resolve(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
    const run = async (...args: string[]) => {
      const { stdout } = await promisify(execFile)(process.execPath, [cli, 'rollout', ...args], {
        cwd: dir,
        env: { ...process.env, JOURNEYS_CONFIG: path.join(dir, 'temporal.yaml') },
      });
      return stdout;
    };
    expect(JSON.parse(await run('status', '--json'))).toMatchObject({
      deployment,
      current: 'v1',
      ramping: null,
    });
    expect(JSON.parse(await run('ramp', 'v2', '25', '--json'))).toMatchObject({
      current: 'v1',
      ramping: { buildId: 'v2', percent: 25 },
    });
    expect(await run('status')).toMatch(/new runs\s+v1 \(75%\), v2 \(25%\)/);
    expect(JSON.parse(await run('rollback', 'v2', '--json'))).toMatchObject({ current: 'v1', ramping: null });
    // A bad step exits 1 with the reason, and changes nothing.
    await expect(run('ramp', 'v9', '10')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/ROLLOUT_REFUSED.*no build "v9"/),
    });
    await expect(run('ramp', 'v2', 'half')).rejects.toMatchObject({ code: 2 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
