import type { DataConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { ChannelSender, TemplatesInput } from '../../activities';
import type { AnyEventDefinition } from '../events';
import type { EmitResult, EnrollResult, JourneyClient, JourneyClientOptions, JourneyRef } from '../client';
import { loadConfig } from '../config';
import type { SendPolicy } from '../contact';
import {
  journeyWorkflowId,
  STATE_QUERY,
  toMs,
  type Duration,
  type JourneyInput,
  type JourneyOutcome,
  type JourneyState,
} from '../journey';
import { createMemoryProfileSource, type MemoryProfileSource } from '../profile/memory';
import type { SqlProfileSource } from '../profile/sql-source';
import type { ProfileSource } from '../profile/types';
import { checkJourneyTemplates } from '../worker/check-templates';
import { defaultEmailTemplates, templatesByName } from '../../activities/email-templates';
import {
  createJourneyTestEnvironment,
  type JourneyTestEnvironment,
  type JourneyTestRun,
} from './journey-test-environment';
import { exportHistory, type ExportedHistory } from './histories';
import type { OutboxMessage } from './outbox';
import { openPglite } from './pglite-kit';

/** Where the kit's customer data lives: see {@link JourneyTestEnvOptions.profiles}. */
export type TestProfiles = 'memory' | 'sql' | 'demo' | ProfileSource;

/** The store `env.data` gives for a `profiles` option. */
export type TestProfileStore<P extends TestProfiles> = P extends 'sql' | 'demo'
  ? SqlProfileSource
  : P extends 'memory'
    ? MemoryProfileSource
    : undefined;

export interface JourneyTestEnvOptions<P extends TestProfiles = 'memory'> {
  /** The journeys under test (events are routed to them; `emit` is typed by their events). */
  readonly journeys: readonly JourneyRef[];
  /**
   * The module exporting them, bundled once per process with the SDK's own workflows. Defaults to
   * `workflows:` in temporal.yaml, else `./workflows` under the working directory.
   */
  readonly workflowsPath?: string;
  /** Email templates of your own ({@link defineTemplate}); a journey sending one that is missing fails here. */
  readonly templates?: TemplatesInput;
  /** Channels of your own, by name (`send.via(name, …)`). */
  readonly channels?: Readonly<Record<string, ChannelSender<never>>>;
  /** More activities for the worker (yours), or a function of the environment's client returning them. */
  readonly activities?: object | ((run: { journeys: JourneyClient; taskQueue: string }) => object);
  /**
   * Customer data behind `profile.get()`, `promoCode()` and `customer()`: `'memory'` (default) an in-process
   * store; `'sql'` an empty PostgreSQL in memory (PGlite: under jest it needs
   * `NODE_OPTIONS=--experimental-vm-modules`); `'demo'` the same seeded with the demo shop; or a source of
   * your own.
   */
  readonly profiles?: P;
  /** The contact's rules (caps, quiet hours); none by default. */
  readonly sendPolicy?: SendPolicy;
  /** More events `emit` accepts besides those the journeys name. */
  readonly events?: readonly AnyEventDefinition[];
  /** The `events` settings (order window, `at` bounds) of the environment's client. */
  readonly eventOptions?: JourneyClientOptions['eventOptions'];
  /** Retry and timeouts per channel for enrolments in this environment. */
  readonly channelOptions?: JourneyInput['channels'];
  /**
   * How payloads are written: e.g. `encryptingDataConverter(staticKeyRing(…))` (`temporal-journeys/codec`)
   * to test journeys with encryption on, or `dataConverterOf(loadConfig())`.
   */
  readonly dataConverter?: DataConverter;
}

/** A test customer: the reference journeys get, plus what `customer()` stored in the profile. */
export interface TestCustomer {
  readonly id: string;
  readonly email?: string;
  readonly phone?: string;
}

/** A message as the test reads it: what was sent, on which channel, and when in simulated time. */
export type SentMessage = OutboxMessage & { readonly at: Date };

export interface JourneyTestEnv<TData = MemoryProfileSource> {
  /** The journey client, for anything the helpers below do not cover. */
  readonly journeys: JourneyClient;
  /** The task queue of the environment's worker (to start a workflow of your own on it). */
  readonly taskQueue: string;
  /** The profile store `customer()` writes to (orders, invoices…); undefined with a source of your own. */
  readonly data: TData;
  /** The underlying environment: Temporal's time-skipping server, the provider fakes. */
  readonly t: JourneyTestEnvironment;
  /** Stores a customer profile (unique id unless given) and returns the customer to enrol or emit for. */
  customer(
    profile?: Partial<TestCustomer> & { firstName?: string; smsOptIn?: boolean; plan?: string },
  ): Promise<TestCustomer>;
  /** Emits a customer event, as a backend would, at the simulated time now. */
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
  /** Moves simulated time to `date` (later than now), then waits until the journeys have done what it brought. */
  advanceTo(date: Date | string): Promise<void>;
  /**
   * Moves simulated time from timer to timer until the next message is sent (to `customer`, or to anyone),
   * and returns it, with when it was sent. Throws when no journey waits for a timer (nothing more will be
   * sent) or nothing is sent `within` (default 400 days) of simulated time.
   */
  nextMessage(customer?: TestCustomer, options?: { within?: Duration }): Promise<SentMessage>;
  /** Simulated time now. */
  now(): Promise<Date>;
  /** Everything sent to a customer (email to their address, SMS to their phone, webhooks naming them), in order. */
  outbox(customer: TestCustomer): Promise<SentMessage[]>;
  state(journey: JourneyRef, customer: TestCustomer, key?: string): Promise<JourneyState>;
  /** The journey's outcome, or null while it runs. */
  outcome(journey: JourneyRef, customer: TestCustomer, key?: string): Promise<JourneyOutcome | null>;
  /**
   * The run's history as Temporal's JSON, to keep as a file (`writeHistory`) that `journeys replay` and
   * `replayHistories` replay against later code.
   */
  history(journey: JourneyRef, customer: TestCustomer, key?: string): Promise<ExportedHistory>;
  /** The customer clicks a link in an email (the Resend fake sends the signed `email.clicked` webhook). */
  click(email: SentMessage, link?: string): Promise<void>;
  /** The customer follows the email's confirmation link (double opt-in) and presses Confirm. */
  confirm(email: SentMessage): Promise<void>;
  /**
   * A fresh start for the next test: a new time-skipping server (its clock at the real time now), a new
   * worker, an empty outbox and (with `'memory'` profiles) an empty store. {@link useJourneyTestEnv} calls it
   * before every test, so no test's customers or clock change another's outcome, whatever the order. Free
   * when nothing happened since the last start.
   */
  reset(): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;
/** An activity attempt is running. */
const ACTIVITY_STARTED = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
/** See `advance`. */
const ADVANCE_GRACE_MS = 1_000;
const DAY_MS = 86_400_000;

/** One test's world: a time-skipping server with its worker, and what the test did on it. */
interface World {
  readonly t: JourneyTestEnvironment;
  readonly run: JourneyTestRun;
  /**
   * The run's client as the test gets it: runs it starts or reaches (`emit`, `enroll`), through the kit or
   * through code the test hands it to (an HTTP ingest server, a handler of your own), are the world's.
   */
  readonly journeys: JourneyClient;
  readonly store: MemoryProfileSource | SqlProfileSource | undefined;
  readonly source: ProfileSource;
  /** Journey runs this world's emits and enrolments reached. */
  readonly started: Set<string>;
  readonly phones: Map<string, string>;
  /** Simulated time each message was received at by the fakes. */
  readonly received: Map<OutboxMessage, Promise<number>>;
  touched: boolean;
  close(): Promise<void>;
}

/**
 * The testing kit for your own journeys: Temporal's time-skipping test server, the provider fakes, one
 * worker with your journeys bundled once, your templates and channels, and customer data. A 30-day journey
 * reads like its story. In jest, {@link useJourneyTestEnv} gives each test a fresh one.
 *
 * @example
 * ```ts
 * const env = await createJourneyTestEnv({ journeys: [welcome], templates });
 * const ada = await env.customer({ email: 'ada@example.com', firstName: 'Ada' });
 * await env.emit('customer.signed_up', ada, { firstName: 'Ada' });
 * const first = await env.nextMessage(ada);
 * await env.advance('5 days');
 * expect(await env.outcome(welcome, ada)).toBe('unconfirmed');
 * await env.close();
 * ```
 */
export async function createJourneyTestEnv<const P extends TestProfiles = 'memory'>(
  options: JourneyTestEnvOptions<P>,
): Promise<JourneyTestEnv<TestProfileStore<P>>> {
  const workflowsPath = options.workflowsPath ?? loadConfig().workflows;
  // A journey sending a template nobody registered fails here, as a worker's start does.
  checkJourneyTemplates(workflowsPath, [
    ...Object.keys(defaultEmailTemplates),
    ...Object.keys(templatesByName(options.templates)),
  ]);
  const profiles: TestProfiles = options.profiles ?? 'memory';
  // A database is opened once and shared by every reset (customer ids are unique); memory is per test.
  const sql = profiles === 'sql' || profiles === 'demo' ? await openPglite(profiles === 'demo') : undefined;
  const activities = options.activities;

  const startWorld = async (): Promise<World> => {
    const store = sql?.source ?? (profiles === 'memory' ? createMemoryProfileSource() : undefined);
    const source = store ?? (profiles as ProfileSource);
    const phones = new Map<string, string>();
    const t = await createJourneyTestEnvironment({
      journeys: options.journeys,
      workflowsPath,
      templates: options.templates,
      channels: options.channels,
      channelOptions: options.channelOptions,
      sendPolicy: options.sendPolicy,
      eventOptions: options.eventOptions,
      dataConverter: options.dataConverter,
      profiles: source,
      customerByPhone: (phone) => phones.get(phone),
      activities:
        typeof activities === 'function'
          ? (activities as (run: { journeys: JourneyClient; taskQueue: string }) => object)
          : activities && (() => activities),
    });
    // One worker for the world's life: `run` holds it open until the world closes.
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let running!: Promise<void>;
    const run = await new Promise<JourneyTestRun>((resolve, reject) => {
      running = t
        .run(async (r) => {
          resolve(r);
          await held;
        })
        .catch((err: unknown) => reject(err instanceof Error ? err : new Error(String(err))));
    }).catch(async (err: unknown) => {
      await t.close();
      throw err;
    });
    const received = new Map<OutboxMessage, Promise<number>>();
    // Simulated time of each message as the fake received it (the send activity holds the clock still).
    t.outbox.on('message', (m) =>
      received.set(
        m,
        t.env.currentTimeMs().catch(() => Date.now()),
      ),
    );
    const started = new Set<string>();
    const journeys: JourneyClient = {
      ...run.journeys,
      async emit(input) {
        const result = await run.journeys.emit(input);
        for (const d of result.deliveries) if (d.status === 'delivered') started.add(d.workflowId);
        return result;
      },
      async enroll(journey, enrollOptions) {
        const result = await run.journeys.enroll(journey, enrollOptions);
        started.add(result.workflowId);
        return result;
      },
    };
    return {
      t,
      run,
      journeys,
      store,
      source,
      started,
      phones,
      received,
      touched: false,
      async close() {
        release();
        await running.catch(() => undefined);
        await t.close();
      },
    };
  };

  let world = await startWorld();
  let spare: Promise<World> | undefined;
  const startSpare = () => {
    const next = startWorld();
    next.catch(() => undefined); // awaited by the next reset, which rethrows
    spare = next;
  };

  const orderWindowMs = toMs((options.eventOptions?.orderWindow ?? '2 seconds') as Duration);
  const idOf = (c: TestCustomer | string) => (typeof c === 'string' ? c : c.id);
  const stateOf = (id: string) =>
    world.t.env.client.workflow
      .getHandle(id)
      .query<JourneyState>(STATE_QUERY)
      .catch(() => undefined);

  // Simulated time of each message: the time its journey recorded the send (workflow time, exact), else the
  // server's clock read as the fake received it.
  const recordedAt = async (): Promise<Map<string, number>> => {
    const at = new Map<string, number>();
    const states = await Promise.all([...world.started].map(stateOf));
    for (const send of states.flatMap((state) => state?.sends ?? []))
      if (send.status === 'sent') at.set(send.messageId, Date.parse(send.at));
    return at;
  };

  const settle = async () => {
    // Quiet when no activity is running or about to (one backing off between retries counts as quiet),
    // every run answers its state query (which waits for a workflow task in flight to finish) and no run's
    // history grew between two looks.
    const { t, started } = world;
    let last = '';
    let pending = false;
    for (let i = 0; i < 400; i++) {
      const looks = await Promise.all(
        [...started].map(async (id) => {
          const handle = t.env.client.workflow.getHandle(id);
          const state = await stateOf(id);
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

  const now = async () => new Date(await world.t.env.currentTimeMs());
  const mine = (customer: TestCustomer | undefined) => (m: OutboxMessage) => {
    if (!customer) return true;
    switch (m.channel) {
      case 'email':
        return customer.email !== undefined && m.to.includes(customer.email);
      case 'sms':
        return customer.phone !== undefined && m.to === customer.phone;
      case 'webhook':
      case 'push':
        return (m.body as { customerId?: unknown } | null)?.customerId === customer.id;
    }
  };
  const timed = async (messages: readonly OutboxMessage[]): Promise<SentMessage[]> => {
    const recorded = await recordedAt();
    return Promise.all(
      messages.map(async (m) => ({
        ...m,
        at: new Date(recorded.get(m.id) ?? (await (world.received.get(m) ?? 0))),
      })),
    );
  };
  const advanceBy = async (ms: number) => {
    world.touched = true;
    if (ms > 0) await world.t.env.sleep(ms);
    await settle();
  };

  const env: JourneyTestEnv<MemoryProfileSource | SqlProfileSource | undefined> = {
    get journeys() {
      world.touched = true; // what a test does through the client changes the world too
      return world.journeys;
    },
    get taskQueue() {
      return world.run.taskQueue;
    },
    get data() {
      return world.store;
    },
    get t() {
      world.touched = true;
      return world.t;
    },
    async customer(profile = {}) {
      world.touched = true;
      counter += 1;
      const id = profile.id ?? `customer-${counter}-${Math.random().toString(36).slice(2, 8)}`;
      const customer = { id, email: profile.email, phone: profile.phone };
      await world.store?.upsertCustomer({
        id,
        email: profile.email,
        phone: profile.phone,
        firstName: profile.firstName,
        smsOptIn: profile.smsOptIn,
        plan: profile.plan,
        signedUpAt: (await now()).toISOString(),
      });
      if (profile.phone) world.phones.set(profile.phone, id);
      return customer;
    },
    async emit(type, customer, data = {}, emitOptions = {}) {
      world.touched = true;
      const result = await world.journeys.emit({
        type,
        customer: typeof customer === 'string' ? customer : { ...customer },
        data,
        id: emitOptions.id,
        at: await now(),
      });
      await settle();
      return result;
    },
    async enroll(journey, customer, data, enrollOptions = {}) {
      world.touched = true;
      const result = await world.journeys.enroll(journey, {
        customer: { ...customer },
        data,
        key: enrollOptions.key,
      });
      await settle();
      return result;
    },
    advance: (duration) =>
      advanceBy((typeof duration === 'number' ? duration : toMs(duration)) + ADVANCE_GRACE_MS),
    async advanceTo(date) {
      const target = new Date(date).getTime();
      if (Number.isNaN(target)) throw new TypeError(`advanceTo(): "${String(date)}" is not a date`);
      const current = await now();
      if (target < current.getTime())
        throw new RangeError(
          `advanceTo(${new Date(target).toISOString()}): simulated time is already ${current.toISOString()}; it only moves forward (reset() starts a fresh clock).`,
        );
      await advanceBy(target - current.getTime());
    },
    async nextMessage(customer, nextOptions = {}) {
      // Work started by something other than the kit (a server the test hands `env.journeys` to) is
      // waited for first, as `emit` waits for its own.
      await settle();
      const seen = world.t.outbox.messages.filter(mine(customer)).length;
      const limit = (await now()).getTime() + toMs(nextOptions.within ?? '400 days');
      for (;;) {
        const fresh = world.t.outbox.messages.filter(mine(customer));
        if (fresh.length > seen) return (await timed([fresh[seen]!]))[0]!;
        const all = (await Promise.all([...world.started].map(stateOf))).filter(
          (s): s is JourneyState => s !== undefined,
        );
        const states = all.filter((s) => s.outcome === null);
        const wakes = states
          .flatMap((s) => [s.wakesAt, s.deferred?.until])
          .filter((at): at is string => typeof at === 'string')
          .map((at) => Date.parse(at));
        const current = (await now()).getTime();
        if (wakes.length === 0) {
          // What the runs did instead of sending: their outcomes, and sends that were skipped or failed.
          const ended = all.filter((s) => s.outcome !== null).map((s) => `${s.journey} ${s.outcome}`);
          const unsent = all.flatMap((s) =>
            s.sends
              .filter((d) => d.status !== 'sent')
              .map((d) => `${d.step} ${d.channel} ${d.status}: ${d.reason}`),
          );
          throw new Error(
            `nextMessage(): nothing more will be sent${customer ? ` to ${customer.id}` : ''}: no running journey waits for a timer (${states.length} running of ${world.started.size} started in this test${ended.length ? `; ended: ${ended.join(', ')}` : ''}${unsent.length ? `; not sent: ${unsent.join('; ')}` : ''}).`,
          );
        }
        const next = Math.max(current, Math.min(...wakes));
        if (next > limit)
          throw new Error(
            `nextMessage(): nothing sent${customer ? ` to ${customer.id}` : ''} within ${Math.round((limit - current) / DAY_MS)} days of simulated time; the next timer fires at ${new Date(next).toISOString()}.`,
          );
        await advanceBy(next - current + 1);
      }
    },
    now,
    async outbox(customer) {
      return timed(world.t.outbox.messages.filter(mine(customer)));
    },
    state: (journey, customer, key) => world.run.journeys.state(journey, { customerId: idOf(customer), key }),
    async outcome(journey, customer, key) {
      return (await world.run.journeys.state(journey, { customerId: idOf(customer), key })).outcome;
    },
    history: (journey, customer, key) =>
      exportHistory(
        world.t.env.client,
        journeyWorkflowId(('definition' in journey ? journey.definition : journey).name, idOf(customer), key),
      ),
    async click(email, link = 'https://shop.example/') {
      if (email.channel !== 'email') throw new TypeError('click() takes an email from outbox()');
      expectOk(await world.t.fakes.resend.click(email.id, link), 'the click webhook');
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
    async reset() {
      if (!world.touched) return;
      const old = world;
      if (!spare) startSpare();
      world = await spare!;
      startSpare();
      await old.close();
    },
    async close() {
      const last = spare;
      spare = undefined;
      await Promise.all([world.close(), last?.then((w) => w.close()).catch(() => undefined)]);
      await sql?.close();
    },
  };
  return env as JourneyTestEnv<TestProfileStore<P>>;
}

/**
 * The kit as jest (or any runner with `beforeAll`/`beforeEach`/`afterAll` globals) uses it: created before
 * the file's tests, {@link JourneyTestEnv.reset} before each (its own clock, customers and outbox), closed
 * after. Call it at the top of a test file; the hooks get the preset's timeouts.
 *
 * @example
 * ```ts
 * const env = useJourneyTestEnv({ journeys: [trialExpiry], templates });
 * test('reminds before the trial ends', async () => {
 *   const ada = await env.customer({ email: 'ada@example.com' });
 *   await env.emit('trial.started', ada, { endsAt: '2027-01-31T00:00:00Z' });
 *   expect((await env.nextMessage(ada)).channel).toBe('email');
 * });
 * ```
 */
export function useJourneyTestEnv<const P extends TestProfiles = 'memory'>(
  options: JourneyTestEnvOptions<P>,
): JourneyTestEnv<TestProfileStore<P>> {
  type Hook = (fn: () => Promise<void>, timeout?: number) => void;
  const hooks = globalThis as { beforeAll?: Hook; beforeEach?: Hook; afterAll?: Hook };
  if (!hooks.beforeAll || !hooks.beforeEach || !hooks.afterAll)
    throw new Error(
      'useJourneyTestEnv() registers beforeAll/beforeEach/afterAll hooks: call it at the top of a test file (jest), or use createJourneyTestEnv() and close() it yourself.',
    );
  let env: JourneyTestEnv<TestProfileStore<P>> | undefined;
  hooks.beforeAll(async () => {
    env = await createJourneyTestEnv(options);
  }, 120_000);
  hooks.beforeEach(async () => env?.reset(), 60_000);
  hooks.afterAll(async () => env?.close(), 60_000);
  return new Proxy({} as JourneyTestEnv<TestProfileStore<P>>, {
    get(_, key) {
      if (!env)
        throw new Error(
          `env.${String(key)}: the journey test environment is not started yet (use it inside a test or a hook after useJourneyTestEnv()'s beforeAll).`,
        );
      const value = (env as unknown as Record<PropertyKey, unknown>)[key];
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(env) : value;
    },
  });
}

function expectOk(status: number, what: string): void {
  if (status !== 200) throw new Error(`${what} answered ${status}`);
}
