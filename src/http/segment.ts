import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import { isTimeZone } from '../contact';
import { idProblem } from '../journey';
import {
  answer,
  eventScopeIssues,
  readJson,
  requireScope,
  type IngestContext,
  type IngestEnv,
} from './ingest-context';
import { problem, problemResponse } from './problem';
import { checkEvents, createEventApplier, isObject, type EventResult } from './routes-events';

/**
 * A Segment-spec `identify` reached the server: its traits, for the app's own customer store (Temporal keeps
 * no addresses beyond the runs they are given to). The contact's time zone is already updated.
 */
export type IdentifyHook = (
  customerId: string,
  traits: Readonly<Record<string, unknown>>,
) => void | Promise<void>;

/** One call of the Segment spec as a pipeline forwards it (only the fields used here). */
interface SegmentCall {
  readonly type?: unknown;
  readonly event?: unknown;
  readonly userId?: unknown;
  readonly messageId?: unknown;
  readonly timestamp?: unknown;
  readonly properties?: unknown;
  readonly traits?: unknown;
  readonly context?: unknown;
}

/** A call turned into what it does here: an event to emit, a contact change, or nothing (and why). */
type Planned =
  | {
      readonly kind: 'track';
      readonly index: number;
      readonly event: Record<string, unknown> & { id: string; type: string };
    }
  | {
      readonly kind: 'identify';
      readonly index: number;
      readonly id: string;
      readonly customerId: string;
      readonly timeZone?: string;
      readonly traits: Record<string, unknown>;
    }
  | {
      readonly kind: 'ignored';
      readonly index: number;
      readonly id: string;
      readonly type: string;
      readonly why: string;
    };

/**
 * `POST /v1/segment`: the Segment spec's `track`, `identify` and `batch` calls, as Segment, RudderStack and
 * Jitsu forward them to a webhook destination. `userId` is the customer, `messageId` the event id,
 * `timestamp` its `at`; a `track`'s `event` is mapped to an event type by `serve.segment.events` (or taken
 * as it is when the catalog knows it), its `properties` are the data and `context.traits.email` / `phone`
 * the addresses; an `identify` sets the contact's time zone (`traits.timezone` or `context.timezone`).
 * Calls that cannot apply (no `userId`, an unmapped event, `page`, `screen`, …) are `ignored`; a call that
 * fails validation is `invalid` with its fields and the others still apply, since a pipeline retrying the
 * batch would never get it through. Every call is checked before any is applied.
 */
export function segmentRoutes(app: Hono<IngestEnv>, ctx: IngestContext, onIdentify?: IdentifyHook): void {
  const apply = createEventApplier(ctx.journeys, ctx.metrics);
  const mapping = ctx.serve.segment.events;
  const known = (type: string) => ctx.eventTypes.has(type);

  app.post('/v1/segment', requireScope(ctx, 'events:write'), async (c) => {
    const read = await readJson(c);
    if (!read.ok) return read.response;
    const body = read.body;
    const batch = isObject(body) && Array.isArray(body.batch);
    const calls: unknown[] = batch ? (body.batch as unknown[]) : [body];
    if (calls.length === 0 || !calls.every(isObject))
      return problemResponse(
        problem('invalid-request', 'Send one Segment call, or { "batch": [ … ] } of them.', {
          issues: [{ path: batch ? 'batch' : '', message: 'expected Segment call objects' }],
        }),
      );
    if (calls.length > ctx.serve.maxBatch)
      return problemResponse(
        problem(
          'payload-too-large',
          `${calls.length} calls in one batch; the most is ${ctx.serve.maxBatch} (serve.maxBatch).`,
          {
            issues: [{ path: 'batch', message: `at most ${ctx.serve.maxBatch} calls` }],
          },
        ),
      );
    const planned = (calls as SegmentCall[]).map((call, index) => plan(call, index, mapping, known));
    const prefix = (i: number) => (batch ? `batch.${i}` : '');
    return answer(
      c,
      ctx,
      { where: 'POST /v1/segment', write: true, customer: `${calls.length} calls` },
      async () => {
        const results: EventResult[] = new Array<EventResult>(planned.length);
        // Checked first, every one: the invalid are answered so and left out; nothing is applied before this.
        const tracks: (Planned & { kind: 'track' })[] = [];
        for (const p of planned) {
          if (p.kind === 'ignored') {
            results[p.index] = {
              id: p.id,
              type: p.type,
              status: 'ignored',
              deliveries: [],
              issues: [{ path: prefix(p.index), message: p.why }],
            };
          } else if (p.kind === 'track') {
            const refused = eventScopeIssues(c.get('key'), [p.event.type], () =>
              [prefix(p.index), 'event'].filter(Boolean).join('.'),
            );
            const issues =
              refused.length > 0
                ? refused
                : await checkEvents(ctx.journeys, [p.event], () => prefix(p.index));
            if (issues.length > 0)
              results[p.index] = {
                id: p.event.id,
                type: p.event.type,
                status: 'invalid',
                deliveries: [],
                issues,
              };
            else tracks.push(p);
          } else {
            const issue = identifyIssue(p);
            if (issue)
              results[p.index] = {
                id: p.id,
                type: 'identify',
                status: 'invalid',
                deliveries: [],
                issues: [
                  {
                    path: `${prefix(p.index)}${prefix(p.index) ? '.' : ''}${issue.path}`,
                    message: issue.message,
                  },
                ],
              };
          }
        }
        // Identify first: a time zone a batch sets holds for the sends its tracks start.
        await Promise.all(
          planned.map(async (p) => {
            if (p.kind !== 'identify' || results[p.index]) return;
            if (p.timeZone) await ctx.journeys.contacts.update(p.customerId, { timeZone: p.timeZone });
            await onIdentify?.(p.customerId, p.traits);
            results[p.index] = {
              id: p.id,
              type: 'identify',
              status: p.timeZone || onIdentify ? 'accepted' : 'ignored',
              deliveries: [],
            };
          }),
        );
        const applied = await apply(tracks.map((t) => t.event));
        tracks.forEach((t, i) => (results[t.index] = applied[i]!));
        return { body: { results } };
      },
    );
  });
}

