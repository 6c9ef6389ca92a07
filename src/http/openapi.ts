import { z } from 'zod';
import { contactPatchSchema, customerSchema } from '../client';
import { API_SCOPES, type ServeConfig } from '../config';
import type { AnyEventDefinition } from '../events';
import type { JourneyDefinition } from '../journey';
import { PROBLEMS, type ProblemKind } from './problem';

/** A JSON Schema object, as OpenAPI 3.1 takes it (JSON Schema 2020-12). */
type Schema = Record<string, unknown>;

/** What the document describes: the events the server takes, its journeys and its limits. */
export interface OpenApiSource {
  readonly events: readonly AnyEventDefinition[];
  readonly journeys: readonly JourneyDefinition[];
  readonly serve: Pick<ServeConfig, 'maxBatch' | 'maxBodyBytes'>;
  /** The package's version, for `info.version`. */
  readonly version: string;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string) => ({ type: [type, 'null'] });

/** A zod schema as JSON Schema of what a caller may send (defaults optional), without `$schema`. */
function jsonSchemaOf(schema: z.ZodType): Schema {
  const out = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Schema;
  delete out.$schema;
  return out;
}

/** `cart.abandoned` → `CartAbandonedEvent`: a component name that reads well in generated clients. */
function componentName(event: string, taken: Set<string>): string {
  const base = `${event
    .split(/[._-]/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('')}Event`;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
  taken.add(name);
  return name;
}

/**
 * The OpenAPI 3.1 document of `journeys serve`: each event type of the catalog a schema (from its zod
 * schema), the envelope as a union discriminated by `type`, every route with its scope, every error as
 * problem+json, and the two ways to present a key. `GET /openapi.json` serves it; `journeys openapi` prints it.
 */
