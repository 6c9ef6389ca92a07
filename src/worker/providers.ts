import type { Client } from '@temporalio/client';
import {
  createProviderChannels,
  type ChannelSender,
  type JourneyActivities,
  type TemplatesInput,
} from '../../activities';
import { readSecrets, type JourneysConfig } from '../config';
import type { SendPolicy } from '../contact';
import type { ProfileSource } from '../profile/types';

export interface ProviderActivitiesOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly templates?: TemplatesInput;
  /** Channels of your own, by name. */
  readonly custom?: Readonly<Record<string, ChannelSender<never>>>;
  /** Customer data the journeys read (`profile.get()`, `promoCode()`). */
  readonly profiles?: ProfileSource;
  /** How sends reach the contact entity (a Temporal client and the task queue); the policy comes from the config. */
  readonly gate?: { readonly client: Client; readonly taskQueue: string };
}

/**
 * The channel activities configured in `temporal.yaml` (`providers.resend`, `providers.twilio`), with real
 * clients whose credentials come from the named environment variables (`readSecrets`). A missing variable
 * is a {@link ConfigError} at worker start, not a failed send later.
 */
export function createProviderActivities(
  config: JourneysConfig,
  options: ProviderActivitiesOptions = {},
): JourneyActivities {
  // Every variable the providers and links settings name, read at once: one error lists all that are unset.
  const secrets = readSecrets(config, ['providers', 'links'], options.env);
  const { resend, twilio, webhooks, push } = config.providers;
  return createProviderChannels({
    templates: options.templates,
    custom: options.custom,
    profiles: options.profiles,
    gate: options.gate && { ...options.gate, policy: config.contacts as SendPolicy },
    resend: resend && {
      apiKey: secrets.resendApiKey as string,
      from: resend.from,
      baseUrl: resend.baseUrl,
    },
    links: config.links && { baseUrl: config.links.baseUrl, secret: secrets.linkSecret as string },
    twilio: twilio && {
      accountSid: secrets.twilioAccountSid as string,
      authToken: secrets.twilioAuthToken as string,
      from: twilio.from,
      baseUrl: twilio.baseUrl,
      statusCallback: twilio.statusCallback,
    },
    webhooks:
      webhooks &&
      Object.fromEntries(
        Object.entries(webhooks).map(([name, target]) => [
          name,
          { url: target.url, secret: secrets.webhookSecrets[name] },
        ]),
      ),
    push: push && { url: push.url, secret: secrets.pushSecret },
  });
}
