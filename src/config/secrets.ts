import { ConfigError } from '../errors';
import type { JourneysConfig } from './schema';

/**
 * What a program does with `temporal.yaml`, and so which of the variables it names it reads:
 * - `connection`: connects to Temporal (the cloud profile's `apiKeyEnv`);
 * - `providers`: sends through the real providers (`providers.resend.apiKeyEnv`, `providers.twilio.*Env`,
 *   `providers.webhooks.<target>.secretEnv`, `providers.push.secretEnv`);
 * - `links`: signs or answers the unsubscribe and confirmation links (`links.secretEnv`);
 * - `webhooks`: verifies the providers' webhooks (`providers.twilio.authTokenEnv`).
 */
export type SecretUse = 'connection' | 'providers' | 'links' | 'webhooks';

/** The values of the variables `temporal.yaml` names, for the uses asked; unset where nothing is named. */
export interface ConfigSecrets {
  readonly temporalApiKey?: string;
  readonly resendApiKey?: string;
  readonly twilioAccountSid?: string;
  readonly twilioAuthToken?: string;
  /** By target name, for the targets with a `secretEnv`. */
  readonly webhookSecrets: Readonly<Record<string, string>>;
  readonly pushSecret?: string;
  readonly linkSecret?: string;
  readonly resendWebhookSecret?: string;
}

/** One environment variable a setting of `temporal.yaml` names. */
export interface NamedVariable {
  readonly variable: string;
  /** The setting naming it, e.g. `links.secretEnv`. */
  readonly path: string;
  /** What it holds, for messages. */
  readonly holds: string;
  readonly uses: readonly SecretUse[];
  /** The shortest value that works. */
  readonly minLength?: number;
}

/** The link secret's minimum, as `createSignedLinks` enforces it. */
const LINK_SECRET_MIN = 32;

/** Every variable the loaded file names (defaults included: `providers.resend` means `RESEND_API_KEY`). */
export function namedVariables(config: JourneysConfig): NamedVariable[] {
  const named: NamedVariable[] = [];
  const profile = config.connection;
  if (profile.type === 'cloud' && profile.apiKeyEnv)
    named.push({
      variable: profile.apiKeyEnv,
      path: `profiles.${config.profile}.apiKeyEnv`,
      holds: 'the Temporal Cloud API key',
      uses: ['connection'],
    });
  const { resend, twilio, webhooks, push } = config.providers;
  if (resend)
    named.push({
      variable: resend.apiKeyEnv,
      path: 'providers.resend.apiKeyEnv',
      holds: 'the Resend API key',
      uses: ['providers'],
    });
  if (resend?.webhookSecretEnv)
    named.push({
      variable: resend.webhookSecretEnv,
      path: 'providers.resend.webhookSecretEnv',
      holds: "Resend's webhook signing secret",
      uses: ['webhooks'],
    });
  if (twilio) {
    named.push({
      variable: twilio.accountSidEnv,
      path: 'providers.twilio.accountSidEnv',
      holds: 'the Twilio account SID',
      uses: ['providers'],
    });
    named.push({
      variable: twilio.authTokenEnv,
      path: 'providers.twilio.authTokenEnv',
      holds: "the Twilio auth token (it also verifies Twilio's webhooks)",
      uses: ['providers', 'webhooks'],
    });
  }
  for (const [name, target] of Object.entries(webhooks ?? {}))
    if (target.secretEnv)
      named.push({
        variable: target.secretEnv,
        path: `providers.webhooks.${name}.secretEnv`,
        holds: `the signing secret of webhook target "${name}"`,
        uses: ['providers'],
      });
  if (push?.secretEnv)
    named.push({
      variable: push.secretEnv,
      path: 'providers.push.secretEnv',
      holds: 'the push gateway signing secret',
      uses: ['providers'],
    });
  if (config.links)
    named.push({
      variable: config.links.secretEnv,
      path: 'links.secretEnv',
      holds: 'the secret that signs unsubscribe and confirmation links',
      uses: ['links'],
      minLength: LINK_SECRET_MIN,
    });
  return named;
}

/**
 * Reads the variables `temporal.yaml` names that `uses` need, at start: one {@link ConfigError} lists every
 * one that is unset, empty or too short, with the setting that names it, so a worker, `journeys dev` or the
 * webhook server never starts without a secret and fails later (or signs with something else). Loading the
 * file needs none of them (`journeys map` runs without credentials).
 *
 * @example
 * ```ts
 * const { linkSecret } = readSecrets(loadConfig(), ['links']);
 * // ConfigError: "Environment variable JOURNEYS_LINK_SECRET (links.secretEnv in temporal.yaml: the secret
 * // that signs unsubscribe and confirmation links) is not set. …"
 * ```
 */
export function readSecrets(
  config: JourneysConfig,
  uses: readonly SecretUse[],
  env: NodeJS.ProcessEnv = process.env,
): ConfigSecrets {
  const wanted = namedVariables(config).filter((v) => v.uses.some((use) => uses.includes(use)));
  const problems = wanted.flatMap((v) => {
    const value = env[v.variable];
    const where = `${v.variable} (${v.path} in ${config.file ?? 'temporal.yaml'}: ${v.holds})`;
    if (!value) return [{ v, text: `${where} is not set` }];
    if (v.minLength !== undefined && value.length < v.minLength)
      return [
        {
          v,
          text: `${where} has ${value.length} characters; it needs at least ${v.minLength} (\`openssl rand -hex 32\`)`,
        },
      ];
    return [];
  });
  const first = problems[0];
  if (first) {
    throw new ConfigError(
      `Environment variable${problems.length > 1 ? 's' : ''} ${problems.map((p) => p.text).join('; ')}. ` +
        'Set it before starting, or remove the setting that names it.',
      { file: config.file, path: first.v.path },
    );
  }
  const value = (path: string) => {
    const named = wanted.find((v) => v.path === path);
    return named && env[named.variable];
  };
  const webhookSecrets: Record<string, string> = {};
  for (const name of Object.keys(config.providers.webhooks ?? {})) {
    const secret = value(`providers.webhooks.${name}.secretEnv`);
    if (secret) webhookSecrets[name] = secret;
  }
  return {
    temporalApiKey: value(`profiles.${config.profile}.apiKeyEnv`),
    resendApiKey: value('providers.resend.apiKeyEnv'),
    twilioAccountSid: value('providers.twilio.accountSidEnv'),
    twilioAuthToken: value('providers.twilio.authTokenEnv'),
    webhookSecrets,
    pushSecret: value('providers.push.secretEnv'),
    linkSecret: value('links.secretEnv'),
    resendWebhookSecret: value('providers.resend.webhookSecretEnv'),
  };
}
