/**
 * The customer's inbox: events that reached no run of a journey listening to them, kept for a while so a run
 * whose trigger was sent at the same moment (and reached Temporal a moment later) still applies them. The
 * `journeyInbox` workflow is in './inbox-workflow', bundled by the SDK: this index stays free of workflow
 * code so the client can import it.
 */
export { INBOX_WORKFLOW_TYPE, inboxKeep, inboxRead, inboxWorkflowId, keptItemId } from './definitions';
export type { InboxTarget, KeepRequest, KeptExit, KeptItem, ReadRequest } from './definitions';
