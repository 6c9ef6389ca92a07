import {
  CancellationScope,
  patched,
  proxyActivities,
  proxyLocalActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { GateDecision, GateRequest } from '../contact';
import type { Channel, SendContext, SendOptions } from '../journey';
import type { JourneyRuntime } from './runtime';

/**
 * Sends made before the contact gate existed have no `askContact` in their history: the patch keeps them
 * replaying, while every run that reaches a send on this code asks first.
 */
const GATE_PATCH = 'temporal-journeys.contact-gate';
/**
 * Asks made before the gate became a local activity are `askContact` activity tasks in their history; asks
 * made after are local activity markers. The patch keeps both replaying.
 */
const LOCAL_GATE_PATCH = 'temporal-journeys.contact-gate-local';

/** The gate's patches, decided in a run's first task (runs with `temporal-journeys.patches-first`). */
export interface GatePatches {
  readonly gate: boolean;
  readonly local: boolean;
}

export function decideGatePatches(): GatePatches {
  return { gate: patched(GATE_PATCH), local: patched(LOCAL_GATE_PATCH) };
}

interface GateActivities {
  askContact(request: GateRequest & { customerId: string }): Promise<GateDecision>;
}

const GATE_RETRY = { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' } as const;
const remoteGate = proxyActivities<GateActivities>({ startToCloseTimeout: '10 seconds', retry: GATE_RETRY });
// A local activity runs in the workflow task that reaches the send, so the email activity is scheduled in
// the same task: one update round trip instead of an activity task and a workflow task more. A worker
// killed mid-ask runs it again in the retried task, with the same request id, so the contact answers once.
const localGate = proxyLocalActivities<GateActivities>({
  startToCloseTimeout: '10 seconds',
  retry: GATE_RETRY,
});

/**
 * The id of one ask of a send: the send's idempotency key from the run id on (`<runId>/<step>#<pass>`; the
 * run id is unique, so the workflow id before it, up to a thousand characters, adds nothing but bytes to
 * the contact, which remembers its recent ids) and the ask's round in the defer loop.
 */
function requestIdOf(context: SendContext, round: number): string {
  const key = context.idempotencyKey;
  const at = key.indexOf(workflowInfo().runId);
  return `${at >= 0 ? key.slice(at) : key}@${round}`;
}

/**
 * Asks the customer's contact entity for a slot: waits out a deferral (quiet hours, a full cap) and asks
 * again; returns the suppression reason when the contact refuses. Each ask carries a request id (the send's
 * idempotency key and the ask's round): the same ask retried is answered once, and asking again after a
 * deferral is a new ask. Deterministic: the id derives from the send and the loop alone.
 */
export async function askContact(
  runtime: JourneyRuntime,
  channel: Channel,
  context: SendContext,
  options: SendOptions,
): Promise<string | undefined> {
  const { step } = context;
  const decided = runtime.gatePatches;
  if (!(decided ? decided.gate : patched(GATE_PATCH))) return undefined;
  for (let round = 0; ; round++) {
    const local = decided ? decided.local : patched(LOCAL_GATE_PATCH);
    const gate = local ? localGate : remoteGate;
    const ask = () =>
      gate.askContact({
        customerId: runtime.customerId,
        channel,
        category: options.category ?? 'marketing',
        topic: options.topic,
        journey: runtime.definition.name,
        step,
        requestId: requestIdOf(context, round),
      });
    // On ordered runs an ask once made is not cancelled (a goal or an exit takes effect after the send, as
    // for the send itself): a grant the contact recorded is always a send that goes out, so the ledger
    // counts what the customer received. Waiting out a deferral stays cancellable.
    const answer = runtime.order ? await CancellationScope.nonCancellable(ask) : await ask();
    if (answer.decision === 'allow') return undefined; // the send's activity is the next command
    if (answer.decision === 'suppress') return answer.reason;
    runtime.deferred = { channel, step, until: new Date(answer.until).toISOString(), reason: answer.reason };
    try {
      await runtime.timer(Math.max(1, answer.until - Date.now()));
    } finally {
      runtime.deferred = null;
    }
  }
}
