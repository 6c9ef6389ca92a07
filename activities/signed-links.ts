import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ConsentTarget } from '../src/events';

/** What a link in an email does when the customer follows it. */
/** `resubscribe` links are only ever shown on the page after unsubscribing, and expire. */
export type LinkAction = 'unsubscribe' | 'confirm' | 'resubscribe';

/** What a signed link carries: who, what, and for confirmations until when. */
export type LinkClaims = ConsentTarget & {
  readonly action: LinkAction;
  readonly customerId: string;
  /** Epoch ms after which the link no longer works, for links you mint yourself with an expiry. */
  readonly expiresAt?: number;
};

const mac = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(payload).digest('base64url');

/**
 * A token a link carries: `<base64url JSON claims>.<base64url HMAC-SHA256>`. Only a holder of the secret
 * can make one, so a customer id in a URL cannot be changed to unsubscribe somebody else.
 */
export function createLinkToken(secret: string, claims: LinkClaims): string {
  const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

/** The claims of a token made with `secret`; `undefined` when forged, altered, malformed or expired. */
export function readLinkToken(secret: string, token: string, now = Date.now()): LinkClaims | undefined {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let claims: Partial<LinkClaims>;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<LinkClaims>;
  } catch {
    return undefined;
  }
  if (claims.action !== 'unsubscribe' && claims.action !== 'confirm' && claims.action !== 'resubscribe')
    return undefined;
  if (typeof claims.customerId !== 'string' || !claims.channel === !claims.topic) return undefined;
  if (claims.expiresAt !== undefined && claims.expiresAt < now) return undefined;
  return claims as LinkClaims;
}

export interface SignedLinksOptions {
  /** The public address of the server that answers the links (`createWebhookServer`), no trailing path. */
  readonly baseUrl: string;
  /** The secret both sides share; at least 32 characters. */
  readonly secret: string;
}

/** Makes the links emails carry: one-click unsubscribe (RFC 8058) and double opt-in confirmation. */
export interface SignedLinks {
  unsubscribe(customerId: string, target: ConsentTarget): string;
  confirm(customerId: string, target: ConsentTarget): string;
}

/**
 * Signed links answered by `createWebhookServer({ links })` at `/unsubscribe` and `/confirm`. The links an
 * email carries do not expire: a retried send must render the same email (Resend rejects a reused
 * idempotency key with a different body), and RFC 8058 wants unsubscribe links to keep working.
 */
export function createSignedLinks(options: SignedLinksOptions): SignedLinks {
  if (options.secret.length < 32)
    throw new TypeError('The link secret must be at least 32 characters (e.g. `openssl rand -hex 32`).');
  const base = options.baseUrl.replace(/\/+$/, '');
  const url = (path: string, claims: LinkClaims) =>
    `${base}/${path}?token=${createLinkToken(options.secret, claims)}`;
  return {
    unsubscribe: (customerId, target) => url('unsubscribe', { action: 'unsubscribe', customerId, ...target }),
    confirm: (customerId, target) => url('confirm', { action: 'confirm', customerId, ...target }),
  };
}
