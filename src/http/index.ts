/**
 * HTTP ingest: the providers' delivery webhooks (Resend, Twilio), verified and turned into customer events.
 *
 * @example
 * ```ts
 * const webhooks = await createWebhookServer({ journeys, resend: { webhookSecret: process.env.RESEND_WEBHOOK_SECRET! }, port: 8080 });
 * ```
 */
export { createWebhookServer } from './webhooks';
export type { WebhookServer, WebhookServerOptions } from './webhooks';
// Receivers of `send.webhook` and `send.push` check the signature with these.
export { SIGNATURE_HEADER, verifyBody } from '../../activities';
