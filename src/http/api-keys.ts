import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { apiKeySchema, type ApiKeyConfig, type ApiScope, type JourneysConfig } from '../config';
import { ConfigError } from '../errors';

/** A key the server accepts: its id (for logs and limits), scopes and the SHA-256 of the key itself. */
export interface ApiKey {
  readonly id: string;
  readonly scopes: readonly ApiScope[];
  readonly rate?: ApiKeyConfig['rate'];
  /** `sha256:<hex>`. The key itself is never kept. */
  readonly hash: string;
}

/** `sha256:<hex>` of a key: what `temporal.yaml` holds. */
export function hashApiKey(key: string): string {
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

/**
 * A new random key for `id` and the entry to put in `temporal.yaml` (`journeys keys create`). The key is
 * shown once; only its hash is stored.
 */
export function createApiKey(id: string, scopes: readonly ApiScope[]): { key: string; entry: ApiKeyConfig } {
  const key = `jk_${id}_${randomBytes(24).toString('base64url')}`;
  return { key, entry: apiKeySchema.parse({ id, hash: hashApiKey(key), scopes }) };
}

/**
 * Every key of the config: `serve.keys` (a `hashEnv` read now) and the JSON array in the variable
 * `serve.keysEnv` names. A bad entry or an unset `hashEnv` fails here, at start, naming it.
 */
export function loadApiKeys(config: JourneysConfig, env: NodeJS.ProcessEnv = process.env): ApiKey[] {
  const where = config.file ?? 'temporal.yaml';
  const fromEnv = env[config.serve.keysEnv];
  let extra: ApiKeyConfig[] = [];
  if (fromEnv) {
    let json: unknown;
    try {
      json = JSON.parse(fromEnv);
    } catch {
      throw new ConfigError(
        `${config.serve.keysEnv} is not JSON: give an array like [{"id":"…","hash":"sha256:…","scopes":["events:write"]}].`,
      );
    }
    const parsed = z.array(apiKeySchema).safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConfigError(`${config.serve.keysEnv}[${issue?.path.join('.')}]: ${issue?.message}`);
    }
    extra = parsed.data;
  }
  const keys = [...config.serve.keys, ...extra].map((k): ApiKey => {
    const hash = k.hash ?? env[k.hashEnv as string];
    if (!hash || !/^sha256:[0-9a-f]{64}$/.test(hash))
      throw new ConfigError(
        `API key "${k.id}": ${k.hashEnv} is ${hash ? 'not sha256:<64 hex digits>' : 'not set'} (serve.keys in ${where}).`,
      );
    return { id: k.id, scopes: k.scopes, rate: k.rate, hash };
  });
  const ids = new Set<string>();
  for (const k of keys) {
    if (ids.has(k.id))
      throw new ConfigError(
        `Two API keys have the id "${k.id}" (serve.keys in ${where}, ${config.serve.keysEnv}).`,
      );
    ids.add(k.id);
  }
  return keys;
}

/**
 * The key a request presented, if it is one of `keys`: its hash compared with every known hash in constant
 * time (each comparison, and always all of them), so neither timing nor order tells how close a guess was.
 */
export function findApiKey(keys: readonly ApiKey[], presented: string | undefined): ApiKey | undefined {
  if (!presented) return undefined;
  const digest = Buffer.from(hashApiKey(presented));
  let found: ApiKey | undefined;
  for (const key of keys) {
    const known = Buffer.from(key.hash);
    if (known.length === digest.length && timingSafeEqual(known, digest)) found ??= key;
  }
  return found;
}

/**
 * The key in a request's `Authorization` header: `Bearer <key>`, or HTTP Basic with the key as the
 * password (or as the user name with an empty password, as Segment sends its write key), so a browser can
 * open the dashboard and a pipeline can sign with Basic auth.
 */
export function presentedKey(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const [scheme, value] = authorization.trim().split(/\s+/, 2);
  if (!value) return undefined;
  if (/^bearer$/i.test(scheme ?? '')) return value;
  if (!/^basic$/i.test(scheme ?? '')) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return decoded || undefined;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  return password || user || undefined;
}
