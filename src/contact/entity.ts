import type { ContactFacts, GateDecision, GateRequest, Subscription } from './policy';

/** Keep this many recent gate decisions, so a report can say why a message was not sent. */
export const DECISIONS_KEPT = 200;
/** Continue-as-new past this many history events even if the server has not suggested it yet. */
export const HISTORY_LIMIT = 2_000;

/** A decision as the contact records it. */
export interface DecisionRecord {
  readonly at: number;
  readonly request: GateRequest;
  readonly answer: GateDecision;
}

/** Everything a contact holds; also what it carries across continue-as-new. */
export interface ContactSnapshot extends ContactFacts {
  readonly customerId: string;
  readonly decisions: readonly DecisionRecord[];
  /** Sends allowed over the contact's whole life, across continue-as-new. */
  readonly sendsAllowed: number;
  /** Runs of this contact so far (1 + continue-as-new count). */
  readonly generation: number;
}

/** A change to a contact's preferences. */
export interface ContactPatch {
  readonly timeZone?: string;
  readonly channels?: Readonly<Record<string, Subscription>>;
  readonly topics?: Readonly<Record<string, Subscription>>;
}

/** The workflow id of a customer's contact entity; the id is percent-encoded like journeys'. */
export function contactWorkflowId(customerId: string): string {
  return `contact/${encodeURIComponent(customerId)}`;
}

/** A contact nobody has told anything yet: subscribed by default, no time zone, nothing sent. */
export function newContact(customerId: string): ContactSnapshot {
  return {
    customerId,
    channels: {},
    topics: {},
    suppressed: {},
    ledger: [],
    decisions: [],
    sendsAllowed: 0,
    generation: 1,
  };
}
