import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  contactWorkflowId,
  newContact,
  type GateDecision,
  type GateRequest,
  type SendPolicy,
} from '../src/contact';

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
 * The `askContact` activity: asks the customer's contact entity for a send slot with update-with-start,
 * so the contact exists from the first send on.
 */
export function createContactGate(
  options: ContactGateOptions,
): (request: AskContactRequest) => Promise<GateDecision> {
  return async ({ customerId, ...request }) =>
    options.client.workflow.executeUpdateWithStart<
      (s: unknown) => Promise<void>,
      GateDecision,
      [GateRequest & { policy: SendPolicy }]
    >('contact.gate', {
      args: [{ ...request, policy: options.policy }],
      startWorkflowOperation: new WithStartWorkflowOperation('contact', {
        workflowId: contactWorkflowId(customerId),
        taskQueue: options.taskQueue,
        args: [newContact(customerId)],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
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
      const contact = await options.client.workflow
        .getHandle(contactWorkflowId(customerId))
        .query<{ timeZone?: string }>('contact.state');
      return contact.timeZone ?? options.policy.defaultTimeZone;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return options.policy.defaultTimeZone;
      throw err;
    }
  };
}
