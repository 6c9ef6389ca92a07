import type { Client, WorkflowIdReusePolicy } from '@temporalio/client';
import { loadConfig, type EventsConfig, type JourneysConfig } from '../config';
import { JourneyError } from '../errors';
import {
  consentEvents,
  defineEventCatalog,
  type AnyEventDefinition,
  type EventInputOf,
  type JourneyEvent,
} from '../events';
import {
  checkJourneyList,
  journeySearchAttributes as attrs,
  toMs,
  type CustomerRef,
  type Duration,
  type EventOrdering,
  type JourneyDefinition,
  type JourneyInput,
  type JourneyState,
} from '../journey';
import { connectTemporal, type ConnectedClient } from './connect';
import type { DataConverter } from '@temporalio/common';
import { createContacts, type Contacts } from './contacts';
import type { CustomerInput } from './customer';
import { checkEvent, emitEvent, type Delivery, type EmitResult } from './emit';
import { forgetCustomer, type ForgetOptions, type ForgetReport } from './forget';
import { createEnroll } from './enroll';
import type { EnrollManyBadRow, EnrollManyItem, EnrollManyOptions, EnrollManySummary } from './enroll-many';
import { createEventTime } from './event-time';
import { advertisedTimeScale } from './time-scale';
import { createRuns, type ExitTarget, type StateOptions } from './runs';

/** A journey as the client knows it: a journey function (its `definition`) or a bare definition. */
export type JourneyRef = JourneyDefinition | { readonly definition: JourneyDefinition };

/** The events a journey takes, from its type (`journey(…)` records them); any event for a bare definition. */
type EventsOfRef<R> = R extends { readonly __events?: infer E }
  ? unknown extends E
    ? AnyEventDefinition
    : Exclude<E, undefined>
  : AnyEventDefinition;

/**
 * Every event a list of journeys takes (triggers, goals, listened events), plus the consent events every
 * client accepts: what `emit` is typed by when the client is made from journeys alone.
 */
export type EventsOfJourneys<TJourneys extends readonly JourneyRef[]> =
  EventsOfRef<TJourneys[number]> | (typeof consentEvents)[number];

export interface JourneyClientOptions<TEvents extends AnyEventDefinition = AnyEventDefinition> {
  /** The journeys events are routed to: their names, triggers, keys and the events they listen to. */
  readonly journeys: readonly JourneyRef[];
  /** More events to accept besides those the journeys name (e.g. for typed `emit`). */
  readonly events?: readonly TEvents[];
  /** Loaded `temporal.yaml`; defaults to `loadConfig()`. */
  readonly config?: JourneysConfig;
  /** An existing Temporal client (tests, or an app that has one); otherwise one is connected per config. */
  readonly client?: Client;
  /**
   * How the client it connects writes payloads (ignored with `client`, which has its own): defaults to
   * `dataConverterOf(config)`, e.g. `encryptingDataConverter(yourKmsKeyProvider)`. The worker needs the same.
   */
  readonly dataConverter?: DataConverter;
  /** Overrides `taskQueue` from the config. */
  readonly taskQueue?: string;
  /**
   * Journey time's speed for the runs this client starts. Without it: what the server advertises
   * (`journeys dev` does, so a client connecting to it runs at its scale), else `timeScale` in temporal.yaml.
   */
  readonly timeScale?: number;
  /** Overrides `channels` (retry and timeouts per channel) from the config; fixed per enrolment. */
  readonly channels?: JourneyInput['channels'];
  /** Overrides `events` from the config: order window, how long unrouted events are kept, `at` bounds, size. */
  readonly eventOptions?: Partial<EventsConfig>;
  /**
   * The clock `at` defaults to and is checked against (epoch ms). The testing kit passes the time-skipping
   * server's simulated time; everyone else keeps the default, the system clock.
   */
  readonly now?: () => number | Promise<number>;
}

/** An event to emit. `id` makes it idempotent: emitting the same id twice is handled once. */
export type EmitInput<TEvents extends AnyEventDefinition = AnyEventDefinition> = {
  [K in TEvents['name']]: {
    readonly type: K;
    readonly customer: CustomerInput;
    readonly data: EventInputOf<Extract<TEvents, { name: K }>>;
    readonly id?: string;
    /**
     * When it happened (default: now). Journeys apply events in the order of their `at`, and an event from
     * before a journey began does not count for it: README, "How events are ordered".
     */
    readonly at?: Date | string;
  };
}[TEvents['name']];

export type { Delivery, EmitResult } from './emit';

export interface EnrollOptions {
  readonly customer: CustomerInput;
  /** Input the journey body receives as `data`. */
  readonly data?: unknown;
  /** For a keyed proactive journey (`keyed: true`): the run's key, e.g. the invoice id. */
  readonly key?: string;
}

export interface EnrollResult {
  readonly workflowId: string;
  readonly runId: string | undefined;
  /** `enrolled`: started or already running; `not-entered`: refused by the re-entry policy. */
  readonly status: 'enrolled' | 'not-entered';
}

