import { countInActivity } from '../src/metrics';
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { queryContact, updateContact } from '../src/client/contact-calls';
import type { GateDecision, GateRequest, SendPolicy } from '../src/contact';

/** What a journey asks before a send: the gate request, for a customer. */
export interface AskContactRequest extends GateRequest {
  readonly customerId: string;
}

export interface ContactGateOptions {
  /** A Temporal client, to reach the contact entity. */
  readonly client: Client;
  /** The task queue the contact workflow runs on (the worker's own). */
  readonly taskQueue: string;
  /** The rules (`temporal.yaml` `contacts`), sent with each request so a config change applies at once. */
  readonly policy: SendPolicy;
}

/** No caps, no quiet hours: only consent and suppression apply. */
export const OPEN_POLICY: SendPolicy = { caps: [], quietHours: {}, overCap: 'defer', defaultTimeZone: 'UTC' };

/**
 * The Temporal update id of a gate request: a hash of its request id, so an id of any length (a journey's
 * workflow id is part of it) fits the server's limit, and the same ask always carries the same update id.
 */
export function gateUpdateId(requestId: string): string {
  return `gate-${createHash('sha256').update(requestId).digest('base64url')}`;
}

/**
 * The `askContact` activity: asks the customer's contact entity for a send slot (`updateContact`: a plain
 * update when the contact exists, update-with-start on the first send). The request id becomes the update
 * id: a retried attempt that reaches the same run joins the first attempt's update instead of making a
 * second one, and the contact itself answers a repeated request id with its first answer (across
 * continue-as-new too), so a retry is never a second grant.
 */
export function createContactGate(
  options: ContactGateOptions,
): (request: AskContactRequest) => Promise<GateDecision> {
  const { client, taskQueue } = options;
  return async ({ customerId, ...request }) => {
    const decision = await updateContact<GateDecision>(customerId, {
      client,
      taskQueue,
      update: 'contact.gate',
      arg: { ...request, policy: options.policy } satisfies GateRequest & { policy: SendPolicy },
      updateId: request.requestId === undefined ? undefined : gateUpdateId(request.requestId),
      // An attempt given up (timed out, cancelled) leaves the queue and ends its calls, so it does not
      // hold a slot its retry needs.
      signal: attemptSignal(),
    });
    countInActivity('gateDecisions', {
      channel: request.channel,
      decision: decision.decision,
      reason: decision.decision === 'allow' ? '' : decision.reason,
    });
    return decision;
  };
}

/** The running activity attempt's cancellation signal; none when called outside an activity (a bench). */
function attemptSignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
}

/**
 * The `contactTimeZone` activity: the customer's time zone as their contact knows it, else the policy's
 * default. `localTime()` in a journey uses it.
 */
export function createContactTimeZone(
  options: ContactGateOptions,
): (request: { customerId: string }) => Promise<string> {
  return async ({ customerId }) => {
    try {
      const contact = await queryContact(options.client, customerId);
      return contact.timeZone ?? options.policy.defaultTimeZone;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return options.policy.defaultTimeZone;
      throw err;
    }
  };
}
