import type { Client } from '@temporalio/client';
import {
  createProviderChannels,
  type ChannelSender,
  type JourneyActivities,
  type EmailTemplates,
} from '../../activities';
import type { JourneysConfig } from '../config';
import type { SendPolicy } from '../contact';
import { ConfigError } from '../errors';

export interface ProviderActivitiesOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly templates?: EmailTemplates;
  /** Channels of your own, by name. */
  readonly custom?: Readonly<Record<string, ChannelSender<never>>>;
  /** How sends reach the contact entity (a Temporal client and the task queue); the policy comes from the config. */
  readonly gate?: { readonly client: Client; readonly taskQueue: string };
}

/**
 * The channel activities configured in `temporal.yaml` (`providers.resend`, `providers.twilio`), with real
 * clients whose credentials come from the named environment variables. A missing variable is a
 * {@link ConfigError} at worker start, not a failed send later.
 */
export function createProviderActivities(
  config: JourneysConfig,
  options: ProviderActivitiesOptions = {},
): JourneyActivities {
  const env = options.env ?? process.env;
  const need = (name: string, provider: string) => {
    const value = env[name];
    if (!value) {
      throw new ConfigError(
        `Environment variable ${name} (providers.${provider} in temporal.yaml) is not set.`,
        {
          file: config.file,
          path: `providers.${provider}`,
        },
      );
    }
    return value;
  };
  const { resend, twilio, webhooks, push } = config.providers;
  const secret = (name: string | undefined, where: string) => (name ? need(name, where) : undefined);
  return createProviderChannels({
    templates: options.templates,
    custom: options.custom,
    gate: options.gate && { ...options.gate, policy: config.contacts as SendPolicy },
    resend: resend && {
      apiKey: need(resend.apiKeyEnv, 'resend'),
      from: resend.from,
      baseUrl: resend.baseUrl,
      unsubscribeUrl: resend.unsubscribeUrl,
    },
    twilio: twilio && {
      accountSid: need(twilio.accountSidEnv, 'twilio'),
      authToken: need(twilio.authTokenEnv, 'twilio'),
      from: twilio.from,
      baseUrl: twilio.baseUrl,
      statusCallback: twilio.statusCallback,
    },
    webhooks:
      webhooks &&
      Object.fromEntries(
        Object.entries(webhooks).map(([name, target]) => [
          name,
          { url: target.url, secret: secret(target.secretEnv, `webhooks.${name}`) },
        ]),
      ),
    push: push && { url: push.url, secret: secret(push.secretEnv, 'push') },
  });
}
