import { randomUUID } from 'node:crypto';
import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type WorkflowIdReusePolicy,
} from '@temporalio/client';
import { loadConfig, type JourneysConfig } from '../config';
import { connectTemporal, type ConnectedClient } from './connect';
import { createContacts, type Contacts } from './contacts';
import { EventValidationError, JourneyError, JourneyNotFoundError } from '../errors';
import {
  consentEvents,
  defineEventCatalog,
  EVENT_SIGNAL,
  subscriptionConfirmed,
  type AnyEventDefinition,
  type ConsentTarget,
  type EventInputOf,
  type JourneyEvent,
} from '../events';
import {
  EXIT_SIGNAL,
  journeySearchAttributes as attrs,
  journeyWorkflowId,
  STATE_QUERY,
  type CustomerRef,
  type ExitRequest,
  type JourneyDefinition,
  type JourneyInput,
  type JourneyState,
} from '../journey';
import { parseCustomer, type CustomerInput } from './customer';
import { routesOf, type Route } from './routing';
import {
  runEnrollMany,
  type EnrollManyBadRow,
  type EnrollManyItem,
  type EnrollManyOptions,
  type EnrollManySummary,
} from './enroll-many';

/** A journey as the client knows it: a journey function (its `definition`) or a bare definition. */
export type JourneyRef = JourneyDefinition | { readonly definition: JourneyDefinition };

export interface JourneyClientOptions<TEvents extends AnyEventDefinition = AnyEventDefinition> {
  /** The journeys events are routed to: their names, triggers, keys and the events they listen to. */
  readonly journeys: readonly JourneyRef[];
  /** More events to accept besides those the journeys name (e.g. for typed `emit`). */
  readonly events?: readonly TEvents[];
  /** Loaded `temporal.yaml`; defaults to `loadConfig()`. */
  readonly config?: JourneysConfig;
  /** An existing Temporal client (tests, or an app that has one); otherwise one is connected per config. */
  readonly client?: Client;
  /** Overrides `taskQueue` from the config. */
  readonly taskQueue?: string;
  /** Overrides `timeScale` from the config. */
  readonly timeScale?: number;
  /** Overrides `channels` (retry and timeouts per channel) from the config; fixed per enrolment. */
  readonly channels?: JourneyInput['channels'];
}

/** An event to emit. `id` makes it idempotent: emitting the same id twice is handled once. */
export type EmitInput<TEvents extends AnyEventDefinition = AnyEventDefinition> = {
  [K in TEvents['name']]: {
    readonly type: K;
    readonly customer: CustomerInput;
    readonly data: EventInputOf<Extract<TEvents, { name: K }>>;
    readonly id?: string;
    readonly at?: Date | string;
  };
}[TEvents['name']];

/** What happened to an event at one journey. */
export interface Delivery {
  readonly journey: string;
  readonly workflowId: string;
  /**
   * `delivered`: started the journey or reached its live run; `not-running`: the journey listens but this
   * customer is not in it; `not-entered`: the trigger was refused by the journey's re-entry policy.
   */
  readonly status: 'delivered' | 'not-running' | 'not-entered';
}

export interface EmitResult {
  readonly event: JourneyEvent;
  readonly deliveries: readonly Delivery[];
}

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

export interface JourneyClient<TEvents extends AnyEventDefinition = AnyEventDefinition> {
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
   * Reactive: validates the event, then starts every journey it triggers (signal-with-start) and reaches
   * every running journey of that customer that listens to it. Safe to retry with the same `id`.
   */
  emit(input: EmitInput<TEvents>): Promise<EmitResult>;
  /** Takes a customer out of a journey (outcome `exited`). */
  exit(journey: JourneyRef, target: JourneyTarget & { readonly reason?: string }): Promise<void>;
  /** Where a customer is in a journey: current step, steps passed, outcome, variant. */
  state(journey: JourneyRef, target: JourneyTarget): Promise<JourneyState>;
  /** The workflow id of a customer's run of a journey. */
  workflowId(journey: JourneyRef, target: JourneyTarget): string;
  /** The customers' contact entities: consent, time zone, what the send gate decided. */
  readonly contacts: Contacts;
  /** The underlying Temporal client. */
  readonly temporal: Client;
  /** Closes the connection if this client opened it. */
  close(): Promise<void>;
}

