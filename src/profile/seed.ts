import type { ProductInput } from './schema';
import type { SqlProfileSource } from './sql-source';

/**
 * The ids {@link seedDemoData} stores, for tests and the demo to refer to. The customers are the demo's
 * (`examples/backend-service.ts`): same ids, emails and phones.
 */
export const demoIds = {
  customers: { ada: 'cust-ada', grace: 'cust-grace', linus: 'cust-linus', edsger: 'cust-edsger' },
  products: {
    sencha: 'tea-sencha',
    assam: 'tea-assam',
    earlGrey: 'tea-earl-grey',
    kyusu: 'teaware-kyusu',
    cups: 'teaware-cups',
    infuser: 'teaware-infuser',
    classicCard: 'card-classic',
    goldCard: 'card-gold',
    platinumCard: 'card-platinum',
    purchaseProtection: 'insurance-purchase',
    travelInsurance: 'insurance-travel',
    fraudCover: 'insurance-fraud',
  },
  orders: {
    adaFirst: 'order-ada-1',
    adaSecond: 'order-ada-2',
    graceCard: 'order-grace-1',
    linusOld: 'order-linus-1',
  },
  invoice: 'invoice-grace-1',
} as const;

const p = demoIds.products;

/** A tea shop and a bank's cards, each category with a related one (lower rank is suggested first). */
const catalogue: readonly ProductInput[] = [
  { id: p.sencha, name: 'Sencha green tea', category: 'tea', price: 12.5, rank: 1 },
  { id: p.assam, name: 'Assam breakfast tea', category: 'tea', price: 9.9, rank: 2 },
  { id: p.earlGrey, name: 'Earl Grey', category: 'tea', price: 11, rank: 3 },
  { id: p.kyusu, name: 'Kyusu teapot', category: 'teaware', price: 39, rank: 1 },
  { id: p.cups, name: 'Two porcelain cups', category: 'teaware', price: 24, rank: 2 },
  { id: p.infuser, name: 'Steel infuser', category: 'teaware', price: 8.5, rank: 3 },
  { id: p.classicCard, name: 'Classic card', category: 'cards', price: 0, rank: 1 },
  { id: p.goldCard, name: 'Gold card', category: 'cards', price: 49, rank: 2 },
  { id: p.platinumCard, name: 'Platinum card', category: 'cards', price: 149, rank: 3 },
  { id: p.purchaseProtection, name: 'Purchase protection', category: 'insurance', price: 4.99, rank: 1 },
  { id: p.travelInsurance, name: 'Travel insurance', category: 'insurance', price: 9.99, rank: 2 },
  { id: p.fraudCover, name: 'Card fraud cover', category: 'insurance', price: 2.99, rank: 3 },
];

const DAY = 24 * 60 * 60 * 1000;

/**
 * Fills a profile store with the demo's shop: the catalogue, category relations, the four demo customers,
 * a few orders, a review, a complaint and an unpaid invoice, with times relative to `now`. Safe to run
 * again on the same store (a persisted demo database): rows already there are kept or updated, never
 * doubled.
 *
 * - Ada bought tea and an infuser and is active: she is suggested the teapot, cups and a tea she has not
 *   tried, never the infuser again.
 * - Grace holds a gold card, reviewed it 5 stars and owes its fee: upsell and payment-reminder material.
 * - Linus last ordered long ago and has an open complaint: reactivation, and no upsell.
 * - Edsger signed up yesterday and has bought nothing.
 *
 * @example
 * const { source } = await createPgliteProfileSource();
 * await seedDemoData(source);
 * await source.recommendations(demoIds.customers.ada); // the teapot, the cups, Earl Grey
 */
export async function seedDemoData(source: SqlProfileSource, now = new Date()): Promise<void> {
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const c = demoIds.customers;
  const item = (id: string, quantity = 1) => {
    const product = catalogue.find((candidate) => candidate.id === id);
    if (!product) throw new Error(`Demo seed: no product ${id} in the catalogue.`);
    return { productId: id, name: product.name, category: product.category, price: product.price, quantity };
  };

  await source.addProducts(catalogue);
  await source.relateCategories('tea', 'teaware', 'goes with your tea');
  await source.relateCategories('teaware', 'tea', 'something to brew in it');
  await source.relateCategories('cards', 'insurance', 'protect your card');

  // The demo's contacts (examples/backend-service.ts). Linus never agreed to marketing SMS, so journeys that
  // check `smsOptIn` leave that channel out for him.
  const customers = [
    {
      id: c.ada,
      email: 'ada@example.com',
      phone: '+14155550101',
      firstName: 'Ada',
      plan: 'basic',
      smsOptIn: true,
      signedUpAt: ago(400),
      lastActiveAt: ago(1),
    },
    {
      id: c.grace,
      email: 'grace@example.com',
      phone: '+14155550102',
      firstName: 'Grace',
      plan: 'basic',
      smsOptIn: true,
      signedUpAt: ago(400),
      lastActiveAt: ago(2),
    },
    {
      id: c.linus,
      email: 'linus@example.com',
      phone: '+14155550103',
      firstName: 'Linus',
      plan: 'plus',
      smsOptIn: false,
      signedUpAt: ago(400),
      lastActiveAt: ago(95),
    },
    {
      id: c.edsger,
      email: 'edsger@example.com',
      phone: '+14155550104',
      firstName: 'Edsger',
      plan: null,
      smsOptIn: true,
      signedUpAt: ago(1),
      lastActiveAt: null,
    },
  ];
  for (const customer of customers) await source.upsertCustomer(customer);

  const orders = [
    {
      id: demoIds.orders.adaFirst,
      customerId: c.ada,
      placedAt: ago(40),
      status: 'delivered',
      items: [item(p.sencha, 2), item(p.infuser)],
    },
    {
      id: demoIds.orders.adaSecond,
      customerId: c.ada,
      placedAt: ago(6),
      status: 'shipped',
      items: [item(p.assam)],
    },
    {
      id: demoIds.orders.graceCard,
      customerId: c.grace,
      placedAt: ago(300),
      status: 'delivered',
      items: [item(p.goldCard)],
    },
    {
      id: demoIds.orders.linusOld,
      customerId: c.linus,
      placedAt: ago(200),
      status: 'delivered',
      items: [item(p.earlGrey), item(p.cups)],
    },
  ];
  for (const order of orders) await source.addOrder(order);

  await source.addInvoice({
    id: demoIds.invoice,
    customerId: c.grace,
    amount: 49,
    currency: 'USD',
    dueAt: new Date(now.getTime() + 3 * DAY),
  });

  // Reviews and complaints have no natural id: add them only when the customer has none yet, so a second
  // seed does not double them.
  const grace = await source.profile(c.grace);
  if (grace?.lastReview === null) await source.addReview(c.grace, 5, ago(3));
  const linus = await source.profile(c.linus);
  if (linus?.openComplaints === 0) await source.openComplaint(c.linus, ago(20));
}
