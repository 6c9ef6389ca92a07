import { randomBytes, randomUUID } from 'node:crypto';
import { migrate, toInvoice, toOrder, toParam, toProfile } from './schema';
import type {
  CustomerInput,
  CustomerRow,
  Instant,
  InvoiceInput,
  InvoiceRow,
  OrderInput,
  OrderRow,
  ProductInput,
} from './schema';
import type { CustomerProfile, ProfileSource, Recommendation } from './types';

/**
 * The one method the SQL source needs from a database: a parameterised query returning rows. Both a PGlite
 * instance and a `pg` `Pool` (or `Client`) satisfy it as they are.
 */
export interface SqlQueryable {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/**
 * The {@link ProfileSource} over SQL, plus the writers tests, seeds and the demo fill it with. Writers that
 * name a row by id (`setOrderStatus`, `markInvoicePaid`, `closeComplaint`, `recordActivity`) throw when
 * the row does not exist, so a typo in a test fails loudly instead of asserting on stale data.
 */
export interface SqlProfileSource extends ProfileSource {
  /** The database it queries, for segments (`runSegment`) and queries of your own. */
  readonly db: SqlQueryable;
  /** Creates the tables when missing (see `migrate` in `./schema`). */
  migrate(): Promise<void>;
  /** Creates the customer, or updates the fields given; returns the stored profile. */
  upsertCustomer(input: CustomerInput): Promise<CustomerProfile>;
  /** Adds products, or updates the ones whose id is already stored. */
  addProducts(products: readonly ProductInput[]): Promise<void>;
  /** Says that buyers of `category` may want `relatedCategory`, and why (shown as the recommendation's reason). */
  relateCategories(category: string, relatedCategory: string, reason: string): Promise<void>;
  /**
   * Stores an order and its items in one statement. An id already stored is left as it is, so a retried
   * call adds nothing. It does not touch `lastActiveAt`: call {@link SqlProfileSource.recordActivity}.
   */
  addOrder(order: OrderInput): Promise<void>;
  setOrderStatus(orderId: string, status: string): Promise<void>;
  /** Stores an invoice; an id already stored is left as it is. */
  addInvoice(invoice: InvoiceInput): Promise<void>;
  /** Records when the funds arrived (default now); paying twice keeps the first time. */
  markInvoicePaid(invoiceId: string, at?: Instant): Promise<void>;
  addReview(customerId: string, rating: number, at?: Instant): Promise<void>;
  /** Opens a complaint (default now) and returns its id. */
  openComplaint(customerId: string, at?: Instant): Promise<string>;
  /** Closes a complaint (default now); closing twice keeps the first time. */
  closeComplaint(complaintId: string, at?: Instant): Promise<void>;
  /** Sets `lastActiveAt` (default now), earlier or later than before: tests use it to make a customer idle. */
  recordActivity(customerId: string, at?: Instant): Promise<void>;
  /**
   * Deletes the customer and every row about them (orders and their items, invoices, promo codes,
   * reviews, complaints) in one statement, so nothing is left half-erased; returns the rows deleted by table.
   */
  forgetCustomer(customerId: string): Promise<Record<string, number>>;
}

/** The columns `upsertCustomer` may update; a constant map, so no caller text ever reaches the SQL. */
const customerColumns = {
  email: 'email',
  phone: 'phone',
  firstName: 'first_name',
  smsOptIn: 'sms_opt_in',
  signedUpAt: 'signed_up_at',
  lastActiveAt: 'last_active_at',
  plan: 'plan',
} as const satisfies Record<Exclude<keyof CustomerInput, 'id'>, string>;

/** Promo code characters: no 0/O or 1/I, which customers mistype; 32 of them, so a byte maps evenly. */
const codeAlphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const codeAttempts = 5;

/**
 * A {@link SqlProfileSource} on any PostgreSQL that `db` reaches: PGlite in tests and the demo, a `pg`
 * `Pool` in production. Every statement is parameterised, and each writer is a single statement, so it is
 * atomic through a pool too.
 *
 * @example
 * const source = createSqlProfileSource(new Pool({ connectionString }));
 * await source.migrate();
 * const code = await source.assignPromoCode('cust-ada', 'welcome'); // 'WELCOME-7K3QX9MA', every time
 */
export function createSqlProfileSource(db: SqlQueryable): SqlProfileSource {
  const profile = async (customerId: string): Promise<CustomerProfile | null> => {
    const { rows } = await db.query<CustomerRow>(
      `SELECT c.*, r.rating AS review_rating, r.at AS review_at,
         (SELECT count(*) FROM complaints k WHERE k.customer_id = c.id AND k.closed_at IS NULL)::int
           AS open_complaints
       FROM customers c
       LEFT JOIN LATERAL (
         SELECT rating, at FROM reviews WHERE customer_id = c.id ORDER BY at DESC LIMIT 1
       ) r ON true
       WHERE c.id = $1`,
      [customerId],
    );
    const row = rows[0];
    return row ? toProfile(row) : null;
  };

  const updateOne = async (what: string, id: string, text: string, params: unknown[]): Promise<void> => {
    const { rows } = await db.query(text, params);
    if (rows.length === 0) throw new Error(`No ${what} with id ${id} in the profile store: add it first.`);
  };

  return {
    db,
    profile,
    migrate: () => migrate(db),

    async orders(customerId, options = {}) {
      const since = options.since === undefined ? null : toParam(options.since);
      const { rows } = await db.query<OrderRow>(
        `SELECT o.*, COALESCE(
           json_agg(json_build_object('productId', i.product_id, 'name', i.name, 'category', i.category,
             'price', i.price, 'quantity', i.quantity) ORDER BY i.line) FILTER (WHERE i.order_id IS NOT NULL),
           '[]') AS items
         FROM orders o LEFT JOIN order_items i ON i.order_id = o.id
         WHERE o.customer_id = $1 AND ($2::timestamptz IS NULL OR o.placed_at >= $2::timestamptz)
         GROUP BY o.id
         ORDER BY o.placed_at, o.id`,
        [customerId, since],
      );
      return rows.map(toOrder);
    },

    async recommendations(customerId, options = {}) {
      // Seed categories: the one given, else the product's, else those of everything the customer bought.
      // Cancelled orders are not purchases: their products may still be suggested.
      const { rows } = await db.query<Recommendation>(
        `WITH bought AS (
           SELECT i.product_id, i.category FROM order_items i JOIN orders o ON o.id = i.order_id
           WHERE o.customer_id = $1 AND o.status <> 'cancelled'
         ), seeds AS (
           SELECT $2::text AS category WHERE $2::text IS NOT NULL
           UNION SELECT p.category FROM products p WHERE $2::text IS NULL AND p.id = $3::text
           UNION SELECT b.category FROM bought b WHERE $2::text IS NULL AND $3::text IS NULL
         ), candidates AS (
           SELECT DISTINCT ON (p.id) p.id, p.name, p.category, p.rank, r.reason
           FROM seeds s
           JOIN category_relations r ON r.category = s.category
           JOIN products p ON p.category = r.related_category
           WHERE p.id IS DISTINCT FROM $3::text
             AND NOT EXISTS (SELECT 1 FROM bought b WHERE b.product_id = p.id)
           ORDER BY p.id, r.reason
         )
         SELECT id AS "productId", name, category, reason FROM candidates ORDER BY rank, id LIMIT $4`,
        [
          customerId,
          options.category ?? null,
          options.productId ?? null,
          Math.max(0, Math.floor(options.limit ?? 3)),
        ],
      );
      return rows;
    },

    async invoice(invoiceId) {
      const { rows } = await db.query<InvoiceRow>(`SELECT * FROM invoices WHERE id = $1`, [invoiceId]);
      const row = rows[0];
      return row ? toInvoice(row) : null;
    },

    async assignPromoCode(customerId, campaign) {
      for (let attempt = 0; attempt < codeAttempts; attempt++) {
        // No conflict target: a clash on (customer, campaign) means the code exists (a retry, or a
        // concurrent call, whose insert this one waits for); a clash on `code` means another customer
        // drew the same random code, and the SELECT below finds nothing, so we draw again.
        try {
          await db.query(
            `INSERT INTO promo_codes (customer_id, campaign, code) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
            [customerId, campaign, `${campaign.toUpperCase()}-${randomCode(8)}`],
          );
        } catch (error) {
          if (errorCode(error) !== '23503') throw error;
          throw new Error(
            `Cannot assign a ${campaign} promo code to ${customerId}: no such customer in the profile store.`,
            { cause: error },
          );
        }
        const { rows } = await db.query<{ code: string }>(
          `SELECT code FROM promo_codes WHERE customer_id = $1 AND campaign = $2`,
          [customerId, campaign],
        );
        if (rows[0]) return rows[0].code;
      }
      throw new Error(
        `Could not draw a unique ${campaign} promo code for ${customerId} in ${codeAttempts} tries.`,
      );
    },

    async forgetCustomer(customerId) {
      // One statement: foreign keys are checked at its end, when every row of the customer is gone.
      const { rows } = await db.query<Record<string, number | string>>(
        `WITH order_items AS (DELETE FROM order_items WHERE order_id IN (SELECT id FROM orders WHERE customer_id = $1) RETURNING 1),
              orders AS (DELETE FROM orders WHERE customer_id = $1 RETURNING 1),
              invoices AS (DELETE FROM invoices WHERE customer_id = $1 RETURNING 1),
              promo_codes AS (DELETE FROM promo_codes WHERE customer_id = $1 RETURNING 1),
              reviews AS (DELETE FROM reviews WHERE customer_id = $1 RETURNING 1),
              complaints AS (DELETE FROM complaints WHERE customer_id = $1 RETURNING 1),
              customers AS (DELETE FROM customers WHERE id = $1 RETURNING 1)
         SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM orders) AS orders,
                (SELECT count(*) FROM order_items) AS order_items, (SELECT count(*) FROM invoices) AS invoices,
                (SELECT count(*) FROM promo_codes) AS promo_codes, (SELECT count(*) FROM reviews) AS reviews,
                (SELECT count(*) FROM complaints) AS complaints`,
        [customerId],
      );
      return Object.fromEntries(Object.entries(rows[0] ?? {}).map(([table, n]) => [table, Number(n)]));
    },

    async upsertCustomer(input) {
      const given = (Object.keys(customerColumns) as (keyof typeof customerColumns)[]).filter(
        (key) => input[key] !== undefined,
      );
      // An existing customer gets only the fields given; with none, `id = EXCLUDED.id` is a valid no-op.
      const updates = given.map((key) => `${customerColumns[key]} = EXCLUDED.${customerColumns[key]}`);
      await db.query(
        `INSERT INTO customers (id, email, phone, first_name, sms_opt_in, signed_up_at, last_active_at, plan)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO UPDATE SET ${updates.length > 0 ? updates.join(', ') : 'id = EXCLUDED.id'}`,
        [
          input.id,
          input.email ?? null,
          input.phone ?? null,
          input.firstName ?? null,
          input.smsOptIn ?? false,
          toParam(input.signedUpAt ?? new Date()),
          input.lastActiveAt == null ? null : toParam(input.lastActiveAt),
          input.plan ?? null,
        ],
      );
      const stored = await profile(input.id);
      if (!stored) throw new Error(`Customer ${input.id} vanished right after its upsert.`);
      return stored;
    },

    async addProducts(products) {
      await db.query(
        `INSERT INTO products (id, name, category, price, rank)
         SELECT id, name, category, price, COALESCE(rank, 0)
         FROM jsonb_to_recordset($1::jsonb) AS p(id text, name text, category text, price numeric, rank integer)
         ON CONFLICT (id) DO UPDATE
           SET name = EXCLUDED.name, category = EXCLUDED.category, price = EXCLUDED.price, rank = EXCLUDED.rank`,
        [JSON.stringify(products)],
      );
    },

    async relateCategories(category, relatedCategory, reason) {
      await db.query(
        `INSERT INTO category_relations (category, related_category, reason) VALUES ($1, $2, $3)
         ON CONFLICT (category, related_category) DO UPDATE SET reason = EXCLUDED.reason`,
        [category, relatedCategory, reason],
      );
    },

    async addOrder(order) {
      const items = order.items.map((item, index) => ({ ...item, line: index + 1 }));
      await db.query(
        `WITH items AS (
           SELECT * FROM jsonb_to_recordset($7::jsonb) AS i(line integer, "productId" text, name text,
             category text, price numeric, quantity integer)
         ), placed AS (
           INSERT INTO orders (id, customer_id, placed_at, status, total, currency)
           VALUES ($1, $2, $3, $4, COALESCE($5::numeric, (SELECT COALESCE(sum(price * quantity), 0) FROM items)), $6)
           ON CONFLICT (id) DO NOTHING
           RETURNING id
         )
         INSERT INTO order_items (order_id, line, product_id, name, category, price, quantity)
         SELECT placed.id, i.line, i."productId", i.name, i.category, i.price, i.quantity FROM placed, items i`,
        [
          order.id,
          order.customerId,
          toParam(order.placedAt ?? new Date()),
          order.status ?? 'placed',
          order.total ?? null,
          order.currency ?? 'USD',
          JSON.stringify(items),
        ],
      );
    },

    async setOrderStatus(orderId, status) {
      await updateOne('order', orderId, `UPDATE orders SET status = $2 WHERE id = $1 RETURNING id`, [
        orderId,
        status,
      ]);
    },

    async addInvoice(invoice) {
      await db.query(
        `INSERT INTO invoices (id, customer_id, amount, currency, due_at, paid_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO NOTHING`,
        [
          invoice.id,
          invoice.customerId,
          invoice.amount,
          invoice.currency ?? 'USD',
          toParam(invoice.dueAt),
          invoice.paidAt == null ? null : toParam(invoice.paidAt),
        ],
      );
    },

    async markInvoicePaid(invoiceId, at = new Date()) {
      await updateOne(
        'invoice',
        invoiceId,
        `UPDATE invoices SET paid_at = COALESCE(paid_at, $2) WHERE id = $1 RETURNING id`,
        [invoiceId, toParam(at)],
      );
    },

    async addReview(customerId, rating, at = new Date()) {
      await db.query(`INSERT INTO reviews (customer_id, rating, at) VALUES ($1, $2, $3)`, [
        customerId,
        rating,
        toParam(at),
      ]);
    },

    async openComplaint(customerId, at = new Date()) {
      const id = randomUUID();
      await db.query(`INSERT INTO complaints (id, customer_id, opened_at) VALUES ($1, $2, $3)`, [
        id,
        customerId,
        toParam(at),
      ]);
      return id;
    },

    async closeComplaint(complaintId, at = new Date()) {
      await updateOne(
        'complaint',
        complaintId,
        `UPDATE complaints SET closed_at = COALESCE(closed_at, $2) WHERE id = $1 RETURNING id`,
        [complaintId, toParam(at)],
      );
    },

    async recordActivity(customerId, at = new Date()) {
      await updateOne(
        'customer',
        customerId,
        `UPDATE customers SET last_active_at = $2 WHERE id = $1 RETURNING id`,
        [customerId, toParam(at)],
      );
    },
  };
}

function randomCode(length: number): string {
  return Array.from(randomBytes(length), (byte) => codeAlphabet[byte % codeAlphabet.length]).join('');
}

/** The SQLSTATE of a database error; `pg` and PGlite both put it on `code`. */
function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
