/** `journeys segment preview`, as a user runs it: the compiled CLI on the demo's PGlite in a fresh folder. */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cli = path.resolve(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

test('segment preview prints the size now and a sample; an unknown segment names the known ones', async () => {
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'journeys-segment-'));
  const env = { ...process.env, DATABASE_URL: '' };
  const { stdout } = await run(process.execPath, [cli, 'segment', 'preview', 'top-spenders-idle'], {
    cwd,
    env,
  });
  expect(stdout).toContain('segment top-spenders-idle: top 10% spenders, no order in the last 60 days');
  expect(stdout).toMatch(/in PGlite \.journeys\/dev-profiles \(the demo's\), now: 1 customer\n/);
  expect(stdout).toMatch(/cust-grace +grace@example\.com +\+14155550102 spent=49/);
  const unknown = await run(process.execPath, [cli, 'segment', 'preview', 'nope'], { cwd, env }).catch(
    (err: { code: number; stderr: string }) => err,
  );
  expect(unknown).toMatchObject({
    code: 1,
    stderr: expect.stringContaining(
      'No segment "nope" (known: new-no-purchase, big-spenders-gone-quiet, top-spenders-idle)',
    ),
  });
}, 60_000);
