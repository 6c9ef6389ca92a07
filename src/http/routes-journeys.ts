import type { Context, Hono } from 'hono';
import type { JourneyDefinition } from '../journey';
import { answer, readJson, requireScope, type IngestContext, type IngestEnv } from './ingest-context';
import { problem, problemResponse } from './problem';
import { isObject } from './routes-events';

/**
 * Journeys by name: `GET /v1/journeys`, `POST /v1/journeys/{journey}/enrolments`, a run's state
 * `GET /v1/journeys/{journey}/runs/{customerId}[?key=]` and `POST …/runs/{customerId}/exit`.
 */
export function journeyRoutes(app: Hono<IngestEnv>, ctx: IngestContext): void {
  const journeyOf = (c: Context<IngestEnv>): JourneyDefinition | Response => {
    const name = c.req.param('journey') ?? '';
    return (
      ctx.definitions.get(name) ??
      problemResponse(
        problem('not-found', `No journey "${name}"; known: ${[...ctx.definitions.keys()].join(', ')}.`),
      )
    );
  };

  app.get('/v1/journeys', requireScope(ctx, 'journeys:read'), (c) =>
    c.json({
      journeys: [...ctx.definitions.values()].map((j) => ({
        name: j.name,
        trigger: j.trigger?.name ?? null,
        keyed: j.keyed,
        goals: j.goals.map((g) => g.name),
        events: j.events.map((e) => e.name),
      })),
    }),
  );

  app.post('/v1/journeys/:journey/enrolments', requireScope(ctx, 'journeys:write'), async (c) => {
    const journey = journeyOf(c);
    if (journey instanceof Response) return journey;
    const read = await readJson(c);
    if (!read.ok) return read.response;
    const body = read.body;
    if (!isObject(body)) return invalid('the body must be an object: { customer, data?, key? }', '');
    const unknown = Object.keys(body).filter((k) => !['customer', 'data', 'key'].includes(k));
    if (unknown.length > 0)
      return invalid(`unknown field ${unknown[0]}: an enrolment is { customer, data?, key? }`, unknown[0]!);
    const customer = customerIdOf(body.customer);
    return answer(c, ctx, { where: `enrol in ${journey.name}`, write: true, customer }, async () => {
      const result = await ctx.journeys.enroll(journey, {
        customer: body.customer as never,
        data: body.data,
        ...(body.key !== undefined && { key: body.key as string }),
      });
      return { body: result, result: result.status };
    });
  });

  app.get('/v1/journeys/:journey/runs/:customerId', requireScope(ctx, 'journeys:read'), (c) => {
    const journey = journeyOf(c);
    if (journey instanceof Response) return journey;
    const customerId = c.req.param('customerId');
    const key = c.req.query('key');
    return answer(c, ctx, { where: `state of ${journey.name}`, write: false }, async () => ({
      body: await ctx.journeys.state(
        journey,
        { customerId, ...(key !== undefined && { key }) },
        {
          timeoutMs: ctx.requestTimeoutMs,
        },
      ),
    }));
  });

  app.post('/v1/journeys/:journey/runs/:customerId/exit', requireScope(ctx, 'journeys:write'), async (c) => {
    const journey = journeyOf(c);
    if (journey instanceof Response) return journey;
    const customerId = c.req.param('customerId');
    const read =
      c.req.header('content-length') === '0' || !c.req.header('content-type')
        ? { ok: true as const, body: {} }
        : await readJson(c);
    if (!read.ok) return read.response;
    const body = read.body;
    if (!isObject(body)) return invalid('the body must be an object: { key?, reason?, at?, id? }', '');
    const unknown = Object.keys(body).filter((k) => !['key', 'reason', 'at', 'id'].includes(k));
    if (unknown.length > 0)
      return invalid(`unknown field ${unknown[0]}: an exit is { key?, reason?, at?, id? }`, unknown[0]!);
    for (const field of ['key', 'reason', 'at', 'id'] as const)
      if (body[field] !== undefined && typeof body[field] !== 'string')
        return invalid(`${field} must be a string`, field);
    return answer(
      c,
      ctx,
      { where: `exit from ${journey.name}`, write: true, customer: customerId },
      async () => {
        const delivery = await ctx.journeys.exit(journey, {
          customerId,
          ...(body as { key?: string; reason?: string; at?: string; id?: string }),
        });
        return { body: delivery, result: delivery.status };
      },
    );
  });
}

function invalid(detail: string, path: string): Response {
  return problemResponse(problem('invalid-request', detail, { issues: [{ path, message: detail }] }));
}

/** The customer id of a body's `customer` (an id or `{ id, … }`), for the audit line. */
export function customerIdOf(customer: unknown): string | undefined {
  if (typeof customer === 'string') return customer;
  const id = isObject(customer) ? customer.id : undefined;
  return typeof id === 'string' ? id : undefined;
}
