import type { Hono } from 'hono';
import type { ConsentTarget } from '../events';
import { answer, readJson, requireScope, type IngestContext, type IngestEnv } from './ingest-context';
import { problem, problemResponse } from './problem';
import { isObject } from './routes-events';

/**
 * A customer's contact: `GET /v1/contacts/{customerId}`, `PATCH` it (time zone, channel and topic
 * subscriptions), `POST …/unsubscribe` and `…/resubscribe` with `{ channel }` or `{ topic }`.
 */
export function contactRoutes(app: Hono<IngestEnv>, ctx: IngestContext): void {
  app.get('/v1/contacts/:customerId', requireScope(ctx, 'contacts:read'), (c) => {
    const customerId = c.req.param('customerId');
    return answer(c, ctx, { where: 'read contact', write: false }, async () => ({
      body: await ctx.journeys.contacts.get(customerId),
    }));
  });

  app.patch('/v1/contacts/:customerId', requireScope(ctx, 'contacts:write'), async (c) => {
    const customerId = c.req.param('customerId');
    const read = await readJson(c);
    if (!read.ok) return read.response;
    return answer(c, ctx, { where: 'update contact', write: true, customer: customerId }, async () => ({
      body: await ctx.journeys.contacts.update(customerId, read.body as never),
    }));
  });

  for (const verb of ['unsubscribe', 'resubscribe'] as const)
    app.post(`/v1/contacts/:customerId/${verb}`, requireScope(ctx, 'contacts:write'), async (c) => {
      const customerId = c.req.param('customerId');
      const read = await readJson(c);
      if (!read.ok) return read.response;
      const target = consentTarget(read.body);
      if (typeof target === 'string')
        return problemResponse(
          problem('invalid-request', target, { issues: [{ path: '', message: target }] }),
        );
      return answer(c, ctx, { where: `${verb} contact`, write: true, customer: customerId }, async () => ({
        body: await ctx.journeys.contacts[verb](customerId, target),
        result: verb,
      }));
    });
}

/** `{ channel }` or `{ topic }` (exactly one, a non-empty string), or what is wrong with the body. */
export function consentTarget(body: unknown): ConsentTarget | string {
  if (!isObject(body)) return 'the body must be { "channel": … } or { "topic": … }';
  const keys = Object.keys(body);
  if (keys.length !== 1 || (keys[0] !== 'channel' && keys[0] !== 'topic'))
    return 'give exactly one of "channel" or "topic"';
  const value = body[keys[0]];
  if (typeof value !== 'string' || value.length === 0 || value.length > 200)
    return `${keys[0]} must be a non-empty string`;
  return keys[0] === 'channel' ? { channel: value } : { topic: value };
}
