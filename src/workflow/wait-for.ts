import { condition } from '@temporalio/workflow';
import type { AnyEventDefinition, EventOf } from '../events';
import { toMs, type Duration } from '../journey';
import { currentRuntime } from './runtime';

/** How long to wait, in journey time: for a duration, or until an instant (`sleepUntil`'s clock). */
export type WaitForOptions = { readonly within: Duration } | { readonly until: Date | string };

/**
 * Waits for one of `events` and returns it, or `undefined` when `within` passes first. Events are
 * buffered from the moment the journey starts, so one that arrived while the journey slept or sent is
 * returned at once. Each event is returned once.
 *
 * The events must be listed in the journey's `events` option: only those are routed to it.
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
  const index = () => runtime.buffer.findIndex((e) => types.includes(e.type));
  runtime.waitingFor = types;
  try {
    const wait =
      'within' in options
        ? toMs(options.within)
        : Math.max(0, new Date(options.until).getTime() - runtime.journeyNow());
    if (Number.isNaN(wait))
      throw new TypeError(`waitFor(): "${String((options as { until: unknown }).until)}" is not a date.`);
    if (index() < 0 && wait > 0) await condition(() => index() >= 0, runtime.scaled(wait));
  } finally {
    runtime.waitingFor = null;
  }
  const at = index();
  return at < 0 ? undefined : (runtime.buffer.splice(at, 1)[0] as EventOf<TDef>);
}
