import {
  createProviderChannels,
  type ChannelSender,
  type ContactGateOptions,
  type SignedLinksOptions,
  type JourneyActivities,
  type TemplatesInput,
} from '../../activities';
import type { ProfileSource } from '../profile/types';
import { HttpSink } from './http-sink';
import { Outbox } from './outbox';
import { ResendFake } from './resend-fake';
import { TwilioFake } from './twilio-fake';
import { newWebhookSecret } from './webhook-signing';

/** The sender addresses the fakes' channels use. */
export const FAKE_EMAIL_FROM = 'Shop <shop@example.com>';
export const FAKE_SMS_FROM = '+15005550006';

/** Options of {@link ProviderFakes.activities}. */
export interface FakeChannelOptions {
  readonly templates?: TemplatesInput;
  /** Twilio StatusCallback base URL (a webhook server's `/webhooks/twilio/status`). */
  readonly statusCallback?: string;
  readonly custom?: Readonly<Record<string, ChannelSender<never>>>;
  /** The contact gate: a Temporal client, the worker's task queue and the rules. */
  readonly gate?: ContactGateOptions;
  /** Signed unsubscribe and confirmation links in emails, answered by a webhook server with the same secret. */
  readonly links?: SignedLinksOptions;
  /** Customer data behind `profile.get()` and `promoCode()`. */
  readonly profiles?: ProfileSource;
}

/**
 * Local fakes of Resend and Twilio, and receivers for signed webhooks (`crm`) and push, sharing one outbox.
 */
export interface ProviderFakes {
  readonly outbox: Outbox;
  readonly resend: ResendFake;
  readonly twilio: TwilioFake;
  /** The receiver of `send.webhook('crm', …)`. */
  readonly crm: HttpSink;
  /** The push gateway behind `send.push(…)`. */
  readonly push: HttpSink;
  /** An API key the Resend fake accepts. */
  readonly resendApiKey: string;
  /** The secret Resend's webhooks are signed with (`whsec_…`). */
  readonly resendWebhookSecret: string;
  /** The secret the `crm` and `push` receivers check signatures with. */
  readonly sinkSecret: string;
  /** Channel activities on the real `resend` and `twilio` clients pointed at the fakes. */
  activities(options?: FakeChannelOptions): JourneyActivities;
  /** Environment variables that point a `temporal.yaml` provider section at the fakes. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts local fakes of Resend and Twilio, and the webhook and push receivers, on 127.0.0.1.
 *
 * @example
 * ```ts
 * const fakes = await startProviderFakes();
 * const worker = await Worker.create({ ..., activities: fakes.activities() });
 * await fakes.outbox.waitFor((m) => m.channel === 'email');
 * await fakes.close();
 * ```
 */
export async function startProviderFakes(
  options: { resendPort?: number; twilioPort?: number } = {},
): Promise<ProviderFakes> {
  const outbox = new Outbox();
  const resend = await new ResendFake(outbox).start(options.resendPort);
  const twilio = await new TwilioFake(outbox).start(options.twilioPort);
  const sinkSecret = newWebhookSecret();
  const crm = await new HttpSink(outbox, 'webhook', sinkSecret).start();
  const push = await new HttpSink(outbox, 'push', sinkSecret).start();
  const resendApiKey = 're_fake_local_key';
  const resendWebhookSecret = newWebhookSecret();
  return {
    outbox,
    resend,
    twilio,
    crm,
    push,
    resendApiKey,
    resendWebhookSecret,
    sinkSecret,
    activities: ({ templates, statusCallback, custom, gate, links, profiles } = {}) =>
      createProviderChannels({
        templates,
        custom,
        gate,
        links,
        profiles,
        resend: { apiKey: resendApiKey, from: FAKE_EMAIL_FROM, baseUrl: resend.url },
        twilio: {
          accountSid: twilio.accountSid,
          authToken: twilio.authToken,
          from: FAKE_SMS_FROM,
          baseUrl: twilio.url,
          statusCallback,
        },
        webhooks: { crm: { url: `${crm.url}/leads`, secret: sinkSecret } },
        push: { url: `${push.url}/notify`, secret: sinkSecret },
      }),
    env: () => ({
      RESEND_API_KEY: resendApiKey,
      RESEND_BASE_URL: resend.url,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
    }),
    close: async () => {
      await Promise.all([resend.close(), twilio.close(), crm.close(), push.close()]);
    },
  };
}
