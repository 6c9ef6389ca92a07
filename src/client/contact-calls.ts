/**
 * How the client's `contacts` and the contact activities (`askContact`, `contactTimeZone`) call a customer's
 * contact entity. An update: a plain update when the contact exists, update-with-start when it does not
 * yet, at most {@link CONTACT_LANES} at once per contact from this process, retried when the server dropped
 * it with a failed workflow task. A query: asked again when the first is not answered soon, which is a
 * query that met the contact continuing as new.
 */
import {
  ServiceError,
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  type Client,
} from '@temporalio/client';
import { contactWorkflowId, newContact, type ContactSnapshot } from '../contact';

/**
 * Updates one process sends one contact at once. The server admits at most 10 updates in flight per
 * workflow (`history.maxInFlightUpdates`) and refuses the next with RESOURCE_EXHAUSTED, which the SDK
 * retries after 1 s, then 1.7 s, 2.9 s…: a stream of callers at one customer waited seconds per update
 * (bench/gate-stream.ts). Queued here instead, an update waits tens of milliseconds for a slot. Under the
 * server's 10, so two processes streaming at one customer (a worker, a service) still fit.
 */
export const CONTACT_LANES = 5;

interface Lane {
  active: number;
  readonly waiting: (() => void)[];
}

const lanes = new Map<string, Lane>();

/**
 * Runs `update` when fewer than {@link CONTACT_LANES} updates to the contact `workflowId` are in flight
 * from this process, first come first served. An aborted `signal` (an activity attempt given up) takes a
 * waiting caller out of the queue.
 */
export async function inContactLane<T>(
  workflowId: string,
  update: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  signal?.throwIfAborted();
  const lane: Lane = lanes.get(workflowId) ?? { active: 0, waiting: [] };
  lanes.set(workflowId, lane);
  if (lane.active < CONTACT_LANES) lane.active += 1;
  else await waitForSlot(lane, signal);
  try {
    return await update();
  } finally {
    const next = lane.waiting.shift();
    if (next)
      next(); // the slot passes to the next caller as it is
    else if (--lane.active === 0) lanes.delete(workflowId);
  }
}

function waitForSlot(lane: Lane, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      lane.waiting.splice(lane.waiting.indexOf(granted), 1);
      reject(signal?.reason as Error);
    };
    const granted = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    lane.waiting.push(granted);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** One update of a customer's contact entity. */
export interface ContactUpdateOptions {
  readonly client: Client;
  /** Where a contact that does not exist yet is started (the worker's task queue). */
  readonly taskQueue: string;
  /** The update's name (`contact.gate`, `contact.update`, …) and its one argument. */
  readonly update: string;
  readonly arg: unknown;
  /** Temporal's update id: a second update with the same id joins the first instead of running again. */
  readonly updateId?: string;
  /** Gives up waiting for a slot and cancels the calls (an activity attempt's cancellation). */
  readonly signal?: AbortSignal;
}

/** Attempts when the server drops an update with the workflow task it was in (then, at once, again). */
const ATTEMPTS = 5;

/**
 * Sends one update to `customerId`'s contact and returns its result. Every update of the contact is safe
 * to send twice (a gate ask carries its request id, a patch sets values), which is what makes the retry
 * safe: when the contact continues as new while updates arrive, the server fails that workflow task
 * (UnhandledCommand) and answers the updates it carried FAILED_PRECONDITION, "unexpected workflow task
 * failure", which the SDK does not retry (measured: 1 or 2 in 1,200 updates with a continue-as-new every
 * 400 ms).
 */
export async function updateContact<T>(customerId: string, options: ContactUpdateOptions): Promise<T> {
  const workflowId = contactWorkflowId(customerId);
  const send = () =>
    inContactLane(workflowId, () => plainOrWithStart<T>(customerId, options), options.signal);
  const call = options.signal ? () => options.client.withAbortSignal(options.signal!, send) : send;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= ATTEMPTS || !droppedWithTask(err)) throw err;
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt * (0.5 + Math.random())));
    }
  }
}

async function plainOrWithStart<T>(customerId: string, options: ContactUpdateOptions): Promise<T> {
  const { client, update, updateId } = options;
  const workflowId = contactWorkflowId(customerId);
  const args: [unknown] = [options.arg];
  try {
    return await client.workflow
      .getHandle(workflowId)
      .executeUpdate<T, [unknown]>(update, { args, updateId });
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  return client.workflow.executeUpdateWithStart<(s: unknown) => Promise<void>, T, [unknown]>(update, {
    args,
    updateId,
    startWorkflowOperation: new WithStartWorkflowOperation('contact', {
      workflowId,
      taskQueue: options.taskQueue,
      args: [newContact(customerId)],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
}

/** gRPC's FAILED_PRECONDITION status code. */
const FAILED_PRECONDITION = 9;

/** The server dropped the update with a failed workflow task. */
function droppedWithTask(err: unknown): boolean {
  const cause = err instanceof ServiceError ? (err.cause as { code?: number; details?: string }) : undefined;
  return cause?.code === FAILED_PRECONDITION && /workflow task failure/i.test(cause.details ?? '');
}

/**
 * How long the first query of a contact may take before it is asked again. A query is answered in tens of
 * milliseconds, except one that arrives while the contact continues as new: the run that took it has
 * closed, and a worker replays that whole run to answer (measured: 2.7 s for a run of 2,000 events, 6-10 s
 * on a busy machine). Asked again, the query reaches the new run, which answers at once.
 */
export const QUERY_PATIENCE_MS = 1_000;

/**
 * The contact's state (`contact.state`); throws `WorkflowNotFoundError` for a customer who has none yet.
 * Safe to ask twice: a query changes nothing.
 */
export async function queryContact(client: Client, customerId: string): Promise<ContactSnapshot> {
  const query = () =>
    client.workflow.getHandle(contactWorkflowId(customerId)).query<ContactSnapshot>('contact.state');
  const deadline = Date.now() + QUERY_PATIENCE_MS;
  try {
    return await client.withDeadline(deadline, query);
  } catch (err) {
    // A query that meets the contact's new run before its first workflow task is refused
    // FAILED_PRECONDITION "workflow task is not scheduled yet": asked again a moment later, it is answered.
    if (notScheduledYet(err)) await new Promise((r) => setTimeout(r, 100));
    else if (!endedByDeadline(err, deadline)) throw err;
  }
  return query();
}

/** The query reached a run whose first workflow task the server has not scheduled yet. */
function notScheduledYet(err: unknown): boolean {
  if (!(err instanceof ServiceError)) return false;
  const cause = err.cause as { code?: number; details?: string } | undefined;
  return (
    cause?.code === FAILED_PRECONDITION && /not scheduled yet/i.test(`${cause.details ?? ''} ${err.message}`)
  );
}

/** gRPC's status codes for a call its deadline ended. */
const CANCELLED = 1;
const DEADLINE_EXCEEDED = 4;

/**
 * Whether a call made under `client.withDeadline(deadline, …)` failed because the deadline passed: it ends
 * DEADLINE_EXCEEDED, or CANCELLED when it was waiting out one of the SDK's retry backoffs (a query refused
 * "workflow is closing", a worker gone) as the deadline came; anything else, or earlier, is the answer.
 */
export function endedByDeadline(err: unknown, deadline: number): boolean {
  const cause = err instanceof ServiceError ? err.cause : err;
  const code = (cause as { code?: number } | undefined)?.code;
  return Date.now() >= deadline && (code === DEADLINE_EXCEEDED || code === CANCELLED);
}
