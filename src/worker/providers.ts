import { Resend } from 'resend';
import {
  createChannelActivities,
  createResendEmail,
  createTwilioClient,
  createTwilioSms,
  type EmailTemplates,
} from '../../activities';
import type { JourneysConfig } from '../config';
import { ConfigError } from '../errors';
import type { ChannelActivities } from '../journey';

export interface ProviderActivitiesOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly templates?: EmailTemplates;
}

/**
 * The channel activities configured in `temporal.yaml` (`providers.resend`, `providers.twilio`), with real
 * clients whose credentials come from the named environment variables.
 */
export function createProviderActivities(
  config: JourneysConfig,
  options: ProviderActivitiesOptions = {},
): ChannelActivities {
  const env = options.env ?? process.env;
  const need = (name: string, provider: string) => {
    const value = env[name];
    if (!value)
      throw new ConfigError(`Environment variable ${name} (providers.${provider}) is not set.`, {
        file: config.file,
        path: `providers.${provider}`,
      });
    return value;
  };
  const { resend, twilio } = config.providers;
  return createChannelActivities({
    email: resend
      ? createResendEmail({
          client: new Resend(
            need(resend.apiKeyEnv, 'resend'),
            resend.baseUrl ? { baseUrl: resend.baseUrl } : undefined,
          ),
          from: resend.from,
          templates: options.templates,
          unsubscribeUrl: resend.unsubscribeUrl,
        })
      : undefined,
    sms: twilio
      ? createTwilioSms({
          client: createTwilioClient({
            accountSid: need(twilio.accountSidEnv, 'twilio'),
            authToken: need(twilio.authTokenEnv, 'twilio'),
            baseUrl: twilio.baseUrl,
          }),
          from: twilio.from,
        })
      : undefined,
  });
}
