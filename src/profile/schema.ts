// The profile store's tables: their DDL and migration, what the writers put in, and how rows come back as
// the contract's shapes. The queries themselves are in ./sql-source.
import type { SqlQueryable } from './sql-source';
import type { CustomerProfile, Invoice, Order, OrderItem } from './types';

/**
 * The profile store's tables, as PostgreSQL DDL: `CREATE … IF NOT EXISTS` statements, so running it again
 * is harmless. Apply it with {@link migrate}, or paste it into your own migration tool.
 *
 * Money is `numeric` (exact: a sum of prices never drifts like a float would), times are `timestamptz`, ids
 * are text so they can be the shop's own ids. Beyond the columns the contract needs: `order_items.line`
 * keeps an order's items in the order they were given, and foreign keys reject rows for unknown customers.
 */
export const profileSchema = `
CREATE TABLE IF NOT EXISTS customers (
  id text PRIMARY KEY,
  email text,
  phone text,
  first_name text,
  sms_opt_in boolean NOT NULL DEFAULT false,
  signed_up_at timestamptz NOT NULL DEFAULT now(),
  last_active_at timestamptz,
  plan text
);
CREATE TABLE IF NOT EXISTS products (
  id text PRIMARY KEY,
  name text NOT NULL,
  category text NOT NULL,
  price numeric NOT NULL,
  rank integer NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS products_category_rank ON products (category, rank);
CREATE TABLE IF NOT EXISTS category_relations (
  category text NOT NULL,
  related_category text NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (category, related_category)
);
CREATE TABLE IF NOT EXISTS orders (
  id text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers (id),
  placed_at timestamptz NOT NULL,
  status text NOT NULL,
  total numeric NOT NULL,
  currency text NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_customer_placed ON orders (customer_id, placed_at);
CREATE TABLE IF NOT EXISTS order_items (
  order_id text NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  line integer NOT NULL,
  product_id text NOT NULL,
  name text NOT NULL,
  category text NOT NULL,
  price numeric NOT NULL,
  quantity integer NOT NULL,
  PRIMARY KEY (order_id, line)
);
CREATE TABLE IF NOT EXISTS invoices (
  id text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers (id),
  amount numeric NOT NULL,
  currency text NOT NULL,
  due_at timestamptz NOT NULL,
  paid_at timestamptz
);
CREATE TABLE IF NOT EXISTS promo_codes (
  customer_id text NOT NULL REFERENCES customers (id),
  campaign text NOT NULL,
  code text NOT NULL UNIQUE,
  assigned_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (customer_id, campaign)
);
CREATE TABLE IF NOT EXISTS reviews (
  customer_id text NOT NULL REFERENCES customers (id),
  rating integer NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS reviews_customer_at ON reviews (customer_id, at);
CREATE TABLE IF NOT EXISTS complaints (
  id text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers (id),
  opened_at timestamptz NOT NULL,
  closed_at timestamptz
);
CREATE INDEX IF NOT EXISTS complaints_customer_open ON complaints (customer_id) WHERE closed_at IS NULL;
`;

/**
 * Creates the profile tables when they are missing; safe to call on every start.
 *
 * The DDL runs as one `DO` block under a transaction-scoped advisory lock: one statement, so it is atomic
 * even through a pool (which may send each query on a different connection), and serialised, because two
 * workers starting together would otherwise race in `CREATE TABLE IF NOT EXISTS` and one would fail on a
 * duplicate catalog row.
 */
export async function migrate(db: SqlQueryable): Promise<void> {
  await db.query(
    `DO $migrate$ BEGIN
       PERFORM pg_advisory_xact_lock(hashtext('temporal-journeys.profile-schema'));
       ${profileSchema}
     END $migrate$`,
  );
}

/** A time the writers accept: an ISO-8601 string or a `Date`. Stored as `timestamptz`, read back as ISO. */
export type Instant = string | Date;

/** A customer to create or update; every field but `id` is optional (an omitted field keeps its value). */
export interface CustomerInput {
  readonly id: string;
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly firstName?: string | null;
  /** Defaults to `false` for a new customer: SMS marketing needs explicit consent. */
  readonly smsOptIn?: boolean;
  /** Defaults to now for a new customer. */
  readonly signedUpAt?: Instant;
  readonly lastActiveAt?: Instant | null;
  readonly plan?: string | null;
}

