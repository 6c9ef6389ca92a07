import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { loadClientConfigProfile, toClientOptions } from '@temporalio/envconfig';
import { ConfigError } from '../errors';
import type { JourneysConfig } from './schema';
import { readSecrets } from './secrets';

/** What `Connection.connect` / `NativeConnection.connect` need, read from a profile. */
export interface ConnectionSettings {
  readonly address: string;
  readonly namespace: string;
  readonly tls?: TLSConfig | boolean;
  readonly apiKey?: string;
  /** Where they came from: temporal.yaml's profile, or Temporal's own configuration (`temporal-envconfig`). */
  readonly source: 'temporal.yaml' | 'temporal-envconfig';
}

/**
 * Connection settings: temporal.yaml's chosen profile, with files read and the API key taken from its
 * variable (see {@link readSecrets}); throws {@link ConfigError} when a file or the variable is missing.
 *
 * Which wins: a profile temporal.yaml names (its `profile:` key, `JOURNEYS_PROFILE`, or the option) always
 * does. Without one, Temporal's own client configuration is honoured when it says anything: the
 * `TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`, `TEMPORAL_API_KEY`, `TEMPORAL_TLS*` variables and the profiles of
 * its TOML file (`TEMPORAL_CONFIG_FILE`, `TEMPORAL_PROFILE`), read by `@temporalio/envconfig`; else the
 * local dev server.
 */
export function connectionOptionsOf(
  config: JourneysConfig,
  env: NodeJS.ProcessEnv = process.env,
): ConnectionSettings {
  if (!config.profileChosen) {
    const temporal = temporalEnvConfig(env);
    if (temporal) return temporal;
  }
  return profileSettings(config, env);
}

/** Temporal's own client configuration (variables and TOML profiles), when it sets anything. */
function temporalEnvConfig(env: NodeJS.ProcessEnv): ConnectionSettings | undefined {
  let profile;
  try {
    profile = loadClientConfigProfile({
      overrideEnvVars: Object.fromEntries(
        Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
      ),
    });
  } catch (cause) {
    throw new ConfigError(
      `Temporal's client configuration (TEMPORAL_* variables, TEMPORAL_CONFIG_FILE): ${cause instanceof Error ? cause.message : String(cause)}`,
      { file: env.TEMPORAL_CONFIG_FILE },
      { cause },
    );
  }
  if (profile.address === undefined && profile.namespace === undefined && profile.apiKey === undefined)
    return undefined;
  const { connectionOptions, namespace } = toClientOptions(profile);
  return {
    address: connectionOptions.address ?? 'localhost:7233',
    namespace: namespace ?? 'default',
    tls: connectionOptions.tls ?? undefined,
    apiKey: typeof connectionOptions.apiKey === 'string' ? connectionOptions.apiKey : undefined,
    source: 'temporal-envconfig',
  };
}

function profileSettings(config: JourneysConfig, env: NodeJS.ProcessEnv): ConnectionSettings {
  const profile = config.connection;
  if (profile.type === 'local')
    return {
      address: `${profile.ip}:${profile.port}`,
      namespace: profile.namespace,
      source: 'temporal.yaml',
    };
  const read = (file: string) => {
    try {
      return readFileSync(file);
    } catch (cause) {
      throw new ConfigError(
        `${config.file ?? 'temporal.yaml'}: cannot read TLS file ${file}.`,
        { file: config.file },
        { cause },
      );
    }
  };
  const tls = profile.tls && {
    serverNameOverride: profile.tls.serverName,
    serverRootCACertificate: profile.tls.ca ? read(profile.tls.ca) : undefined,
    clientCertPair: { crt: read(profile.tls.cert), key: read(profile.tls.key) },
  };
  if (profile.type === 'cloud' && profile.apiKeyEnv) {
    const { temporalApiKey } = readSecrets(config, ['connection'], env);
    return {
      address: profile.address,
      namespace: profile.namespace,
      apiKey: temporalApiKey,
      tls: tls ?? true,
      source: 'temporal.yaml',
    };
  }
  return { address: profile.address, namespace: profile.namespace, tls, source: 'temporal.yaml' };
}
