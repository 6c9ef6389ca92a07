import { randomInt } from 'node:crypto';
import type { CustomerInput, Instant, InvoiceInput, OrderInput } from './schema';
import type { CustomerProfile, Invoice, Order, ProfileSource } from './types';

/**
 * A profile source in memory: customers, orders and invoices a test stores, and promo codes assigned once
 * per customer and campaign. What the test kit uses unless given a database (`profiles: 'sql'`), so a test
 * of journeys that read little customer data needs no PostgreSQL. Recommendations are always empty.
 */
export interface MemoryProfileSource extends ProfileSource {
  /** Creates the customer, or updates the fields given; returns the stored profile. */
  upsertCustomer(input: CustomerInput): Promise<CustomerProfile>;
  /** Stores an order; an id already stored is left as it is. */
  addOrder(order: OrderInput): Promise<void>;
  /** Stores an invoice; an id already stored is left as it is. */
  addInvoice(invoice: InvoiceInput): Promise<void>;
  /** Records when the funds arrived (default now); paying twice keeps the first time. */
  markInvoicePaid(invoiceId: string, at?: Instant): Promise<void>;
}

const iso = (at: Instant) => new Date(at).toISOString();
const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** See {@link MemoryProfileSource}. Async like every source: a failure is a rejected promise, never a throw. */
/* eslint-disable @typescript-eslint/require-await */
export function createMemoryProfileSource(): MemoryProfileSource {
  const customers = new Map<string, CustomerProfile>();
  const orders = new Map<string, Order>();
  const invoices = new Map<string, Invoice>();
  const codes = new Map<string, string>();
  return {
    async profile(customerId) {
      return customers.get(customerId) ?? null;
    },
    async orders(customerId, options = {}) {
      return [...orders.values()]
        .filter((o) => o.customerId === customerId && (!options.since || o.placedAt >= iso(options.since)))
        .sort((a, b) => a.placedAt.localeCompare(b.placedAt));
    },
    async recommendations() {
      return [];
    },
    async invoice(invoiceId) {
      return invoices.get(invoiceId) ?? null;
    },
    async assignPromoCode(customerId, campaign) {
      if (!customers.has(customerId))
        throw new Error(
          `Cannot assign a ${campaign} promo code to ${customerId}: no such customer in the profile store.`,
        );
      const key = JSON.stringify([customerId, campaign]);
      let code = codes.get(key);
      if (!code) {
        const random = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join(
          '',
        );
        code = `${campaign.toUpperCase()}-${random}`;
        codes.set(key, code);
      }
      return code;
    },
    async upsertCustomer(input) {
      const before = customers.get(input.id);
      const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
      const stored: CustomerProfile = {
        email: null,
        phone: null,
        firstName: null,
        smsOptIn: false,
        lastActiveAt: null,
        plan: null,
        openComplaints: 0,
        lastReview: null,
        ...before,
        ...given,
        id: input.id,
        signedUpAt: iso(input.signedUpAt ?? before?.signedUpAt ?? new Date()),
        ...(input.lastActiveAt != null && { lastActiveAt: iso(input.lastActiveAt) }),
      };
      customers.set(input.id, stored);
      return stored;
    },
    async addOrder(order) {
      if (orders.has(order.id)) return;
      orders.set(order.id, {
        id: order.id,
        customerId: order.customerId,
        placedAt: iso(order.placedAt ?? new Date()),
        status: order.status ?? 'placed',
        total: order.total ?? order.items.reduce((sum, i) => sum + i.price * i.quantity, 0),
        currency: order.currency ?? 'USD',
        items: order.items,
      });
    },
    async addInvoice(invoice) {
      if (invoices.has(invoice.id)) return;
      invoices.set(invoice.id, {
        id: invoice.id,
        customerId: invoice.customerId,
        amount: invoice.amount,
        currency: invoice.currency ?? 'USD',
        dueAt: iso(invoice.dueAt),
        paidAt: invoice.paidAt == null ? null : iso(invoice.paidAt),
      });
    },
    async markInvoicePaid(invoiceId, at = new Date()) {
      const invoice = invoices.get(invoiceId);
      if (!invoice) throw new Error(`No invoice ${invoiceId} in the profile store.`);
      if (invoice.paidAt === null) invoices.set(invoiceId, { ...invoice, paidAt: iso(at) });
    },
  };
}
/* eslint-enable @typescript-eslint/require-await */