function plan(
  call: SegmentCall,
  index: number,
  mapping: Readonly<Record<string, string>>,
  known: (t: string) => boolean,
): Planned {
  // Without a messageId the call's content names it, so a pipeline's retry is still recognised.
  const id =
    typeof call.messageId === 'string' && call.messageId
      ? call.messageId
      : `segment-${createHash('sha256').update(JSON.stringify(call)).digest('base64url').slice(0, 32)}`;
  const type = typeof call.type === 'string' ? call.type : '';
  const userId = call.userId;
  if (type !== 'track' && type !== 'identify')
    return {
      kind: 'ignored',
      index,
      id,
      type: type || 'unknown',
      why: `Segment "${type || '(no type)'}" calls are not used`,
    };
  if (typeof userId !== 'string' || userId === '')
    return { kind: 'ignored', index, id, type, why: 'no userId: anonymous calls reach no customer' };
  const context = isObject(call.context) ? call.context : {};
  if (type === 'identify') {
    const traits = isObject(call.traits) ? call.traits : {};
    const zone = traits.timezone ?? traits.timeZone ?? context.timezone;
    return {
      kind: 'identify',
      index,
      id,
      customerId: userId,
      traits,
      ...(typeof zone === 'string' && zone && { timeZone: zone }),
    };
  }
  const name = typeof call.event === 'string' ? call.event : '';
  // Own entries only: an event named `constructor` or `__proto__` maps to nothing, not to Object's.
  const mapped = Object.hasOwn(mapping, name) ? mapping[name] : known(name) ? name : undefined;
  if (!mapped)
    return {
      kind: 'ignored',
      index,
      id,
      type: name || 'track',
      why: `no event type is mapped to "${name}" (serve.segment.events)`,
    };
  const traits = isObject(context.traits) ? context.traits : {};
  const customer = {
    id: userId,
    ...(typeof traits.email === 'string' && { email: traits.email }),
    ...(typeof traits.phone === 'string' && { phone: traits.phone }),
  };
  return {
    kind: 'track',
    index,
    event: {
      id,
      type: mapped,
      customer,
      data: call.properties ?? {},
      ...(typeof call.timestamp === 'string' && { at: call.timestamp }),
    },
  };
}

/** What is wrong with an identify: its customer id (the rule every door uses) or its time zone. */
function identifyIssue(p: Planned & { kind: 'identify' }): { path: string; message: string } | undefined {
  const problem = idProblem(p.customerId);
  if (problem) return { path: 'userId', message: `customer id ${problem}` };
  if (p.timeZone !== undefined && !isTimeZone(p.timeZone))
    return { path: 'traits.timezone', message: 'not an IANA time zone, e.g. "America/New_York"' };
  return undefined;
}
