import { temporal } from '@temporalio/proto';
import type { AnyEventDefinition } from '../events';
import type { EmitResult, EnrollResult, JourneyClient, JourneyClientOptions, JourneyRef } from '../client';
import type { SendPolicy } from '../contact';
import { STATE_QUERY, toMs, type Duration, type JourneyOutcome, type JourneyState } from '../journey';
import { createPgliteProfileSource, type SqlProfileSource } from '../profile';
import type { ProfileSource } from '../profile/types';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from './journey-test-environment';
import type { OutboxMessage } from './outbox';

export interface JourneyTestEnvOptions {
  /** The journeys under test (events are routed to them). */
  readonly journeys: readonly JourneyRef[];
  /** The module exporting them (and `contact`), bundled once per process: `require.resolve('../workflows')`. */
  readonly workflowsPath: string;
  /**
   * Customer data: by default an empty in-memory PostgreSQL (PGlite) that `customer()` and `data` write to;
   * `'demo'` seeds it with the demo shop; or pass a source of your own.
   */
  readonly profiles?: 'empty' | 'demo' | ProfileSource;
  /** The contact's rules (caps, quiet hours); none by default. */
  readonly sendPolicy?: SendPolicy;
  /** More events `emit` accepts besides those the journeys name. */
  readonly events?: readonly AnyEventDefinition[];
  /** The `events` settings (order window, `at` bounds) of the environment's client. */
  readonly eventOptions?: JourneyClientOptions['eventOptions'];
}

/** A test customer: the reference journeys get, plus what `customer()` stored in the profile. */
export interface TestCustomer {
  readonly id: string;
  readonly email?: string;
  readonly phone?: string;
}

/** A message as the test reads it: what was sent, on which channel, and when in simulated time. */
export type SentMessage = OutboxMessage & { readonly at: Date };

