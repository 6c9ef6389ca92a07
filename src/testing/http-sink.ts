import type { IncomingMessage, ServerResponse } from 'node:http';
import { SIGNATURE_HEADER, verifyBody } from '../../activities';
import { HttpFake } from './http-fake';
import type { Outbox } from './outbox';

/**
 * A receiver for `send.webhook` and `send.push` (a CRM endpoint, a push gateway): checks the signature
 * with `secret`, answers 401 to a bad one, drops a repeated `Idempotency-Key`, and puts what it accepted in
 * the outbox as channel `webhook` or `push`.
 */
export class HttpSink extends HttpFake {
  private readonly seen = new Set<string>();

  constructor(
    readonly outbox: Outbox,
    readonly channel: 'webhook' | 'push',
    readonly secret: string,
  ) {
    super();
  }

  protected handle(req: IncomingMessage, body: string, res: ServerResponse): void {
    const signature = req.headers[SIGNATURE_HEADER] as string | undefined;
    if (!verifyBody(this.secret, body, signature)) return this.json(res, 401, { error: 'invalid signature' });
    const key = req.headers['idempotency-key'] as string | undefined;
    if (key && this.seen.has(key)) return this.json(res, 200, { id: key, duplicate: true });
    const failure = this.nextFailure();
    if (failure) {
      const headers: Record<string, string> =
        failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {};
      return this.json(
        res,
        failure.status,
        { error: failure.message ?? `Injected failure ${failure.status}` },
        headers,
      );
    }
    if (key) this.seen.add(key);
    this.outbox.add({
      channel: this.channel,
      id: key ?? String(this.requests),
      path: req.url ?? '/',
      body: JSON.parse(body) as unknown,
      idempotencyKey: key,
      receivedAt: new Date(),
    });
    this.json(res, 200, { id: key });
  }
}