/** Which run of a journey: a customer, and the key for keyed journeys. */
export interface JourneyTarget {
  readonly customerId: string;
  readonly key?: string;
}

/**
 * A journey client; `TEvents` types `emit`. Unparameterised (`JourneyClient`) it stands for a client of any
 * events, so a client typed by its journeys passes wherever a client is taken (the webhook server, the kit).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: `emit`'s input is contravariant
export interface JourneyClient<TEvents extends AnyEventDefinition = any> {
  /** Proactive: enrols a customer in a journey that has no trigger. */
  enroll(journey: JourneyRef, options: EnrollOptions): Promise<EnrollResult>;
  /**
   * Enrols many customers (an array, an async iterable, `readCustomersCsv(file)`, a segment's rows) with
   * bounded concurrency and progress. Resumable: a customer already enrolled (a live run, or one the
   * re-entry policy refuses) is skipped by workflow id, so a rerun after a crash enrols only the rest.
   */
  enrollMany(
    journey: JourneyRef,
    items: AsyncIterable<EnrollManyItem | EnrollManyBadRow> | Iterable<EnrollManyItem | EnrollManyBadRow>,
    options?: EnrollManyOptions,
  ): Promise<EnrollManySummary>;
  /**
   * Reactive: validates the whole event and every route first, then starts every journey it triggers
   * (signal-with-start) and reaches every running journey of that customer that listens to it. Safe to
   * retry with the same `id`; throws `EmitIncompleteError` (saying what was applied where) when Temporal
   * refused some routes after others were applied.
   */
  emit(input: EmitInput<TEvents>): Promise<EmitResult>;
  /**
   * Checks an event exactly as `emit` would (envelope, customer, `at`, data, every route's key, the size)
   * and sends nothing: the event as it would be emitted, or an `EventValidationError` naming each field. The
   * HTTP API checks a whole batch with it before applying any of it.
   */
  checkEvent(input: unknown): Promise<JourneyEvent>;
  /**
   * Takes a customer out of a journey (outcome `exited`), ordered with the run's events by `at` (default
   * now). `not-running` when the customer is not in it: the exit is kept for `events.keepUnrouted`, so a
   * run whose trigger was sent at the same moment still ends.
   */
  exit(journey: JourneyRef, target: ExitTarget): Promise<Delivery>;
  /**
   * Where a customer is in a journey: current step, steps passed, outcome, variant. Throws
   * `JOURNEY_NOT_FOUND` when the customer was never in it, `JOURNEY_UNAVAILABLE` when no worker answered
   * within `timeoutMs` (default 30 s).
   */
  state(journey: JourneyRef, target: JourneyTarget, options?: StateOptions): Promise<JourneyState>;
  /** The workflow id of a customer's run of a journey. */
  workflowId(journey: JourneyRef, target: JourneyTarget): string;
  /**
   * Erases a customer (the right to be forgotten): ends and deletes every run of theirs, their inbox and
   * contact, with their histories, and their profile rows when `profiles` is given; reports what was
   * removed. See README, "Encrypting customer data".
   */
  forget(customerId: string, options?: ForgetOptions): Promise<ForgetReport>;
  /** The customers' contact entities: consent, time zone, what the send gate decided. */
  readonly contacts: Contacts;
  /** The underlying Temporal client. */
  readonly temporal: Client;
  /** Closes the connection if this client opened it; every call after it throws `CLIENT_CLOSED`. */
  close(): Promise<void>;
}

const REUSE: Record<'never' | 'always' | 'after', WorkflowIdReusePolicy> = {
  never: 'REJECT_DUPLICATE',
  always: 'ALLOW_DUPLICATE',
  after: 'ALLOW_DUPLICATE',
};

/** The journey's definition, whether the client was given the journey function or a bare definition. */
export const definitionOf = (ref: JourneyRef): JourneyDefinition =>
  'definition' in ref ? ref.definition : ref;

const EVENT_DEFAULTS: EventsConfig = {
  orderWindow: '2 seconds',
  keepUnrouted: '10 minutes',
  maxFuture: '5 minutes',
  maxBytes: 262_144,
};

/**
 * Connects a client for enrolling customers and emitting events. `create*`: call `close()` when done.
 *
 * @example
 * ```ts
 * const journeys = await createJourneyClient({ journeys: [abandonedCart] });
 * await journeys.emit({ type: 'cart.abandoned', customer: { id: 'c-42', email: 'ada@example.com' },
 *   data: { cartId: 'cart-7', items: ['Tea'], url: 'https://shop.example/cart/7' } });
 * await journeys.close();
 * ```
 */
export async function createJourneyClient<
  const TJourneys extends readonly JourneyRef[],
  TExtra extends AnyEventDefinition = never,
