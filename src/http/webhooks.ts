import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Resend } from 'resend';
import twilio from 'twilio';
import { readDeliveryTags } from '../../activities';
import type { JourneyClient } from '../client';
import { readSecrets, type JourneysConfig, type SecretUse } from '../config';
import type { SuppressionReason } from '../contact';
import type { DeliveryEventData } from '../events';
import { linkHandlers, type Handler } from './links';

/** Resend's webhook types we turn into customer events; others (`email.sent`, …) are acknowledged and dropped. */
const RESEND_EVENTS: Record<string, string> = {
  'email.delivered': 'email.delivered',
  'email.opened': 'email.opened',
  'email.clicked': 'email.clicked',
  'email.bounced': 'email.bounced',
  'email.complained': 'email.complained',
};

const TWILIO_STATUSES: Record<string, string> = {
  delivered: 'sms.delivered',
  undelivered: 'sms.undelivered',
  failed: 'sms.failed',
};

const OPT_OUT = /^\s*(stop|stopall|unsubscribe|cancel|end|quit|optout|revoke)\s*$/i;
const OPT_IN = /^\s*(start|unstop|yes)\s*$/i;

export interface WebhookServerOptions {
  /** Emits the delivery events; it must know the delivery event types (pass `deliveryEvents` as `events`). */
  readonly journeys: JourneyClient;
  /** Resend's signing secret (`whsec_…`) for `POST /webhooks/resend`. */
  readonly resend?: { readonly webhookSecret: string };
  /**
   * Twilio's auth token for `POST /webhooks/twilio/status` and `/webhooks/twilio/inbound`. `publicUrl` is
   * this server's address as Twilio calls it (signatures cover the full URL); defaults to the local one.
   */
  readonly twilio?: { readonly authToken: string; readonly publicUrl?: string };
  /**
   * The secret of the signed unsubscribe and confirmation links in emails (`temporal.yaml` `links`): with
   * it this server answers `/unsubscribe`, `/resubscribe` and `/confirm`.
   */
  readonly links?: { readonly secret: string };
  /** Finds the customer who owns a phone number, for inbound STOP (your own store; Temporal keeps no PII). */
  readonly customerByPhone?: (phone: string) => string | undefined | Promise<string | undefined>;
  readonly port?: number;
  readonly host?: string;
  /** Each event emitted or dropped, for logs. */
  readonly onEvent?: (line: string) => void;
  /**
   * A loaded `temporal.yaml`: `links` and `twilio` not given here come from it, their secrets read at start
   * from the variables it names (`links.secretEnv`, `providers.twilio.authTokenEnv`), so an unset one fails
   * here rather than as a 401 or a 500 on the first request.
   */
  readonly config?: JourneysConfig;
}

export interface WebhookServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Receives the providers' delivery webhooks, verifies them the providers' way (Resend: Svix signature;
 * Twilio: `X-Twilio-Signature`) and emits them as customer events (`email.clicked`, `sms.delivered`,
 * `sms.stop`, …), so `waitFor(emailClicked, …)` sees real clicks. A forged or unsigned request gets 401 and
 * emits nothing. Each webhook's own id becomes the event id, so a provider's retry is handled once.
 * Bounces, complaints and STOP suppress the channel at the customer's contact; START lifts a STOP. With
 * `links` it also answers the signed unsubscribe and double opt-in links in emails (see `linkHandlers`).
 */
