import { userCacheDir } from '../src/config';
import { findTemporalCli, findTestServer } from '../src/server';

/** Installs the Temporal binaries once, before any test file runs, so parallel files never race to install. */
export default async function globalSetup(): Promise<void> {
  const cacheDir = userCacheDir();
  const log = (line: string) => console.log(line);
  const [cli, testServer] = await Promise.all([
    findTemporalCli({ cacheDir, log, allowSdkDownload: false }),
    findTestServer({ cacheDir, log, allowSdkDownload: false }),
  ]);
  process.env.JOURNEYS_CACHE_DIR = cacheDir;
  process.env.TEMPORAL_CLI_PATH ??= cli.path;
  process.env.TEMPORAL_TEST_SERVER_PATH ??= testServer.path;
}
