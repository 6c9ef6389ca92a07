import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findBinary, onPath, run, type FindBinaryOptions, type FoundBinary } from './find-binary';

/** The Maven artifact of Temporal's time-skipping test server (part of the Java SDK). */
export const TEST_SERVER_VERSION = '1.32.0';

/** Options of {@link findTestServer}. */
export type FindTestServerOptions = FindBinaryOptions;

/**
 * Finds Temporal's time-skipping test server, in order: an explicit path, `temporal-test-server` on PATH,
 * the cache, then installs it into the cache from Maven Central (`io.temporal:temporal-test-server` and its
 * dependencies) behind a small executable wrapper that runs it on Java. The last resort leaves it to
 * `@temporalio/testing`'s download (internet only).
 */
export function findTestServer(options: FindTestServerOptions): Promise<FoundBinary> {
  const dir = path.join(options.cacheDir, 'test-server');
  const wrapper = path.join(dir, 'temporal-test-server');
  const log = options.log ?? (() => undefined);
  return findBinary(
    {
      what: "Temporal's time-skipping test server",
      explicitFrom: 'server.testServerPath / TEMPORAL_TEST_SERVER_PATH',
      command: 'temporal-test-server',
      cached: wrapper,
      installers: [
        {
          label: `Maven io.temporal:temporal-test-server:${TEST_SERVER_VERSION}`,
          source: 'installed',
          try: () => installFromMaven(dir, wrapper, log, options.env),
        },
      ],
      fix: 'install Java 17+ and Maven (or set TEMPORAL_TEST_SERVER_PATH to a test server executable) and run `npm run setup` again.',
    },
    options,
  );
}

async function installFromMaven(
  dir: string,
  wrapper: string,
  log: (line: string) => void,
  env?: NodeJS.ProcessEnv,
): Promise<string> {
  const mvn = onPath('mvn', env);
  const java = onPath('java', env);
  if (!mvn || !java) throw new Error(`${mvn ? 'java' : 'mvn'} is not on PATH`);
  log(`Installing the time-skipping test server ${TEST_SERVER_VERSION} from Maven Central into ${dir} …`);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'journeys-test-server-'));
  try {
    await writeFile(
      path.join(tmp, 'pom.xml'),
      `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>local.journeys</groupId><artifactId>test-server-deps</artifactId><version>1</version><packaging>pom</packaging>
<dependencies><dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>${TEST_SERVER_VERSION}</version></dependency></dependencies>
</project>\n`,
    );
    const lib = path.join(tmp, 'lib');
    await run(
      mvn,
      [
        '-q',
        '-B',
        '-f',
        path.join(tmp, 'pom.xml'),
        'dependency:copy-dependencies',
        `-DoutputDirectory=${lib}`,
      ],
      {
        maxBuffer: 64 << 20,
        timeout: 15 * 60_000,
      },
    );
    if ((await readdir(lib)).length === 0) throw new Error('Maven copied no jars');
    await mkdir(dir, { recursive: true });
    await rm(path.join(dir, 'lib'), { recursive: true, force: true });
    await rename(lib, path.join(dir, 'lib')).catch(async () => {
      await run('cp', ['-r', lib, path.join(dir, 'lib')]);
    });
    // The SDK runs `<executable> <port> [extra args]`; the wrapper hands them to the Java main class.
    const script = `#!/bin/sh\n# Temporal's time-skipping test server ${TEST_SERVER_VERSION}, installed by temporal-journeys.\nexec "${java}" -cp "$(dirname "$0")/lib/*" io.temporal.testserver.TestServer "$@"\n`;
    const partial = `${wrapper}.partial-${process.pid}`;
    await writeFile(partial, script, { mode: 0o755 });
    await rename(partial, wrapper);
    return wrapper;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
