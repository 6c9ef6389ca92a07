import { toMs, type Channel, type Duration } from '../journey';
import { inLocalWindow, nextLocalTime } from './local-time';

/** Marketing messages are capped and need consent; transactional ones (receipts, payment reminders) are not. */
export type Category = 'marketing' | 'transactional';

/** A channel subscription; `pending` waits for a double opt-in confirmation. */
export type Subscription = 'subscribed' | 'unsubscribed' | 'pending';

/** Why a channel is suppressed for every journey, whatever the consent. */
export type SuppressionReason = 'bounced' | 'complained' | 'stopped';

/** How often a customer may be messaged across all journeys: at most `max` per `per` (rolling window). */
export interface FrequencyCap {
  /** A channel, or `any` for all channels together. */
  readonly channel: Channel | 'any';
  /**
   * Only this journey's sends count, and only its sends are held: a campaign cooldown (`{ journey:
   * 'win-back', max: 1, per: '30 days' }` sends the win-back offer at most once a month).
   */
  readonly journey?: string;
  readonly max: number;
  readonly per: Duration;
}

/** The rules every send is checked against (`temporal.yaml` `contacts`). */
export interface SendPolicy {
  readonly caps: readonly FrequencyCap[];
  /** Per channel, in the customer's time zone, e.g. `{ sms: { from: '21:00', to: '09:00' } }`. */
  readonly quietHours: Readonly<Record<string, { readonly from: string; readonly to: string }>>;
  /** Over a cap: wait for a free slot (`defer`) or drop the message (`suppress`). */
  readonly overCap: 'defer' | 'suppress';
  /** For customers whose time zone is unknown. */
  readonly defaultTimeZone: string;
}

/** One send the customer received that a cap counts, as the ledger keeps it. */
export interface LedgerEntry {
  readonly channel: Channel;
  readonly category: Category;
  readonly journey: string;
  readonly step: string;
  /** Epoch ms. */
  readonly at: number;
}

/** What the gate reads about a customer. */
export interface ContactFacts {
  readonly timeZone?: string;
  readonly channels: Readonly<Record<string, Subscription>>;
  readonly topics: Readonly<Record<string, Subscription>>;
  readonly suppressed: Readonly<Record<string, { readonly reason: SuppressionReason; readonly at: number }>>;
  readonly ledger: readonly LedgerEntry[];
}

/** A journey asking for a send slot. */
export interface GateRequest {
  readonly channel: Channel;
  readonly category: Category;
  readonly journey: string;
  readonly step: string;
  /** A marketing topic (newsletter, promotions) the customer may unsubscribe from alone. */
  readonly topic?: string;
  /**
   * Names this ask of this send (a journey derives it from the send's idempotency key and the ask's round):
   * asked again with the same id, a retried activity or a replayed task, the contact answers what it
   * answered the first time and records nothing new. Without it every ask is a new one.
   */
  readonly requestId?: string;
}

/** The gate's answer. `defer` names the instant to ask again. */
export type GateDecision =
  | { readonly decision: 'allow' }
  | { readonly decision: 'defer'; readonly until: number; readonly reason: 'quiet_hours' | 'frequency_cap' }
  | {
      readonly decision: 'suppress';
      readonly reason:
        SuppressionReason | 'unsubscribed' | 'topic_unsubscribed' | 'pending_confirmation' | 'frequency_cap';
    };

/**
 * Decides one send: suppression (bounce, complaint, STOP) and consent first, then quiet hours in the
 * customer's time zone, then frequency caps across journeys. Transactional messages skip consent and caps,
 * not suppression or quiet hours. Pure: the contact workflow calls it with workflow time.
 */
