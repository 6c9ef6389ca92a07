/**
 * Erasure on request, on the dev server (visibility), with encryption on: a customer inside three journeys
 * is forgotten, and nothing of theirs is left to list, query, read or decrypt; a second `forget` finds
 * nothing; another customer is untouched.
 */
import { randomBytes } from 'node:crypto';
import { encryptingDataConverter, staticKeyRing } from '../../src/codec';
import { createPgliteProfileSource, type PgliteProfileSource } from '../../src/profile/pglite';
import type { JourneyClient } from '../../src/client';
import { isJourneyError } from '../../src/errors';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { abandonedCart } from '../../workflows/abandoned-cart';
import { reactivation } from '../../workflows/reactivation';
import { welcome } from '../../workflows/welcome';

const journeysList = [abandonedCart, welcome, reactivation];
let t: JourneyTestEnvironment;
let profiles: PgliteProfileSource;
beforeAll(async () => {
  profiles = await createPgliteProfileSource({});
  t = await createJourneyTestEnvironment({
    journeys: journeysList,
    workflowsPath: require.resolve('../../workflows'),
    server: 'dev',
    profiles: profiles.source,
    dataConverter: encryptingDataConverter(staticKeyRing({ current: 'k1', keys: { k1: randomBytes(32) } })),
  });
});
afterAll(async () => {
  await t?.close();
  await profiles?.close();
});

const uid = () => Math.random().toString(36).slice(2, 8);

async function listed(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const run of t.env.client.workflow.list({ query }))
    ids.push(`${run.workflowId} ${run.status.name}`);
  return ids;
}

async function enterThreeJourneys(journeys: JourneyClient, id: string) {
  const customer = { id, email: `${id}@example.com`, phone: '+14155550123' };
  await profiles.source.upsertCustomer({ id, email: customer.email, firstName: 'Ada' });
  await profiles.source.addOrder({
    id: `order-${id}`,
    customerId: id,
    placedAt: new Date(),
    status: 'delivered',
    total: 12,
    currency: 'EUR',
    items: [{ productId: 'tea', name: 'Sencha', category: 'tea', price: 12, quantity: 1 }],
  });
  await journeys.contacts.update(id, { timeZone: 'Europe/Paris' });
  await journeys.emit({
    type: 'cart.abandoned',
    customer,
    data: { cartId: 'k', items: ['Sencha'], url: 'https://shop.example/cart/k' },
  });
  await journeys.emit({ type: 'customer.signed_up', customer, data: { firstName: 'Ada' } });
  await journeys.enroll(reactivation, { customer });
  // A run that has closed is erased too: a second cart, converted at once.
  await journeys.emit({
    type: 'cart.abandoned',
    customer,
    data: { cartId: 'k2', items: ['Assam'], url: 'https://shop.example/cart/k2' },
  });
  await journeys.emit({
    type: 'order.placed',
    customer: id,
    data: { orderId: `o-${uid()}`, cartId: 'k2', total: 9 },
  });
}

test('forget: a customer inside three journeys leaves nothing to list, query, read or decrypt; twice is a no-op; others are untouched', async () => {
  await t.run(async ({ journeys }) => {
    const [gone, kept] = [`fg-${uid()}`, `keep-${uid()}`];
    await enterThreeJourneys(journeys, gone);
    await enterThreeJourneys(journeys, kept);
    const query = (id: string) => `CustomerId = "${id}"`;
    // Every run visible first (visibility lags a little), one of them closed.
    for (let i = 0; i < 100 && (await listed(query(gone))).length < 4; i++)
      await new Promise((r) => setTimeout(r, 100));
    const before = await listed(query(gone));
    expect(before).toHaveLength(4);
    const workflowIds = [...new Set(before.map((l) => l.split(' ')[0]!)), `contact/${gone}`, `inbox/${gone}`];

    const report = await journeys.forget(gone, { profiles: profiles.source });
    expect(report.stillListed).toBe(0);
    expect(report.executions.map((e) => e.workflowId).sort()).toEqual(
      expect.arrayContaining([`contact/${gone}`, ...before.map((l) => l.split(' ')[0]!)]),
    );
    expect(report.ended).toBeGreaterThanOrEqual(3); // the three journeys and the contact were running
    expect(report.profileRows).toMatchObject({ customers: 1, orders: 1, order_items: 1 });

    // Nothing to list …
    expect(await listed(query(gone))).toEqual([]);
    expect(await listed(`WorkflowId = "contact/${gone}" OR WorkflowId = "inbox/${gone}"`)).toEqual([]);
    // … to query …
    for (const journey of journeysList) {
      const state = await journeys
        .state(journey, { customerId: gone, key: journey === abandonedCart ? 'k' : undefined })
        .catch((e: unknown) => e);
      expect(isJourneyError(state, 'JOURNEY_NOT_FOUND')).toBe(true);
    }
    expect((await journeys.contacts.get(gone)).timeZone).toBeUndefined();
    expect(await profiles.source.profile(gone)).toBeNull();
    // … or to read and decrypt: the histories are gone from the server.
    for (const id of workflowIds)
      await expect(t.env.client.workflow.getHandle(id).fetchHistory()).rejects.toThrow(/not found/i);

    // Again: nothing more to remove.
    const again = await journeys.forget(gone, { profiles: profiles.source });
    expect(again.executions).toEqual([]);
    expect(Object.values(again.profileRows ?? {}).every((n) => n === 0)).toBe(true);
    // The other customer keeps everything.
    expect(await listed(query(kept))).toHaveLength(4);
    expect((await journeys.contacts.get(kept)).timeZone).toBe('Europe/Paris');
    expect(await profiles.source.profile(kept)).not.toBeNull();
    await expect(journeys.forget('bad id\n')).rejects.toThrow(/customer id/);
  });
});
