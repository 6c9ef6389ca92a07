import type { Client } from '@temporalio/client';
import { JourneyError } from '../errors';

/**
 * Reading Temporal's visibility under its rate limit. A self-hosted frontend allows 10 visibility calls per
 * second per namespace by default (`frontend.namespaceRPS.visibility`), shared by every report, dashboard
 * tab and CLI at once; a funnel alone makes about 25. Through here, each client:
 * - makes the same read (a count, a report's listing) once while it is in flight: ten open dashboards
 *   or ten funnels of one journey at once cost about one funnel's calls;
 * - keeps at most `VISIBILITY_CONCURRENCY` calls in flight, so one report does not burst;
 * - when the frontend refuses (RESOURCE_EXHAUSTED, after the SDK's own retries), pauses all its calls,
 *   backs off with jitter and asks again, for up to `VISIBILITY_PATIENCE_MS`, so a throttled report is a
 *   slower report, not an error. Only past that is it a `JOURNEY_UNAVAILABLE` error that says what to change.
 */
export const VISIBILITY_CONCURRENCY = 4;
/** How long a visibility read keeps asking a throttling frontend before it gives up. */
export const VISIBILITY_PATIENCE_MS = 5 * 60_000;
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8_000;

interface Reader {
  inFlight: number;
  readonly waiting: (() => void)[];
  /** Identical reads in flight, by key. */
  readonly shared: Map<string, Promise<unknown>>;
  /** No call starts before this (the frontend refused one). */
  pausedUntil: number;
}

const readers = new WeakMap<Client, Reader>();

function readerOf(client: Client): Reader {
  let reader = readers.get(client);
  if (!reader) {
    reader = { inFlight: 0, waiting: [], shared: new Map(), pausedUntil: 0 };
    readers.set(client, reader);
  }
  return reader;
}

/** True for the frontend's refusal under a rate limit (gRPC 8), bare or wrapped by the SDK. */
export function isThrottled(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (e.code === 8) return true;
    e = e.cause as typeof e;
  }
  return false;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `read` (a count, or a whole listing: on a refusal it runs again from the start, so it must start
 * its collection afresh) under this client's visibility budget.
 */
export async function readVisibility<T>(client: Client, what: string, read: () => Promise<T>): Promise<T> {
  const reader = readerOf(client);
  if (reader.inFlight >= VISIBILITY_CONCURRENCY) {
    await new Promise<void>((resolve) => reader.waiting.push(resolve));
  } else {
    reader.inFlight++;
  }
  try {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const wait = reader.pausedUntil - Date.now();
      if (wait > 0) await pause(wait);
      try {
        return await read();
      } catch (err) {
        if (!isThrottled(err)) throw err;
        if (Date.now() - started > VISIBILITY_PATIENCE_MS) {
          throw new JourneyError(
            'JOURNEY_UNAVAILABLE',
            `Temporal's visibility kept refusing ${what} for ${Math.round(VISIBILITY_PATIENCE_MS / 60_000)} minutes (rate limited): raise the frontend's frontend.namespaceRPS.visibility, or ask less often.`,
            { cause: err },
          );
        }
        const backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** attempt) * (0.5 + Math.random());
        reader.pausedUntil = Math.max(reader.pausedUntil, Date.now() + backoff);
      }
    }
  } finally {
    // The slot passes to the next waiter, or is freed.
    const next = reader.waiting.shift();
    if (next) next();
    else reader.inFlight--;
  }
}

/**
 * `readVisibility` for a read that any caller asking the same `key` at the same time can share: it is made
 * once while in flight, and every caller gets its answer (not kept after: a later ask reads afresh).
 */
export function readShared<T>(client: Client, key: string, what: string, read: () => Promise<T>): Promise<T> {
  const { shared } = readerOf(client);
  const asked = shared.get(key);
  if (asked) return asked as Promise<T>;
  const reading = readVisibility(client, what, read);
  shared.set(key, reading);
  const forget = () => shared.delete(key);
  reading.then(forget, forget);
  return reading;
}

/** How many runs match `query`: one call however many ask at once, under the client's budget. */
export function countRuns(client: Client, query: string): Promise<number> {
  return readShared(
    client,
    `count ${query}`,
    `the count of ${query}`,
    async () => (await client.workflow.count(query)).count,
  );
}
