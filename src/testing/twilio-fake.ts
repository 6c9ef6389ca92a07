import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpFake } from './http-fake';
import { deliverWebhook, twilioSignature } from './webhook-signing';
import type { Outbox } from './outbox';

/** Twilio's idempotency header, as the twilio activity sends it. */
const IDEMPOTENCY_HEADER = 'i-twilio-idempotency-token';

const GSM7 = /^[A-Za-z0-9 \r\n@£$¥èéùìòÇØøÅå_ÆæßÉ!"#%&'()*+,\-./:;<=>?¡ÄÖÑÜ§¿äöñüà^{}\\[~\]|€]*$/;

/** Message segments as Twilio counts them: GSM-7 160/153 characters, UCS-2 70/67. */
export function countSegments(body: string): number {
  const gsm = GSM7.test(body);
  const length = gsm
    ? [...body].reduce((n, c) => n + ('^{}\\[~]|€'.includes(c) ? 2 : 1), 0)
    : [...body].length;
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  return length <= single ? 1 : Math.ceil(length / multi);
}

/**
 * A local fake of Twilio's Messages API (`POST /2010-04-01/Accounts/{sid}/Messages.json`, form-encoded,
 * Basic auth with the account SID and auth token) with Twilio's error bodies `{ code, message, more_info,
 * status }` (21211 invalid number, 21610 unsubscribed recipient, 20429 too many requests), the
 * idempotency token honoured, segments counted, and an outbox.
 *
 * @see https://www.twilio.com/docs/messaging/api/message-resource
 */
export class TwilioFake extends HttpFake {
  private readonly byKey = new Map<string, Record<string, unknown>>();
  /** Numbers that replied STOP: sends to them fail with 21610. */
  readonly stopped = new Set<string>();
  /** Where inbound messages to the sending number are posted (the number's "A message comes in" URL). */
  inboundUrl: string | undefined;
  /** Post `sent` then `delivered` to a message's StatusCallback after accepting it (default true). */
  autoDeliver = true;
  /** Statuses the webhook receivers answered, in order. */
  readonly webhookResponses: number[] = [];
  private readonly callbacks = new Map<string, { url: string; to: string; from: string }>();

  constructor(
    readonly outbox: Outbox,
    readonly accountSid = `AC${randomBytes(16).toString('hex')}`,
    readonly authToken = randomBytes(16).toString('hex'),
  ) {
    super();
  }

  protected handle(req: IncomingMessage, body: string, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url.pathname);
    if (!route || req.method !== 'POST')
      return this.error(res, 404, 20404, `The requested resource ${url.pathname} was not found`);
    const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
    if (req.headers.authorization !== expected || route[1] !== this.accountSid)
      return this.error(res, 401, 20003, 'Authenticate');

    const key = req.headers[IDEMPOTENCY_HEADER] as string | undefined;
    const first = key ? this.byKey.get(key) : undefined;
    if (first) return this.json(res, 201, first);
    const failure = this.nextFailure();
    if (failure) {
      const headers: Record<string, string> =
        failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {};
      const code = Number(
        failure.code ?? (failure.status === 429 ? 20429 : failure.status === 400 ? 21211 : 20500),
      );
      return this.error(
        res,
        failure.status,
        code,
        failure.message ?? `Injected failure ${failure.status}`,
        headers,
      );
    }
    const form = new URLSearchParams(body);
    const to = form.get('To') ?? '';
    const from = form.get('From') ?? form.get('MessagingServiceSid') ?? '';
    const text = form.get('Body') ?? '';
    if (!/^\+[1-9]\d{6,14}$/.test(to)) return this.error(res, 400, 21211, `Invalid 'To' Phone Number: ${to}`);
    if (!from)
      return this.error(
        res,
        400,
        21603,
        "A 'From' or 'MessagingServiceSid' parameter is required to send a message",
      );
    if (!text) return this.error(res, 400, 21602, 'Message body is required.');
    if (this.stopped.has(to)) return this.error(res, 400, 21610, 'Attempt to send to unsubscribed recipient');

    const sid = `SM${randomBytes(16).toString('hex')}`;
    const segments = countSegments(text);
    const now = new Date();
    const message = {
      sid,
      account_sid: this.accountSid,
      to,
      from,
      body: text,
      status: 'queued',
      num_segments: String(segments),
      num_media: '0',
      direction: 'outbound-api',
      api_version: '2010-04-01',
      price: null,
      error_code: null,
      error_message: null,
      date_created: now.toUTCString(),
      date_updated: now.toUTCString(),
      date_sent: null,
      uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}.json`,
    };
    if (key) this.byKey.set(key, message);
    this.outbox.add({
      channel: 'sms',
      id: sid,
      from,
      to,
      body: text,
      segments,
      idempotencyKey: key,
      receivedAt: now,
    });
    this.json(res, 201, message);
    const callback = form.get('StatusCallback');
    if (callback) {
      this.callbacks.set(sid, { url: callback, to, from });
      if (this.autoDeliver) void this.status(sid, 'sent').then(() => this.status(sid, 'delivered'));
    }
  }

  /** Posts a message status (`sent`, `delivered`, `undelivered`, `failed`) to its StatusCallback, signed. */
  async status(
    sid: string,
    status: 'sent' | 'delivered' | 'undelivered' | 'failed',
    errorCode?: number,
  ): Promise<number> {
    const callback = this.callbacks.get(sid);
    if (!callback) throw new Error(`Twilio fake: message ${sid} was sent without a StatusCallback`);
    const params: Record<string, string> = {
      AccountSid: this.accountSid,
      ApiVersion: '2010-04-01',
      From: callback.from,
      MessageSid: sid,
      MessageStatus: status,
      SmsSid: sid,
      SmsStatus: status,
      To: callback.to,
      ...(errorCode !== undefined ? { ErrorCode: String(errorCode) } : {}),
    };
    return this.post(callback.url, params);
  }

  /**
   * A customer texts the sending number. STOP (and Twilio's other opt-out words) opts them out, as
   * Twilio's Advanced Opt-Out does: later sends to them fail with 21610. START, UNSTOP or YES opts them
   * back in.
   */
  async receive(from: string, body: string, to = '+15005550006'): Promise<number> {
    const optOut = /^\s*(stop|stopall|unsubscribe|cancel|end|quit|optout|revoke)\s*$/i.test(body);
    const optIn = /^\s*(start|unstop|yes)\s*$/i.test(body);
    if (optOut) this.stopped.add(from);
    if (optIn) this.stopped.delete(from);
    if (!this.inboundUrl) return 0;
    const params: Record<string, string> = {
      AccountSid: this.accountSid,
      ApiVersion: '2010-04-01',
      Body: body,
      From: from,
      MessageSid: `SM${randomBytes(16).toString('hex')}`,
      NumMedia: '0',
      NumSegments: '1',
      To: to,
      ...(optOut ? { OptOutType: 'STOP' } : optIn ? { OptOutType: 'START' } : {}),
    };
    return this.post(this.inboundUrl, params);
  }

  private async post(url: string, params: Record<string, string>): Promise<number> {
    const status = await deliverWebhook(url, new URLSearchParams(params).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(this.authToken, url, params),
    });
    this.webhookResponses.push(status);
    return status;
  }

  private error(
    res: ServerResponse,
    status: number,
    code: number,
    message: string,
    headers?: Record<string, string>,
  ): void {
    this.json(
      res,
      status,
      { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
      headers,
    );
  }
}
