/**
 * The funnel of a seeded run on the dev server equals what the outbox and the outcomes say: ten customers
 * abandon carts; three order at once, three click the email, four get the SMS too. The paths read from
 * `JourneySteps` are the ones each customer's outbox shows.
 */
import { createJourneyClient } from '../../src/client';
import { deliveryEvents, type AnyEventDefinition } from '../../src/events';
import type { JourneyState } from '../../src/journey';
import { journeyFunnel, journeyPaths } from '../../src/reporting';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { abandonedCart } from '../../workflows/abandoned-cart';

let t: JourneyTestEnvironment;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [abandonedCart],
    workflowsPath: require.resolve('../../workflows'),
    server: 'dev',
  });
}, 60_000);
afterAll(() => t?.close());

const run = `f${Date.now().toString(36)}`;
const customer = (i: number) => ({
  id: `${run}-${i}`,
  email: `${run}-${i}@example.com`,
  phone: `+1415556${String(1000 + i)}`,
});
const cart = (i: number) => ({
  cartId: `${run}-cart-${i}`,
  items: ['Tea'],
  url: `https://shop.example/cart/${i}`,
});

test('entered, passed, drop-off, conversion by step and outcomes match the outbox and the outcomes', async () => {
  await t.run(async ({ taskQueue }) => {
    // 1 journey hour = 0.1 s, so the day's wait for a click is 2.4 s of real time.
    const journeys = await createJourneyClient({
      journeys: [abandonedCart],
      events: deliveryEvents as readonly AnyEventDefinition[],
      client: t.env.client,
      taskQueue,
      timeScale: 36_000,
    });
    // Customers 0-2 order right after abandoning: most often before their email (15 journey minutes are
    // 25 ms here), but a slow server may send it first; the counts below are read from the outbox.
    for (let i = 0; i < 10; i++) {
      await journeys.emit({ type: 'cart.abandoned', customer: customer(i), data: cart(i) });
      if (i < 3)
        await journeys.emit({
          type: 'order.placed',
          customer: customer(i).id,
          data: { orderId: `o-${i}`, cartId: cart(i).cartId, total: 9 },
        });
    }
    // Customers 3-5 click their email (the click names the message, as the Resend webhook does: a run takes
    // only its own), all at once as soon as each has it, well inside the day (2.4 s) the journey waits.
    await Promise.all(
      [3, 4, 5].map(async (i) => {
        const [email] = await t.outbox.waitFor(
          (m) => m.channel === 'email' && m.to.includes(customer(i).email),
          { timeoutMs: 30_000 },
        );
        await journeys.emit({
          type: 'email.clicked',
          customer: customer(i).id,
          data: { messageId: email!.id, key: cart(i).cartId },
        });
      }),
    );
    const states: JourneyState[] = [];
    for (let i = 0; i < 10; i++) {
      for (;;) {
        const state = await journeys.state(abandonedCart, {
          customerId: customer(i).id,
          key: cart(i).cartId,
        });
        if (state.outcome !== null) {
          states.push(state);
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    // What the outbox and the outcomes say.
    const mine = (to: string) => to.startsWith(run) || to.startsWith('+1415556');
    const emailed = new Set(
      t.outbox
        .emails()
        .flatMap((m) => m.to)
        .filter(mine),
    ).size;
    const texted = new Set(
      t.outbox
        .sms()
        .map((m) => m.to)
        .filter((to) => to.startsWith('+1415556')),
    ).size;
    const outcomes: Record<string, number> = {};
    for (const s of states) outcomes[s.outcome!] = (outcomes[s.outcome!] ?? 0) + 1;
    const got = (i: number) => ({
      email: t.outbox.emails().some((m) => m.to.includes(customer(i).email)),
      sms: t.outbox.sms().some((m) => m.to === customer(i).phone),
    });
    // Everyone who did not order got the email; those who did not click got the SMS; the three who ordered
    // converted (with or without the email first), nobody else did.
    expect(Array.from({ length: 10 }, (_, i) => (i < 3 ? { sms: got(i).sms } : got(i)))).toEqual([
      ...[0, 1, 2].map(() => ({ sms: false })),
      ...[3, 4, 5].map(() => ({ email: true, sms: false })),
      ...[6, 7, 8, 9].map(() => ({ email: true, sms: true })),
    ]);
    expect({ texted, outcomes }).toEqual({ texted: 4, outcomes: { converted: 3, completed: 7 } });
    // Ordered after the email came: they passed the step and converted.
    const emailedThenOrdered = [0, 1, 2].filter((i) => got(i).email).length;
    expect(emailed).toBe(7 + emailedThenOrdered);

    // The same from visibility, once it has caught up (eventually consistent).
    const from = new Date(Date.now() - 10 * 60_000);
    const expected = {
      journey: 'abandoned-cart',
      goalOutcome: 'converted',
      entered: 10,
      // Every run has its outcome; those waiting out their re-entry week are not in the journey.
      running: 0,
      steps: [
        { step: 'reminder-email', passed: emailed, dropOff: emailed - texted, converted: emailedThenOrdered },
        { step: 'reminder-sms', passed: texted, dropOff: 0, converted: 0 },
      ],
      outcomes,
    };
    let funnel: Awaited<ReturnType<typeof journeyFunnel>> | undefined;
    for (let i = 0; i < 50; i++) {
      funnel = await journeyFunnel(t.env.client, abandonedCart, { from, taskQueue });
      if (
        // Key order is visibility's (SQLite and PostgreSQL list differently), not the test's.
        JSON.stringify(Object.entries(funnel.outcomes).sort()) ===
          JSON.stringify(Object.entries(outcomes).sort()) &&
        funnel.steps.length === 2 &&
        funnel.steps[1]?.passed === texted
      )
        break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(funnel).toMatchObject(expected);

    // Paths: each customer's steps are what their outbox shows, in that order.
    const expectedPaths = new Map<string, { steps: string[]; end: string; count: number }>();
    for (let i = 0; i < 10; i++) {
      const steps = [
        ...(t.outbox.emails().some((m) => m.to.includes(customer(i).email)) ? ['reminder-email'] : []),
        ...(t.outbox.sms().some((m) => m.to === customer(i).phone) ? ['reminder-sms'] : []),
      ];
      const end = states[i]!.outcome!;
      const key = JSON.stringify([steps, end]);
      const path = expectedPaths.get(key) ?? { steps, end, count: 0 };
      path.count++;
      expectedPaths.set(key, path);
    }
    const paths = await journeyPaths(t.env.client, abandonedCart, { from, taskQueue });
    expect(paths.total).toBe(10);
    expect(paths.sampled).toBe(10);
    expect([...paths.paths].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      [...expectedPaths.values()].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    // Those who did not convert dropped off after their last send.
    expect(new Set(paths.dropOffs.map((d) => JSON.stringify(d)))).toEqual(
      new Set(
        [
          { after: 'reminder-sms', outcome: 'completed', count: texted },
          { after: 'reminder-email', outcome: 'completed', count: emailed - texted - emailedThenOrdered },
        ].map((d) => JSON.stringify(d)),
      ),
    );
  });
}, 120_000);
