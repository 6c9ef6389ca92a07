import type { Client } from '@temporalio/client';
import { INBOX_WORKFLOW_TYPE, inboxKeep, inboxWorkflowId, type InboxTarget, type KeptItem } from '../inbox';

/**
 * Keeps an item in the customer's inbox for the runs it found missing, with signal-with-start: the inbox
 * starts on first use, and once the call returns the keep is durable, so a run that starts later reads it.
 * Idempotent: the inbox knows an item by its id, so a retried emit keeps it once.
 */
export async function keepInInbox(
  client: Client,
  taskQueue: string,
  customerId: string,
  request: { readonly item: KeptItem; readonly targets: readonly InboxTarget[]; readonly keepMs: number },
): Promise<void> {
  await client.workflow.signalWithStart(INBOX_WORKFLOW_TYPE, {
    workflowId: inboxWorkflowId(customerId),
    taskQueue,
    args: [],
    signal: inboxKeep,
    signalArgs: [request],
  });
}
