import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import type { Delivery, JourneyClient } from '../client';
import type { MetricsRegistry } from '../metrics';
import { EventValidationError, isJourneyError } from '../errors';
import {
  answer,
  eventScopeIssues,
  readJson,
  requireScope,
  type IngestContext,
  type IngestEnv,
} from './ingest-context';
import { problem, problemResponse } from './problem';
import { createSeenEvents } from './seen-events';

/** What one event of a request got. */
export interface EventResult {
  readonly id: string;
  readonly type: string;
  /**
   * `accepted`: applied now; `duplicate`: this id was applied before (its first deliveries are repeated);
   * `conflict`: this id was applied before with other content, and this one was not; `ignored`: a Segment
   * call with no event mapped to it; `invalid`: a Segment call that failed validation (see `issues`).
   */
  readonly status: 'accepted' | 'duplicate' | 'conflict' | 'ignored' | 'invalid';
  readonly deliveries: readonly Delivery[];
  readonly issues?: readonly { readonly path: string; readonly message: string }[];
}

/** An event as the API takes it, before checking: `emit`'s input. */
type EventBody = Record<string, unknown> & { id?: unknown; type?: unknown; customer?: unknown };

/** How many customers' events of one batch are applied at once (each customer's in order). */
const CUSTOMERS_AT_ONCE = 16;

/**
 * Applies checked events: each customer's in the order given, customers side by side; an id seen before
 * answers `duplicate` without reaching Temporal. Throws when Temporal fails (the caller answers 503; the
 * events applied before it are `duplicate` on the retry).
 */
export function createEventApplier(journeys: JourneyClient, metrics?: MetricsRegistry) {
  const seen = createSeenEvents<readonly Delivery[]>();
  return async (events: readonly (EventBody & { id: string })[]): Promise<EventResult[]> => {
    const results: EventResult[] = new Array<EventResult>(events.length);
    const byCustomer = new Map<string, number[]>();
    events.forEach((e, i) => {
      const customer =
        typeof e.customer === 'string' ? e.customer : String((e.customer as { id?: unknown })?.id);
      byCustomer.set(customer, [...(byCustomer.get(customer) ?? []), i]);
    });
    const queues = [...byCustomer.values()];
    const worker = async () => {
      for (let queue = queues.shift(); queue; queue = queues.shift())
        for (const i of queue) {
          const e = events[i]!;
          const type = String(e.type);
          const outcome = await seen.once(e.id, e, async () => (await journeys.emit(e as never)).deliveries);
          if (metrics) countEvent(metrics, type, outcome);
          results[i] =
            'conflict' in outcome
              ? { id: e.id, type, status: 'conflict', deliveries: [] }
              : {
                  id: e.id,
                  type,
                  status: outcome.duplicate ? 'duplicate' : 'accepted',
                  deliveries: outcome.value,
                };
        }
    };
    await Promise.all(Array.from({ length: Math.min(CUSTOMERS_AT_ONCE, queues.length) }, worker));
    return results;
  };
}

/** `journeys_events`: one per route the event took, `unrouted` when none, `duplicate`/`conflict` for a repeat. */
function countEvent(
  metrics: MetricsRegistry,
  type: string,
  outcome: { conflict: true } | { duplicate: boolean; value: readonly Delivery[] },
): void {
  if ('conflict' in outcome) metrics.add('events', { type, result: 'conflict' });
  else if (outcome.duplicate) metrics.add('events', { type, result: 'duplicate' });
  else if (outcome.value.length === 0) metrics.add('events', { type, result: 'unrouted' });
  else for (const d of outcome.value) metrics.add('events', { type, result: d.status });
}

