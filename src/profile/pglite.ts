import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { seedDemoData } from './seed';
import { createSqlProfileSource, type SqlProfileSource } from './sql-source';

/** Options for {@link createPgliteProfileSource}. */
export interface PgliteProfileSourceOptions {
  /** A directory to keep the database in across runs; in memory when omitted. */
  readonly dataDir?: string;
  /** Fill the store with the demo shop ({@link seedDemoData}); safe on a store seeded before. */
  readonly seed?: boolean;
}

/** A profile source on PGlite, with the database it owns. */
export interface PgliteProfileSource {
  readonly source: SqlProfileSource;
  readonly db: PGlite;
  /** Closes the database; with a `dataDir`, everything written is on disk for the next open. */
  readonly close: () => Promise<void>;
}

/**
 * A profile source on PGlite: real PostgreSQL compiled to WebAssembly, in this process, with nothing to
 * install or run. For tests, the demo and a single worker; several workers share a real server through
 * `createPostgresProfileSource()`. Migrates on open.
 *
 * @example
 * const { source, close } = await createPgliteProfileSource({ seed: true });
 * const worker = await createJourneyWorker({ profiles: source });
 * @see https://pglite.dev/docs/
 */
export async function createPgliteProfileSource(
  options: PgliteProfileSourceOptions = {},
): Promise<PgliteProfileSource> {
  // PGlite creates the data directory itself, but not the folders above it.
  if (options.dataDir) await mkdir(path.dirname(path.resolve(options.dataDir)), { recursive: true });
  const db = await PGlite.create(options.dataDir);
  const source = createSqlProfileSource(db);
  try {
    await source.migrate();
    if (options.seed) await seedDemoData(source);
  } catch (error) {
    await db.close();
    throw error;
  }
  return { source, db, close: () => db.close() };
}
