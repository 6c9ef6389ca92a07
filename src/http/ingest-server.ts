import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Client } from '@temporalio/client';
import { Hono, type MiddlewareHandler } from 'hono';
import { MetricsRegistry } from '../metrics';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { createJourneyClient, type JourneyClient, type JourneyRef } from '../client';
import { codecRoutes, codecServerSettings, type CodecRoutesOptions } from '../codec';
import { loadConfig, type ApiKeyConfig, type JourneysConfig } from '../config';
import { consentEvents, deliveryEvents, type AnyEventDefinition } from '../events';
import { toMs, type Duration, type JourneyDefinition } from '../journey';
import { apiReferencePage } from './api-reference';
import { loadApiKeys, type ApiKey } from './api-keys';
import { requireScope, type AuditLine, type IngestContext, type IngestEnv } from './ingest-context';
import { createOpenApiDocument } from './openapi';
import { problem, problemResponse } from './problem';
import { createRateLimiter } from './rate-limit';
import { contactRoutes } from './routes-contacts';
import { eventRoutes } from './routes-events';
import { journeyRoutes } from './routes-journeys';
import { segmentRoutes, type IdentifyHook } from './segment';
import { webhookHandlers, withConfigSecrets, type WebhookServerOptions } from './webhooks';

export interface IngestServerOptions {
  /** The journeys events are routed to (as for `createJourneyClient`). */
  readonly journeys: readonly JourneyRef[];
  /** More events to accept besides the journeys' own, the consent and the delivery events. */
  readonly events?: readonly AnyEventDefinition[];
  /** Loaded `temporal.yaml` (`serve`, connection, links, providers); defaults to `loadConfig()`. */
  readonly config?: JourneysConfig;
  /** A journey client to use (it must accept the delivery events); otherwise one is made and closed with the server. */
  readonly client?: JourneyClient;
  /** The Temporal client the server's own journey client uses (otherwise connected per config). */
  readonly temporal?: Client;
  /** API keys (hashes) instead of those of `serve.keys` and `JOURNEYS_API_KEYS`. */
  readonly keys?: readonly ApiKeyConfig[];
  /** Overrides `serve.host` and `serve.port` (0: any free port). */
  readonly host?: string;
  readonly port?: number;
  /** Webhook settings beyond the config: Resend's secret, Twilio's token, the link secret, phone lookup. */
  readonly webhooks?: Pick<WebhookServerOptions, 'resend' | 'twilio' | 'links' | 'customerByPhone'>;
  /**
   * The dashboard under `/dashboard/` (scope `dashboard:read`): where the journeys' source is, for the maps
   * (default: `workflows` of temporal.yaml), and the Web UI's address. `false`: no dashboard.
   */
  readonly dashboard?: { readonly sourceDir?: string; readonly webUiUrl?: string } | false;
  /** Each Segment `identify`'s traits, for your own customer store. */
  readonly onIdentify?: IdentifyHook;
  /** One line per write; default: a JSON line on stdout. */
  readonly audit?: (line: AuditLine) => void;
  /** Errors nobody expected (answered 500 without details); default: stderr. */
  readonly onError?: (error: unknown, where: string) => void;
  /** How long `close()` waits for requests in flight (default 10 s). */
  readonly drainMs?: number;
  /**
   * The codec server under `/codec` (`…/codec/encode`, `…/codec/decode`, bearer token only): by default
   * when temporal.yaml sets `encryption.codecServer.onServe: true`. `false`: none.
   */
  readonly codec?: CodecRoutesOptions | false;
}

export interface IngestServer {
  readonly url: string;
  /** The OpenAPI 3.1 document the server answers `GET /openapi.json` with. */
  readonly openapi: Record<string, unknown>;
  /** Requests being answered now. */
  readonly inFlight: number;
  /** Stops taking requests, waits for those in flight (up to `drainMs`), then closes what it opened. */
  close(): Promise<void>;
}

/** A journey function's definition, or the definition given. */
const definitionOf = (ref: JourneyRef): JourneyDefinition => ('definition' in ref ? ref.definition : ref);

/** This package's version, for the document's `info.version`. */
export function packageVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'temporal-journeys') return pkg.version ?? '0.0.0';
    } catch {
      // not here: one folder up
    }
  }
  return '0.0.0';
}

/** Every event a server of these journeys takes: theirs, the extra ones, consent and delivery events. */
export function ingestEvents(
  journeys: readonly JourneyRef[],
  extra: readonly AnyEventDefinition[] = [],
): AnyEventDefinition[] {
  const all = [
    ...journeys
      .map(definitionOf)
      .flatMap((j) => [j.trigger, ...j.goals, ...j.events].filter((e) => e !== undefined)),
    ...extra,
    ...consentEvents,
    ...deliveryEvents,
  ];
  return [...new Map(all.map((e) => [e.name, e])).values()];
}

