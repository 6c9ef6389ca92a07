import { proxyActivities } from '@temporalio/workflow';
import { nextLocalTime } from '../contact';
import { currentRuntime } from './runtime';

const contacts = proxyActivities<{ contactTimeZone(request: { customerId: string }): Promise<string> }>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' },
});

/**
 * The next time the clock reads `clock` (`HH:MM`) in the customer's time zone, as their contact knows it,
 * correct across daylight-saving changes. Use it to send at local time.
 *
 * Determinism: the time zone is read through an activity, so a replay sees the same zone.
 *
 * @example
 * ```ts
 * await sleepUntil(await localTime('09:00'));
 * await step('morning-note', () => send.email('good-morning', {}));
 * ```
 */
export async function localTime(clock: string): Promise<Date> {
  const runtime = currentRuntime('localTime');
  const timeZone = await contacts.contactTimeZone({ customerId: runtime.customerId });
  return new Date(nextLocalTime(runtime.journeyNow(), timeZone, clock));
}
