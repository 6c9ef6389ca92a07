import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { inboxRead, inboxWorkflowId, type KeptItem, type ReadRequest } from '../src/inbox';

export interface InboxReaderOptions {
  /** A Temporal client on the journeys' namespace. */
  readonly client: Client;
}

/**
 * The `readInbox` local activity: what the customer's inbox kept for a run that is starting. A customer with no inbox (nothing was kept,
 * or it all expired and the inbox completed) has nothing. The update id is
 * the run's, so a retried read is answered once.
 */
export function createInboxReader(
  options: InboxReaderOptions,
): (request: ReadRequest & { readonly customerId: string; readonly runId?: string }) => Promise<KeptItem[]> {
  return async ({ customerId, journey, workflowId, runId }) => {
    try {
      return await options.client.workflow.getHandle(inboxWorkflowId(customerId)).executeUpdate(inboxRead, {
        args: [{ journey, workflowId }],
        updateId: runId === undefined ? undefined : `read/${workflowId}/${runId}`,
      });
    } catch (err) {
      // No inbox, or one that completed: nothing is kept for this customer.
      if (err instanceof WorkflowNotFoundError) return [];
      throw err;
    }
  };
}