export interface JourneyTestEnv {
  /** The journey client, for anything the helpers below do not cover. */
  readonly journeys: JourneyClient;
  /** The task queue of the environment's worker (to start a workflow of your own on it). */
  readonly taskQueue: string;
  /** The profile store `customer()` writes to (orders, invoices, reviews…); undefined with a source of your own. */
  readonly data: SqlProfileSource | undefined;
  /** The underlying environment: Temporal's time-skipping server, the provider fakes. */
  readonly t: JourneyTestEnvironment;
  /** Stores a customer profile (unique id unless given) and returns the customer to enrol or emit for. */
  customer(
    profile?: Partial<TestCustomer> & { firstName?: string; smsOptIn?: boolean; plan?: string },
  ): Promise<TestCustomer>;
  /** Emits a customer event, as a backend would. */
  emit(
    type: string,
    customer: TestCustomer | string,
    data?: unknown,
    options?: { id?: string },
  ): Promise<EmitResult>;
  /** Enrols a customer in a proactive journey (`key` for keyed ones, e.g. an invoice id). */
  enroll(
    journey: JourneyRef,
    customer: TestCustomer,
    data?: unknown,
    options?: { key?: string },
  ): Promise<EnrollResult>;
  /**
   * Moves simulated time forward by `duration` (and one second more: the activities before a journey's
   * timer took a few milliseconds of the clock, so a timer set "5 days" from an emit ends a moment after
   * 5 days), then waits until the journeys have done what that time brought.
   */
  advance(duration: Duration | number): Promise<void>;
  /** Simulated time now. */
  now(): Promise<Date>;
  /** Everything sent to a customer (email to their address, SMS to their phone, webhooks naming them), in order. */
  outbox(customer: TestCustomer): Promise<SentMessage[]>;
  state(journey: JourneyRef, customer: TestCustomer, key?: string): Promise<JourneyState>;
  /** The journey's outcome, or null while it runs. */
  outcome(journey: JourneyRef, customer: TestCustomer, key?: string): Promise<JourneyOutcome | null>;
  /** The customer clicks a link in an email (the Resend fake sends the signed `email.clicked` webhook). */
  click(email: SentMessage, link?: string): Promise<void>;
  /** The customer follows the email's confirmation link (double opt-in) and presses Confirm. */
  confirm(email: SentMessage): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;
/** An activity attempt is running. */
const ACTIVITY_STARTED = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
/** See `advance`. */
const ADVANCE_GRACE_MS = 1_000;

/**
 * The testing kit for your own journeys: Temporal's time-skipping test server, the provider fakes, one
 * worker with your journeys bundled once, and a profile database. A 30-day journey reads like its story:
 *
 * @example
 * ```ts
 * const env = await createJourneyTestEnv({ journeys: [welcome], workflowsPath: require.resolve('../workflows') });
 * const ada = await env.customer({ email: 'ada@example.com', firstName: 'Ada' });
 * await env.emit('customer.signed_up', ada, { firstName: 'Ada' });
 * await env.advance('1 minute');
 * const [confirmation] = await env.outbox(ada);
 * await env.advance('5 days');
 * expect(await env.outcome(welcome, ada)).toBe('unconfirmed');
 * await env.close();
 * ```
 */
export async function createJourneyTestEnv(options: JourneyTestEnvOptions): Promise<JourneyTestEnv> {
  const owned =
    options.profiles === undefined || typeof options.profiles === 'string'
      ? await createPgliteProfileSource({ seed: options.profiles === 'demo' })
      : undefined;
  const source = owned?.source ?? (options.profiles as ProfileSource);
  const phones = new Map<string, string>();
  const t = await createJourneyTestEnvironment({
    journeys: options.journeys,
    workflowsPath: options.workflowsPath,
    sendPolicy: options.sendPolicy,
    eventOptions: options.eventOptions,
    profiles: source,
    customerByPhone: (phone) => phones.get(phone),
  });

  // One worker for the environment's life: `run` holds it open until close().
  let release = () => undefined as void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let journeys!: JourneyClient;
  let taskQueue = '';
  let running!: Promise<void>;
  const ready = new Promise<void>((resolve, reject) => {
    running = t
      .run(async (run) => {
        journeys = run.journeys;
        taskQueue = run.taskQueue;
        resolve();
        await held;
      })
      .catch((err: unknown) => {
        reject(err instanceof Error ? err : new Error(String(err)));
        throw err;
      });
  });
  await ready;

  // Simulated time of each message: the time its journey recorded the send (workflow time, exact), else the
  // server's clock read as the fake received it (the send activity holds the clock still meanwhile).
  const received = new Map<OutboxMessage, Promise<number>>();
  t.outbox.on('message', (m) =>
    received.set(
      m,
      t.env.currentTimeMs().catch(() => Date.now()),
    ),
  );
  const recordedAt = async (): Promise<Map<string, number>> => {
    const at = new Map<string, number>();
    const states = await Promise.all(
      [...started].map((id) =>
        t.env.client.workflow
          .getHandle(id)
          .query<JourneyState>(STATE_QUERY)
          .catch(() => undefined),
      ),
    );
    for (const send of states.flatMap((state) => state?.sends ?? []))
      if (send.status === 'sent') at.set(send.messageId, Date.parse(send.at));
    return at;
  };
  const started = new Set<string>();
  const orderWindowMs = toMs((options.eventOptions?.orderWindow ?? '2 seconds') as Duration);
  const idOf = (c: TestCustomer | string) => (typeof c === 'string' ? c : c.id);

  const settle = async () => {
    // Quiet when no activity is running or about to (one backing off between retries counts as quiet),
    // every run answers its state query (which waits for a workflow task in flight to finish) and no run's
    // history grew between two looks.
    let last = '';
    let pending = false;
    for (let i = 0; i < 400; i++) {
      const looks = await Promise.all(
        [...started].map(async (id) => {
          const handle = t.env.client.workflow.getHandle(id);
          const state = await handle.query<JourneyState>(STATE_QUERY).catch(() => undefined);
          const d = await handle.describe();
          const busy =
            state === undefined ||
            (d.raw.pendingActivities ?? []).some(
              (a) => a.state === ACTIVITY_STARTED || (a.attempt ?? 1) <= 1,
            );
          if ((state?.pendingEvents ?? 0) > 0) pending = true;
          return `${id}:${d.historyLength}:${state?.steps.length}:${busy ? 'busy' : d.status.name}`;
        }),
      );
      // Events wait out the order window before they apply: move simulated time past it.
      if (pending) {
        pending = false;
        await t.env.sleep(orderWindowMs + 10);
        last = '';
        continue;
      }
      const look = `${looks.join('|')}#${t.outbox.messages.length}`;
      if (look === last && !look.includes(':busy')) return;
      last = look;
      await new Promise((r) => setTimeout(r, 40));
    }
    throw new Error(
      'The journeys did not settle within 16 s of real time: a run is not answering its state query (a failing workflow task?) or an activity keeps running.',
    );
  };

  return {
    get journeys() {
      return journeys;
    },
    get taskQueue() {
      return taskQueue;
    },
    data: owned?.source,
    t,
    async customer(profile = {}) {
      counter += 1;
      const id = profile.id ?? `customer-${counter}-${Math.random().toString(36).slice(2, 8)}`;
      const customer = { id, email: profile.email, phone: profile.phone };
      await owned?.source.upsertCustomer({
        id,
        email: profile.email,
        phone: profile.phone,
        firstName: profile.firstName,
        smsOptIn: profile.smsOptIn,
        plan: profile.plan,
        signedUpAt: new Date(await t.env.currentTimeMs()).toISOString(),
      });
      if (profile.phone) phones.set(profile.phone, id);
      return customer;
    },
    async emit(type, customer, data = {}, emitOptions = {}) {
      const result = await journeys.emit({
        type,
        customer: typeof customer === 'string' ? customer : { ...customer },
        data,
        id: emitOptions.id,
        at: new Date(await t.env.currentTimeMs()),
      });
      for (const d of result.deliveries) if (d.status === 'delivered') started.add(d.workflowId);
      await settle();
      return result;
    },
    async enroll(journey, customer, data, enrollOptions = {}) {
      const result = await journeys.enroll(journey, {
        customer: { ...customer },
        data,
        key: enrollOptions.key,
      });
      started.add(result.workflowId);
      await settle();
      return result;
    },
    async advance(duration) {
      await t.env.sleep((typeof duration === 'number' ? duration : toMs(duration)) + ADVANCE_GRACE_MS);
      await settle();
    },
    async now() {
      return new Date(await t.env.currentTimeMs());
    },
    async outbox(customer) {
      const mine = t.outbox.messages.filter((m) => {
        switch (m.channel) {
          case 'email':
            return customer.email !== undefined && m.to.includes(customer.email);
          case 'sms':
            return customer.phone !== undefined && m.to === customer.phone;
          case 'webhook':
          case 'push':
            return (m.body as { customerId?: unknown } | null)?.customerId === customer.id;
        }
      });
      const recorded = await recordedAt();
      return Promise.all(
        mine.map(async (m) => ({ ...m, at: new Date(recorded.get(m.id) ?? (await (received.get(m) ?? 0))) })),
      );
    },
    state: (journey, customer, key) => journeys.state(journey, { customerId: idOf(customer), key }),
    async outcome(journey, customer, key) {
      return (await journeys.state(journey, { customerId: idOf(customer), key })).outcome;
    },
    async click(email, link = 'https://shop.example/') {
      if (email.channel !== 'email') throw new TypeError('click() takes an email from outbox()');
      expectOk(await t.fakes.resend.click(email.id, link), 'the click webhook');
      await settle();
    },
    async confirm(email) {
      const url =
        email.channel === 'email'
          ? /https?:\/\/\S+\/confirm\?token=[\w.-]+/.exec(email.text ?? '')?.[0]
          : undefined;
      if (!url)
        throw new TypeError('confirm() takes an email from outbox() that carries a confirmation link');
      expectOk((await fetch(url, { method: 'POST' })).status, 'the confirmation link');
      await settle();
    },
    async close() {
      release();
      await running.catch(() => undefined);
      await Promise.all([t.close(), owned?.close()]);
    },
  };
}

function expectOk(status: number, what: string): void {
  if (status !== 200) throw new Error(`${what} answered ${status}`);
}
