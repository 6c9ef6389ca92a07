/**
 * A small backend service that emits customer events: the kind of program a shop runs beside its
 * checkout. `journeys dev` runs it against the embedded server; on its own it connects per temporal.yaml:
 *
 *   node dist/examples/backend-service.js
 */
import { createJourneyClient, type JourneyClient } from 'temporal-journeys/client';
import type { SqlProfileSource } from 'temporal-journeys/profile';
import { abandonedCart } from '../workflows/abandoned-cart';

/** The demo's customers: one who never buys, one who clicks the email, one who buys within the hour. */
export const demoCustomers = {
  ada: { id: 'cust-ada', email: 'ada@example.com', phone: '+14155550101' },
  grace: { id: 'cust-grace', email: 'grace@example.com', phone: '+14155550102' },
  linus: { id: 'cust-linus', email: 'linus@example.com', phone: '+14155550103' },
  edsger: { id: 'cust-edsger', email: 'edsger@example.com', phone: '+14155550104' },
} as const;

export type DemoCustomer = keyof typeof demoCustomers;

/** The carts of one run of the scenario, unique per run so a persisted server can run it again. */
export function demoCarts(run = Date.now().toString(36)): Record<DemoCustomer, string> {
  return {
    ada: `cart-ada-${run}`,
    grace: `cart-grace-${run}`,
    linus: `cart-linus-${run}`,
    edsger: `cart-edsger-${run}`,
  };
}

/** Cities around the world, for the demo's time zones. */
const ZONES = [
  'Pacific/Honolulu',
  'America/Los_Angeles',
  'America/Chicago',
  'America/New_York',
  'America/Sao_Paulo',
  'Atlantic/Azores',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Moscow',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Bangkok',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Pacific/Auckland',
];

/** The hour of day (0–23, fractional) in a time zone at `now`. */
export function localHour(timeZone: string, now = new Date()): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  })
    .formatToParts(now)
    .reduce<Record<string, number>>((acc, p) => ({ ...acc, [p.type]: Number(p.value) }), {});
  return (parts.hour ?? 0) + (parts.minute ?? 0) / 60;
}

/** The zone whose local time is closest to `hour` right now: the demo needs one at night and one by day. */
export function zoneAt(hour: number, now = new Date()): string {
  const distance = (zone: string) => {
    const d = Math.abs(localHour(zone, now) - hour);
    return Math.min(d, 24 - d);
  };
  return ZONES.reduce((best, zone) => (distance(zone) < distance(best) ? zone : best));
}

/**
 * Each customer abandons a cart; Linus comes back and orders a moment later. Edsger has unsubscribed from
 * email before, which his contact remembers for every journey, and lives where it is night now: with
 * `temporal.yaml`'s quiet hours his SMS waits for 09:00 his time.
 */
export async function emitCheckoutEvents(
  journeys: JourneyClient,
  carts: Record<DemoCustomer, string>,
  log: (line: string) => void,
  profiles?: SqlProfileSource,
): Promise<Record<DemoCustomer, string>> {
  const day = zoneAt(14);
  const night = zoneAt(4);
  const zones = { ada: day, grace: day, linus: day, edsger: night };
  for (const name of Object.keys(demoCustomers) as DemoCustomer[]) {
    const timeZone = zones[name];
    await journeys.contacts.update(demoCustomers[name].id, { timeZone });
    log(
      `backend  time zone        ${demoCustomers[name].id} ${timeZone} (${clock(localHour(timeZone))} there)`,
    );
  }
  await journeys.contacts.unsubscribe(demoCustomers.edsger.id, { channel: 'email' });
  log(`backend  unsubscribed     ${demoCustomers.edsger.id} from email`);
  const items: Record<DemoCustomer, string[]> = {
    ada: ['Blue teapot'],
    grace: ['Oolong 100g', 'Tea strainer'],
    linus: ['Matcha whisk'],
    edsger: ['Tea tin'],
  };
  const abandonedAt: Partial<Record<DemoCustomer, Date>> = {};
  for (const name of Object.keys(demoCustomers) as DemoCustomer[]) {
    const cartId = carts[name];
    // The shop stamps each event with when it happened (`at`): journeys order what they receive by it.
    abandonedAt[name] = new Date();
    await journeys.emit({
      type: 'cart.abandoned',
      customer: demoCustomers[name],
      data: { cartId, items: items[name], url: `https://shop.example/cart/${cartId}` },
      at: abandonedAt[name],
    });
    log(`backend  cart.abandoned   ${demoCustomers[name].id} ${cartId}`);
  }
  // The shop records the order first: the journeys it starts (first purchase, cross-sell, loyalty) read it.
  await profiles?.addOrder({
    id: `order-${carts.linus}`,
    customerId: demoCustomers.linus.id,
    items: [
      {
        productId: 'teaware-matcha-whisk',
        name: 'Matcha whisk',
        category: 'teaware',
        price: 24,
        quantity: 1,
      },
    ],
  });
  // Linus orders a few minutes of journey time after abandoning his cart: 5 ms, at `journeys dev`'s 36000x,
  // is 3 minutes, well before the reminder's hour, however long the calls above took.
  await journeys.emit({
    type: 'order.placed',
    customer: demoCustomers.linus.id,
    data: { orderId: `order-${carts.linus}`, cartId: carts.linus, total: 24 },
    at: new Date(abandonedAt.linus!.getTime() + 5),
  });
  log(`backend  order.placed     ${demoCustomers.linus.id} ${carts.linus}`);
  return zones;
}

