import { createHmac, timingSafeEqual } from 'node:crypto';
import { providerFailure } from './provider-errors';

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'x-journeys-signature';

/** Signs a body the way `send.webhook` and `send.push` do. */
export function signBody(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/**
 * Checks a signature made by {@link signBody}, for a receiver (a CRM endpoint, a push gateway) to use.
 * Rejects signatures older than `toleranceSeconds` (replays).
 */
export function verifyBody(
  secret: string,
  body: string,
  header: string | undefined,
  toleranceSeconds = 300,
): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.split('=', 2) as [string, string]));
  const timestamp = Number(parts.t);
  if (!parts.v1 || !Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > toleranceSeconds)
    return false;
  const expected = Buffer.from(signBody(secret, body, timestamp).split('v1=')[1] as string, 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * POSTs JSON to `url`, signed when a secret is given, with the send's idempotency key in
 * `Idempotency-Key`. Returns the receiver's `id` when it answers one, else the idempotency key.
 */
export async function postSigned(
  provider: string,
  url: string,
  payload: unknown,
  options: { idempotencyKey: string; secret?: string; timeoutMs?: number },
): Promise<string> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'idempotency-key': options.idempotencyKey,
  };
  if (options.secret) headers[SIGNATURE_HEADER] = signBody(options.secret, body);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (err) {
    throw providerFailure(provider, null, 'network', err instanceof Error ? err.message : String(err));
  }
  const text = await response.text();
  if (!response.ok)
    throw providerFailure(
      provider,
      response.status,
      `http_${response.status}`,
      text.slice(0, 200),
      response.headers.get('retry-after'),
    );
  try {
    const id = (JSON.parse(text) as { id?: unknown }).id;
    return typeof id === 'string' && id ? id : options.idempotencyKey;
  } catch {
    return options.idempotencyKey;
  }
}
