/**
 * A cluster started by a program that then dies without stopping it (a test run SIGKILLed, a crash) does
 * not outlive it: PostgreSQL and the four services stop within seconds. `journeys cluster up` detaches on
 * purpose and is not watched (cli.cluster.test.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLUSTER_SERVICES, readClusterState } from '../../src/cluster';
import { userCacheDir } from '../../src/config';

const dist = path.resolve(__dirname, '..', '..', 'dist', 'src', 'cluster');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('the services and PostgreSQL stop once the process that started them is SIGKILLed', async () => {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'journeys-orphan-'));
  try {
    const script = `require(${JSON.stringify(dist)}).startCluster({ stateDir: ${JSON.stringify(stateDir)}, cacheDir: ${JSON.stringify(userCacheDir())}, port: 0 }).then(() => console.log('up'), (e) => { console.error(e); process.exit(1); });`;
    const owner = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      owner.stdout.on('data', (d: Buffer) => (out += d.toString()).includes('up') && resolve());
      owner.stderr.on('data', (d: Buffer) => (out += d.toString()));
      owner.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const state = readClusterState(stateDir)!;
    const pids = [state.postgres.pid, ...CLUSTER_SERVICES.map((s) => state.services[s].pid)];
    expect(pids.every(alive)).toBe(true);
    owner.kill('SIGKILL');
    const deadline = Date.now() + 30_000;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(pids.filter(alive)).toEqual([]);
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}, 120_000);
