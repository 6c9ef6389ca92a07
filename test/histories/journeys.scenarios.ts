/**
 * The points of each bundled journey whose histories are committed and replayed by `npm test`, driven
 * with the testing kit. Recorded by `npm run histories:record`, which keeps files already there: they are
 * what customers inside a journey already have, and must keep replaying after every change.
 */
import type { JourneyDefinition } from '../../src/journey';
import type { JourneyTestEnv as KitEnv, TestCustomer } from '../../src/testing';
import type { SqlProfileSource } from '../../src/profile';

type JourneyTestEnv = KitEnv<SqlProfileSource>;
import {
  abandonedCart,
  crossSell,
  firstPurchase,
  loyalty,
  paymentReminder,
  reactivation,
  upsell,
  welcome,
} from '../../workflows';

/** One point worth keeping: drives a journey there with the kit and names its run. */
export interface KitScenario {
  readonly name: string;
  readonly journey: { readonly definition: JourneyDefinition };
  run(env: JourneyTestEnv): Promise<string>;
}

const DAY = 86_400_000;
const item = (category: string, price: number) => ({ productId: `h-${category}`, name: category, category, price, quantity: 1 });

async function customer(env: JourneyTestEnv, name: string, extra: { phone?: string; smsOptIn?: boolean; plan?: string } = {}) {
  return env.customer({ id: `hist-${name}`, email: `${name}@example.com`, firstName: 'Ada', ...extra });
}
async function order(env: JourneyTestEnv, c: TestCustomer, id: string, category = 'tea', total = 40): Promise<string> {
  await env.data.addOrder({ id, customerId: c.id, placedAt: await env.now(), items: [item(category, total)] });
  const { deliveries } = await env.emit('order.placed', c, { orderId: id, total }, { id: `${id}-placed` });
  return deliveries[0]!.workflowId;
}
async function signUp(env: JourneyTestEnv, name: string): Promise<string> {
  const c = await customer(env, name, { phone: '+14155550190', smsOptIn: true });
  await env.journeys.contacts.update(c.id, { channels: { email: 'pending' } });
  const { deliveries } = await env.emit('customer.signed_up', c, { firstName: 'Ada' }, { id: `${name}-signup` });
  return deliveries[0]!.workflowId;
}
const cart = (cartId: string) => ({ cartId, items: ['Blue teapot'], url: `https://shop.example/cart/${cartId}` });
async function abandon(env: JourneyTestEnv, name: string): Promise<string> {
  const c = await customer(env, name, { phone: '+14155550191' });
  const { deliveries } = await env.emit('cart.abandoned', c, cart(`cart-${name}`), { id: `${name}-abandoned` });
  return deliveries[0]!.workflowId;
}

