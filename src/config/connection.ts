import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors';
import type { JourneysConfig } from './schema';
import { readSecrets } from './secrets';

/** What `Connection.connect` / `NativeConnection.connect` need, read from a profile. */
export interface ConnectionSettings {
  readonly address: string;
  readonly namespace: string;
  readonly tls?:
    | {
        readonly serverNameOverride?: string;
        readonly serverRootCACertificate?: Buffer;
        readonly clientCertPair: { readonly crt: Buffer; readonly key: Buffer };
      }
    | true;
  readonly apiKey?: string;
}

/**
 * Connection settings of the chosen profile: files read, the API key taken from its variable (see
 * {@link readSecrets}). Throws {@link ConfigError} when a file or the variable is missing.
 */
export function connectionOptionsOf(
  config: JourneysConfig,
  env: NodeJS.ProcessEnv = process.env,
): ConnectionSettings {
  const profile = config.connection;
  if (profile.type === 'local')
    return { address: `${profile.ip}:${profile.port}`, namespace: profile.namespace };
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
    };
  }
  return { address: profile.address, namespace: profile.namespace, tls };
}
