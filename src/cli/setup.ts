import { loadConfig } from '../config';
import { findTemporalCli, findTestServer } from '../server';

/** `journeys setup`: finds or installs the Temporal CLI and the time-skipping test server into the cache. */
export async function setup(): Promise<void> {
  const config = loadConfig();
  const log = (line: string) => console.log(line);
  const cli = await findTemporalCli({
    explicitPath: config.server.cliPath,
    cacheDir: config.server.cacheDir,
    log,
    allowSdkDownload: false,
  });
  console.log(`Temporal CLI          ${cli.path} (${cli.source})`);
  const testServer = await findTestServer({
    explicitPath: config.server.testServerPath,
    cacheDir: config.server.cacheDir,
    log,
    allowSdkDownload: false,
  });
  console.log(`Time-skipping server  ${testServer.path} (${testServer.source})`);
}