export function decide(
  facts: ContactFacts,
  policy: SendPolicy,
  request: GateRequest,
  now: number,
): GateDecision {
  const suppressed = facts.suppressed[request.channel];
  if (suppressed) return { decision: 'suppress', reason: suppressed.reason };
  if (request.category === 'marketing') {
    const subscription = facts.channels[request.channel] ?? 'subscribed';
    if (subscription === 'unsubscribed') return { decision: 'suppress', reason: 'unsubscribed' };
    if (subscription === 'pending') return { decision: 'suppress', reason: 'pending_confirmation' };
    if (request.topic && facts.topics[request.topic] === 'unsubscribed')
      return { decision: 'suppress', reason: 'topic_unsubscribed' };
  }
  // Both constraints move the slot later; repeat until one instant satisfies both.
  let at = now;
  let reason: 'quiet_hours' | 'frequency_cap' | undefined;
  for (let round = 0; round < 8; round++) {
    const quiet = quietUntil(facts, policy, request.channel, at);
    const capped = request.category === 'marketing' ? capUntil(facts, policy, request, at) : undefined;
    if (capped !== undefined && policy.overCap === 'suppress')
      return { decision: 'suppress', reason: 'frequency_cap' };
    const next = Math.max(quiet ?? at, capped ?? at);
    if (next === at) break;
    reason ??= quiet !== undefined ? 'quiet_hours' : 'frequency_cap';
    at = next;
  }
  return at === now || reason === undefined
    ? { decision: 'allow' }
    : { decision: 'defer', until: at, reason };
}

/** When the channel's quiet hours end, if `at` is inside them. */
function quietUntil(
  facts: ContactFacts,
  policy: SendPolicy,
  channel: Channel,
  at: number,
): number | undefined {
  const window = policy.quietHours[channel];
  if (!window) return undefined;
  const zone = facts.timeZone ?? policy.defaultTimeZone;
  return inLocalWindow(at, zone, window.from, window.to) ? nextLocalTime(at, zone, window.to) : undefined;
}

/** When a marketing slot frees up under every cap on the request's channel and journey, if one is full at `at`. */
function capUntil(
  facts: ContactFacts,
  policy: SendPolicy,
  request: GateRequest,
  at: number,
): number | undefined {
  const { channel, journey } = request;
  let until: number | undefined;
  for (const cap of policy.caps) {
    if (!counts(cap, { category: 'marketing', channel, journey })) continue;
    const window = toMs(cap.per);
    const inWindow = facts.ledger
      .filter((e) => counts(cap, e) && e.at > at - window && e.at <= at)
      .map((e) => e.at)
      .sort((a, b) => a - b);
    if (inWindow.length < cap.max) continue;
    // The slot frees when enough of the oldest sends leave the window.
    const free = (inWindow[inWindow.length - cap.max] as number) + window;
    until = Math.max(until ?? free, free);
  }
  return until;
}

/** Whether `cap` counts `entry`: a marketing send on the cap's channel (or any) and of its journey, if named. */
function counts(cap: FrequencyCap, entry: Pick<LedgerEntry, 'category' | 'channel' | 'journey'>): boolean {
  return (
    entry.category === 'marketing' &&
    (cap.channel === 'any' || cap.channel === entry.channel) &&
    (cap.journey === undefined || cap.journey === entry.journey)
  );
}

/**
 * The ledger entries some cap can still count: for each cap, the `max` latest sends it counts within its
 * window (a cap decides on those alone: whether there are `max` of them, and when the oldest leaves). Older
 * entries, and sends no cap counts (transactional ones, a channel without a cap), can never hold a send
 * back, so the ledger holds at most the caps' `max` together.
 */
export function pruneLedger(ledger: readonly LedgerEntry[], policy: SendPolicy, now: number): LedgerEntry[] {
  const keep = new Set<LedgerEntry>();
  for (const cap of policy.caps) {
    const window = toMs(cap.per);
    const counted = ledger.filter((e) => counts(cap, e) && e.at > now - window);
    counted.sort((a, b) => a.at - b.at);
    for (const e of counted.slice(-Math.max(1, cap.max))) keep.add(e);
  }
  return ledger.filter((e) => keep.has(e));
}

/**
 * The ledger after an allowed send: pruned, with the send added when a cap counts it. So the ledger holds
 * at most what the caps let through in their windows, however many transactional or uncapped sends go out.
 */
export function recordSend(
  ledger: readonly LedgerEntry[],
  policy: SendPolicy,
  entry: LedgerEntry,
): LedgerEntry[] {
  return pruneLedger([...ledger, entry], policy, entry.at);
}
