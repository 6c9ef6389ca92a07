import { CancellationScope } from '@temporalio/workflow';
import type { AnyEventDefinition, EventOf, JourneyEvent } from '../events';
import { toMs, type Duration } from '../journey';
import { currentRuntime } from './runtime';

/** How long to wait, in journey time: for a duration, or until an instant (`sleepUntil`'s clock). */
export type WaitForOptions = { readonly within: Duration } | { readonly until: Date | string };

/**
 * Waits for one of `events` and returns it, or `undefined` when `within` passes first. Events are
 * buffered from the moment the journey starts, so one that arrived while the journey slept or sent is
 * returned at once. Each event is returned once.
 *
 * The events must be listed in the journey's `events` option: only those are routed to it. Events apply
 * in the order of their `at` (README, "How events are ordered"): when the wait times out, one that reached
 * the journey before the deadline but still waits out its order window is applied first, and returned.
 *
 * @example
 * ```ts
 * const click = await waitFor(emailClicked, { within: '1 day' });
 * if (!click) await step('reminder-sms', () => send.sms('Your cart is waiting'));
 * ```
 */
export async function waitFor<TDef extends AnyEventDefinition>(
  events: TDef | readonly TDef[],
  options: WaitForOptions,
): Promise<EventOf<TDef> | undefined> {
  const runtime = currentRuntime('waitFor');
  const wanted = (Array.isArray(events) ? events : [events]) as readonly TDef[];
  const types = wanted.map((e) => e.name);
  // The trigger counts as listed: a second one (the next order) reaches the live run.
  const listed = [...runtime.definition.events, runtime.definition.trigger];
  const unrouted = types.filter((t) => !listed.some((e) => e?.name === t));
  if (unrouted.length > 0) {
    throw new TypeError(
      `Journey "${runtime.definition.name}" waits for ${unrouted.join(', ')} without listing it in its \`events\` option, so it would never arrive.`,
    );
  }
  const take = () => {
    const at = runtime.buffer.findIndex((e) => types.includes(e.type));
    return at < 0 ? undefined : runtime.buffer.splice(at, 1)[0];
  };
  const wait =
    'within' in options
      ? toMs(options.within)
      : Math.max(0, new Date(options.until).getTime() - runtime.journeyNow());
  if (Number.isNaN(wait))
    throw new TypeError(`waitFor(): "${String((options as { until: unknown }).until)}" is not a date.`);

  const buffered = take();
  if (buffered || wait <= 0) return buffered as EventOf<TDef> | undefined;
  let got: JourneyEvent | undefined;
  let withdraw = () => undefined as void;
  const arrived = new Promise<void>((resolve) => {
    withdraw = runtime.wait(types, (event) => {
      got = event;
      resolve();
    });
  });
  runtime.waitingFor = types;
  try {
    await CancellationScope.cancellable(async () => {
      try {
        await Promise.race([runtime.timer(runtime.scaled(wait)), arrived]);
      } finally {
        CancellationScope.current().cancel(); // the timer, when the event came first
      }
    });
    // Timed out: what reached the journey before the deadline and still waits out its window goes first.
    if (!got) await runtime.order?.catchUp();
  } finally {
    runtime.waitingFor = null;
    withdraw();
  }
  return got as EventOf<TDef> | undefined;
}
