/**
 * Inbound HTTP, one server for everything: `createIngestServer` (what `journeys serve` runs) takes events
 * from services in any language (`POST /v1/events`, Segment-spec calls), enrolments, state and exits,
 * contact changes, the providers' delivery webhooks and the signed links in emails, with API keys, limits
 * and an OpenAPI document. `createWebhookServer` is the webhooks and links alone.
 *
 * @example
 * ```ts
 * const server = await createIngestServer({ journeys: [abandonedCart] }); // keys from temporal.yaml
 * const webhooks = await createWebhookServer({ journeys, resend: { webhookSecret: process.env.RESEND_WEBHOOK_SECRET! }, port: 8080 });
 * ```
 */
export { createIngestServer, ingestEvents, packageVersion } from './ingest-server';
export type { IngestServer, IngestServerOptions } from './ingest-server';
export type { AuditLine } from './ingest-context';
export type { EventResult } from './routes-events';
export type { IdentifyHook } from './segment';
export type { Problem } from './problem';
export { createOpenApiDocument } from './openapi';
export type { OpenApiSource } from './openapi';
export { createApiKey, hashApiKey } from './api-keys';
export { createWebhookServer } from './webhooks';
export type { WebhookServer, WebhookServerOptions } from './webhooks';
// Receivers of `send.webhook` and `send.push` check the signature with these.
export { SIGNATURE_HEADER, verifyBody } from '../../activities';
