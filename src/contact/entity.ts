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

/** A campaign the customer entered from a plan's sweep, and until when no other campaign may start. */
export interface CampaignEntry {
  readonly plan: string;
  readonly journey: string;
  /** Epoch ms. */
  readonly at: number;
  /** Epoch ms: the campaign's cooldown ends. */
  readonly until: number;
}

/** Everything a contact holds; also what it carries across continue-as-new. */
export interface ContactSnapshot extends ContactFacts {
  /** Campaigns entered whose cooldown has not ended (absent in contacts started before campaigns existed). */
  readonly campaigns?: readonly CampaignEntry[];
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
    campaigns: [],
    sendsAllowed: 0,
    generation: 1,
  };
}
