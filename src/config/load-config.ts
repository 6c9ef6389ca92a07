import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors';
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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = lineCounter.linePos(syntax.pos[0]).line;
    throw new ConfigError(`${options.path}:${line}: YAML syntax error: ${syntax.message.split('\n')[0]}`, {
      file: options.path,
      line,
    });
  }
  const raw: unknown = doc.toJS() ?? {};
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const at = [...issue.path.map(String), ...keys.slice(0, 1)];
    const line = lineOf(doc, lineCounter, at, keys.length > 0);
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
  return resolveConfig(raw as JourneysConfigInput, options.path, options, env);
}

function resolveConfig(
  input: JourneysConfigInput,
  file: string | undefined,
  options: LoadConfigOptions,
  env: NodeJS.ProcessEnv,
): JourneysConfig {
  const config = configSchema.parse(input);
  const base = file ? path.dirname(file) : process.cwd();
  const name = options.profile ?? env.JOURNEYS_PROFILE ?? config.profile;
  const profile = config.profiles[name];
  if (!profile) {
    throw new ConfigError(
      `${file ?? 'temporal.yaml'}: profile "${name}" is not defined; profiles: ${Object.keys(config.profiles).join(', ') || '(none)'}.`,
      { file, path: 'profile' },
    );
  }
  const server = {
    ...config.server,
    cacheDir: path.resolve(base, config.server.cacheDir),
    cliPath: env.TEMPORAL_CLI_PATH ?? config.server.cliPath,
    testServerPath: env.TEMPORAL_TEST_SERVER_PATH ?? config.server.testServerPath,
  };
  return { ...config, server, file, connection: resolveProfile(profile, base) };
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

/** The line of the deepest node of `at` that exists in the document (the key itself for unknown keys). */
function lineOf(doc: Document, counter: LineCounter, at: string[], isKey: boolean): number | undefined {
  for (let depth = at.length; depth >= 0; depth--) {
    const parentPath = at.slice(0, depth - 1);
    const last = at[depth - 1];
    if (depth > 0 && isKey && depth === at.length) {
      const parent = parentPath.length === 0 ? doc.contents : doc.getIn(parentPath, true);
      if (isMap(parent)) {
        const pair = parent.items.find((p) => String((p.key as { value?: unknown })?.value) === last);
        const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
        if (range) return counter.linePos(range[0]).line;
      }
      continue;
    }
    const node = depth === 0 ? doc.contents : doc.getIn(at.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (range) return counter.linePos(range[0]).line;
  }
  return undefined;
}