async function main(): Promise<void> {
  const journeys = await createJourneyClient({ journeys: [abandonedCart] });
  try {
    await emitCheckoutEvents(journeys, demoCarts(), console.log);
  } finally {
    await journeys.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

/** What `journeys dev` hands a scenario. */
export interface ScenarioContext {
  readonly journeys: JourneyClient;
  /** Messages the provider fakes accepted, as they arrive. */
  readonly outbox: {
    on(
      event: 'message',
      fn: (m: { channel: string; id: string; to?: string | readonly string[]; text?: string }) => void,
    ): unknown;
  };
  /** What customers do in their inboxes: the Resend fake then posts the signed webhook, as Resend would. */
  readonly inbox: {
    open(emailId: string): Promise<number>;
    click(emailId: string, link: string): Promise<number>;
  };
  /** The shop's customer data (PGlite, seeded with the demo customers). */
  readonly profiles?: SqlProfileSource;
  readonly log: (line: string) => void;
}

/** How each customer's journey should stand at the end of the demo; `deferred` means waiting for quiet hours to end. */
const expected: Record<DemoCustomer, { outcome: string; steps: string[] }> = {
  ada: { outcome: 'completed', steps: ['reminder-email', 'reminder-sms'] },
  grace: { outcome: 'completed', steps: ['reminder-email'] },
  linus: { outcome: 'converted', steps: [] },
  edsger: { outcome: 'deferred', steps: ['reminder-email', 'reminder-sms'] },
};

const clock = (hour: number) =>
  `${String(Math.floor(hour)).padStart(2, '0')}:${String(Math.round((hour % 1) * 60) % 60).padStart(2, '0')}`;

/**
 * The demo run by `journeys dev`: three customers abandon carts; Ada and Grace open their reminder emails
 * and Grace clicks hers (the fake sends Resend's webhooks, which come back as `email.opened` and
 * `email.clicked`), Linus orders at once, Edsger's SMS waits for the end of his quiet hours. Resolves true when
 * every journey stands where it should.
 */
export async function runScenario(
  { journeys, outbox, inbox, profiles, log }: ScenarioContext,
  timeoutMs = 180_000,
): Promise<boolean> {
  const carts = demoCarts();
  const failed = (err: unknown) => log(`customer action failed: ${String(err)}`);
  outbox.on('message', (m) => {
    const to = Array.isArray(m.to) ? m.to : [m.to];
    if (m.channel !== 'email') return;
    if (to.includes(demoCustomers.ada.email) && m.text?.includes(carts.ada)) inbox.open(m.id).catch(failed);
    if (to.includes(demoCustomers.grace.email) && m.text?.includes(carts.grace)) {
      inbox
        .open(m.id)
        .then(() => inbox.click(m.id, `https://shop.example/cart/${carts.grace}`))
        .catch(failed);
    }
  });
  const zones = await emitCheckoutEvents(journeys, carts, log, profiles);

  const deadline = Date.now() + timeoutMs;
  const pending = new Set(Object.keys(demoCustomers) as DemoCustomer[]);
  let ok = true;
  while (pending.size > 0 && Date.now() < deadline) {
    for (const name of [...pending]) {
      const state = await journeys.state(abandonedCart, {
        customerId: demoCustomers[name].id,
        key: carts[name],
      });
      // A journey waiting out the customer's quiet hours stays durable on the server; the demo reports it.
      const standing = state.outcome ?? (state.deferred ? 'deferred' : null);
      if (standing === null) continue;
      pending.delete(name);
      const steps = state.steps.map((s) => s.name);
      const good = standing === expected[name].outcome && steps.join() === expected[name].steps.join();
      ok &&= good;
      // Sends the customer's contact held back, with its reason.
      const held = state.sends.flatMap((s) =>
        s.status === 'suppressed' ? [`${s.channel} suppressed: ${s.reason}`] : [],
      );
      if (state.deferred) {
        const until = new Date(state.deferred.until);
        held.push(
          `${state.deferred.channel} deferred: ${state.deferred.reason} until ${clock(localHour(zones[name], until))} ${zones[name]}`,
        );
      }
      log(
        `journey  ${demoCustomers[name].id.padEnd(11)} ${standing}${steps.length ? ` after ${steps.join(' → ')}` : ', nothing sent'}${held.length ? ` (${held.join(', ')})` : ''}${good ? '' : '  (UNEXPECTED)'}`,
      );
    }
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 250));
  }
  if (pending.size > 0) log(`journey  still running after ${timeoutMs / 1000}s: ${[...pending].join(', ')}`);
  return ok && pending.size === 0;
}
