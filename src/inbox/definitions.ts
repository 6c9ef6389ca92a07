import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { JourneyEvent } from '../events';
import type { ExitRequest } from '../journey';

/**
 * The customer's inbox (`inbox/<customerId>`): events that reached no run of a journey that listens to them,
 * kept for a while in case that journey's trigger is on its way (sent at the same moment by another service,
 * it may reach Temporal a moment later). A run reads the inbox when it starts. Pure definitions, shared by
 * the client (which keeps), the `readInbox` activity and the workflow.
 */

/** The workflow type of the inbox: registered by the SDK in every bundle it builds. */
export const INBOX_WORKFLOW_TYPE = 'journeyInbox';

/** The workflow id of a customer's inbox; the id is percent-encoded like journeys'. */
export function inboxWorkflowId(customerId: string): string {
  return `inbox/${encodeURIComponent(customerId)}`;
}

/** An exit asked for while the run was not there, with the id and time it was asked with. */
export type KeptExit = Required<ExitRequest>;

/** What the inbox keeps: a customer event, or an exit request. */
export type KeptItem =
  | { readonly kind: 'event'; readonly event: JourneyEvent }
  | { readonly kind: 'exit'; readonly exit: KeptExit };

/** A run that an item was meant for: one workflow id, or any run of a keyed journey (visibility found none). */
export interface InboxTarget {
  readonly journey: string;
  readonly workflowId?: string;
}

export interface KeepRequest {
  readonly item: KeptItem;
  readonly targets: readonly InboxTarget[];
  /** How long to keep it (`temporal.yaml` `events.keepUnrouted`). */
  readonly keepMs: number;
}

export interface ReadRequest {
  readonly journey: string;
  readonly workflowId: string;
}

/**
 * Keeps an item (idempotent by the item's id: keeping it again only adds targets). A signal, sent with
 * signal-with-start: durable once accepted, whether or not the inbox runs yet.
 */
export const inboxKeep = defineSignal<[KeepRequest]>('inbox.keep');
/**
 * The items kept for a run, oldest first. An update rather than a query: an update is handled after the
 * signals that reached the inbox before it, so a keep accepted before the read is always in its answer.
 */
export const inboxRead = defineUpdate<KeptItem[], [ReadRequest]>('inbox.read');

/** The id an item is de-duplicated by: the event's, or the exit's. */
export const keptItemId = (item: KeptItem): string => (item.kind === 'event' ? item.event.id : item.exit.id);
