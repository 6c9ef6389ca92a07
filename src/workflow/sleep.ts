import { toMs, type Duration } from '../journey';
import { currentRuntime } from './runtime';

/**
 * Waits `duration` of journey time (a durable timer: it survives restarts and deploys). With a time scale
 * set at enrolment (local demos), journey time runs faster than the clock.
 *
 * @example
 * ```ts
 * await sleep('1 hour');
 * ```
 */
export async function sleep(duration: Duration): Promise<void> {
  const runtime = currentRuntime('sleep');
  await runtime.timer(runtime.scaled(toMs(duration)));
}

/**
 * Waits until `time` in journey time; returns at once when it has passed.
 *
 * Determinism: compute `time` from the journey's inputs or events, never from `new Date()` of your own
 * (inside a workflow `Date.now()` is workflow time, which is deterministic, so that is allowed too).
 */
export async function sleepUntil(time: Date | string): Promise<void> {
  const runtime = currentRuntime('sleepUntil');
  const target = typeof time === 'string' ? Date.parse(time) : time.getTime();
  if (Number.isNaN(target)) throw new TypeError(`sleepUntil(): "${String(time)}" is not a date.`);
  const remaining = target - runtime.journeyNow();
  if (remaining > 0) await runtime.timer(runtime.scaled(remaining));
}

/** Journey time now, as a Date: what `sleepUntil` compares against. */
export function journeyNow(): Date {
  return new Date(currentRuntime('journeyNow').journeyNow());
}