const REUSE: Record<'never' | 'always' | 'after', WorkflowIdReusePolicy> = {
  never: 'REJECT_DUPLICATE',
  always: 'ALLOW_DUPLICATE',
  after: 'ALLOW_DUPLICATE',
};

const definitionOf = (ref: JourneyRef): JourneyDefinition => ('definition' in ref ? ref.definition : ref);

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
export async function createJourneyClient<TEvents extends AnyEventDefinition = AnyEventDefinition>(
  options: JourneyClientOptions<TEvents>,
): Promise<JourneyClient<TEvents>> {
  const config = options.config ?? (options.client && options.taskQueue ? undefined : loadConfig());
  const connected = options.client ? undefined : await connectTemporal(config as JourneysConfig);
  const client = options.client ?? (connected as ConnectedClient).client;
  const taskQueue = options.taskQueue ?? (config as JourneysConfig).taskQueue;
  const timeScale = options.timeScale ?? config?.timeScale ?? 1;
  const channels =
    options.channels ?? (config && Object.keys(config.channels).length > 0 ? config.channels : undefined);
  const journeys = options.journeys.map(definitionOf);
  const catalog = defineEventCatalog([
    ...journeys.flatMap((j) => [j.trigger, ...j.goals, ...j.events].filter((e) => e !== undefined)),
    ...(options.events ?? []),
    ...consentEvents,
  ]);
  const contacts = createContacts(client, taskQueue);

  const startOptions = (
    journey: JourneyDefinition,
    customer: CustomerRef,
    workflowId: string,
    data?: unknown,
    key?: string,
  ) => ({
    workflowId,
    taskQueue,
    args: [
      { customer, data, timeScale, channels, ...(key !== undefined && { key }) } satisfies JourneyInput,
    ] as [JourneyInput],
    workflowIdReusePolicy: REUSE[typeof journey.reentry === 'object' ? 'after' : journey.reentry],
    typedSearchAttributes: [
      { key: attrs.journeyName, value: journey.name },
      { key: attrs.customerId, value: customer.id },
    ],
  });

  const deliver = async (route: Route, event: JourneyEvent, customer: CustomerRef): Promise<Delivery[]> => {
    const journey = route.journey.name;
    switch (route.kind) {
      case 'start':
        try {
          await client.workflow.signalWithStart(route.journey.workflowType, {
            ...startOptions(route.journey, customer, route.workflowId),
            signal: EVENT_SIGNAL,
            signalArgs: [event],
          });
          return [{ journey, workflowId: route.workflowId, status: 'delivered' }];
        } catch (err) {
          if (err instanceof WorkflowExecutionAlreadyStartedError)
            return [{ journey, workflowId: route.workflowId, status: 'not-entered' }];
          throw err;
        }
      case 'signal':
        return [await signal(journey, route.workflowId, event)];
      case 'search': {
        const query = `JourneyName = '${quote(journey)}' AND CustomerId = '${quote(event.customerId)}' AND ExecutionStatus = 'Running'`;
        const found: Promise<Delivery>[] = [];
        for await (const run of client.workflow.list({ query }))
          found.push(signal(journey, run.workflowId, event));
        return Promise.all(found);
      }
    }
  };

  const signal = async (journey: string, workflowId: string, event: JourneyEvent): Promise<Delivery> => {
    try {
      await client.workflow.getHandle(workflowId).signal(EVENT_SIGNAL, event);
      return { journey, workflowId, status: 'delivered' };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { journey, workflowId, status: 'not-running' };
      throw err;
    }
  };

  /** Checks an enrolment (a proactive journey, the key when keyed) and derives its workflow id. */
  const enrolment = (ref: JourneyRef, item: EnrollOptions | undefined) => {
    const journey = definitionOf(ref);
    if (journey.trigger) {
      throw new JourneyError(
        'JOURNEY_INVALID',
        `Journey "${journey.name}" is reactive (trigger "${journey.trigger.name}"): emit its trigger event instead of enrolling.`,
      );
    }
    if (!item) return { journey, customer: undefined as never, key: undefined, id: '' };
    const customer = parseCustomer(item.customer);
    const key = item.key;
    if (journey.keyed && (typeof key !== 'string' || key === '')) {
      throw new JourneyError(
        'JOURNEY_INVALID',
        `Journey "${journey.name}" is keyed: enrol with a key (e.g. { customer, key: invoiceId }).`,
      );
    }
    if (!journey.keyed && key !== undefined) {
      throw new JourneyError(
        'JOURNEY_INVALID',
        `Journey "${journey.name}" is not keyed; enrol without a key.`,
      );
    }
    return { journey, customer, key, id: journeyWorkflowId(journey.name, customer.id, key) };
  };

  const workflowId = (ref: JourneyRef, target: JourneyTarget) => {
    const journey = definitionOf(ref);
    if (!target?.customerId)
      throw new EventValidationError('customerId is required', undefined, [
        { path: 'customerId', message: 'required' },
      ]);
    if (journey.keyed && target.key === undefined) {
      throw new JourneyError(
        'JOURNEY_INVALID',
        `Journey "${journey.name}" is keyed; pass the key of the run (e.g. the cart id).`,
      );
    }
    return journeyWorkflowId(journey.name, target.customerId, journey.keyed ? target.key : undefined);
  };

  return {
    temporal: client,
    contacts,
    workflowId,

    async enroll(ref, enrollOptions) {
      const { journey, customer, key, id } = enrolment(ref, enrollOptions);
      try {
        const handle = await client.workflow.start(journey.workflowType, {
          ...startOptions(journey, customer, id, enrollOptions.data, key),
          workflowIdConflictPolicy: 'USE_EXISTING',
        });
        return { workflowId: id, runId: handle.firstExecutionRunId, status: 'enrolled' };
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError)
          return { workflowId: id, runId: undefined, status: 'not-entered' };
        throw err;
      }
    },

    async enrollMany(ref, items, manyOptions) {
      enrolment(ref, undefined); // a reactive journey fails here, before any item is read
      return runEnrollMany(
        items,
        async (item) => {
          const { journey, customer, key, id } = enrolment(ref, item);
          try {
            // FAIL, not USE_EXISTING: a customer already inside is reported as skipped, not enrolled again.
            await client.workflow.start(journey.workflowType, {
              ...startOptions(journey, customer, id, item.data, key),
              workflowIdConflictPolicy: 'FAIL',
            });
            return { status: 'enrolled' };
          } catch (err) {
            if (err instanceof WorkflowExecutionAlreadyStartedError)
              return { status: 'skipped', reason: `already enrolled (${id})` };
            throw err;
          }
        },
        manyOptions,
      );
    },

    async emit(input) {
      // Validate everything before sending anything: a bad event is never half-sent.
      const raw = input as
        { type?: unknown; customer?: unknown; data?: unknown; id?: unknown; at?: unknown } | undefined;
      const type = typeof raw?.type === 'string' ? raw.type : undefined;
      const customer = parseCustomer(raw?.customer, type);
      const at = raw?.at instanceof Date ? raw.at.toISOString() : (raw?.at ?? new Date().toISOString());
      const event = catalog.parse({
        id: raw?.id ?? randomUUID(),
        type: raw?.type,
        customerId: customer.id,
        data: raw?.data,
        at,
      });
      const routes = routesOf(journeys, event);
      // A confirmation changes consent first (once the event is known to be valid and routable), so a
      // journey that waits for it may send marketing at once.
      if (event.type === subscriptionConfirmed.name)
        await contacts.resubscribe(customer.id, event.data as ConsentTarget);
      const deliveries = (await Promise.all(routes.map((route) => deliver(route, event, customer)))).flat();
      return { event, deliveries };
    },

    async exit(ref, target) {
      const id = workflowId(ref, target);
      try {
        await client.workflow
          .getHandle(id)
          .signal(EXIT_SIGNAL, { reason: target.reason ?? 'exit' } satisfies ExitRequest);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new JourneyNotFoundError(id, { cause: err });
        throw err;
      }
    },

    async state(ref, target) {
      const id = workflowId(ref, target);
      try {
        return await client.workflow.getHandle(id).query<JourneyState>(STATE_QUERY);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new JourneyNotFoundError(id, { cause: err });
        throw err;
      }
    },

    async close() {
      await connected?.close();
    },
  };
}

/** Escapes a value for a single-quoted visibility query string. */
function quote(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}