export async function createWebhookServer(given: WebhookServerOptions): Promise<WebhookServer> {
  const options = withConfigSecrets(given);
  let base = '';
  const handlers = webhookHandlers(options, () => base);

  const server: Server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const handler = handlers[`${req.method} ${new URL(req.url ?? '/', 'http://local').pathname}`];
      if (!handler) return reply(res, 404, 'not found');
      try {
        await handler(req, Buffer.concat(chunks).toString('utf8'), res);
      } catch (err) {
        // Not acknowledged: the provider retries, and the event id makes the retry idempotent.
        if (!res.headersSent) reply(res, 500, err instanceof Error ? err.message : String(err));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  base = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
  return {
    url: base,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The routes of the providers' webhooks (and, with `links`, of the signed links), by `METHOD /path`: what
 * {@link createWebhookServer} and `journeys serve` answer. `base` is the server's own address, for Twilio's
 * signatures when no `publicUrl` is given.
 */
export function webhookHandlers(options: WebhookServerOptions, base: () => string): Record<string, Handler> {
  const log = options.onEvent ?? (() => undefined);
  const resend = new Resend('re_webhook_verification_only');
  /** Bounces, complaints and STOP also suppress the channel at the customer's contact, for every journey. */
  const SUPPRESS: Record<string, [string, SuppressionReason]> = {
    'email.bounced': ['email', 'bounced'],
    'email.complained': ['email', 'complained'],
    'sms.stop': ['sms', 'stopped'],
  };
  const emit = async (type: string, id: string, customerId: string, data: DeliveryEventData) => {
    const suppress = SUPPRESS[type];
    if (suppress) await options.journeys.contacts.suppress(customerId, suppress[0], suppress[1]);
    if (type === 'sms.start') await options.journeys.contacts.resubscribe(customerId, { channel: 'sms' });
    await options.journeys.emit({ id, type, customer: customerId, data });
    log(`webhook  ${type.padEnd(16)} ${customerId}${data.step ? ` (${data.journey}/${data.step})` : ''}`);
  };

  const handlers: Record<string, Handler> = {
    ...(options.links && linkHandlers(options.journeys, options.links.secret)),
    'POST /webhooks/resend': async (req, body, res) => {
      if (!options.resend) return reply(res, 404, 'Resend webhooks are not configured');
      let event: {
        type?: string;
        data?: {
          email_id?: string;
          tags?: unknown;
          click?: { link?: string };
          bounce?: { message?: string };
        };
      };
      try {
        event = resend.webhooks.verify({
          payload: body,
          headers: {
            id: header(req, 'svix-id'),
            timestamp: header(req, 'svix-timestamp'),
            signature: header(req, 'svix-signature'),
          },
          webhookSecret: options.resend.webhookSecret,
        }) as typeof event;
      } catch {
        return reply(res, 401, 'invalid signature');
      }
      const type = RESEND_EVENTS[event.type ?? ''];
      const tags = readDeliveryTags(event.data?.tags);
      if (!type || !tags.customerId || !event.data?.email_id) return reply(res, 200, 'ignored');
      await emit(type, header(req, 'svix-id'), tags.customerId, {
        messageId: event.data.email_id,
        journey: tags.journey,
        step: tags.step,
        key: tags.key,
        url: event.data.click?.link,
        reason: event.data.bounce?.message,
      });
      return reply(res, 200, 'ok');
    },

    'POST /webhooks/twilio/status': async (req, body, res) => {
      const params = verifiedTwilio(req, body);
      if (!params) return reply(res, 401, 'invalid signature');
      const url = new URL(req.url ?? '/', 'http://local');
      const type = TWILIO_STATUSES[params.MessageStatus ?? ''];
      const customerId = url.searchParams.get('customer');
      if (!type || !customerId || !params.MessageSid) return reply(res, 200, 'ignored');
      await emit(type, `${params.MessageSid}:${params.MessageStatus}`, customerId, {
        messageId: params.MessageSid,
        journey: url.searchParams.get('journey') ?? undefined,
        step: url.searchParams.get('step') ?? undefined,
        key: url.searchParams.get('key') ?? undefined,
        reason: params.ErrorCode,
      });
      return reply(res, 200, 'ok');
    },

    'POST /webhooks/twilio/inbound': async (req, body, res) => {
      const params = verifiedTwilio(req, body);
      if (!params) return reply(res, 401, 'invalid signature');
      const type =
        params.OptOutType === 'STOP' || OPT_OUT.test(params.Body ?? '')
          ? 'sms.stop'
          : params.OptOutType === 'START' || OPT_IN.test(params.Body ?? '')
            ? 'sms.start'
            : undefined;
      const customerId = type && params.From ? await options.customerByPhone?.(params.From) : undefined;
      if (type && customerId && params.MessageSid)
        await emit(type, params.MessageSid, customerId, { messageId: params.MessageSid });
      // Empty TwiML: Twilio sends its own STOP confirmation.
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    },
  };

  function verifiedTwilio(req: IncomingMessage, body: string): Record<string, string> | undefined {
    if (!options.twilio) return undefined;
    const params = Object.fromEntries(new URLSearchParams(body));
    const url = `${options.twilio.publicUrl?.replace(/\/$/, '') ?? base()}${req.url ?? ''}`;
    const signature = header(req, 'x-twilio-signature');
    return signature && twilio.validateRequest(options.twilio.authToken, signature, url, params)
      ? params
      : undefined;
  }

  return handlers;
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(text);
}

/** `links` and `twilio` filled from `config` where not given, with the secrets it names read (and checked) now. */
export function withConfigSecrets(options: WebhookServerOptions): WebhookServerOptions {
  const { config } = options;
  if (!config) return options;
  const uses: SecretUse[] = [
    ...(options.links ? [] : ['links' as const]),
    ...(options.twilio ? [] : ['webhooks' as const]),
  ];
  const secrets = readSecrets(config, uses);
  // Twilio signs the URL it called: the public address is the status callback's, without its route.
  const callback = config.providers.twilio?.statusCallback;
  const publicUrl = callback?.endsWith('/webhooks/twilio/status')
    ? callback.slice(0, -'/webhooks/twilio/status'.length)
    : undefined;
  return {
    ...options,
    links: options.links ?? (secrets.linkSecret ? { secret: secrets.linkSecret } : undefined),
    resend:
      options.resend ??
      (secrets.resendWebhookSecret ? { webhookSecret: secrets.resendWebhookSecret } : undefined),
    twilio:
      options.twilio ??
      (secrets.twilioAuthToken ? { authToken: secrets.twilioAuthToken, publicUrl } : undefined),
  };
}
