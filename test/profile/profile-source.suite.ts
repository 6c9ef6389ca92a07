import { randomUUID } from 'node:crypto';
import { demoIds, seedDemoData, type SqlProfileSource } from '../../src/profile';

/** A profile source on a real database, opened once per suite, and how to release it. */
export interface OpenedProfileSource {
  readonly source: SqlProfileSource;
  close(): Promise<void>;
}

const NOW = new Date('2025-06-01T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();

/**
 * The behaviour every SQL profile source must show, whatever database it runs on. The demo seed is read,
 * never changed; each test that writes uses ids and categories of its own, so tests stay independent on
 * the one database the suite opens.
 */
export function profileSourceSuite(name: string, open: () => Promise<OpenedProfileSource>): void {
  describe(name, () => {
    let opened: OpenedProfileSource | undefined;
    const source = (): SqlProfileSource => {
      if (!opened) throw new Error(`${name}: the database did not open (see the beforeAll error).`);
      return opened.source;
    };
    const fresh = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
    const newCustomer = async () => (await source().upsertCustomer({ id: fresh('cust') })).id;

    beforeAll(async () => {
      opened = await open();
      await seedDemoData(opened.source, NOW);
    });
    afterAll(async () => {
      await opened?.close();
    });

    test('migrate and the seed can run again, even concurrently, without doubling anything', async () => {
      await Promise.all([source().migrate(), source().migrate(), source().migrate()]);
      await seedDemoData(source(), NOW);
      expect((await source().orders(demoIds.customers.ada)).map((o) => o.id)).toEqual([
        demoIds.orders.adaFirst,
        demoIds.orders.adaSecond,
      ]);
      expect((await source().profile(demoIds.customers.linus))?.openComplaints).toBe(1);
      expect((await source().profile(demoIds.customers.grace))?.lastReview).toEqual({
        rating: 5,
        at: daysAgo(3),
      });
    });

    test('profile returns a seeded customer with ISO times, and null for an unknown id', async () => {
      expect(await source().profile(demoIds.customers.ada)).toEqual({
        id: 'cust-ada',
        email: 'ada@example.com',
        phone: '+14155550101',
        firstName: 'Ada',
        smsOptIn: true,
        signedUpAt: daysAgo(400),
        lastActiveAt: daysAgo(1),
        plan: 'basic',
        openComplaints: 0,
        lastReview: null,
      });
      expect((await source().profile(demoIds.customers.linus))?.smsOptIn).toBe(false);
      expect(await source().profile('cust-nobody')).toBeNull();
    });

    test('upsertCustomer applies defaults, then updates only the fields given', async () => {
      const id = fresh('cust');
      const before = Date.now();
      const created = await source().upsertCustomer({ id });
      expect(created).toMatchObject({ id, email: null, smsOptIn: false, lastActiveAt: null, plan: null });
      expect(created.signedUpAt).toMatch(ISO);
      expect(Date.parse(created.signedUpAt)).toBeGreaterThanOrEqual(before - 1000);

      await source().upsertCustomer({ id, email: 'new@example.com', plan: 'plus', smsOptIn: true });
      const updated = await source().upsertCustomer({ id, plan: null, lastActiveAt: '2025-01-02T03:04:05Z' });
      expect(updated).toMatchObject({
        email: 'new@example.com',
        smsOptIn: true,
        plan: null,
        signedUpAt: created.signedUpAt,
        lastActiveAt: '2025-01-02T03:04:05.000Z',
      });
    });

    test('recordActivity sets lastActiveAt, earlier or later; an unknown customer throws', async () => {
      const id = await newCustomer();
      await source().recordActivity(id, daysAgo(1));
      await source().recordActivity(id, daysAgo(90));
      expect((await source().profile(id))?.lastActiveAt).toBe(daysAgo(90));
      await expect(source().recordActivity('cust-nobody')).rejects.toThrow(/cust-nobody/);
    });

    test('profile counts open complaints and takes the latest review by time', async () => {
      const id = await newCustomer();
      await source().addReview(id, 2, daysAgo(10));
      await source().addReview(id, 5, daysAgo(1));
      await source().addReview(id, 3, daysAgo(5)); // added last, but older
      const first = await source().openComplaint(id, daysAgo(4));
      await source().openComplaint(id, daysAgo(3));
      await source().closeComplaint(first, daysAgo(2));
      await source().closeComplaint(first, daysAgo(1)); // closing again keeps the first time
      expect(await source().profile(id)).toMatchObject({
        openComplaints: 1,
        lastReview: { rating: 5, at: daysAgo(1) },
      });
      await expect(source().closeComplaint('complaint-nobody')).rejects.toThrow(/complaint-nobody/);
    });

    test('orders come oldest first, items in order, totals computed exactly, numbers as numbers', async () => {
      const id = await newCustomer();
      const item = { name: 'Drop', category: fresh('cat'), price: 0.1, quantity: 1 };
      await source().addOrder({ id: fresh('order'), customerId: id, placedAt: daysAgo(1), items: [] });
      await source().addOrder({
        id: `${id}-first`,
        customerId: id,
        placedAt: daysAgo(3),
        currency: 'EUR',
        items: [
          { ...item, productId: 'p-b' },
          { ...item, productId: 'p-a', price: 0.2, quantity: 3 },
        ],
      });
      const [first, second] = await source().orders(id);
      expect(first).toEqual({
        id: `${id}-first`,
        customerId: id,
        placedAt: daysAgo(3),
        status: 'placed',
        total: 0.7, // summed in numeric: in floats, 0.1 + 0.2 × 3 is 0.7000000000000001
        currency: 'EUR',
        items: [
          { ...item, productId: 'p-b' },
          { ...item, productId: 'p-a', price: 0.2, quantity: 3 },
        ],
      });
      expect(second).toMatchObject({ total: 0, currency: 'USD', items: [] });
      expect(await source().orders('cust-nobody')).toEqual([]);
    });

    test('addOrder keeps a given total and ignores a repeated id; setOrderStatus updates', async () => {
      const id = await newCustomer();
      const order = {
        id: fresh('order'),
        customerId: id,
        total: 10,
        items: [{ productId: 'p', name: 'P', category: 'c', price: 12, quantity: 1 }],
      };
      await source().addOrder(order);
      await source().addOrder({ ...order, total: 99 }); // an activity retry: nothing changes
      await source().setOrderStatus(order.id, 'shipped');
      const orders = await source().orders(id);
      expect(orders).toHaveLength(1);
      expect(orders[0]).toMatchObject({ total: 10, status: 'shipped', items: [{ productId: 'p' }] });
      await expect(source().setOrderStatus('order-nobody', 'shipped')).rejects.toThrow(/order-nobody/);
    });

    test('orders({ since }) keeps the orders placed at or after it', async () => {
      const id = await newCustomer();
      for (const days of [30, 10, 5]) {
        await source().addOrder({ id: `${id}-${days}`, customerId: id, placedAt: daysAgo(days), items: [] });
      }
      const since = await source().orders(id, { since: daysAgo(10) });
      expect(since.map((o) => o.id)).toEqual([`${id}-10`, `${id}-5`]);
      expect(await source().orders(id, { since: NOW.toISOString() })).toEqual([]);
    });

    test('recommendations for a seeded customer follow her orders, skip what she bought, best first', async () => {
      expect(await source().recommendations(demoIds.customers.ada)).toEqual([
        {
          productId: demoIds.products.kyusu,
          name: 'Kyusu teapot',
          category: 'teaware',
          reason: 'goes with your tea',
        },
        {
          productId: demoIds.products.cups,
          name: 'Two porcelain cups',
          category: 'teaware',
          reason: 'goes with your tea',
        },
        {
          productId: demoIds.products.earlGrey,
          name: 'Earl Grey',
          category: 'tea',
          reason: 'something to brew in it',
        },
      ]);
      const cards = await source().recommendations(demoIds.customers.grace, { category: 'cards', limit: 2 });
      expect(cards).toEqual([
        expect.objectContaining({
          productId: demoIds.products.purchaseProtection,
          reason: 'protect your card',
        }),
        expect.objectContaining({ productId: demoIds.products.travelInsurance, reason: 'protect your card' }),
      ]);
    });

    test('recommendations follow relations and rank, honour limit, and exclude bought products', async () => {
      const [base, related, other] = [fresh('base'), fresh('related'), fresh('other')];
      await source().addProducts([
        { id: `${related}-3`, name: 'Third', category: related, price: 3, rank: 3 },
        { id: `${related}-1`, name: 'First', category: related, price: 1, rank: 1 },
        { id: `${related}-2`, name: 'Second', category: related, price: 2, rank: 2 },
        { id: `${related}-4`, name: 'Fourth', category: related, price: 4, rank: 4 },
        { id: `${base}-1`, name: 'Base', category: base, price: 5 },
        { id: `${other}-1`, name: 'Unrelated', category: other, price: 1, rank: 0 },
      ]);
      await source().relateCategories(base, related, 'old reason');
      await source().relateCategories(base, related, 'pairs well'); // a second call updates the reason
      const id = await newCustomer();
      const ids = async (options?: Parameters<SqlProfileSource['recommendations']>[1]) =>
        (await source().recommendations(id, options)).map((r) => r.productId);

      expect(await ids({ category: base })).toEqual([`${related}-1`, `${related}-2`, `${related}-3`]);
      expect(await ids({ productId: `${base}-1`, limit: 10 })).toHaveLength(4);
      expect(await ids({ category: base, limit: 1 })).toEqual([`${related}-1`]);
      expect((await source().recommendations(id, { category: base }))[0]?.reason).toBe('pairs well');
      expect(await ids()).toEqual([]); // no category and no orders: nothing to relate to
      expect(await ids({ category: other })).toEqual([]);

      await source().addOrder({
        id: fresh('order'),
        customerId: id,
        items: [{ productId: `${base}-1`, name: 'Base', category: base, price: 5, quantity: 1 }],
      });
      const cancelled = fresh('order');
      await source().addOrder({
        id: cancelled,
        customerId: id,
        items: [{ productId: `${related}-1`, name: 'First', category: related, price: 1, quantity: 1 }],
      });
      await source().setOrderStatus(cancelled, 'cancelled'); // not a purchase: still suggested
      const bought = fresh('order');
      await source().addOrder({
        id: bought,
        customerId: id,
        items: [{ productId: `${related}-2`, name: 'Second', category: related, price: 2, quantity: 1 }],
      });
      expect(await ids()).toEqual([`${related}-1`, `${related}-3`, `${related}-4`]);
    });

    test('invoice returns amounts as numbers, null for an unknown id, and records payment once', async () => {
      expect(await source().invoice(demoIds.invoice)).toEqual({
        id: demoIds.invoice,
        customerId: demoIds.customers.grace,
        amount: 49,
        currency: 'USD',
        dueAt: new Date(NOW.getTime() + 3 * DAY).toISOString(),
        paidAt: null,
      });
      expect(await source().invoice('invoice-nobody')).toBeNull();

      const id = fresh('invoice');
      await source().addInvoice({ id, customerId: await newCustomer(), amount: 19.99, dueAt: daysAgo(-7) });
      expect(await source().invoice(id)).toMatchObject({ amount: 19.99, paidAt: null });
      await source().markInvoicePaid(id, daysAgo(1));
      await source().markInvoicePaid(id, NOW); // a second payment event keeps the first time
      expect((await source().invoice(id))?.paidAt).toBe(daysAgo(1));
      await expect(source().markInvoicePaid('invoice-nobody')).rejects.toThrow(/invoice-nobody/);
    });

    test('assignPromoCode gives one code per customer and campaign, across repeated calls', async () => {
      const id = await newCustomer();
      const code = await source().assignPromoCode(id, 'welcome');
      expect(code).toMatch(/^WELCOME-[2-9A-HJ-NP-Z]{8}$/);
      expect(await source().assignPromoCode(id, 'welcome')).toBe(code);
      expect(await source().assignPromoCode(id, 'win-back')).toMatch(/^WIN-BACK-/);
    });

    test('assignPromoCode hands out a single code to concurrent calls', async () => {
      const id = await newCustomer();
      const codes = await Promise.all(Array.from({ length: 12 }, () => source().assignPromoCode(id, 'sale')));
      expect(new Set(codes).size).toBe(1);
      expect(await source().assignPromoCode(id, 'sale')).toBe(codes[0]);
    });

    test('assignPromoCode codes are unique across customers; an unknown customer throws', async () => {
      const customers = await Promise.all(Array.from({ length: 20 }, newCustomer));
      const codes = await Promise.all(customers.map((id) => source().assignPromoCode(id, 'welcome')));
      expect(new Set(codes).size).toBe(customers.length);
      await expect(source().assignPromoCode('cust-nobody', 'welcome')).rejects.toThrow(/cust-nobody/);
    });
  });
}
