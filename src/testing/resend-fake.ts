import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpFake } from './http-fake';
import { deliverWebhook, svixHeaders } from './webhook-signing';
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
 * A local fake of Resend's email API (`POST /emails`, `POST /emails/batch`, `GET /emails/:id`) for tests
 * and the demo, which also sends Resend's delivery webhooks, signed with Svix headers: Bearer
 * keys, Resend's error bodies `{ statusCode, name, message }`, `Idempotency-Key` honoured (a repeated key
 * returns the first answer and sends nothing; the same key with another body is a 409), and an outbox.
 *
 * @see https://resend.com/docs/api-reference/introduction
 */
export class ResendFake extends HttpFake {
  private readonly byKey = new Map<string, { body: string; response: unknown }>();
  private readonly byId = new Map<string, Extract<OutboxMessage, { channel: 'email' }>>();
  /** Where delivery webhooks go, signed with `secret` (Svix headers), as Resend's dashboard configures. */
  webhook: { url: string; secret: string } | undefined;
  /** Send `email.sent` and `email.delivered` after each accepted email (default true). */
  autoDeliver = true;
  /** Statuses the webhook receiver answered, in order: a test can see a 401. */
  readonly webhookResponses: number[] = [];
  /**
   * Accept each email at once (it is in the outbox and its webhooks go) but answer the request this much
   * later: a provider that sent the message while its response is slow (`latencyMs` delays before sending).
   */
  answerDelayMs = 0;

  constructor(readonly outbox: Outbox) {
    super();
  }

  protected async handle(req: IncomingMessage, body: string, res: ServerResponse): Promise<void> {
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
    if (req.method !== 'POST' || (url.pathname !== '/emails' && url.pathname !== '/emails/batch')) {
      return this.error(res, 404, `No route ${req.method} ${url.pathname}`, 'not_found');
    }
    const key = header(req, 'idempotency-key');
    if (key) {
      const first = this.byKey.get(key);
      if (first && first.body !== body)
        return this.error(res, 409, 'Same idempotency key used with a different request payload.');
      if (first) return this.json(res, 200, first.response);
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
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return this.error(res, 400, 'Invalid JSON body', 'invalid_parameter');
    }
    const batch = url.pathname === '/emails/batch';
    const emails = batch ? parsed : [parsed];
    if (!Array.isArray(emails) || emails.length === 0 || emails.length > 100) {
      return this.error(res, 422, 'The batch must be an array of 1 to 100 emails.');
    }
    // Validate the whole batch before sending any of it, as Resend does.
    for (const email of emails) {
      const problem = invalid(email);
      if (problem) return this.error(res, 422, problem);
    }
    const ids = (emails as Record<string, unknown>[]).map((email) => this.accept(email, key));
    const response = batch ? { data: ids.map((id) => ({ id })) } : { id: ids[0] };
    if (key) this.byKey.set(key, { body, response });
    // Accepted (in the outbox, its webhooks can fire) but answered late: a slow response from a provider.
    if (this.answerDelayMs > 0) await new Promise((r) => setTimeout(r, this.answerDelayMs));
    this.json(res, 200, response);
  }

  /** Tells the receiver that the customer opened the email. */
  open(emailId: string): Promise<number> {
    return this.event('email.opened', emailId);
  }

  /** Tells the receiver that the customer clicked `link` in the email. */
  click(emailId: string, link: string): Promise<number> {
    return this.event('email.clicked', emailId, {
      click: { link, ipAddress: '127.0.0.1', timestamp: new Date().toISOString(), userAgent: 'fake' },
    });
  }

  /** Tells the receiver that the email bounced (permanently) or that the customer marked it as spam. */
  bounce(emailId: string): Promise<number> {
    return this.event('email.bounced', emailId, {
      bounce: { message: 'The recipient address does not exist.', type: 'Permanent', subType: 'General' },
    });
  }

  complain(emailId: string): Promise<number> {
    return this.event('email.complained', emailId);
  }

  /** Posts a signed webhook event about an email, as Resend does; resolves with the receiver's status. */
  async event(type: string, emailId: string, extra: Record<string, unknown> = {}): Promise<number> {
    const email = this.byId.get(emailId);
    if (!this.webhook || !email) throw new Error(`Resend fake: no webhook configured or no email ${emailId}`);
    const body = JSON.stringify({
      type,
      created_at: new Date().toISOString(),
      data: {
        email_id: emailId,
        created_at: email.receivedAt.toISOString(),
        from: email.from,
        to: email.to,
        subject: email.subject,
        tags: Object.fromEntries(email.tags.map((t) => [t.name, t.value])),
        ...extra,
      },
    });
    const status = await deliverWebhook(this.webhook.url, body, {
      'content-type': 'application/json',
      ...svixHeaders(this.webhook.secret, body),
    });
    this.webhookResponses.push(status);
    return status;
  }

  private accept(email: Record<string, unknown>, key: string | undefined): string {
    const id = randomUUID();
    const message: Extract<OutboxMessage, { channel: 'email' }> = {
      channel: 'email',
      id,
      from: String(email.from),
      to: recipients(email.to),
      subject: String(email.subject),
      html: typeof email.html === 'string' ? email.html : undefined,
      text: typeof email.text === 'string' ? email.text : undefined,
      headers: (email.headers as Record<string, string> | undefined) ?? {},
      tags: (email.tags as { name: string; value: string }[] | undefined) ?? [],
      idempotencyKey: key,
      receivedAt: new Date(),
    };
    this.byId.set(id, message);
    this.outbox.add(message);
    if (this.webhook && this.autoDeliver) {
      void this.event('email.sent', id).then(() => this.event('email.delivered', id));
    }
    return id;
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

function recipients(to: unknown): string[] {
  return typeof to === 'string' ? [to] : Array.isArray(to) ? to.map(String) : [];
}

/** What Resend's validation would say about one email, or undefined. */
function invalid(email: unknown): string | undefined {
  if (typeof email !== 'object' || email === null) return 'Each email must be an object.';
  const e = email as Record<string, unknown>;
  for (const field of ['from', 'subject'] as const) {
    if (typeof e[field] !== 'string' || e[field] === '') return `Missing \`${field}\` field.`;
  }
  const to = recipients(e.to);
  if (to.length === 0) return 'Missing `to` field.';
  if (to.some((address) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address))) {
    return 'Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.';
  }
  if (typeof e.html !== 'string' && typeof e.text !== 'string') return 'Missing `html` or `text` field.';
  return undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
