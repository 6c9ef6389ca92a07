/**
 * mTLS between the journeys and a cluster's frontend, with certificates made here by openssl: a cluster
 * whose frontend requires a client certificate its CA signed. A journey client and a journey worker
 * connected through a `type: cluster` profile's `tls:` in temporal.yaml enrol a customer and send the
 * email through the contact gate; a client without a certificate, with one from another CA, or in
 * plaintext is refused.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { OPEN_POLICY } from '../../activities';
import { gatedSend } from '../../bench/gate-journeys';
import { createJourneyClient } from '../../src/client';
import { connectionTo, postgresDataDir, startCluster, type RunningCluster } from '../../src/cluster';
import { loadConfig, userCacheDir } from '../../src/config';
import { startProviderFakes, type ProviderFakes } from '../../src/testing';
import { createJourneyWorker } from '../../src/worker';

const dir = mkdtempSync(path.join(os.tmpdir(), 'journeys-mtls-'));
const file = (name: string) => path.join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

/** A certificate authority: `<name>.pem` and `<name>.key`. */
function authority(name: string): void {
  openssl(
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`,
    '-keyout', file(`${name}.key`), '-out', file(`${name}.pem`),
  ); // prettier-ignore
}
/** A certificate `ca` signs for `name`, with these X.509 extensions. */
function signed(ca: string, name: string, extensions: string): void {
  writeFileSync(file(`${name}.ext`), `${extensions}\n`);
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    file(`${name}.key`),
    '-out',
    file(`${name}.csr`),
  );
  openssl(
    'x509', '-req', '-in', file(`${name}.csr`), '-CA', file(`${ca}.pem`), '-CAkey', file(`${ca}.key`),
    '-CAcreateserial', '-days', '2', '-extfile', file(`${name}.ext`), '-out', file(`${name}.pem`),
  ); // prettier-ignore
}

let cluster: RunningCluster;
let fakes: ProviderFakes;
const stateDir = file('cluster');

beforeAll(async () => {
  authority('ca');
  authority('other-ca');
  signed('ca', 'server', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth');
  signed('ca', 'client', 'extendedKeyUsage=clientAuth');
  signed('other-ca', 'stranger', 'extendedKeyUsage=clientAuth');
  cluster = await startCluster({
    stateDir,
    cacheDir: userCacheDir(),
    port: 0,
    tls: {
      ca: file('ca.pem'),
      serverCert: file('server.pem'),
      serverKey: file('server.key'),
      clientCert: file('client.pem'),
      clientKey: file('client.key'),
    },
  });
  fakes = await startProviderFakes();
}, 240_000);

afterAll(async () => {
  await fakes?.close();
  await cluster?.stop();
  rmSync(path.dirname(postgresDataDir(stateDir)), { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

async function refused(options: Parameters<typeof Connection.connect>[0]): Promise<unknown> {
  try {
    const connection = await Connection.connect({ ...options, connectTimeout: 5_000 });
    try {
      await connection.workflowService.getSystemInfo({});
    } finally {
      await connection.close();
    }
  } catch (err) {
    return err;
  }
  throw new Error('the frontend answered');
}

test('the frontend refuses plaintext, no certificate and a certificate from another CA', async () => {
  const ca = connectionTo(cluster).tls!.serverRootCACertificate!;
  const read = (name: string) => readFileSync(file(name));
  await refused({ address: cluster.address });
  await refused({
    address: cluster.address,
    tls: { serverNameOverride: 'localhost', serverRootCACertificate: ca },
  });
  await refused({
    address: cluster.address,
    tls: {
      serverNameOverride: 'localhost',
      serverRootCACertificate: ca,
      clientCertPair: { crt: read('stranger.pem'), key: read('stranger.key') },
    },
  });
  // The cluster's own identity gets in.
  const connection = await Connection.connect(connectionTo(cluster));
  expect((await connection.workflowService.getSystemInfo({})).serverVersion).toBeTruthy();
  await connection.close();
});

test('a journey client and worker through a temporal.yaml profile with tls: enrol, gate and send', async () => {
  const taskQueue = `mtls-${Date.now().toString(36)}`;
  writeFileSync(
    file('temporal.yaml'),
    [
      'profile: secure',
      'profiles:',
      '  secure:',
      '    type: cluster',
      `    address: ${cluster.address}`,
      '    namespace: default',
      '    tls: { cert: client.pem, key: client.key, ca: ca.pem, serverName: localhost }',
      `taskQueue: ${taskQueue}`,
      '',
    ].join('\n'),
  );
  const config = loadConfig({ path: file('temporal.yaml') });
  const journeys = await createJourneyClient({ journeys: [gatedSend], config });
  try {
    const worker = await createJourneyWorker({
      config,
      workflowsPath: require.resolve('../../bench/gate-journeys'),
      activities: fakes.activities({ gate: { client: journeys.temporal, taskQueue, policy: OPEN_POLICY } }),
    });
    const customer = { id: `mtls-${taskQueue}`, email: `${taskQueue}@example.com` };
    await worker.runUntil(async () => {
      const { workflowId } = await journeys.enroll(gatedSend, { customer });
      await journeys.temporal.workflow.getHandle(workflowId).result();
      // The contact answers from the worker: the send asked it once, and it allowed.
      const contact = await journeys.contacts.get(customer.id);
      expect(contact.decisions.map((d) => d.answer.decision)).toEqual(['allow']);
    });
    await worker.close();
    expect(fakes.outbox.emails(customer.email)).toHaveLength(1);
  } finally {
    await journeys.close();
  }
}, 120_000);
