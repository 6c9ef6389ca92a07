import { AsyncLocalStorage } from 'node:async_hooks';
import twilio, { type Twilio } from 'twilio';
import type { SendResult, SendSmsRequest } from '../src/journey';
import { providerFailure } from './provider-errors';

/** The idempotency key of the send in flight, read by the HTTP client below. */
const idempotencyKey = new AsyncLocalStorage<string>();

/** Header carrying the key (Twilio's own name for its idempotency token). */
export const TWILIO_IDEMPOTENCY_HEADER = 'I-Twilio-Idempotency-Token';

/** Twilio's HTTP client, adding the idempotency header of the send in flight. */
function createIdempotentRequestClient(): twilio.RequestClient {
  const http = new twilio.RequestClient();
  const request = http.request.bind(http);
  http.request = ((opts: Parameters<typeof request>[0]) => {
    const key = idempotencyKey.getStore();
    if (key) opts.headers = { ...opts.headers, [TWILIO_IDEMPOTENCY_HEADER]: key };
    return request(opts);
  }) as typeof request;
  return http;
}

export interface TwilioClientOptions {
  readonly accountSid: string;
  readonly authToken: string;
  /** Overrides `https://api.twilio.com`, e.g. a local fake. */
  readonly baseUrl?: string;
}

/**
 * A real `twilio` client whose requests carry the send's idempotency key. Twilio's Messages API has no
 * idempotency key of its own; the header is honoured by the local fake and harmless against Twilio.
 */
export function createTwilioClient(options: TwilioClientOptions): Twilio {
  const client = twilio(options.accountSid, options.authToken, {
    httpClient: createIdempotentRequestClient(),
  });
  if (options.baseUrl) client.api.baseUrl = options.baseUrl.replace(/\/$/, '');
  return client;
}

export interface TwilioSmsOptions {
  /** A client from {@link createTwilioClient}. */
  readonly client: Twilio;
  /** The sending number (E.164) or messaging service SID (`MG…`). */
  readonly from: string;
}

/** Error shape of the twilio client's `RestException`. */
interface TwilioRestError {
  status?: number;
  code?: number;
  message?: string;
}

/**
 * The SMS channel on Twilio's Messages API.
 *
 * @see https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
 */
export function createTwilioSms(options: TwilioSmsOptions): (request: SendSmsRequest) => Promise<SendResult> {
  const sender = options.from.startsWith('MG')
    ? { messagingServiceSid: options.from }
    : { from: options.from };
  return async (request) => {
    try {
      const message = await idempotencyKey.run(request.idempotencyKey, () =>
        options.client.messages.create({ to: request.to, body: request.body, ...sender }),
      );
      return {
        status: 'sent',
        channel: 'sms',
        messageId: message.sid,
        segments: Number(message.numSegments) || 1,
      };
    } catch (err) {
      const e = err as TwilioRestError;
      if (typeof e.status === 'number')
        throw providerFailure('twilio', e.status, String(e.code ?? e.status), e.message ?? '');
      throw providerFailure('twilio', null, 'network', err instanceof Error ? err.message : String(err));
    }
  };
}