/** A product in the catalogue; recommendations suggest lower `rank`s first. */
export interface ProductInput {
  readonly id: string;
  readonly name: string;
  readonly category: string;
  readonly price: number;
  /** Lower is better; defaults to 0. */
  readonly rank?: number;
}

/** An order to store with its items. */
export interface OrderInput {
  readonly id: string;
  readonly customerId: string;
  /** Defaults to now. */
  readonly placedAt?: Instant;
  /** Defaults to `placed`. */
  readonly status?: string;
  /** Defaults to the sum of the items' `price × quantity`, computed exactly by the database. */
  readonly total?: number;
  /** Defaults to `USD`. */
  readonly currency?: string;
  readonly items: readonly OrderItem[];
}

/** An invoice to store. */
export interface InvoiceInput {
  readonly id: string;
  readonly customerId: string;
  readonly amount: number;
  /** Defaults to `USD`. */
  readonly currency?: string;
  readonly dueAt: Instant;
  readonly paidAt?: Instant | null;
}

/** A `timestamptz` as a driver returns it: PGlite and `pg` give a `Date`; other drivers may give text. */
type Timestamp = Date | string;

/** A `customers` row with the profile's computed columns (see `createSqlProfileSource().profile`). */
export interface CustomerRow {
  id: string;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  sms_opt_in: boolean;
  signed_up_at: Timestamp;
  last_active_at: Timestamp | null;
  plan: string | null;
  open_complaints: number | string;
  review_rating: number | null;
  review_at: Timestamp | null;
}

/** An `orders` row with its items aggregated to JSON, in line order. */
export interface OrderRow {
  id: string;
  customer_id: string;
  placed_at: Timestamp;
  status: string;
  total: number | string;
  currency: string;
  items: { productId: string; name: string; category: string; price: number | string; quantity: number }[];
}

/** An `invoices` row. */
export interface InvoiceRow {
  id: string;
  customer_id: string;
  amount: number | string;
  currency: string;
  due_at: Timestamp;
  paid_at: Timestamp | null;
}

/** A customer row as the contract's {@link CustomerProfile}. */
export function toProfile(row: CustomerRow): CustomerProfile {
  return {
    id: row.id,
    email: row.email,
    phone: row.phone,
    firstName: row.first_name,
    smsOptIn: row.sms_opt_in,
    signedUpAt: toIso(row.signed_up_at),
    lastActiveAt: row.last_active_at === null ? null : toIso(row.last_active_at),
    plan: row.plan,
    openComplaints: toNumber(row.open_complaints),
    lastReview:
      row.review_rating === null || row.review_at === null
        ? null
        : { rating: toNumber(row.review_rating), at: toIso(row.review_at) },
  };
}

/** An order row as the contract's {@link Order}. */
export function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    customerId: row.customer_id,
    placedAt: toIso(row.placed_at),
    status: row.status,
    total: toNumber(row.total),
    currency: row.currency,
    items: row.items.map((item) => ({
      productId: item.productId,
      name: item.name,
      category: item.category,
      price: toNumber(item.price),
      quantity: toNumber(item.quantity),
    })),
  };
}

/** An invoice row as the contract's {@link Invoice}. */
export function toInvoice(row: InvoiceRow): Invoice {
  return {
    id: row.id,
    customerId: row.customer_id,
    amount: toNumber(row.amount),
    currency: row.currency,
    dueAt: toIso(row.due_at),
    paidAt: row.paid_at === null ? null : toIso(row.paid_at),
  };
}

/**
 * A time parameter as UTC ISO-8601: the database then never reads a zone-less string in its own time
 * zone, and a malformed time fails here, naming the value.
 */
export function toParam(value: Instant): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`Invalid time ${String(value)}: use an ISO-8601 string.`);
  return date.toISOString();
}

/** `pg` returns `numeric` (and `bigint`) as strings so nothing rounds silently; money fits a double. */
function toNumber(value: number | string): number {
  const number = Number(value);
  if (!Number.isFinite(number)) throw new Error(`Expected a number from the profile store, got ${value}.`);
  return number;
}

function toIso(value: Timestamp): string {
  return new Date(value).toISOString();
}
