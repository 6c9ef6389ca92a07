import type { ContactFacts, GateDecision, GateRequest, Subscription } from './policy';

/** Keep this many recent gate decisions, so a report can say why a message was not sent. */
export const DECISIONS_KEPT = 200;
/**
 * Remember the answers to this many recent asks by request id, so a retried ask gets its first answer.
 * A retry comes within seconds or minutes of its first attempt; a customer is asked a handful of times a
 * day, so 500 covers any retry short of 500 other asks of the same customer in between.
 */
export const REQUESTS_KEPT = 500;
/** Continue-as-new past this many history events even if the server has not suggested it yet. */
export const HISTORY_LIMIT = 4_000;
/**
 * Continue-as-new past this many bytes of history (the snapshot it started from included). The updates of
 * the task that crossed it still land, so a run ends near 600 KiB under a stream: under the 1 MB the tests
 * hold it to, and far under the 4 MB a default client can fetch.
 */
export const HISTORY_BYTES_LIMIT = 512 * 1024;

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

/** A gate request the contact answered, by its request id: a retry of the same ask gets the same answer. */
export interface AnsweredRequest {
  readonly id: string;
  readonly answer: GateDecision;
}

/**
 * What `contacts.update` and `contacts.suppress` return: the customer's preferences after the change
 * (time zone, subscriptions, suppressions), not the ledger or the decisions (read those with
 * `contacts.get`). Small, since every update's result is kept in the contact's history.
 */
export type ContactPreferences = Pick<ContactFacts, 'timeZone' | 'channels' | 'topics' | 'suppressed'>;

/** Everything a contact holds; also what it carries across continue-as-new. */
export interface ContactSnapshot extends ContactFacts {
  /** Campaigns entered whose cooldown has not ended (absent in contacts started before campaigns existed). */
  readonly campaigns?: readonly CampaignEntry[];
  readonly customerId: string;
  readonly decisions: readonly DecisionRecord[];
  /** The last asks answered, by request id (absent in contacts started before request ids existed). */
  readonly answered?: readonly AnsweredRequest[];
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

/** The preferences part of a contact's state: what an update returns. */
export function preferencesOf(contact: ContactFacts): ContactPreferences {
  const { timeZone, channels, topics, suppressed } = contact;
  return { ...(timeZone !== undefined && { timeZone }), channels, topics, suppressed };
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
    answered: [],
    campaigns: [],
    sendsAllowed: 0,
    generation: 1,
  };
}
