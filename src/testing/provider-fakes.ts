import { createProviderChannels, type EmailTemplates } from '../../activities';
import type { ChannelActivities } from '../journey';
import { Outbox } from './outbox';
import { ResendFake } from './resend-fake';
import { TwilioFake } from './twilio-fake';

/** The sender addresses the fakes' channels use. */
export const FAKE_EMAIL_FROM = 'Shop <shop@example.com>';
export const FAKE_SMS_FROM = '+15005550006';

/** Resend and Twilio fakes sharing one outbox, and channel activities wired to them through the real clients. */
export interface ProviderFakes {
  readonly outbox: Outbox;
  readonly resend: ResendFake;
  readonly twilio: TwilioFake;
  /** An API key the Resend fake accepts. */
  readonly resendApiKey: string;
  /** Channel activities on the real `resend` and `twilio` clients pointed at the fakes. */
  activities(options?: { templates?: EmailTemplates }): ChannelActivities;
  /** Environment variables that point a `temporal.yaml` provider section at the fakes. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts local fakes of Resend and Twilio on 127.0.0.1 (free ports unless given).
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
  const resendApiKey = 're_fake_local_key';
  return {
    outbox,
    resend,
    twilio,
    resendApiKey,
    activities: ({ templates } = {}) =>
      createProviderChannels({
        templates,
        resend: { apiKey: resendApiKey, from: FAKE_EMAIL_FROM, baseUrl: resend.url },
        twilio: {
          accountSid: twilio.accountSid,
          authToken: twilio.authToken,
          from: FAKE_SMS_FROM,
          baseUrl: twilio.url,
        },
      }),
    env: () => ({
      RESEND_API_KEY: resendApiKey,
      RESEND_BASE_URL: resend.url,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
    }),
    close: async () => {
      await Promise.all([resend.close(), twilio.close()]);
    },
  };
}
