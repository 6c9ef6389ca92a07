import { Pool } from 'pg';
import { createSqlProfileSource, type SqlProfileSource } from './sql-source';

/** Options for {@link createPostgresProfileSource}: a connection string, or a pool you manage. */
export interface PostgresProfileSourceOptions {
  /**
   * `postgres://user:password@host:5432/db`. Without it (and without `pool`), `pg` reads the standard
   * `PGHOST`, `PGUSER`, `PGPASSWORD`, `PGDATABASE` and `PGPORT` variables.
   */
  readonly connectionString?: string;
  /** A pool you created and will end yourself; `close()` then leaves it open. */
  readonly pool?: Pool;
}

/** A profile source on a PostgreSQL server, with its pool. */
export interface PostgresProfileSource {
  readonly source: SqlProfileSource;
  readonly pool: Pool;
  /** Ends the pool if this function created it. */
  readonly close: () => Promise<void>;
}

/**
 * A profile source on a PostgreSQL server through a `pg` pool: what workers use once there are several of
 * them, or when the shop's data already lives in Postgres. Migrates on open (serialised, so workers may
 * start together).
 *
 * @example
 * const { source, close } = await createPostgresProfileSource({ connectionString: process.env.DATABASE_URL });
 * const worker = await createJourneyWorker({ profiles: source });
 * @see https://node-postgres.com/apis/pool
 */
export async function createPostgresProfileSource(
  options: PostgresProfileSourceOptions,
): Promise<PostgresProfileSource> {
  const owned = options.pool === undefined;
  const pool = options.pool ?? new Pool({ connectionString: options.connectionString });
  // An idle connection the server drops is discarded by the pool, and the next query opens a new one;
  // without a listener, Node would treat the 'error' event as fatal and stop the worker.
  if (owned) pool.on('error', () => undefined);
  const close = async () => {
    if (owned) await pool.end();
  };
  const source = createSqlProfileSource(pool);
  try {
    await source.migrate();
  } catch (error) {
    await close();
    throw error;
  }
  return { source, pool, close };
}
