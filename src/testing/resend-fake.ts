import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpFake } from './http-fake';
import type { Outbox, OutboxMessage } from './outbox';

const ERROR_NAMES: Record<number, string> = {
  400: 'invalid_parameter',
  401: 'missing_api_key',
  403: 'invalid_api_key',
  409: 'invalid_idempotent_request',
  422: 'validation_error',
  429: 'rate_limit_exceeded',
  500: 'application_error',
};

/**
 * A local fake of Resend's email API (`POST /emails`, `GET /emails/:id`) for tests and the demo: Bearer
 * keys, Resend's error bodies `{ statusCode, name, message }`, `Idempotency-Key` honoured (a repeated key
 * returns the first answer and sends nothing; the same key with another body is a 409), and an outbox.
 *
 * @see https://resend.com/docs/api-reference/introduction
 */
export class ResendFake extends HttpFake {
  private readonly byKey = new Map<string, { body: string; id: string }>();
  private readonly byId = new Map<string, OutboxMessage>();

  constructor(readonly outbox: Outbox) {
    super();
  }

  protected handle(req: IncomingMessage, body: string, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (!/^Bearer re_\S+$/.test(req.headers.authorization ?? '')) {
      return this.error(
        res,
        401,
        'Missing API key in the authorization header. Include the following header Authorization: Bearer YOUR_API_KEY in the request.',
      );
    }
    const get = /^\/emails\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && get?.[1]) {
      const message = this.byId.get(get[1]);
      return message
        ? this.json(res, 200, { object: 'email', ...message })
        : this.error(res, 404, 'Email not found', 'not_found');
    }
    if (req.method !== 'POST' || url.pathname !== '/emails')
      return this.error(res, 404, `No route ${req.method} ${url.pathname}`, 'not_found');

    const key = header(req, 'idempotency-key');
    if (key) {
      const first = this.byKey.get(key);
      if (first && first.body !== body) {
        return this.error(res, 409, 'Same idempotency key used with a different request payload.');
      }
      if (first) return this.json(res, 200, { id: first.id });
    }
    const failure = this.nextFailure();
    if (failure) {
      const headers: Record<string, string> =
        failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {};
      return this.error(
        res,
        failure.status,
        failure.message ?? `Injected failure ${failure.status}`,
        failure.code?.toString(),
        headers,
      );
    }
    let email: Record<string, unknown>;
    try {
      email = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return this.error(res, 400, 'Invalid JSON body', 'invalid_parameter');
    }
    const to =
      typeof email.to === 'string' ? [email.to] : Array.isArray(email.to) ? email.to.map(String) : [];
    for (const field of ['from', 'subject'] as const) {
      if (typeof email[field] !== 'string' || email[field] === '')
        return this.error(res, 422, `Missing \`${field}\` field.`);
    }
    if (to.length === 0) return this.error(res, 422, 'Missing `to` field.');
    const invalid = to.find((address) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address));
    if (invalid)
      return this.error(
        res,
        422,
        `Invalid \`to\` field. The email address needs to follow the \`email@example.com\` or \`Name <email@example.com>\` format.`,
      );
    if (typeof email.html !== 'string' && typeof email.text !== 'string')
      return this.error(res, 422, 'Missing `html` or `text` field.');

    const id = randomUUID();
    const message: OutboxMessage = {
      channel: 'email',
      id,
      from: String(email.from),
      to,
      subject: String(email.subject),
      html: typeof email.html === 'string' ? email.html : undefined,
      text: typeof email.text === 'string' ? email.text : undefined,
      headers: (email.headers as Record<string, string> | undefined) ?? {},
      tags: (email.tags as { name: string; value: string }[] | undefined) ?? [],
      idempotencyKey: key,
      receivedAt: new Date(),
    };
    if (key) this.byKey.set(key, { body, id });
    this.byId.set(id, message);
    this.outbox.add(message);
    this.json(res, 200, { id });
  }

  private error(
    res: ServerResponse,
    statusCode: number,
    message: string,
    name?: string,
    headers?: Record<string, string>,
  ): void {
    this.json(
      res,
      statusCode,
      { statusCode, name: name ?? ERROR_NAMES[statusCode] ?? 'application_error', message },
      headers,
    );
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
