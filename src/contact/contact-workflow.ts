import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Channel } from '../journey';
import {
  DECISIONS_KEPT,
  HISTORY_BYTES_LIMIT,
  HISTORY_LIMIT,
  preferencesOf,
  REQUESTS_KEPT,
  type CampaignEntry,
  type ContactPatch,
  type ContactPreferences,
  type ContactSnapshot,
} from './entity';
import { isTimeZone } from './local-time';
import {
  decide,
  recordSend,
  type GateDecision,
  type GateRequest,
  type SendPolicy,
  type SuppressionReason,
} from './policy';

/** A journey asks for a send slot; the answer is the decision alone. */
export const contactGate = defineUpdate<GateDecision, [GateRequest & { readonly policy: SendPolicy }]>(
  'contact.gate',
);
/** Changes preferences; returns them (not the ledger or the decisions, which stay out of the history). */
export const contactUpdate = defineUpdate<ContactPreferences, [ContactPatch]>('contact.update');
/** Suppresses a channel (a bounce, a complaint, a STOP); returns the preferences after it. */
export const contactSuppress = defineUpdate<
  ContactPreferences,
  [{ readonly channel: Channel; readonly reason: SuppressionReason }]
>('contact.suppress');
/** The whole contact: preferences, ledger, recent decisions. A query, so it adds nothing to the history. */
export const contactState = defineQuery<ContactSnapshot>('contact.state');
/** Continue as new now (an operator who wants a short history, a test of what crosses it). */
export const contactCompact = defineSignal('contact.compact');

/**
 * A sweep asks to start a campaign: granted (and recorded, with its cooldown) unless an earlier campaign's
 * cooldown still holds. One update, so two sweeps racing for a customer cannot both start one.
 */
export const contactCampaign = defineUpdate<
  { readonly granted: true } | { readonly granted: false; readonly until: number; readonly journey: string },
  [{ readonly plan: string; readonly journey: string; readonly cooldownMs: number }]
>('contact.campaign');

/**
 * Runs of the contact started before this patch continue as new on their old terms (history length or the
 * server's suggestion); new runs also watch their size in bytes and take `contact.compact`. A run replayed
 * with this code decides as it did when it ran, so its history replays.
 */
const LEAN_PATCH = 'temporal-journeys.contact-lean';

/**
 * The customer as a long-lived entity (`contact/<customerId>`): consent per channel and topic,
 * suppression, time zone and the ledger of the sends its caps count. Every journey asks it for a send slot
 * (`contact.gate`); it answers allow, defer or suppress and records why. An ask repeated with the same
 * request id (a retried activity) gets the first answer again and records nothing. It keeps only what its
 * rules can still use (the ledger entries a cap counts, the last decisions and answers) and continues as
 * new when its history grows, so it never grows without bound.
 */
export async function contact(snapshot: ContactSnapshot): Promise<void> {
  const lean = patched(LEAN_PATCH);
  // The answers live in a map (insertion order is age: the oldest is forgotten first), carried across
  // continue-as-new; the state the query shows leaves them out.
  const { answered: carried = [], ...facts } = snapshot;
  const answered = new Map(carried.map((a) => [a.id, a.answer]));
  let state: ContactSnapshot = facts;
  let compact = false;
  const record = (request: GateRequest, answer: GateDecision, now: number) => {
    state = {
      ...state,
      decisions: [...state.decisions, { at: now, request, answer }].slice(-DECISIONS_KEPT),
    };
    if (request.requestId === undefined) return;
    answered.set(request.requestId, answer);
    if (answered.size > REQUESTS_KEPT) answered.delete(answered.keys().next().value as string);
  };

  setHandler(
    contactGate,
    ({ policy, ...request }) => {
      const earlier = request.requestId === undefined ? undefined : answered.get(request.requestId);
      if (earlier) return earlier;
      const now = Date.now();
      const answer = decide(state, policy, request, now);
      if (answer.decision === 'allow') {
        const { channel, category, journey, step } = request;
        state = {
          ...state,
          ledger: recordSend(state.ledger, policy, { channel, category, journey, step, at: now }),
          sendsAllowed: state.sendsAllowed + 1,
        };
      }
      record(request, answer, now);
      return answer;
    },
    {
      validator: ({ channel, category, requestId }) => {
        if (!channel || (category !== 'marketing' && category !== 'transactional'))
          reject('a gate request needs a channel and a category');
        if (requestId !== undefined && (typeof requestId !== 'string' || requestId === ''))
          reject('a gate request id must be a non-empty string');
      },
    },
  );

  setHandler(
    contactUpdate,
    (patch) => {
      state = {
        ...state,
        timeZone: patch.timeZone ?? state.timeZone,
        channels: { ...state.channels, ...patch.channels },
        topics: { ...state.topics, ...patch.topics },
        // Subscribing again lifts an opt-out suppression (STOP), not a bounce or complaint.
        suppressed: Object.fromEntries(
          Object.entries(state.suppressed).filter(
            ([channel, s]) => !(s.reason === 'stopped' && patch.channels?.[channel] === 'subscribed'),
          ),
        ),
      };
      return preferencesOf(state);
    },
    {
      validator: (patch: ContactPatch) => {
        if (patch.timeZone !== undefined && !isTimeZone(patch.timeZone)) {
          reject(`"${patch.timeZone}" is not an IANA time zone`);
        }
      },
    },
  );

  setHandler(contactSuppress, ({ channel, reason }) => {
    state = { ...state, suppressed: { ...state.suppressed, [channel]: { reason, at: Date.now() } } };
    return preferencesOf(state);
  });

  setHandler(contactCampaign, ({ plan, journey, cooldownMs }) => {
    const now = Date.now();
    const active = (state.campaigns ?? []).filter((c) => c.until > now);
    const holding = active.reduce<CampaignEntry | undefined>(
      (a, c) => (a && a.until >= c.until ? a : c),
      undefined,
    );
    if (holding) return { granted: false, until: holding.until, journey: holding.journey };
    state = { ...state, campaigns: [...active, { plan, journey, at: now, until: now + cooldownMs }] };
    return { granted: true };
  });

  setHandler(contactState, () => state);
  setHandler(contactCompact, () => void (compact = true));

  await condition(() => {
    const info = workflowInfo();
    return (
      info.continueAsNewSuggested ||
      info.historyLength > HISTORY_LIMIT ||
      (lean && (compact || info.historySize > HISTORY_BYTES_LIMIT))
    );
  });
  // Straight on, in the task that crossed the limit: waiting for a timer first was measured to let more
  // updates arrive during the continue-as-new task, which the server then fails (UnhandledCommand).
  await condition(allHandlersFinished);
  await continueAsNew<typeof contact>({
    ...state,
    answered: [...answered].map(([id, answer]) => ({ id, answer })),
    generation: state.generation + 1,
  });
}

function reject(message: string): never {
  throw ApplicationFailure.nonRetryable(message, 'CONTACT_INVALID');
}
