import {
  allHandlersFinished,
  condition,
  continueAsNew,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  inboxKeep,
  inboxRead,
  keptItemId,
  type InboxTarget,
  type KeepRequest,
  type KeptItem,
} from './definitions';

/** An item as the inbox holds it: until when, and for which runs. */
interface Entry {
  readonly item: KeptItem;
  readonly targets: readonly InboxTarget[];
  /** Workflow time (epoch ms) after which it is dropped. */
  readonly until: number;
}

/** What the inbox carries across continue-as-new. */
export interface InboxState {
  readonly entries: readonly Entry[];
}

/** Keep at most this many items per customer; the oldest go first. */
const MAX_ENTRIES = 500;
/** Never keep an item longer than this, whatever the client asks. */
const MAX_KEEP_MS = 24 * 3_600_000;

/**
 * The customer's inbox: keeps the events (and exits) that found no run of a journey listening to them, for
 * `keepMs` each, so a run that starts meanwhile (its trigger sent at the same moment from another service)
 * reads them at its start and applies them in `at` order with the rest. It completes once everything it
 * kept has expired, so an idle customer has no inbox; it continues as new when Temporal suggests.
 */
export async function journeyInbox(state: InboxState = { entries: [] }): Promise<void> {
  let entries: Entry[] = [...state.entries];
  const live = (now: number) => entries.filter((e) => e.until > now);

  setHandler(inboxKeep, (request: KeepRequest) => {
    // A signal cannot be refused: a forged one is dropped, never a wedged task.
    if (!valid(request)) return;
    const { item, targets, keepMs } = request;
    const now = Date.now();
    const id = keptItemId(item);
    const until = now + Math.min(keepMs, MAX_KEEP_MS);
    const known = entries.find((e) => keptItemId(e.item) === id);
    const rest = live(now).filter((e) => e !== known);
    const merged: Entry = known
      ? { ...known, targets: union(known.targets, targets), until: Math.max(known.until, until) }
      : { item, targets, until };
    entries = [...rest, merged].slice(-MAX_ENTRIES);
  });

  setHandler(inboxRead, ({ journey, workflowId }) =>
    live(Date.now())
      .filter((e) =>
        e.targets.some((t) => t.journey === journey && (t.workflowId ?? workflowId) === workflowId),
      )
      .map((e) => e.item),
  );

  for (;;) {
    entries = live(Date.now());
    if (workflowInfo().continueAsNewSuggested) break;
    if (entries.length === 0) {
      await condition(allHandlersFinished);
      // Nothing was kept while the last handler ran: an idle customer needs no inbox.
      if (live(Date.now()).length === 0) return;
      continue;
    }
    const size = entries.length;
    const last = Math.max(...entries.map((e) => e.until));
    // Wake when something new is kept, when everything has expired, or when the history grows long.
    await condition(
      () => entries.length !== size || workflowInfo().continueAsNewSuggested,
      Math.max(1, last - Date.now()),
    );
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof journeyInbox>({ entries: live(Date.now()) });
}

function union(a: readonly InboxTarget[], b: readonly InboxTarget[]): InboxTarget[] {
  const key = (t: InboxTarget) => `${t.journey}\u0000${t.workflowId ?? ''}`;
  const seen = new Set(a.map(key));
  return [...a, ...b.filter((t) => !seen.has(key(t)))];
}

/** Whether a keep request has what the inbox needs. */
function valid(request: KeepRequest | undefined): request is KeepRequest {
  const item = request?.item as Partial<KeptItem> | undefined;
  return (
    request !== undefined &&
    item !== undefined &&
    ((item.kind === 'event' && typeof item.event?.id === 'string' && typeof item.event.type === 'string') ||
      (item.kind === 'exit' && typeof item.exit?.id === 'string' && typeof item.exit.at === 'string')) &&
    Array.isArray(request.targets) &&
    request.targets.length > 0 &&
    (request.targets as readonly (InboxTarget | undefined)[]).every((t) => typeof t?.journey === 'string') &&
    typeof request.keepMs === 'number' &&
    request.keepMs > 0
  );
}
