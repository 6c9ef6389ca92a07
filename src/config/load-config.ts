import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { ConfigError } from '../errors';
import { assertDistinctPorts, type PortUse } from './ports';
import { readYaml, type YamlFile } from './read-yaml';
import { configSchema, type JourneysConfig, type JourneysConfigInput, type Profile } from './schema';

export interface LoadConfigOptions {
  /** Path of the file; defaults to `JOURNEYS_CONFIG` or `temporal.yaml` in the working directory. */
  readonly path?: string;
  /** Overrides the file's `profile` (and `JOURNEYS_PROFILE`). */
  readonly profile?: string;
  /** Environment to read overrides from; defaults to `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Loads and validates `temporal.yaml`. A missing default file means all defaults (the local dev server);
 * a missing file named explicitly, a YAML syntax error, an unknown key or a bad value throws
 * {@link ConfigError} naming the file, the path inside it and the line.
 *
 * @example
 * ```ts
 * const config = loadConfig();                       // ./temporal.yaml
 * const cloud = loadConfig({ profile: 'cloud' });     // same file, another connection
 * ```
 */
export function loadConfig(options: LoadConfigOptions = {}): JourneysConfig {
  const env = options.env ?? process.env;
  const explicit = options.path ?? env.JOURNEYS_CONFIG;
  const file = path.resolve(explicit ?? 'temporal.yaml');
  if (!existsSync(file)) {
    if (explicit)
      throw new ConfigError(`Config file ${file} does not exist.`, { file }, { code: 'CONFIG_NOT_FOUND' });
    return resolveConfig({}, undefined, options, env);
  }
  return parseConfig(readFileSync(file, 'utf8'), { ...options, path: file, env });
}

/** Validates config text as if read from `options.path` (used by {@link loadConfig} and tests). */
export function parseConfig(text: string, options: LoadConfigOptions & { path: string }): JourneysConfig {
  const env = options.env ?? process.env;
  const yaml = readYaml(text, options.path);
  const parsed = configSchema.safeParse(yaml.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const at = [...issue.path.map(String), ...keys.slice(0, 1)];
    const line = yaml.lineOf(at, keys.length > 0);
    const where = at.join('.') || '(top level)';
    const what =
      keys.length > 0
        ? `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}`
        : issue.message;
    throw new ConfigError(
      `${options.path}:${line ?? '?'}: ${where}: ${what}`,
      { file: options.path, path: where, line },
      {
        cause: parsed.error,
      },
    );
  }
  checkLocalPorts(parsed.data, yaml, options.path);
  return resolveConfig(yaml.value as JourneysConfigInput, options.path, options, env, yaml);
}

/** A local profile's dev server, Web UI and dashboard need three ports: two equal ones fail at load. */
function checkLocalPorts(config: z.output<typeof configSchema>, yaml: YamlFile, file: string): void {
  const raw = yaml.value as { profiles?: Record<string, Record<string, unknown> | null> };
  for (const [name, profile] of Object.entries(config.profiles)) {
    if (profile.type !== 'local') continue;
    const use = (key: 'port' | 'uiPort' | 'dashboardPort', what: string): PortUse => {
      const explicit = raw.profiles?.[name]?.[key] !== undefined;
      const line = explicit ? yaml.lineOf(['profiles', name, key]) : undefined;
      return { port: profile[key], what, setAt: `profiles.${name}.${key}`, explicit, line };
    };
    assertDistinctPorts(
      [
        use('port', "the dev server's gRPC port"),
        use('uiPort', 'the Web UI'),
        use('dashboardPort', 'the journeys dashboard'),
      ],
      file,
    );
  }
}

function resolveConfig(
  input: JourneysConfigInput,
  file: string | undefined,
  options: LoadConfigOptions,
  env: NodeJS.ProcessEnv,
  yaml?: YamlFile,
): JourneysConfig {
  const config = configSchema.parse(input);
  const base = file ? path.dirname(file) : process.cwd();
  const name = options.profile ?? env.JOURNEYS_PROFILE ?? config.profile;
  const profile = config.profiles[name];
  if (!profile) {
    const chosenBy =
      options.profile !== undefined
        ? 'the profile option'
        : env.JOURNEYS_PROFILE
          ? 'JOURNEYS_PROFILE'
          : undefined;
    const line = chosenBy ? undefined : yaml?.lineOf(['profile']);
    throw new ConfigError(
      `${file ?? 'temporal.yaml'}${line ? `:${line}` : ''}: profile "${name}"${chosenBy ? ` (from ${chosenBy})` : ''} is not defined; profiles: ${Object.keys(config.profiles).join(', ') || '(none)'}.`,
      { file, path: 'profile', line },
    );
  }
  const server = {
    ...config.server,
    cacheDir: env.JOURNEYS_CACHE_DIR
      ? path.resolve(env.JOURNEYS_CACHE_DIR)
      : config.server.cacheDir
        ? path.resolve(base, config.server.cacheDir)
        : userCacheDir(env),
    cliPath: env.TEMPORAL_CLI_PATH ?? config.server.cliPath,
    testServerPath: env.TEMPORAL_TEST_SERVER_PATH ?? config.server.testServerPath,
  };
  // `profile` is the one chosen (the option or JOURNEYS_PROFILE over the file), as messages name it.
  return {
    ...config,
    profileChosen: options.profile !== undefined || !!env.JOURNEYS_PROFILE || input.profile !== undefined,
    profile: name,
    server,
    file,
    workflows: path.resolve(base, config.workflows),
    connection: resolveProfile(profile, base),
  };
}

/**
 * The per-user cache of Temporal binaries, shared by every project: `$XDG_CACHE_HOME/temporal-journeys`, else
 * `~/.cache/temporal-journeys` (`JOURNEYS_CACHE_DIR` or `server.cacheDir` in temporal.yaml override it).
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.JOURNEYS_CACHE_DIR) return path.resolve(env.JOURNEYS_CACHE_DIR);
  const base =
    env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)
      ? env.XDG_CACHE_HOME
      : path.join(os.homedir(), '.cache');
  return path.join(base, 'temporal-journeys');
}

function resolveProfile(profile: Profile, base: string): Profile {
  switch (profile.type) {
    case 'local':
      return { ...profile, dbFile: path.resolve(base, profile.dbFile) };
    case 'cluster':
    case 'cloud': {
      const tls = profile.tls && {
        ...profile.tls,
        cert: path.resolve(base, profile.tls.cert),
        key: path.resolve(base, profile.tls.key),
        ca: profile.tls.ca && path.resolve(base, profile.tls.ca),
      };
      return { ...profile, tls };
    }
  }
}
