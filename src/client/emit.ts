import { randomUUID } from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowStartOptions,
} from '@temporalio/client';
import { EmitIncompleteError, EventValidationError, type EmitRouteFailure } from '../errors';
import {
  EVENT_SIGNAL,
  subscriptionConfirmed,
  type ConsentTarget,
  type EventCatalog,
  type JourneyEvent,
} from '../events';
import type { InboxTarget } from '../inbox';
import type { CustomerRef, JourneyDefinition } from '../journey';
import type { Contacts } from './contacts';
import { parseCustomer } from './customer';
import { checkId } from './ids';
import { keepInInbox } from './inbox';
import { routesOf, type Route } from './routing';
import { readVisibility } from './visibility';
import type { EventTime } from './event-time';

/** What happened to an event at one journey. */
export interface Delivery {
  readonly journey: string;
  readonly workflowId: string;
  /**
   * `delivered`: started the journey or reached its live run; `not-running`: the journey listens but this
   * customer is not in it (the event is kept for `events.keepUnrouted` in case its trigger is on the way);
   * `not-entered`: the trigger was refused by the journey's re-entry policy.
   */
  readonly status: 'delivered' | 'not-running' | 'not-entered';
}

export interface EmitResult {
  readonly event: JourneyEvent;
  readonly deliveries: readonly Delivery[];
}

/** What `emit` needs from its client. */
export interface EmitContext {
  readonly client: Client;
  readonly taskQueue: string;
  readonly journeys: readonly JourneyDefinition[];
  readonly catalog: EventCatalog;
  readonly contacts: Contacts;
  readonly time: EventTime;
  readonly keepMs: number;
  readonly maxBytes: number;
  /** Start options of a run of `journey` for `customer`. */
  readonly startOptions: (
    journey: JourneyDefinition,
    customer: CustomerRef,
    workflowId: string,
  ) => Promise<Omit<WorkflowStartOptions, 'args'> & { args: unknown[] }>;
}

/** A route applied, or one still to apply after the inbox kept the event. */
type Applied = Delivery | { readonly missing: InboxTarget; readonly route: Route };

/**
 * Emits one event: checks everything first (envelope, customer, `at`, data, every route's key and workflow
 * id, the size), so a bad event sends nothing; then applies every route at once. An event that finds no run
 * of a journey listening to it is kept in the customer's inbox and signalled once more, so a run whose
 * trigger was sent at the same moment (and reached Temporal a moment later) still gets it.
 */
export async function emitEvent(
  ctx: EmitContext,
  input: unknown,
): Promise<{ event: JourneyEvent; deliveries: Delivery[] }> {
  const { event, customer, routes } = await checkEvent(ctx, input);
  return applyEvent(ctx, event, customer, routes);
}

/**
 * Everything `emit` checks before it sends anything: envelope, customer, `at`, data, every route's key and
 * workflow id, the size. Throws {@link EventValidationError}; sends nothing.
 */
export async function checkEvent(
  ctx: EmitContext,
  input: unknown,
): Promise<{ event: JourneyEvent; customer: CustomerRef; routes: Route[] }> {
  const raw = input as
    { type?: unknown; customer?: unknown; data?: unknown; id?: unknown; at?: unknown } | undefined;
  const type = typeof raw?.type === 'string' ? raw.type : undefined;
  const customer = parseCustomer(raw?.customer, type);
  const at = await ctx.time.check(raw?.at, 'at', type);
  const id = raw?.id === undefined ? randomUUID() : checkId(raw.id, 'id', type);
  const event = ctx.catalog.parse({ id, type: raw?.type, customerId: customer.id, data: raw?.data, at });
  const routes = routesOf(ctx.journeys, event);
  const bytes = Buffer.byteLength(JSON.stringify(event));
  if (bytes > ctx.maxBytes) {
    throw new EventValidationError(
      `Event ${event.id} (${event.type}) is ${bytes} bytes of JSON; the most is ${ctx.maxBytes} (temporal.yaml events.maxBytes).`,
      event.type,
      [{ path: 'data', message: 'too large' }],
    );
  }
  return { event, customer, routes };
}