export const journeyScenarios: KitScenario[] = [
  // Abandoned cart since the A/B split of the first delay (the older files predate it).
  { name: 'abandoned-cart--split-mid-sleep', journey: abandonedCart, run: (env) => abandon(env, 'split-sleeper') },
  {
    name: 'abandoned-cart--split-mid-wait',
    journey: abandonedCart,
    run: async (env) => {
      const id = await abandon(env, 'split-waiter');
      await env.advance('2 hours');
      return id;
    },
  },
  {
    name: 'abandoned-cart--split-no-purchase',
    journey: abandonedCart,
    run: async (env) => {
      const id = await abandon(env, 'split-idle');
      await env.advance('2 days');
      return id;
    },
  },

  { name: 'welcome--awaiting-confirmation', journey: welcome, run: (env) => signUp(env, 'w-waiting') },
  {
    name: 'welcome--mid-series',
    journey: welcome,
    run: async (env) => {
      const id = await signUp(env, 'w-series');
      await env.confirm((await env.outbox({ id: 'hist-w-series', email: 'w-series@example.com' }))[0]!);
      await env.advance('1 day');
      return id;
    },
  },
  {
    name: 'welcome--handed-to-sales',
    journey: welcome,
    run: async (env) => {
      const id = await signUp(env, 'w-sales');
      await env.confirm((await env.outbox({ id: 'hist-w-sales', email: 'w-sales@example.com' }))[0]!);
      await env.advance('8 days');
      return id;
    },
  },

  {
    name: 'first-purchase--awaiting-delivery',
    journey: firstPurchase,
    run: async (env) => {
      const id = await order(env, await customer(env, 'fp-wait'), 'fp-wait-1');
      await env.advance('3 days');
      return id;
    },
  },
  {
    name: 'first-purchase--repeat-customer',
    journey: firstPurchase,
    run: async (env) => {
      const c = await customer(env, 'fp-repeat');
      const id = await order(env, c, 'fp-repeat-1');
      await env.advance('10 days');
      await order(env, c, 'fp-repeat-2');
      return id;
    },
  },
  {
    name: 'first-purchase--private-sale',
    journey: firstPurchase,
    run: async (env) => {
      const c = await customer(env, 'fp-sale');
      const id = await order(env, c, 'fp-sale-1');
      await env.advance('4 days');
      await env.emit('order.delivered', c, { orderId: 'fp-sale-1' }, { id: 'fp-sale-delivered' });
      await env.advance('27 days');
      return id;
    },
  },

  {
    name: 'reactivation--mid-series',
    journey: reactivation,
    run: async (env) => {
      const { workflowId } = await env.enroll(reactivation, await customer(env, 'rx-mid'));
      await env.advance('8 days');
      return workflowId;
    },
  },
  {
    name: 'reactivation--reactivated',
    journey: reactivation,
    run: async (env) => {
      const c = await customer(env, 'rx-back');
      const { workflowId } = await env.enroll(reactivation, c);
      await env.advance('3 days');
      await env.emit('customer.active', c, { kind: 'login' }, { id: 'rx-back-login' });
      return workflowId;
    },
  },
  {
    name: 'reactivation--lapsed',
    journey: reactivation,
    run: async (env) => {
      const { workflowId } = await env.enroll(reactivation, await customer(env, 'rx-gone'));
      await env.advance('22 days');
      return workflowId;
    },
  },

  ...(['before-due', 'overdue', 'paid'] as const).map(
    (point): KitScenario => ({
      name: `payment-reminder--${point}`,
      journey: paymentReminder,
      run: async (env) => {
        const c = await customer(env, `pay-${point}`, { phone: '+14155550192' });
        const invoiceId = `inv-${point}`;
        const due = (await env.now()).getTime() + 5 * DAY;
        await env.data.addInvoice({ id: invoiceId, customerId: c.id, amount: 90, dueAt: new Date(due) });
        const { workflowId } = await env.enroll(paymentReminder, c, { invoiceId });
        await env.advance(point === 'before-due' ? '3 days' : '9 days');
        if (point === 'paid') {
          await env.data.markInvoicePaid(invoiceId, await env.now());
          await env.advance('4 days');
        }
        return workflowId;
      },
    }),
  ),

  {
    // Keyed by invoice, enrolled after the due date: only the latest notice due goes out.
    name: 'payment-reminder--late-enrolment',
    journey: paymentReminder,
    run: async (env) => {
      const c = await customer(env, 'pay-late', { phone: '+14155550194' });
      const due = (await env.now()).getTime() - 4 * DAY;
      await env.data.addInvoice({ id: 'inv-late', customerId: c.id, amount: 90, dueAt: new Date(due) });
      const { workflowId } = await env.enroll(paymentReminder, c, undefined, { key: 'inv-late' });
      await env.advance('1 day');
      return workflowId;
    },
  },

  ...(['waiting', 'awaiting-click', 'card-offered'] as const).map(
    (point): KitScenario => ({
      name: `cross-sell--${point}`,
      journey: crossSell,
      run: async (env) => {
        await env.data.addProducts([
          { id: 'h-pot', name: 'Blue teapot', category: 'teaware', price: 40 },
          { id: 'h-cover', name: 'Purchase protection', category: 'insurance', price: 5 },
        ]);
        await env.data.relateCategories('tea', 'teaware', 'goes with your tea');
        await env.data.relateCategories('cards', 'insurance', 'protect your card');
        const c = await customer(env, `xs-${point}`, { phone: '+14155550193' });
        const id = await order(env, c, `xs-${point}-1`, point === 'card-offered' ? 'cards' : 'tea');
        await env.advance(point === 'waiting' ? '2 days' : '6 days');
        return id;
      },
    }),
  ),

  ...(['offered', 'converted', 'not-satisfied'] as const).map(
    (point): KitScenario => ({
      name: `upsell--${point}`,
      journey: upsell,
      run: async (env) => {
        const c = await customer(env, `up-${point}`, { plan: 'basic' });
        await env.data.addReview(c.id, point === 'not-satisfied' ? 2 : 5, await env.now());
        const { deliveries } = await env.emit('review.submitted', c, { reviewId: `r-${point}`, rating: 5 }, { id: `up-${point}-review` });
        if (point !== 'not-satisfied') await env.advance('2 days');
        if (point === 'converted') await env.emit('plan.upgraded', c, { plan: 'plus' }, { id: 'up-upgraded' });
        return deliveries[0]!.workflowId;
      },
    }),
  ),

  ...(['silver', 'expiry-reminded', 'lapsed'] as const).map(
    (point): KitScenario => ({
      name: `loyalty--${point}`,
      journey: loyalty,
      run: async (env) => {
        const c = await customer(env, `loyal-${point}`);
        const id = await order(env, c, `loyal-${point}-1`, 'tea', 400);
        if (point === 'expiry-reminded') await env.advance('355 days');
        if (point === 'lapsed') await env.advance('366 days');
        return id;
      },
    }),
  ),
];
