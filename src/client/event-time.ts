import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { EventValidationError } from '../errors';

/** How the client reads and bounds an event's `at` (and an exit's). */
export interface EventTime {
  /** The client's clock, epoch ms (the test server's simulated time in the testing kit). */
  now(): Promise<number>;
  /**
   * `at` as ISO-8601: now when absent; otherwise a `Date` or an ISO-8601 string with a zone, within the
   * window (not more than `maxFuture` ahead of the clock, not older than `maxAge`). Throws an
   * {@link EventValidationError} naming `field` otherwise.
   */
  check(at: unknown, field: string, eventType?: string): Promise<string>;
  /** The oldest `at` accepted, as an age in ms. */
  maxAgeMs(): Promise<number>;
}

export interface EventTimeOptions {
  readonly client: Client;
  readonly maxFutureMs: number;
  /** Defaults to the namespace's retention period (asked once), or 30 days when it cannot be read. */
  readonly maxAgeMs?: number;
  readonly now?: () => number | Promise<number>;
}

const iso = z.iso.datetime({ offset: true });
const DAY = 86_400_000;

export function createEventTime(options: EventTimeOptions): EventTime {
  const now = async () => (options.now ? await options.now() : Date.now());
  let maxAge: Promise<number> | undefined;
  const oldest = () =>
    (maxAge ??=
      options.maxAgeMs !== undefined ? Promise.resolve(options.maxAgeMs) : retention(options.client));
  const fail = (field: string, eventType: string | undefined, message: string): never => {
    throw new EventValidationError(`Invalid ${field}: ${message}.`, eventType, [{ path: field, message }]);
  };
  return {
    now,
    maxAgeMs: oldest,
    async check(at, field, eventType) {
      const clock = await now();
      if (at === undefined) return new Date(clock).toISOString();
      let ms: number;
      if (at instanceof Date) ms = at.getTime();
      else if (typeof at === 'string' && iso.safeParse(at).success) ms = Date.parse(at);
      else
        return fail(
          field,
          eventType,
          'must be a Date or an ISO-8601 time with a zone, e.g. "2026-12-01T09:30:00Z"',
        );
      if (Number.isNaN(ms)) return fail(field, eventType, 'is not a valid date');
      if (ms > clock + options.maxFutureMs) {
        fail(
          field,
          eventType,
          `${new Date(ms).toISOString()} is more than ${options.maxFutureMs / 1000} s ahead of this clock (${new Date(clock).toISOString()}); temporal.yaml events.maxFuture sets the limit`,
        );
      }
      const age = await oldest();
      if (ms < clock - age) {
        fail(
          field,
          eventType,
          `${new Date(ms).toISOString()} is older than ${Math.round(age / DAY)} days; temporal.yaml events.maxAge sets the limit (default: the namespace's retention)`,
        );
      }
      return new Date(ms).toISOString();
    },
  };
}

/** The namespace's retention period: the age past which Temporal forgets closed runs. */
async function retention(client: Client): Promise<number> {
  try {
    const { config } = await client.workflowService.describeNamespace({
      namespace: client.options.namespace,
    });
    const seconds = Number(config?.workflowExecutionRetentionTtl?.seconds ?? 0);
    return seconds > 0 ? seconds * 1000 : 30 * DAY;
  } catch {
    return 30 * DAY;
  }
}
