/**
 * The customer as an entity: consent, suppression, time zone, the ledger of sends, and the gate every send
 * asks. Pure rules (`decide`, local time) and ids; the `contact` workflow holds them.
 */
// The `contact` workflow and its update definitions are in './contact-workflow', bundled through
// workflows/index.ts: this index stays free of workflow code so the client can import it.
export { contactWorkflowId, newContact, preferencesOf } from './entity';
export type {
  AnsweredRequest,
  CampaignEntry,
  ContactPatch,
  ContactPreferences,
  ContactSnapshot,
  DecisionRecord,
} from './entity';
export { inLocalWindow, instantOf, isTimeZone, localParts, nextLocalTime, parseClock } from './local-time';
export type { LocalClock } from './local-time';
export { decide, pruneLedger, recordSend } from './policy';
export type {
  Category,
  ContactFacts,
  FrequencyCap,
  GateDecision,
  GateRequest,
  LedgerEntry,
  SendPolicy,
  Subscription,
  SuppressionReason,
} from './policy';