export function createOpenApiDocument(source: OpenApiSource): Schema {
  const taken = new Set<string>();
  const eventSchemas: Record<string, Schema> = {};
  const mapping: Record<string, string> = {};
  const customer = jsonSchemaOf(customerSchema);
  for (const event of [...source.events].sort((a, b) => a.name.localeCompare(b.name))) {
    const name = componentName(event.name, taken);
    mapping[event.name] = `#/components/schemas/${name}`;
    eventSchemas[name] = {
      type: 'object',
      title: name,
      description: `The event \`${event.name}\`.`,
      required: ['type', 'customer', 'data'],
      properties: {
        id: {
          type: 'string',
          minLength: 1,
          maxLength: 200,
          description:
            'Makes the event idempotent: sent again, it is applied once (`duplicate`). Generated when absent.',
        },
        type: { type: 'string', const: event.name },
        customer: ref('CustomerRef'),
        data: jsonSchemaOf(event.schema as z.ZodType),
        at: {
          type: 'string',
          format: 'date-time',
          description: 'When it happened (default: now), with an offset.',
        },
      },
      additionalProperties: false,
    };
  }
  const eventNames = Object.keys(eventSchemas);
  const problemResponse = (kind: ProblemKind, extra: Schema = {}) => ({
    description: PROBLEMS[kind].title,
    content: { 'application/problem+json': { schema: ref('Problem') } },
    ...extra,
  });
  const retryAfter = {
    headers: {
      'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'string' } },
    },
  };
  const guarded = (scope: string, ok: Schema, extra: ProblemKind[] = []) => ({
    security: [{ bearerAuth: [] }, { basicAuth: [] }],
    'x-scope': scope,
    responses: {
      ...ok,
      ...Object.fromEntries(
        (
          [
            'invalid-request',
            'unauthorized',
            'forbidden',
            ...extra,
            'rate-limited',
            'unavailable',
            'internal',
          ] as ProblemKind[]
        ).map((k) => [
          String(PROBLEMS[k].status),
          problemResponse(k, k === 'rate-limited' || k === 'unavailable' ? retryAfter : {}),
        ]),
      ),
    },
  });
  const json = (schema: Schema, description: string) => ({
    description,
    content: { 'application/json': { schema } },
  });
  const body = (schema: Schema, required = true) => ({
    required,
    content: { 'application/json': { schema } },
  });
  const text = (description: string, type = 'text/plain') => ({
    description,
    content: { [type]: { schema: { type: 'string' } } },
  });
  const journeyParam = {
    name: 'journey',
    in: 'path',
    required: true,
    schema: { type: 'string', enum: source.journeys.map((j) => j.name) },
  };
  const customerParam = {
    name: 'customerId',
    in: 'path',
    required: true,
    description:
      'The customer id, percent-encoded; used exactly as given (no leading or trailing whitespace).',
    schema: { type: 'string', minLength: 1, pattern: '^\\S(?:[\\s\\S]*\\S)?$' },
  };
  const keyParam = {
    name: 'key',
    in: 'query',
    required: false,
    description: "The run's key, for a keyed journey (e.g. the cart id).",
    schema: { type: 'string', minLength: 1 },
  };
  const tokenParam = { name: 'token', in: 'query', required: true, schema: { type: 'string' } };
  const page = (summary: string) => ({
    summary,
    security: [],
    parameters: [tokenParam],
    responses: {
      '200': text('The page', 'text/html'),
      '400': text('The link is not valid', 'text/html'),
      '404': text('Links are not configured', 'text/plain'),
    },
  });
  const webhook = (summary: string, type: string) => ({
    summary,
    security: [],
    requestBody: {
      required: true,
      content: { [type]: { schema: type === 'application/json' ? {} : { type: 'object' } } },
    },
    responses: {
      '200': {
        description: 'Received',
        content: { 'text/plain': { schema: { type: 'string' } }, 'text/xml': { schema: { type: 'string' } } },
      },
      '401': text('The signature is missing or wrong'),
      '404': text('This provider is not configured'),
      '413': problemResponse('payload-too-large'),
      '500': text('Not received; the provider retries'),
    },
  });

  return {
    openapi: '3.1.0',
    info: {
      title: 'temporal-journeys',
      version: source.version,
      description:
        'Customer journeys on Temporal, from any language: emit events (or forward Segment calls), enrol, read and exit runs, change contacts. ' +
        `Every write is idempotent by id. Keys are sent as \`Authorization: Bearer <key>\`; each route names its scope (\`x-scope\`). Bodies up to ${source.serve.maxBodyBytes} bytes.`,
    },
    servers: [{ url: '/' }],
    paths: {
      '/v1/events': {
        post: {
          operationId: 'emitEvents',
          summary: `Emit one event, or a batch of up to ${source.serve.maxBatch}`,
          description:
            'Every event is checked (type, customer, data, at) before any is applied: one invalid event is a 400 naming its fields and nothing is applied. ' +
            'Then each is routed as `emit` does. Safe to retry: an id already applied answers `duplicate`. ' +
            'A consent event (`subscription.confirmed`) also needs the scope `contacts:write`, a delivery event (`email.bounced`, `sms.stop`, …) `deliveries:write`: else 403, nothing applied.',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description:
                'Names the events sent without an id (`<key>:<index>`), so a retried request is the same events.',
              schema: { type: 'string', minLength: 1, maxLength: 150, pattern: '^[\\x21-\\x7e]+$' },
            },
          ],
          requestBody: body({ oneOf: [ref('Event'), ref('EventBatch')] }),
          ...guarded('events:write', { '200': json(ref('EventResults'), 'What each event got, in order') }, [
            'unsupported-media-type',
            'payload-too-large',
          ]),
        },
      },
      '/v1/segment': {
        post: {
          operationId: 'segment',
          summary: 'Segment-spec track, identify and batch calls',
          description:
            '`userId` is the customer, `messageId` the event id, `timestamp` its `at`; a track `event` maps to an event type through `serve.segment.events`; ' +
            'an identify sets the contact time zone. Calls that cannot apply are `ignored`, invalid ones `invalid`; the rest apply.',
          requestBody: body({ oneOf: [ref('SegmentCall'), ref('SegmentBatch')] }),
          ...guarded('events:write', { '200': json(ref('EventResults'), 'What each call got, in order') }, [
            'unsupported-media-type',
            'payload-too-large',
          ]),
        },
      },
      '/v1/journeys': {
        get: {
          operationId: 'listJourneys',
          summary: 'The journeys this server routes to',
          ...guarded('journeys:read', { '200': json(ref('JourneyList'), 'The journeys') }),
        },
      },
      '/v1/journeys/{journey}/enrolments': {
        post: {
          operationId: 'enrol',
          summary: 'Enrol a customer in a proactive journey',
          description:
            'Idempotent: enrolling a customer already in the journey answers `enrolled` with the running run.',
          parameters: [journeyParam],
          requestBody: body(ref('Enrolment')),
          ...guarded(
            'journeys:write',
            { '200': json(ref('EnrolResult'), 'Enrolled, or refused by the re-entry policy') },
            ['not-found', 'unsupported-media-type', 'payload-too-large'],
          ),
        },
      },
      '/v1/journeys/{journey}/runs/{customerId}': {
        get: {
          operationId: 'getRun',
          summary: "A customer's run of a journey: step, steps passed, outcome, sends",
          parameters: [journeyParam, customerParam, keyParam],
          ...guarded('journeys:read', { '200': json(ref('JourneyState'), 'The run') }, ['not-found']),
        },
      },
      '/v1/journeys/{journey}/runs/{customerId}/exit': {
        post: {
          operationId: 'exitRun',
          summary: 'Take a customer out of a journey (outcome `exited`)',
          parameters: [journeyParam, customerParam],
          requestBody: body(ref('Exit'), false),
          ...guarded(
            'journeys:write',
            { '200': json(ref('Delivery'), 'Delivered, or kept because the customer is not in it yet') },
            ['not-found', 'unsupported-media-type', 'payload-too-large'],
          ),
        },
      },
      '/v1/contacts/{customerId}': {
        get: {
          operationId: 'getContact',
          summary: "A customer's contact: consent, time zone, suppressions, the sends ledger",
          parameters: [customerParam],
          ...guarded('contacts:read', { '200': json(ref('Contact'), 'The contact') }),
        },
        patch: {
          operationId: 'updateContact',
          summary: 'Change time zone and channel or topic subscriptions',
          parameters: [customerParam],
          requestBody: body(ref('ContactPatch')),
          ...guarded(
            'contacts:write',
            { '200': json(ref('ContactPreferences'), 'The preferences after the change') },
            ['unsupported-media-type', 'payload-too-large'],
          ),
        },
      },
      '/v1/contacts/{customerId}/unsubscribe': {
        post: {
          operationId: 'unsubscribe',
          summary: 'Opt out of a channel or a topic',
          parameters: [customerParam],
          requestBody: body(ref('ConsentTarget')),
          ...guarded(
            'contacts:write',
            { '200': json(ref('ContactPreferences'), 'The preferences after the change') },
            ['unsupported-media-type', 'payload-too-large'],
          ),
        },
      },
      '/v1/contacts/{customerId}/resubscribe': {
        post: {
          operationId: 'resubscribe',
          summary: 'Opt in again to a channel or a topic',
          parameters: [customerParam],
          requestBody: body(ref('ConsentTarget')),
          ...guarded(
            'contacts:write',
            { '200': json(ref('ContactPreferences'), 'The preferences after the change') },
            ['unsupported-media-type', 'payload-too-large'],
          ),
        },
      },
      '/webhooks/resend': {
        post: {
          operationId: 'resendWebhook',
          ...webhook("Resend's delivery webhooks (Svix-signed)", 'application/json'),
        },
      },
      '/webhooks/twilio/status': {
        post: {
          operationId: 'twilioStatus',
          ...webhook("Twilio's status callbacks (X-Twilio-Signature)", 'application/x-www-form-urlencoded'),
        },
      },
      '/webhooks/twilio/inbound': {
        post: {
          operationId: 'twilioInbound',
          ...webhook("Twilio's inbound messages: STOP and START", 'application/x-www-form-urlencoded'),
        },
      },
      '/unsubscribe': {
        get: {
          operationId: 'unsubscribePage',
          ...page('The page of a signed unsubscribe link: asks for a click'),
        },
        post: {
          operationId: 'unsubscribeLink',
          ...page('Unsubscribe by a signed link (also RFC 8058 one-click)'),
        },
      },
      '/resubscribe': {
        post: {
          operationId: 'resubscribeLink',
          ...page('Subscribe again, by the short-lived link an unsubscribe answers with'),
        },
      },
      '/confirm': {
        get: { operationId: 'confirmPage', ...page('The page of a signed double opt-in link') },
        post: { operationId: 'confirmLink', ...page('Confirm a double opt-in') },
      },
      '/healthz': {
        get: {
          operationId: 'healthz',
          summary: 'The server is alive',
          security: [],
          responses: { '200': json(ref('Health'), 'Alive') },
        },
      },
      '/readyz': {
        get: {
          operationId: 'readyz',
          summary: 'Temporal is reachable',
          security: [],
          responses: {
            '200': json(ref('Health'), 'Ready'),
            '503': { ...json(ref('Health'), 'Temporal is not reachable'), ...retryAfter },
          },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          summary:
            'Counters in Prometheus text format: journeys_ingest_requests (route, status), journeys_events (type, result)',
          ...guarded('metrics:read', {
            '200': text('Prometheus text exposition format 0.0.4', 'text/plain'),
          }),
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openapi',
          summary: 'This document',
          security: [],
          responses: { '200': json({ type: 'object' }, 'OpenAPI 3.1') },
        },
      },
      '/docs': {
        get: {
          operationId: 'docs',
          summary: 'The API reference, as a page (works offline)',
          security: [],
          responses: { '200': text('The page', 'text/html') },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: `An API key. Scopes: ${API_SCOPES.join(', ')}.`,
        },
        basicAuth: {
          type: 'http',
          scheme: 'basic',
          description: 'The key as the password (or as the user name, as Segment sends a write key).',
        },
      },
      schemas: {
        ...eventSchemas,
        Event: {
          oneOf: eventNames.map(ref),
          discriminator: { propertyName: 'type', mapping },
        },
        EventBatch: {
          type: 'object',
          required: ['events'],
          properties: {
            events: { type: 'array', minItems: 1, maxItems: source.serve.maxBatch, items: ref('Event') },
          },
          additionalProperties: false,
        },
        CustomerRef: {
          description:
            'The customer: an opaque id (never an email or phone: it is stored unencrypted), or the id with the addresses journeys send to.',
          oneOf: [{ type: 'string', minLength: 1 }, customer],
        },
        Delivery: {
          type: 'object',
          required: ['journey', 'workflowId', 'status'],
          properties: {
            journey: { type: 'string' },
            workflowId: { type: 'string' },
            status: { type: 'string', enum: ['delivered', 'not-running', 'not-entered'] },
          },
        },
        EventResult: {
          type: 'object',
          required: ['id', 'type', 'status', 'deliveries'],
          properties: {
            id: { type: 'string' },
            type: { type: 'string' },
            status: { type: 'string', enum: ['accepted', 'duplicate', 'conflict', 'ignored', 'invalid'] },
            deliveries: { type: 'array', items: ref('Delivery') },
            issues: { type: 'array', items: ref('Issue') },
          },
        },
        EventResults: {
          type: 'object',
          required: ['results'],
          properties: { results: { type: 'array', items: ref('EventResult') } },
        },
        Issue: {
          type: 'object',
          required: ['path', 'message'],
          properties: { path: { type: 'string' }, message: { type: 'string' } },
        },
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details.',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            issues: { type: 'array', items: ref('Issue') },
            results: { type: 'array', items: ref('EventResult') },
          },
        },
        SegmentCall: {
          type: 'object',
          description:
            'A Segment-spec call (https://segment.com/docs/connections/spec/). Fields not listed are accepted and not used.',
          required: ['type'],
          properties: {
            type: { type: 'string', enum: ['track', 'identify', 'page', 'screen', 'group', 'alias'] },
            event: { type: 'string' },
            userId: nullable('string'),
            anonymousId: nullable('string'),
            messageId: { type: 'string' },
            timestamp: { type: 'string', format: 'date-time' },
            properties: { type: 'object' },
            traits: { type: 'object' },
            context: { type: 'object' },
          },
        },
        SegmentBatch: {
          type: 'object',
          required: ['batch'],
          properties: {
            batch: { type: 'array', minItems: 1, maxItems: source.serve.maxBatch, items: ref('SegmentCall') },
          },
        },
        JourneyList: {
          type: 'object',
          required: ['journeys'],
          properties: {
            journeys: {
              type: 'array',
              items: {
                type: 'object',
                required: ['name', 'trigger', 'keyed', 'goals', 'events'],
                properties: {
                  name: { type: 'string' },
                  trigger: nullable('string'),
                  keyed: { type: 'boolean' },
                  goals: { type: 'array', items: { type: 'string' } },
                  events: { type: 'array', items: { type: 'string' } },
                },
              },
            },
          },
        },
        Enrolment: {
          type: 'object',
          required: ['customer'],
          properties: {
            customer: ref('CustomerRef'),
            data: { description: 'The input the journey body receives as `data`.' },
            key: { type: 'string', minLength: 1, description: 'For a keyed proactive journey: the run key.' },
          },
          additionalProperties: false,
        },
        EnrolResult: {
          type: 'object',
          required: ['workflowId', 'status'],
          properties: {
            workflowId: { type: 'string' },
            runId: nullable('string'),
            status: { type: 'string', enum: ['enrolled', 'not-entered'] },
          },
        },
        Exit: {
          type: 'object',
          properties: {
            key: { type: 'string', minLength: 1 },
            reason: { type: 'string' },
            at: { type: 'string', format: 'date-time' },
            id: { type: 'string', minLength: 1, description: 'Makes a retried exit idempotent.' },
          },
          additionalProperties: false,
        },
        JourneyState: {
          type: 'object',
          required: ['journey', 'customerId', 'step', 'steps', 'outcome', 'variant', 'sends'],
          properties: {
            journey: { type: 'string' },
            customerId: { type: 'string' },
            step: nullable('string'),
            steps: {
              type: 'array',
              items: {
                type: 'object',
                required: ['name', 'at'],
                properties: { name: { type: 'string' }, at: { type: 'string' } },
              },
            },
            outcome: nullable('string'),
            variant: nullable('string'),
            convertedAfter: nullable('string'),
            waitingFor: { type: ['array', 'null'], items: { type: 'string' } },
            rejectedEvents: { type: 'integer' },
            ignoredEvents: { type: 'integer' },
            pendingEvents: { type: 'integer' },
            reenterableAt: nullable('string'),
            sends: { type: 'array', items: { type: 'object' } },
            deferred: { type: ['object', 'null'] },
            wakesAt: nullable('string'),
          },
        },
        ContactPatch: jsonSchemaOf(contactPatchSchema),
        ConsentTarget: {
          oneOf: [
            {
              type: 'object',
              required: ['channel'],
              properties: { channel: { type: 'string', minLength: 1, maxLength: 200 } },
              additionalProperties: false,
            },
            {
              type: 'object',
              required: ['topic'],
              properties: { topic: { type: 'string', minLength: 1, maxLength: 200 } },
              additionalProperties: false,
            },
          ],
        },
        ContactPreferences: {
          type: 'object',
          required: ['channels', 'topics', 'suppressed'],
          properties: {
            timeZone: { type: 'string' },
            channels: {
              type: 'object',
              additionalProperties: { type: 'string', enum: ['subscribed', 'unsubscribed', 'pending'] },
            },
            topics: {
              type: 'object',
              additionalProperties: { type: 'string', enum: ['subscribed', 'unsubscribed', 'pending'] },
            },
            suppressed: { type: 'object' },
          },
        },
        Contact: {
          type: 'object',
          required: ['customerId', 'channels', 'topics', 'suppressed', 'ledger'],
          properties: {
            customerId: { type: 'string' },
            timeZone: { type: 'string' },
            channels: { type: 'object' },
            topics: { type: 'object' },
            suppressed: { type: 'object' },
            ledger: { type: 'array', items: { type: 'object' } },
            decisions: { type: 'array', items: { type: 'object' } },
          },
        },
        Health: {
          type: 'object',
          required: ['status'],
          properties: {
            status: { type: 'string', enum: ['alive', 'ready', 'unavailable'] },
            detail: { type: 'string' },
          },
        },
      },
    },
  };
}
