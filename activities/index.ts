/**
 * Channel activities: email on Resend, SMS on Twilio. Each is a factory that receives its client, so tests
 * pass a real client pointed at a local fake.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { ChannelActivities, SendEmailRequest, SendResult, SendSmsRequest } from '../src/journey';

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
