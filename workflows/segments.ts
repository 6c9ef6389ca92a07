/**
 * The segments proactive campaigns start from: SQL over the customer database (the SQL profile source's
 * tables), evaluated at the sweep's time (`$1`). Not bundled with the workflows: they run in activities and
 * in the CLI (`journeys segment preview <name>`).
 */
import { defineSegment } from 'temporal-journeys/profile';

/** Signed up in the last 7 days and has not ordered yet: the welcome series' audience. */
export const newNoPurchase = defineSegment(
  'new-no-purchase',
  `SELECT c.id, c.email, c.phone, c.first_name AS "firstName"
     FROM customers c
    WHERE c.signed_up_at > $1::timestamptz - interval '7 days'
      AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status <> 'cancelled')`,
  { description: 'signed up in the last 7 days, no order yet' },
);

/** Spent over 500 in all, but nothing in the last 90 days: worth a win-back. */
export const bigSpendersGoneQuiet = defineSegment(
  'big-spenders-gone-quiet',
  `SELECT c.id, c.email, c.phone, sum(o.total)::float8 AS spent
     FROM customers c
     JOIN orders o ON o.customer_id = c.id AND o.status <> 'cancelled'
    GROUP BY c.id, c.email, c.phone
   HAVING sum(o.total) > 500 AND max(o.placed_at) < $1::timestamptz - interval '90 days'`,
  { description: 'spent over 500, no order in the last 90 days' },
);

/** The top 10% of spenders (by spend in all) with no order in the last 60 days. */
export const topSpendersIdle = defineSegment(
  'top-spenders-idle',
  `WITH spend AS (
          SELECT customer_id, sum(total) AS spent, max(placed_at) AS last_order
            FROM orders WHERE status <> 'cancelled' GROUP BY customer_id),
        ranked AS (SELECT *, percent_rank() OVER (ORDER BY spent) AS rank FROM spend)
   SELECT c.id, c.email, c.phone, r.spent::float8 AS spent
     FROM ranked r JOIN customers c ON c.id = r.customer_id
    WHERE r.rank >= 0.9 AND r.last_order < $1::timestamptz - interval '60 days'`,
  { description: 'top 10% spenders, no order in the last 60 days' },
);

/** Every segment by name, for the CLI and campaign plans. */
export const segments = [newNoPurchase, bigSpendersGoneQuiet, topSpendersIdle] as const;
