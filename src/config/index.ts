/**
 * `temporal.yaml`: connection profiles (the embedded local server, a self-hosted cluster, Temporal Cloud),
 * task queue, time scale, binaries, providers and worker tuning, validated with zod; the secrets it names are
 * read from the environment by the programs that need them ({@link readSecrets}), not when it loads.
 *
 * @example
 * ```ts
 * const config = loadConfig(); // throws ConfigError "temporal.yaml:7: profiles.local.prot: unknown key"
 * ```
 */
export { loadConfig, parseConfig, userCacheDir } from './load-config';
export type { LoadConfigOptions } from './load-config';
export { API_SCOPES, apiKeySchema, configSchema, encryptionSchema, serveSchema } from './schema';
export type {
  ApiKeyConfig,
  ApiScope,
  ServeConfig,
  EncryptionConfig,
  EventsConfig,
  JourneysConfig,
  JourneysConfigInput,
  LocalProfile,
  Profile,
} from './schema';
export { connectionOptionsOf } from './connection';
export type { ConnectionSettings } from './connection';
export { readSecrets, namedVariables } from './secrets';
export type { ConfigSecrets, NamedVariable, SecretUse } from './secrets';
export { assertDistinctPorts } from './ports';
export type { PortUse } from './ports';
export { DEFAULT_MAX_CACHED_WORKFLOWS, workerTuningOf, workerTuningSchema } from './worker-tuning';
export type { WorkerCreateTuning, WorkerTuning, WorkerTuningInput } from './worker-tuning';
