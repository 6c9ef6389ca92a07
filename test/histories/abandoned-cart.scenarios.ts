/**
 * The points of the abandoned cart whose histories are committed and replayed by `npm test`. Re-record
 * with `npm run histories:record` after adding a scenario, never after changing the journey: the old
 * histories are what customers already inside it have.
 */
import type { JourneyClient } from '../../src/client';
import type { HistoryScenario, JourneyTestEnvironment } from '../../src/testing';
import { abandonedCart } from '../../workflows/abandoned-cart';

const customer = (name: string) => ({ id: `cust-${name}`, email: `${name}@example.com`, phone: '+14155550100' });
const cart = { cartId: 'cart-1', items: ['Blue teapot', 'Oolong 100g'], url: 'https://shop.example/cart/cart-1' };

async function abandon(journeys: JourneyClient, name: string): Promise<string> {
  const { deliveries } = await journeys.emit({ id: `${name}-abandoned`, type: 'cart.abandoned', customer: customer(name), data: cart });
  return deliveries[0]!.workflowId;
}

/** Polls the journey's state until `done`, in real time (the server's clock is not moved). */
async function until(journeys: JourneyClient, name: string, done: (s: Awaited<ReturnType<JourneyClient['state']>>) => boolean) {
  for (let i = 0; i < 200; i++) {
    if (done(await journeys.state(abandonedCart, { customerId: customer(name).id, key: cart.cartId }))) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`journey of ${name} did not reach the point to record`);
}

/** Past the reminder email; returns the email's message id (a click names it). */
async function pastEmail(t: JourneyTestEnvironment, journeys: JourneyClient, name: string): Promise<string> {
  await t.env.sleep('61 minutes');
  const [email] = await t.outbox.waitFor((m) => m.channel === 'email' && m.to.includes(customer(name).email));
  await until(journeys, name, (s) => s.waitingFor !== null);
  return email!.id;
}

export const abandonedCartScenarios: HistoryScenario[] = [
  {
    name: 'abandoned-cart--mid-sleep',
    run: async ({ journeys, t }) => {
      const id = await abandon(journeys, 'mid-sleep');
      await t.env.sleep('30 minutes');
      return id;
    },
  },
  {
    name: 'abandoned-cart--mid-wait',
    run: async ({ journeys, t }) => {
      const id = await abandon(journeys, 'mid-wait');
      await pastEmail(t, journeys, 'mid-wait');
      return id;
    },
  },
  {
    name: 'abandoned-cart--converted-before-email',
    run: async ({ journeys, t }) => {
      const id = await abandon(journeys, 'early-buyer');
      await t.env.sleep('20 minutes');
      await journeys.emit({ id: 'early-order', type: 'order.placed', customer: customer('early-buyer').id, data: { orderId: 'o-1', cartId: cart.cartId, total: 42 } });
      await until(journeys, 'early-buyer', (s) => s.outcome === 'converted');
      return id;
    },
  },
  {
    name: 'abandoned-cart--converted-mid-wait',
    run: async ({ journeys, t }) => {
      const id = await abandon(journeys, 'late-buyer');
      await pastEmail(t, journeys, 'late-buyer');
      await journeys.emit({ id: 'late-order', type: 'order.placed', customer: customer('late-buyer').id, data: { orderId: 'o-2', cartId: cart.cartId, total: 42 } });
      await until(journeys, 'late-buyer', (s) => s.outcome === 'converted');
      return id;
    },
  },
  {
    name: 'abandoned-cart--clicked',
    run: async ({ journeys, t }) => {
      const id = await abandon(journeys, 'clicker');
      const messageId = await pastEmail(t, journeys, 'clicker');
      await journeys.emit({ id: 'click', type: 'email.clicked', customer: customer('clicker').id, data: { messageId, key: cart.cartId } });
      await t.env.client.workflow.getHandle(id).result();
      return id;
    },
  },
  {
    name: 'abandoned-cart--no-purchase',
    run: async ({ journeys, t }) => {
      const id = await abandon(journeys, 'no-purchase');
      await t.env.client.workflow.getHandle(id).result();
      return id;
    },
  },
];
