/**
 * Channel activities: email on Resend, SMS on Twilio. Each is a factory that receives its client, so tests
 * pass a real client pointed at a local fake.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { Resend } from 'resend';
import type { ChannelActivities, SendEmailRequest, SendResult, SendSmsRequest } from '../src/journey';
import type { EmailTemplates } from './email-templates';
import { createResendEmail } from './resend-email';
import { createTwilioClient, createTwilioSms } from './twilio-sms';

export { createResendEmail } from './resend-email';
export type { ResendEmailOptions } from './resend-email';
export { createTwilioClient, createTwilioSms, TWILIO_IDEMPOTENCY_HEADER } from './twilio-sms';
export type { TwilioClientOptions, TwilioSmsOptions } from './twilio-sms';
export { defaultEmailTemplates } from './email-templates';
export type { EmailTemplate, EmailTemplates, RenderedEmail } from './email-templates';

export interface Channels {
  readonly email?: (request: SendEmailRequest) => Promise<SendResult>;
  readonly sms?: (request: SendSmsRequest) => Promise<SendResult>;
}

/** The activities a worker registers; a channel left out fails its sends permanently with a clear reason. */
export function createChannelActivities(channels: Channels): ChannelActivities {
  const missing = (channel: string) => () =>
    Promise.reject(
      ApplicationFailure.nonRetryable(
        `No ${channel} channel is configured on this worker; add providers.${channel === 'email' ? 'resend' : 'twilio'} to temporal.yaml.`,
        'channel_not_configured',
      ),
    );
  return {
    sendEmail: channels.email ?? missing('email'),
    sendSms: channels.sms ?? missing('sms'),
  };
}

/** Credentials and senders of the real providers; a provider left out is a channel not configured. */
export interface ProviderSettings {
  readonly resend?: {
    readonly apiKey: string;
    readonly from: string;
    readonly baseUrl?: string;
    readonly unsubscribeUrl?: string;
  };
  readonly twilio?: {
    readonly accountSid: string;
    readonly authToken: string;
    readonly from: string;
    readonly baseUrl?: string;
  };
  readonly templates?: EmailTemplates;
}

/** Channel activities on real `resend` and `twilio` clients (pointed at `baseUrl` when given). */
export function createProviderChannels(settings: ProviderSettings): ChannelActivities {
  const { resend, twilio, templates } = settings;
  return createChannelActivities({
    email:
      resend &&
      createResendEmail({
        client: new Resend(resend.apiKey, resend.baseUrl ? { baseUrl: resend.baseUrl } : undefined),
        from: resend.from,
        templates,
        unsubscribeUrl: resend.unsubscribeUrl,
      }),
    sms:
      twilio &&
      createTwilioSms({
        client: createTwilioClient({
          accountSid: twilio.accountSid,
          authToken: twilio.authToken,
          baseUrl: twilio.baseUrl,
        }),
        from: twilio.from,
      }),
  });
}
