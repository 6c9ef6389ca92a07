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
import type { ProfileSource } from '../profile/types';

export interface ProviderActivitiesOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly templates?: EmailTemplates;
  /** Channels of your own, by name. */
  readonly custom?: Readonly<Record<string, ChannelSender<never>>>;
  /** Customer data the journeys read (`profile.get()`, `promoCode()`). */
  readonly profiles?: ProfileSource;
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
  /** An environment variable a setting names, at `path` in temporal.yaml. */
  const need = (name: string, path: string) => {
    const value = env[name];
    if (!value) {
      throw new ConfigError(`Environment variable ${name} (${path} in temporal.yaml) is not set.`, {
        file: config.file,
        path,
      });
    }
    return value;
  };
  const { resend, twilio, webhooks, push } = config.providers;
  const secret = (name: string | undefined, where: string) => (name ? need(name, where) : undefined);
  return createProviderChannels({
    templates: options.templates,
    custom: options.custom,
    profiles: options.profiles,
    gate: options.gate && { ...options.gate, policy: config.contacts as SendPolicy },
    resend: resend && {
      apiKey: need(resend.apiKeyEnv, 'providers.resend'),
      from: resend.from,
      baseUrl: resend.baseUrl,
    },
    links: config.links && { baseUrl: config.links.baseUrl, secret: need(config.links.secretEnv, 'links') },
    twilio: twilio && {
      accountSid: need(twilio.accountSidEnv, 'providers.twilio'),
      authToken: need(twilio.authTokenEnv, 'providers.twilio'),
      from: twilio.from,
      baseUrl: twilio.baseUrl,
      statusCallback: twilio.statusCallback,
    },
    webhooks:
      webhooks &&
      Object.fromEntries(
        Object.entries(webhooks).map(([name, target]) => [
          name,
          { url: target.url, secret: secret(target.secretEnv, `providers.webhooks.${name}`) },
        ]),
      ),
    push: push && { url: push.url, secret: secret(push.secretEnv, 'providers.push') },
  });
}
