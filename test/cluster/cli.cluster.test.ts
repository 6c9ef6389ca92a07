/**
 * `journeys cluster up|status|down` as a user runs it: the built CLI in a folder of its own, a second
 * cluster beside the suite's (the server build is cached, so `up` takes seconds), its data kept across
 * `down` and the next `up`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection, WorkflowClient } from '@temporalio/client';

const cli = path.resolve(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
const cwd = mkdtempSync(path.join(os.tmpdir(), 'journeys-cli-cluster-'));

function journeys(...args: string[]): { code: number | null; out: string } {
  const run = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 180_000 });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

async function withClient<T>(address: string, use: (client: WorkflowClient) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await use(new WorkflowClient({ connection }));
  } finally {
    await connection.close();
  }
}

afterAll(() => {
  journeys('cluster', 'down');
  rmSync(cwd, { recursive: true, force: true });
});

test('up prints a profile that reaches the cluster, status says so, down stops it and up brings the data back', async () => {
  const up = journeys('cluster', 'up', '--port', '0');
  expect(up.out).toContain('Temporal cluster 1.32.2 up');
  expect(up.code).toBe(0);
  const address = /address: (\S+)/.exec(up.out)![1]!;

  const status = journeys('cluster', 'status', '--json');
  expect(status.code).toBe(0);
  const parsed = JSON.parse(status.out) as {
    address: string;
    frontend: string;
    processes: Record<string, boolean>;
  };
  expect(parsed.address).toBe(address);
  expect(parsed.frontend).toMatch(/^serving/);
  expect(Object.values(parsed.processes)).toEqual([true, true, true, true, true]);

  // A run that nothing polls stays running: it must still be there after down and up.
  const workflowId = `kept-${Date.now()}`;
  await withClient(address, (client) =>
    client.start('nobodyPolls', { taskQueue: 'journeys-cli-cluster-test', workflowId }),
  );

  const down = journeys('cluster', 'down');
  expect(down.code).toBe(0);
  expect(down.out).toContain('Cluster stopped');
  const after = journeys('cluster', 'status');
  expect(after.code).toBe(3);
  expect(after.out).toContain('stopped');

  const again = journeys('cluster', 'up', '--port', '0');
  expect(again.code).toBe(0);
  expect(again.out).not.toContain('Creating the temporal database'); // the data was kept
  const address2 = /address: (\S+)/.exec(again.out)![1]!;
  const described = await withClient(address2, (client) => client.getHandle(workflowId).describe());
  expect(described.status.name).toBe('RUNNING');
});

test('an unknown action is a usage error that names the right ones', () => {
  const wrong = journeys('cluster', 'start');
  expect(wrong.code).toBe(2);
  expect(wrong.out).toContain('journeys cluster up');
});
