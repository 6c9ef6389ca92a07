import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createLinkToken,
  escapeHtml,
  readLinkToken,
  type LinkAction,
  type LinkClaims,
} from '../../activities';
import type { JourneyClient } from '../client';
import { subscriptionConfirmed } from '../events';

/** A request handler of the HTTP server, by `METHOD /path`. */
export type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => Promise<void> | void;

/**
 * The pages behind the signed links in emails:
 * - `GET /unsubscribe?token=…` asks for a click (mail scanners follow GET links; they must not
 *   unsubscribe anybody); `POST` unsubscribes: the page's button, or a mail client's one-click
 *   `List-Unsubscribe=One-Click` POST (RFC 8058). The answer offers `POST /resubscribe`.
 * - `GET /confirm?token=…` asks for a click; `POST` confirms a double opt-in: `subscription.confirmed`
 *   is emitted, which subscribes the contact and reaches the journeys waiting for it.
 * A token that is forged, altered or for the other action gets 400 and changes nothing.
 */
/** How long the "subscribe again" button after an unsubscribe works. */
const RESUBSCRIBE_WINDOW_MS = 24 * 3600 * 1000;

export function linkHandlers(journeys: JourneyClient, secret: string): Record<string, Handler> {
  const claimsOf = (req: IncomingMessage, action: LinkAction): LinkClaims | undefined => {
    const token = new URL(req.url ?? '/', 'http://local').searchParams.get('token');
    const claims = token ? readLinkToken(secret, token) : undefined;
    return claims?.action === action ? claims : undefined;
  };
  const invalid = (res: ServerResponse) =>
    page(
      res,
      400,
      'This link is not valid',
      'It may have been changed or cut short. Copy it again from the email.',
    );
  const target = (c: LinkClaims) => (c.topic ? { topic: c.topic } : { channel: c.channel as string });
  const what = (c: LinkClaims) => (c.topic ? `“${c.topic}” emails` : `marketing ${c.channel ?? ''}`.trim());
  const button = (req: IncomingMessage, path: string, label: string) =>
    `<form method="post" action="${escapeHtml(path + new URL(req.url ?? '/', 'http://local').search)}"><button>${label}</button></form>`;

  return {
    'GET /unsubscribe': (req, _body, res) => {
      const claims = claimsOf(req, 'unsubscribe');
      if (!claims) return invalid(res);
      page(res, 200, `Unsubscribe from ${what(claims)}?`, button(req, '/unsubscribe', 'Unsubscribe'));
    },
    'POST /unsubscribe': async (req, _body, res) => {
      const claims = claimsOf(req, 'unsubscribe');
      if (!claims) return invalid(res);
      await journeys.contacts.unsubscribe(claims.customerId, target(claims));
      // A fresh, short-lived token: the unsubscribe link travels in every email (and in forwarded ones), so
      // it must not be able to opt the customer back in.
      const again = createLinkToken(secret, {
        action: 'resubscribe',
        customerId: claims.customerId,
        ...target(claims),
        expiresAt: Date.now() + RESUBSCRIBE_WINDOW_MS,
      });
      page(
        res,
        200,
        `You are unsubscribed from ${what(claims)}`,
        `Changed your mind? <form method="post" action="/resubscribe?token=${again}"><button>Subscribe again</button></form>`,
      );
    },
    'POST /resubscribe': async (req, _body, res) => {
      const claims = claimsOf(req, 'resubscribe');
      if (!claims) return invalid(res);
      await journeys.contacts.resubscribe(claims.customerId, target(claims));
      page(res, 200, `You are subscribed to ${what(claims)} again`, '');
    },
    'GET /confirm': (req, _body, res) => {
      const claims = claimsOf(req, 'confirm');
      if (!claims) return invalid(res);
      page(res, 200, `Confirm your subscription to ${what(claims)}`, button(req, '/confirm', 'Confirm'));
    },
    'POST /confirm': async (req, _body, res) => {
      const claims = claimsOf(req, 'confirm');
      if (!claims) return invalid(res);
      // The token's hash is the event id, so clicking twice is one confirmation for the journeys.
      const token = new URL(req.url ?? '/', 'http://local').searchParams.get('token') ?? '';
      await journeys.emit({
        id: `confirm-${createHash('sha256').update(token).digest('base64url').slice(0, 32)}`,
        type: subscriptionConfirmed.name,
        customer: claims.customerId,
        data: target(claims),
      });
      page(res, 200, 'Thank you: your subscription is confirmed', '');
    },
  };
}

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; form-action 'self'; frame-ancestors 'none'",
  });
  res.end(
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
      `<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
  );
}
