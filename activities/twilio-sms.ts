import { AsyncLocalStorage } from 'node:async_hooks';
import twilio, { type Twilio } from 'twilio';
import type { SendSmsRequest } from '../src/journey';
import type { Delivered } from './channel';
import { providerFailure } from './provider-errors';

/** The send in flight: its idempotency key (sent), and the `Retry-After` of Twilio's answer (read back). */
const inFlight = new AsyncLocalStorage<{ key: string; retryAfter?: string }>();

/** Header carrying the key (Twilio's own name for its idempotency token). */
export const TWILIO_IDEMPOTENCY_HEADER = 'I-Twilio-Idempotency-Token';

/** Twilio's HTTP client, adding the idempotency header of the send in flight. */
function createIdempotentRequestClient(): twilio.RequestClient {
  const http = new twilio.RequestClient();
  const request = http.request.bind(http);
  http.request = (async (opts: Parameters<typeof request>[0]) => {
    const send = inFlight.getStore();
    if (send) opts.headers = { ...opts.headers, [TWILIO_IDEMPOTENCY_HEADER]: send.key };
    const response = await request(opts);
    const retryAfter = (response.headers as Record<string, unknown> | undefined)?.['retry-after'];
    if (send && typeof retryAfter === 'string') send.retryAfter = retryAfter;
    return response;
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
  /**
   * Where Twilio posts delivery status (`/webhooks/twilio/status` of `journeys serve`); the send adds the
   * customer, journey, key and step as query parameters, so the status finds the run again.
   */
  readonly statusCallback?: string;
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
export function createTwilioSms(options: TwilioSmsOptions): (request: SendSmsRequest) => Promise<Delivered> {
  const callback = (request: SendSmsRequest) => {
    if (!options.statusCallback) return {};
    const url = new URL(options.statusCallback);
    url.searchParams.set('customer', request.customerId);
    url.searchParams.set('journey', request.journey);
    url.searchParams.set('step', request.step);
    if (request.key !== undefined) url.searchParams.set('key', request.key);
    return { statusCallback: url.toString() };
  };
  const sender = options.from.startsWith('MG')
    ? { messagingServiceSid: options.from }
    : { from: options.from };
  return async (request) => {
    const send: { key: string; retryAfter?: string } = { key: request.idempotencyKey };
    try {
      const message = await inFlight.run(send, () =>
        options.client.messages.create({
          to: request.to,
          body: request.body,
          ...sender,
          ...callback(request),
        }),
      );
      return { messageId: message.sid, segments: Number(message.numSegments) || 1 };
    } catch (err) {
      const e = err as TwilioRestError;
      if (typeof e.status === 'number') {
        throw providerFailure(
          'twilio',
          e.status,
          String(e.code ?? e.status),
          e.message ?? '',
          send.retryAfter,
        );
      }
      throw providerFailure('twilio', null, 'network', err instanceof Error ? err.message : String(err));
    }
  };
}
