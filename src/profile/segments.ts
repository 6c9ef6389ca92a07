import { JourneyError } from '../errors';
import type { SqlQueryable } from './sql-source';

/**
 * A segment: customers selected by SQL over the customer database, e.g. "signed up in the last 7 days, no
 * order yet". The query returns one row per customer with an `id` column (and `email`, `phone` when
 * journeys should message them); every other column becomes the enrolment's `data`. `$1` is "now" (a
 * `timestamptz`), so "the last 7 days" is evaluated at the sweep's time, the same on every run of it.
 */
export interface SegmentDefinition {
  readonly kind: 'journeys.segment';
  readonly name: string;
  readonly sql: string;
  readonly description: string | undefined;
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Gives `$1` its type even when a segment's SQL does not use it (PostgreSQL must know every parameter's). */
const NOW_TYPED = '$1::timestamptz IS NOT NULL';

/**
 * Defines a segment (pure: checked here, run by `runSegment`). The SQL is one `SELECT` or `WITH … SELECT`
 * without a trailing semicolon; it is wrapped for paging, so it may not end in `LIMIT`/`ORDER BY` of its own.
 *
 * @example
 * ```ts
 * export const newNoPurchase = defineSegment('new-no-purchase', `
 *   SELECT c.id, c.email, c.phone FROM customers c
 *   WHERE c.signed_up_at > $1::timestamptz - interval '7 days'
 *     AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)`);
 * ```
 */
export function defineSegment(
  name: string,
  sql: string,
  options: { description?: string } = {},
): SegmentDefinition {
  if (!NAME.test(name))
    throw new JourneyError(
      'INPUT_INVALID',
      `Segment name "${name}" must be kebab-case, e.g. "new-no-purchase".`,
    );
  const text = sql.trim();
  if (!/^(select|with)\b/i.test(text) || text.includes(';'))
    throw new JourneyError(
      'INPUT_INVALID',
      `Segment "${name}": the SQL must be one SELECT (or WITH … SELECT) statement, without a semicolon.`,
    );
  return Object.freeze({ kind: 'journeys.segment', name, sql: text, description: options.description });
}

/** A customer a segment selected: the columns journeys use, and the rest as data. */
export interface SegmentMember {
  readonly id: string;
  readonly email?: string;
  readonly phone?: string;
  readonly data: Readonly<Record<string, unknown>>;
}

function member(row: Record<string, unknown>): SegmentMember {
  const { id, email, phone, ...data } = row;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return { id: String(id), email: text(email), phone: text(phone), data };
}

export interface RunSegmentOptions {
  /** The instant the segment is evaluated at (`$1`); defaults to now. */
  readonly now?: Date;
  /** Rows fetched per query (default 1,000). */
  readonly pageSize?: number;
  /** Resume after this customer id (members come in id order). */
  readonly after?: string;
}

/**
 * The segment's members in customer-id order, a page at a time (keyset paging on `id`, so a segment of a
 * million customers is never held in memory and a sweep can resume after the last id it handled).
 */
export async function* runSegment(
  db: SqlQueryable,
  segment: SegmentDefinition,
  options: RunSegmentOptions = {},
): AsyncGenerator<SegmentMember> {
  const now = (options.now ?? new Date()).toISOString();
  const pageSize = options.pageSize ?? 1_000;
  let after = options.after ?? '';
  for (;;) {
    const { rows } = await query(
      db,
      segment,
      `SELECT * FROM (${segment.sql}) AS segment WHERE ${NOW_TYPED} AND segment.id::text > $2 ORDER BY segment.id::text LIMIT $3`,
      [now, after, pageSize],
    );
    for (const row of rows) yield member(row);
    if (rows.length < pageSize) return;
    after = String(rows[rows.length - 1]?.id);
  }
}

/** How many customers a segment holds now, and a few of them: `journeys segment preview`. */
export async function previewSegment(
  db: SqlQueryable,
  segment: SegmentDefinition,
  options: { now?: Date; sample?: number } = {},
): Promise<{ size: number; sample: SegmentMember[] }> {
  const now = (options.now ?? new Date()).toISOString();
  const [{ rows: counted }, { rows }] = await Promise.all([
    query(db, segment, `SELECT count(*)::int AS size FROM (${segment.sql}) AS segment WHERE ${NOW_TYPED}`, [
      now,
    ]),
    query(
      db,
      segment,
      `SELECT * FROM (${segment.sql}) AS segment WHERE ${NOW_TYPED} ORDER BY segment.id::text LIMIT $2`,
      [now, options.sample ?? 5],
    ),
  ]);
  return { size: Number(counted[0]?.size ?? 0), sample: rows.map(member) };
}

async function query(
  db: SqlQueryable,
  segment: SegmentDefinition,
  sql: string,
  params: unknown[],
): Promise<{ rows: Record<string, unknown>[] }> {
  try {
    return await db.query<Record<string, unknown>>(sql, params);
  } catch (cause) {
    throw new JourneyError(
      'INPUT_INVALID',
      `Segment "${segment.name}" failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}