>(
  options: JourneyClientOptions<TExtra> & { readonly journeys: TJourneys },
): Promise<JourneyClient<EventsOfJourneys<TJourneys> | TExtra>> {
  const config = options.config ?? (options.client && options.taskQueue ? undefined : loadConfig());
  const journeys = options.journeys.map(definitionOf);
  checkJourneyList(journeys); // two journeys of one name would each get every event
  const catalog = defineEventCatalog([
    ...journeys.flatMap((j) => [j.trigger, ...j.goals, ...j.events].filter((e) => e !== undefined)),
    ...(options.events ?? []),
    ...consentEvents,
  ]);
  const connected = options.client
    ? undefined
    : await connectTemporal(config as JourneysConfig, options.dataConverter);
  const client = options.client ?? (connected as ConnectedClient).client;
  const taskQueue = options.taskQueue ?? (config as JourneysConfig).taskQueue;
  // The option, else what the server advertises (`journeys dev`), else temporal.yaml's; asked once, lazily.
  let scale: Promise<number> | undefined;
  const timeScale = () =>
    (scale ??=
      options.timeScale !== undefined
        ? Promise.resolve(options.timeScale)
        : advertisedTimeScale(client).then((advertised) => advertised ?? config?.timeScale ?? 1));
  const channels =
    options.channels ?? (config && Object.keys(config.channels).length > 0 ? config.channels : undefined);
  const events = { ...EVENT_DEFAULTS, ...config?.events, ...options.eventOptions };
  const ms = (d: string) => toMs(d as Duration);
  const time = createEventTime({
    client,
    maxFutureMs: ms(events.maxFuture),
    maxAgeMs: events.maxAge === undefined ? undefined : ms(events.maxAge),
    now: options.now,
  });
  const contacts = createContacts(client, taskQueue);

  /** How runs started by this client order their events; fixed in each run's input. */
  const ordering = async (): Promise<EventOrdering> => ({
    windowMs: ms(events.orderWindow),
    maxFutureMs: ms(events.maxFuture),
    maxAgeMs: await time.maxAgeMs(),
  });
  const startOptions = async (
    journey: JourneyDefinition,
    customer: CustomerRef,
    workflowId: string,
    extra: Pick<JourneyInput, 'data' | 'key' | 'enrolledAt'> = {},
  ) => ({
    workflowId,
    taskQueue,
    args: [
      {
        customer,
        timeScale: await timeScale(),
        channels,
        ordering: await ordering(),
        ...extra,
      } satisfies JourneyInput,
    ] as [JourneyInput],
    workflowIdReusePolicy: REUSE[typeof journey.reentry === 'object' ? 'after' : journey.reentry],
    typedSearchAttributes: [
      { key: attrs.journeyName, value: journey.name },
      { key: attrs.customerId, value: customer.id },
    ],
  });

  let closed = false;
  /**
   * Every call checks first: a closed client fails clearly instead of with a raw gRPC error. Every error,
   * a closed client's or a check's, comes back as a rejected promise, never thrown at the call.
   */
  const open =
    <TArgs extends unknown[], TResult>(fn: (...args: TArgs) => Promise<TResult>) =>
    async (...args: TArgs): Promise<TResult> => {
      if (closed)
        throw new JourneyError(
          'CLIENT_CLOSED',
          'This journey client was closed; create another with createJourneyClient().',
        );
      return fn(...args);
    };

  const enroll = createEnroll({ client, startOptions, time });
  const runs = createRuns({ client, taskQueue, time, keepMs: ms(events.keepUnrouted) });
  const emitContext = {
    client,
    taskQueue,
    journeys,
    catalog,
    contacts,
    time,
    keepMs: ms(events.keepUnrouted),
    maxBytes: events.maxBytes,
    startOptions: (journey: JourneyDefinition, customer: CustomerRef, workflowId: string) =>
      startOptions(journey, customer, workflowId),
  };

  return {
    temporal: client,
    contacts: guardContacts(contacts, open),
    workflowId: (ref, target) => {
      if (closed) throw new JourneyError('CLIENT_CLOSED', 'This journey client was closed.');
      return runs.workflowId(definitionOf(ref), target);
    },
    enroll: open((ref, enrollOptions) => enroll.one(definitionOf(ref), enrollOptions)),
    enrollMany: open((ref, items, manyOptions) => enroll.many(definitionOf(ref), items, manyOptions)),
    emit: open((input) => emitEvent(emitContext, input)),
    checkEvent: open(async (input: unknown) => (await checkEvent(emitContext, input)).event),
    exit: open((ref, target) => runs.exit(definitionOf(ref), target)),
    state: open((ref, target, stateOptions) => runs.state(definitionOf(ref), target, stateOptions)),
    forget: open((customerId, forgetOptions) => forgetCustomer(client, customerId, forgetOptions)),
    async close() {
      if (closed) return;
      closed = true;
      await connected?.close();
    },
  };
}

/** The contacts API, closed with the client. */
function guardContacts(
  contacts: Contacts,
  open: <TArgs extends unknown[], TResult>(
    fn: (...args: TArgs) => Promise<TResult>,
  ) => (...args: TArgs) => Promise<TResult>,
): Contacts {
  return Object.fromEntries(
    Object.entries(contacts).map(([name, fn]) => [
      name,
      open((...args: unknown[]) => (fn as (...a: unknown[]) => Promise<unknown>)(...args)),
    ]),
  ) as unknown as Contacts;
}
