import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { isJourneyError, type EventValidationError } from '../../src/errors';

/** The journey error `promise` rejects with; fails the test when it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<EventValidationError> {
  try {
    await promise;
  } catch (err) {
    if (isJourneyError(err)) return err as EventValidationError;
    throw err;
  }
  throw new Error('expected a rejection');
}

/** Whether Temporal has a workflow under `workflowId` (running or closed). */
export async function workflowExists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}
