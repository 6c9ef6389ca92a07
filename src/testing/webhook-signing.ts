import { createHmac, randomBytes } from 'node:crypto';

/**
 * Signs a body the way Resend's webhooks are signed (Svix / Standard Webhooks): `svix-id`,
 * `svix-timestamp`, and `svix-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` with the
 * secret after its `whsec_` prefix, base64-decoded.
 *
 * @see https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests
 */
export function svixHeaders(
  secret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const id = `msg_${randomBytes(12).toString('hex')}`;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'svix-id': id, 'svix-timestamp': String(timestamp), 'svix-signature': `v1,${signature}` };
}

/** A new secret in Resend's form, `whsec_<base64>`. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/**
 * Twilio's `X-Twilio-Signature`: base64 HMAC-SHA1 with the auth token, of the full URL followed by each
 * POST parameter's name and value, sorted by name.
 *
 * @see https://www.twilio.com/docs/usage/webhooks/webhooks-security
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, name) => acc + name + params[name], url);
  return createHmac('sha1', authToken).update(data).digest('base64');
}

/** POSTs a webhook and resolves with the status; network errors resolve as 0 (a fake never throws on them). */
export async function deliverWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<number> {
  try {
    const response = await fetch(url, { method: 'POST', headers, body });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}
