import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Channel } from '../journey';
import {
  DECISIONS_KEPT,
  HISTORY_LIMIT,
  type CampaignEntry,
  type ContactPatch,
  type ContactSnapshot,
} from './entity';
import { isTimeZone } from './local-time';
import {
  decide,
  pruneLedger,
  type GateDecision,
  type GateRequest,
  type SendPolicy,
  type SuppressionReason,
} from './policy';

export const contactGate = defineUpdate<GateDecision, [GateRequest & { readonly policy: SendPolicy }]>(
  'contact.gate',
);
export const contactUpdate = defineUpdate<ContactSnapshot, [ContactPatch]>('contact.update');
export const contactSuppress = defineUpdate<
  ContactSnapshot,
  [{ readonly channel: Channel; readonly reason: SuppressionReason }]
>('contact.suppress');
export const contactState = defineQuery<ContactSnapshot>('contact.state');
/**
 * A sweep asks to start a campaign: granted (and recorded, with its cooldown) unless an earlier campaign's
 * cooldown still holds. One update, so two sweeps racing for a customer cannot both start one.
 */
export const contactCampaign = defineUpdate<
  { readonly granted: true } | { readonly granted: false; readonly until: number; readonly journey: string },
  [{ readonly plan: string; readonly journey: string; readonly cooldownMs: number }]
>('contact.campaign');

/**
 * The customer as a long-lived entity (`contact/<customerId>`): consent per channel and topic,
 * suppression, time zone and the ledger of recent sends. Every journey asks it for a send slot
 * (`contact.gate`); it answers allow, defer or suppress and records why. It keeps only what its rules can
 * still use (the ledger within the longest cap window, the last decisions) and continues as new when
 * Temporal suggests, so it never grows without bound.
 */
export async function contact(snapshot: ContactSnapshot): Promise<void> {
  let state: ContactSnapshot = snapshot;
  const record = (request: GateRequest, answer: GateDecision, now: number) => {
    state = {
      ...state,
      decisions: [...state.decisions, { at: now, request, answer }].slice(-DECISIONS_KEPT),
    };
  };

  setHandler(
    contactGate,
    ({ policy, ...request }) => {
      const now = Date.now();
      const answer = decide(state, policy, request, now);
      if (answer.decision === 'allow') {
        const entry = {
          channel: request.channel,
          category: request.category,
          journey: request.journey,
          step: request.step,
          at: now,
        };
        state = {
          ...state,
          ledger: [...pruneLedger(state.ledger, policy, now), entry],
          sendsAllowed: state.sendsAllowed + 1,
        };
      }
      record(request, answer, now);
      return answer;
    },
    {
      validator: ({ channel, category }) =>
        void (channel && (category === 'marketing' || category === 'transactional')
          ? undefined
          : reject('a gate request needs a channel and a category')),
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
      return state;
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
    return state;
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

  await condition(
    () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > HISTORY_LIMIT,
  );
  await condition(allHandlersFinished);
  await continueAsNew<typeof contact>({ ...state, generation: state.generation + 1 });
}

function reject(message: string): never {
  throw ApplicationFailure.nonRetryable(message, 'CONTACT_INVALID');
}