async function applyEvent(
  ctx: EmitContext,
  event: JourneyEvent,
  customer: CustomerRef,
  routes: Route[],
): Promise<{ event: JourneyEvent; deliveries: Delivery[] }> {
  // A confirmation changes consent first (once the event is known to be valid and routable), so a
  // journey that waits for it may send marketing at once.
  if (event.type === subscriptionConfirmed.name)
    await ctx.contacts.resubscribe(customer.id, event.data as ConsentTarget);

  const failures: EmitRouteFailure[] = [];
  const settle = async <T>(route: Route, run: () => Promise<T[]>): Promise<T[]> => {
    try {
      return await run();
    } catch (error) {
      failures.push({
        journey: route.journey.name,
        workflowId: 'workflowId' in route ? route.workflowId : undefined,
        error,
      });
      return [];
    }
  };
  const first = (
    await Promise.all(routes.map((r) => settle(r, () => apply(ctx, r, event, customer))))
  ).flat();
  const deliveries: Delivery[] = first.filter((d): d is Delivery => 'status' in d);
  const missing = first.filter((d): d is Exclude<Applied, Delivery> => !('status' in d));
  if (missing.length > 0) {
    try {
      await keepInInbox(ctx.client, ctx.taskQueue, customer.id, {
        item: { kind: 'event', event },
        targets: missing.map((m) => m.missing),
        keepMs: ctx.keepMs,
      });
      // A run may have started between the first signal and the keep, after reading the inbox: once more.
      const again = await Promise.all(missing.map((m) => settle(m.route, () => resignal(ctx, m, event))));
      deliveries.push(...again.flat());
    } catch (error) {
      for (const m of missing)
        failures.push({ journey: m.missing.journey, workflowId: m.missing.workflowId, error });
    }
  }
  if (failures.length > 0) throw new EmitIncompleteError(event.id, event.type, deliveries, failures);
  return { event, deliveries };
}

async function apply(
  ctx: EmitContext,
  route: Route,
  event: JourneyEvent,
  customer: CustomerRef,
): Promise<Applied[]> {
  const journey = route.journey.name;
  switch (route.kind) {
    case 'start':
      try {
        await ctx.client.workflow.signalWithStart(route.journey.workflowType, {
          ...(await ctx.startOptions(route.journey, customer, route.workflowId)),
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
      return (await signal(ctx.client, route.workflowId, event))
        ? [{ journey, workflowId: route.workflowId, status: 'delivered' }]
        : [{ missing: { journey, workflowId: route.workflowId }, route }];
    case 'search': {
      const query = `JourneyName = '${quote(journey)}' AND CustomerId = '${quote(event.customerId)}' AND ExecutionStatus = 'Running'`;
      // The listing is a visibility call: under the namespace's rate limit it waits its turn, not fails.
      const workflowIds = await readVisibility(
        ctx.client,
        `the runs of ${journey} for a customer`,
        async () => {
          const ids: string[] = [];
          for await (const run of ctx.client.workflow.list({ query })) ids.push(run.workflowId);
          return ids;
        },
      );
      const found = workflowIds.map((workflowId) =>
        signal(ctx.client, workflowId, event).then((ok): Applied => ({
          journey,
          workflowId,
          status: ok ? 'delivered' : 'not-running',
        })),
      );
      // No live run found: keep it for any run of this journey for this customer that starts meanwhile.
      return found.length > 0 ? Promise.all(found) : [{ missing: { journey }, route }];
    }
  }
}

/** A second signal to a run that was missing; nothing for a keyed journey's unknown runs (kept only). */
async function resignal(
  ctx: EmitContext,
  m: Exclude<Applied, Delivery>,
  event: JourneyEvent,
): Promise<Delivery[]> {
  const { journey, workflowId } = m.missing;
  if (workflowId === undefined) return [];
  const ok = await signal(ctx.client, workflowId, event);
  return [{ journey, workflowId, status: ok ? 'delivered' : 'not-running' }];
}

/** Signals a run; false when no run of that id is open. */
async function signal(client: Client, workflowId: string, event: JourneyEvent): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).signal(EVENT_SIGNAL, event);
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** Escapes a value for a single-quoted visibility query string. */
export function quote(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}