/**
 * The journeys' HTTP API, for services in any language, on Hono: `POST /v1/events` (one event or a batch),
 * `POST /v1/segment` (Segment-spec calls), enrolments, a run's state and exit, contacts, the providers'
 * webhooks and the signed links, `GET /openapi.json` and `/docs`, `/healthz` and `/readyz`, and the
 * dashboard under `/dashboard/`. API keys with scopes (`Authorization: Bearer`), per-key rate limits, a body
 * limit, problem+json errors, CORS only for configured origins, one audit line per write. What
 * `journeys serve` runs; embed it next to your worker with this.
 *
 * @example
 * ```ts
 * const server = await createIngestServer({ journeys: [abandonedCart, welcome] });
 * console.log(`${server.url}/docs`);
 * ```
 */
export async function createIngestServer(options: IngestServerOptions): Promise<IngestServer> {
  const config = options.config ?? loadConfig();
  const keys: ApiKey[] = options.keys
    ? loadApiKeys({ ...config, serve: { ...config.serve, keys: [...options.keys] } }, {})
    : loadApiKeys(config);
  const events = ingestEvents(options.journeys, options.events);
  const journeys =
    options.client ??
    (await createJourneyClient({
      journeys: options.journeys,
      events,
      config,
      ...(options.temporal && { client: options.temporal }),
    }));
  const definitions = new Map(options.journeys.map(definitionOf).map((j) => [j.name, j]));
  const openapi = createOpenApiDocument({
    events,
    journeys: [...definitions.values()],
    serve: config.serve,
    version: packageVersion(),
  });
  const ctx: IngestContext = {
    journeys,
    definitions,
    eventTypes: new Set(events.map((e) => e.name)),
    keys,
    limiter: createRateLimiter(),
    serve: config.serve,
    requestTimeoutMs: toMs(config.serve.requestTimeout as Duration),
    audit: options.audit ?? ((line) => process.stdout.write(`${JSON.stringify({ audit: line })}\n`)),
    onError: options.onError ?? ((error, where) => console.error(`journeys serve: ${where}:`, error)),
    metrics: new MetricsRegistry(),
  };

  const app = new Hono<IngestEnv>();
  // nosniff, no framing, no referrer: on every answer (the dashboard and the link pages set their own CSP).
  app.use('*', secureHeaders({ contentSecurityPolicy: undefined, crossOriginResourcePolicy: false }));
  if (config.serve.cors)
    app.use(
      '/v1/*',
      cors({
        origin: config.serve.cors.origins,
        allowHeaders: ['authorization', 'content-type'],
        maxAge: 600,
      }),
    );
  // A declared Content-Length is exact (Node's parser reads no more): checked as it is, without building a
  // web stream of the body; only a chunked body is counted as it arrives.
  const tooLarge = () =>
    problemResponse(
      problem(
        'payload-too-large',
        `The body is over ${config.serve.maxBodyBytes} bytes (serve.maxBodyBytes).`,
      ),
    );
  const streamed: MiddlewareHandler<IngestEnv> = bodyLimit({
    maxSize: config.serve.maxBodyBytes,
    onError: tooLarge,
  });
  const limitBody: MiddlewareHandler<IngestEnv> = async (c, next) => {
    if (c.req.path.startsWith('/codec/')) return next(); // a page of payloads: the codec routes' own limit
    const headers = c.env.incoming.headers;
    if (headers['transfer-encoding'] !== undefined) return streamed(c, next);
    if (Number(headers['content-length'] ?? 0) > config.serve.maxBodyBytes) return tooLarge();
    await next();
    return undefined;
  };
  app.use('*', limitBody);
  // journeys_ingest_requests: by the route that answered (its pattern, not the path: ids stay out).
  app.use('*', async (c, next) => {
    await next();
    const route = c.req.routePath === '/*' || c.req.routePath === '*' ? 'unmatched' : c.req.routePath;
    ctx.metrics.add('ingestRequests', { route: `${c.req.method} ${route}`, status: String(c.res.status) });
  });
  app.get('/metrics', requireScope(ctx, 'metrics:read'), (c) =>
    c.text(ctx.metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }),
  );

  app.get('/healthz', (c) => c.json({ status: 'alive' }));
  app.get('/readyz', async (c) => {
    try {
      await journeys.temporal.withDeadline(Date.now() + 2_000, () =>
        journeys.temporal.workflowService.getSystemInfo({}),
      );
      return c.json({ status: 'ready' });
    } catch (err) {
      c.header('retry-after', '5');
      return c.json(
        {
          status: 'unavailable',
          detail: `Temporal is not reachable: ${err instanceof Error ? err.message : String(err)}`,
        },
        503,
      );
    }
  });
  app.get('/openapi.json', (c) => c.json(openapi));
  app.get('/docs', (c) => {
    c.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    return c.html(apiReferencePage(openapi));
  });

  // Opt-in (encryption.codecServer.onServe): this port faces the providers' webhooks, often the internet.
  // Bearer token only here: a token in the path would land in proxies' access logs.
  const codec =
    options.codec ?? (config.encryption?.codecServer.onServe ? codecServerSettings(config) : undefined);
  if (codec) app.route('/codec', codecRoutes({ ...codec, tokenInPath: false }));

  eventRoutes(app, ctx);
  segmentRoutes(app, ctx, options.onIdentify);
  journeyRoutes(app, ctx);
  contactRoutes(app, ctx);

  // Webhooks and signed links keep their own proof (the provider's signature, the link's token): no API key.
  const webhookOptions = withConfigSecrets({ journeys, config, ...options.webhooks });
  let base = '';
  const handlers = webhookHandlers(webhookOptions, () => base);
  for (const [route, handler] of Object.entries(handlers)) {
    const [method, routePath] = route.split(' ') as [string, string];
    app.on(method, routePath, async (c) => {
      const text = await c.req.text();
      try {
        await handler(c.env.incoming, text, c.env.outgoing);
      } catch (err) {
        // Not acknowledged: the provider retries, and the event id makes the retry idempotent.
        ctx.onError(err, route);
        if (!c.env.outgoing.headersSent) return c.text('not received', 500);
      }
      return RESPONSE_ALREADY_SENT;
    });
  }
  for (const route of ['/webhooks/resend', '/webhooks/twilio/status', '/webhooks/twilio/inbound'])
    if (!handlers[`POST ${route}`]) app.post(route, (c) => c.text('this provider is not configured', 404));
  for (const route of ['/unsubscribe', '/resubscribe', '/confirm'])
    if (!handlers[`POST ${route}`])
      app.on(['GET', 'POST'], route, (c) => c.text('links are not configured (links in temporal.yaml)', 404));

  if (options.dashboard !== false) {
    // Loaded only when served: the maps read journeys' source with the TypeScript compiler, a second to load.
    const { createDashboardHandler } = await import('../dashboard');
    const dashboard = createDashboardHandler({
      client: journeys.temporal,
      namespace: journeys.temporal.options.namespace,
      journeys: [...definitions.values()],
      sourceDir:
        options.dashboard?.sourceDir ??
        path.resolve(config.file ? path.dirname(config.file) : process.cwd(), config.workflows),
      webUiUrl: options.dashboard?.webUiUrl,
      onError: (error) => ctx.onError(error, 'dashboard'),
    });
    app.get('/dashboard', (c) => c.redirect('/dashboard/'));
    app.get('/dashboard/*', requireScope(ctx, 'dashboard:read', 'journeys dashboard'), async (c) => {
      const req = c.env.incoming;
      req.url = (req.url ?? '/').replace(/^\/dashboard/, '') || '/';
      await dashboard(req, c.env.outgoing);
      return RESPONSE_ALREADY_SENT;
    });
  }

  app.notFound(() =>
    problemResponse(problem('not-found', 'No such route; the API is described at /openapi.json and /docs.')),
  );
  app.onError((err) => {
    ctx.onError(err, 'request');
    return problemResponse(problem('internal', "The request failed; the server's log has the details."));
  });

  const server = createAdaptorServer({
    fetch: app.fetch,
    hostname: options.host ?? config.serve.host,
  }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.serve.port, options.host ?? config.serve.host, () => resolve());
  });
  // A request is in flight from its arrival until its answer is written out (not when the handler returns:
  // the adapter writes after that), so close() never cuts an answer off. While closing, answers say
  // `Connection: close`, and requests already on an open connection are still answered.
  let inFlight = 0;
  let closingNow = false;
  let drained: (() => void) | undefined;
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    if (closingNow) res.setHeader('connection', 'close');
    res.once('close', () => {
      if (--inFlight === 0 && closingNow) drained?.();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.address.includes(':') ? `[${address.address}]` : address.address;
  base = `http://${host}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url: base,
    openapi,
    get inFlight() {
      return inFlight;
    },
    close: () =>
      (closing ??= (async () => {
        closingNow = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        if (inFlight > 0)
          await Promise.race([
            new Promise<void>((resolve) => (drained = resolve)),
            new Promise<void>((resolve) => setTimeout(resolve, options.drainMs ?? 10_000).unref()),
          ]);
        // Every answer is out (or drainMs is over): the connections left are idle or stuck.
        server.closeAllConnections();
        await stopped;
        if (!options.client) await journeys.close();
      })()),
  };
}
