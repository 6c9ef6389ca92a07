import type { Context, MiddlewareHandler } from 'hono';
import type { MetricsRegistry } from '../metrics';
import type { HttpBindings } from '@hono/node-server';
import type { JourneyClient } from '../client';
import type { ApiScope, ServeConfig } from '../config';
import { consentEvents, deliveryEvents } from '../events';
import type { JourneyDefinition } from '../journey';
import { findApiKey, presentedKey, type ApiKey } from './api-keys';
import { problemOf } from './error-problems';
import { problem, problemResponse } from './problem';
import type { RateLimiter } from './rate-limit';

/** Hono's environment for the ingest server: Node's request and response, and the caller's key once checked. */
export type IngestEnv = { Bindings: HttpBindings; Variables: { key: ApiKey } };

/** One line per write: who (key id), what (route), for whom, and how it ended. */
export interface AuditLine {
  readonly at: string;
  readonly key: string;
  readonly method: string;
  readonly route: string;
  readonly customer?: string;
  readonly status: number;
  readonly result: string;
}

/** What every route of the ingest server shares. */
export interface IngestContext {
  readonly journeys: JourneyClient;
  readonly definitions: ReadonlyMap<string, JourneyDefinition>;
  /** Every event type the server's client accepts. */
  readonly eventTypes: ReadonlySet<string>;
  readonly keys: readonly ApiKey[];
  readonly limiter: RateLimiter;
  readonly serve: ServeConfig;
  readonly requestTimeoutMs: number;
  readonly audit: (line: AuditLine) => void;
  /** What `GET /metrics` answers: requests and events counted as they are answered. */
  readonly metrics: MetricsRegistry;
  /** An error nobody expected (it becomes a 500 without details): for the server's log. */
  readonly onError: (error: unknown, where: string) => void;
}

/**
 * The key check of an API route: 401 without a known key (with `WWW-Authenticate`), 403 without `scope`,
 * 429 over the key's rate (with `Retry-After`). `basicRealm` asks a browser for the key (the dashboard).
 */
export function requireScope(
  ctx: IngestContext,
  scope: ApiScope,
  basicRealm?: string,
): MiddlewareHandler<IngestEnv> {
  return async (c, next) => {
    const key = findApiKey(ctx.keys, presentedKey(c.req.header('authorization')));
    if (!key)
      return problemResponse(
        problem(
          'unauthorized',
          'Send an API key as "Authorization: Bearer <key>" (or as the HTTP Basic password).',
        ),
        {
          'www-authenticate': basicRealm
            ? `Basic realm="${basicRealm}", charset="UTF-8"`
            : 'Bearer realm="journeys"',
        },
      );
    if (!key.scopes.includes(scope))
      return problemResponse(
        problem('forbidden', `API key "${key.id}" lacks the scope "${scope}" this route needs.`),
      );
    const taken = ctx.limiter.take(key.id, key.rate ?? ctx.serve.rate);
    if (!taken.ok)
      return problemResponse(
        problem(
          'rate-limited',
          `API key "${key.id}" is over its rate limit; retry after the Retry-After seconds.`,
        ),
        { 'retry-after': String(Math.max(1, Math.ceil(taken.retryAfterMs / 1000))) },
      );
    c.set('key', key);
    await next();
    return undefined;
  };
}

/**
 * The scope an event type needs besides `events:write`. A consent event (`subscription.confirmed`) changes
 * what the customer agreed to, as `POST /v1/contacts/{id}/resubscribe` does: `contacts:write`. A delivery
 * event (`email.bounced`, `sms.stop`, …) normally comes from a provider's signed webhook; a key posting them
 * itself (another ESP's webhooks, relayed) needs `deliveries:write`.
 */
export function eventScope(type: string): ApiScope | undefined {
  if (consentEventTypes.has(type)) return 'contacts:write';
  if (deliveryEventTypes.has(type)) return 'deliveries:write';
  return undefined;
}
const consentEventTypes: ReadonlySet<string> = new Set(consentEvents.map((e) => e.name));
const deliveryEventTypes: ReadonlySet<string> = new Set(deliveryEvents.map((e) => e.name));

/** Each event type the caller's key may not send: where it is (`pathOf`), the scope it needs. */
export function eventScopeIssues(
  key: ApiKey,
  types: readonly unknown[],
  pathOf: (i: number) => string,
): { path: string; message: string }[] {
  return types.flatMap((type, i) => {
    const scope = typeof type === 'string' ? eventScope(type) : undefined;
    return scope && !key.scopes.includes(scope)
      ? [
          {
            path: pathOf(i),
            message: `"${String(type)}" events need the scope "${scope}", which API key "${key.id}" lacks`,
          },
        ]
      : [];
  });
}

/** How deep a body may nest: far past any event, well short of what recursive checks can take. */
const MAX_JSON_DEPTH = 64;

/** The deepest nesting of `[` and `{` in JSON text, outside strings (one pass, no parsing). */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // a backslash escapes the next character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return deepest;
}

/** The body as JSON, or the 400/415 problem to answer with. */
export async function readJson(
  c: Context<IngestEnv>,
): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type))
    return {
      ok: false,
      response: problemResponse(
        problem(
          'unsupported-media-type',
          `Send the body as application/json, not ${type || 'no Content-Type'}.`,
        ),
      ),
    };
  const text = await c.req.text();
  const depth = nestingDepth(text);
  if (depth > MAX_JSON_DEPTH)
    return {
      ok: false,
      response: problemResponse(
        problem(
          'invalid-request',
          `The body nests ${depth} levels deep; at most ${MAX_JSON_DEPTH} are read.`,
          {
            issues: [{ path: '', message: `at most ${MAX_JSON_DEPTH} levels of nesting` }],
          },
        ),
      ),
    };
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch (err) {
    return {
      ok: false,
      response: problemResponse(
        problem(
          'invalid-request',
          `The body is not JSON: ${err instanceof Error ? err.message : String(err)}`,
          {
            issues: [{ path: '', message: 'not JSON' }],
          },
        ),
      ),
    };
  }
}

/**
 * Runs a route's work against Temporal within the request timeout, so an unreachable Temporal is a 503
 * (with `Retry-After`) within seconds, and maps every thrown error to its problem; writes are audited.
 */
export async function answer(
  c: Context<IngestEnv>,
  ctx: IngestContext,
  options: { readonly where: string; readonly write: boolean; readonly customer?: string },
  work: () => Promise<{ status?: number; body: unknown; result?: string }>,
): Promise<Response> {
  let response: Response;
  let result: string;
  try {
    const done = await ctx.journeys.temporal.withDeadline(Date.now() + ctx.requestTimeoutMs, work);
    response = c.json(done.body as object, (done.status ?? 200) as 200);
    result = done.result ?? 'ok';
  } catch (err) {
    const mapped = problemOf(err, options.where);
    if (mapped.unexpected) ctx.onError(err, options.where);
    response = problemResponse(mapped.problem, mapped.headers);
    result = mapped.problem.type.replace('/problems/', '');
  }
  if (options.write)
    ctx.audit({
      at: new Date().toISOString(),
      key: c.get('key')?.id ?? '-',
      method: c.req.method,
      route: c.req.routePath,
      ...(options.customer !== undefined && { customer: options.customer }),
      status: response.status,
      result,
    });
  return response;
}
