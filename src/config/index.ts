/**
 * `temporal.yaml`: connection profiles (the embedded local server, a self-hosted cluster, Temporal Cloud),
 * task queue, time scale, binaries and providers, validated with zod.
 *
 * @example
 * ```ts
 * const config = loadConfig(); // throws ConfigError "temporal.yaml:7: profiles.local.prot: unknown key"
 * ```
 */
export { loadConfig, parseConfig } from './load-config';
export type { LoadConfigOptions } from './load-config';
export { configSchema } from './schema';
export type { JourneysConfig, JourneysConfigInput, LocalProfile, Profile } from './schema';
export { connectionOptionsOf } from './connection';
export type { ConnectionSettings } from './connection';