/** Checks every event of a request before any is applied; the issues are prefixed with the event's path. */
export async function checkEvents(
  journeys: JourneyClient,
  events: readonly EventBody[],
  prefix: (i: number) => string,
): Promise<{ path: string; message: string }[]> {
  const issues: { path: string; message: string }[] = [];
  for (const [i, e] of events.entries()) {
    try {
      await journeys.checkEvent(e);
    } catch (err) {
      if (!isJourneyError(err, 'EVENT_INVALID') && !isJourneyError(err, 'EVENT_UNKNOWN')) throw err;
      const found = (err as EventValidationError).issues;
      issues.push(
        ...(found.length > 0 ? found : [{ path: '', message: err.message }]).map((issue) => ({
          path: [prefix(i), issue.path].filter(Boolean).join('.'),
          message: issue.message,
        })),
      );
    }
  }
  return issues;
}

/** `POST /v1/events`: one event, or `{ events: [...] }` up to `serve.maxBatch`; all checked, then applied. */
export function eventRoutes(app: Hono<IngestEnv>, ctx: IngestContext): void {
  const apply = createEventApplier(ctx.journeys, ctx.metrics);
  app.post('/v1/events', requireScope(ctx, 'events:write'), async (c) => {
    const read = await readJson(c);
    if (!read.ok) return read.response;
    const body = read.body;
    const batch = isObject(body) && 'events' in body;
    const list: unknown = batch ? body.events : [body];
    if (!Array.isArray(list) || list.length === 0 || !list.every(isObject))
      return problemResponse(
        problem(
          'invalid-request',
          'Send one event object, or { "events": [ … ] } with at least one event object.',
          {
            issues: [
              {
                path: batch ? 'events' : '',
                message: 'expected an event object or a non-empty array of them',
              },
            ],
          },
        ),
      );
    if (list.length > ctx.serve.maxBatch)
      return problemResponse(
        problem(
          'payload-too-large',
          `${list.length} events in one request; the most is ${ctx.serve.maxBatch} (serve.maxBatch).`,
          {
            issues: [{ path: 'events', message: `at most ${ctx.serve.maxBatch} events` }],
          },
        ),
      );
    // An event without an id gets one: from the request's Idempotency-Key (a retry of the request is then
    // the same events), else a random one (a retry would be new events: send ids).
    const idempotencyKey = c.req.header('idempotency-key');
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,150}$/.test(idempotencyKey))
      return problemResponse(
        problem('invalid-request', 'The Idempotency-Key header must be 1 to 150 visible ASCII characters.', {
          issues: [{ path: 'Idempotency-Key', message: '1 to 150 visible ASCII characters' }],
        }),
      );
    const events = (list as EventBody[]).map(
      (e, i) =>
        ({
          ...e,
          id: e.id !== undefined ? e.id : idempotencyKey ? `${idempotencyKey}:${i}` : randomUUID(),
        }) as EventBody & { id: string },
    );
    const refused = eventScopeIssues(
      c.get('key'),
      events.map((e) => e.type),
      (i) => (batch ? `events.${i}.type` : 'type'),
    );
    if (refused.length > 0)
      return problemResponse(
        problem('forbidden', `Nothing was applied: ${refused.map((r) => r.message).join('; ')}.`, {
          issues: refused,
        }),
      );
    const customers = new Set(
      events.map((e) => (typeof e.customer === 'string' ? e.customer : (e.customer as { id?: string })?.id)),
    );
    return answer(
      c,
      ctx,
      {
        where: 'POST /v1/events',
        write: true,
        customer: customers.size === 1 ? String([...customers][0]) : `${customers.size} customers`,
      },
      async () => {
        const issues = await checkEvents(ctx.journeys, events, (i) => (batch ? `events.${i}` : ''));
        if (issues.length > 0)
          throw new EventValidationError(
            `Nothing was applied: ${issues.map((i) => `${i.path || '(event)'}: ${i.message}`).join('; ')}`,
            undefined,
            issues,
          );
        const results = await apply(events);
        return { body: { results }, result: summary(results) };
      },
    );
  });
}

function summary(results: readonly EventResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
