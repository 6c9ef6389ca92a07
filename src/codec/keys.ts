import { ConfigError } from '../errors';

/**
 * Where the codec's keys come from: the id of the key new payloads are encrypted with, and each key by id
 * (32 bytes, AES-256). Implement it over a KMS (fetch and unwrap data keys, cache them); {@link staticKeyRing}
 * and {@link keyRingFromConfig} cover keys held in the environment.
 */
export interface KeyProvider {
  /** The key new payloads are encrypted with. */
  currentKeyId(): string | Promise<string>;
  /** The 32-byte key of this id, or `undefined` when this provider does not have it. */
  key(id: string): Uint8Array | undefined | Promise<Uint8Array | undefined>;
}

/** A key's id: what payloads name in their metadata, so it stays short and printable. */
const KEY_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * A fixed key ring: encrypt with `current`, decrypt with any key listed. Rotate by adding a key and making it
 * current; keep the old ones listed for as long as histories (retention, exported ones) hold payloads under them.
 */
export function staticKeyRing(ring: {
  readonly current: string;
  readonly keys: Readonly<Record<string, Uint8Array | string>>;
}): KeyProvider {
  const keys = new Map<string, Uint8Array>();
  for (const [id, value] of Object.entries(ring.keys)) {
    if (!KEY_ID.test(id))
      throw new ConfigError(`Encryption key id "${id}" must be 1 to 64 letters, digits or . _ : -`);
    keys.set(
      id,
      typeof value === 'string' ? parseKey(value, `key "${id}"`) : checkLength(value, `key "${id}"`),
    );
  }
  if (!keys.has(ring.current))
    throw new ConfigError(
      `The current encryption key "${ring.current}" is not in the key ring (${[...keys.keys()].join(', ') || 'empty'}).`,
    );
  return { currentKeyId: () => ring.current, key: (id) => keys.get(id) };
}

/** A key as the environment holds it: 32 bytes in base64 (44 characters) or hex (64). */
export function parseKey(text: string, what: string): Uint8Array {
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(trimmed)
      ? Buffer.from(trimmed, 'base64')
      : undefined;
  if (!bytes)
    throw new ConfigError(
      `${what} is not a 32-byte key in base64 or hex: make one with \`journeys keys encryption\` (or \`openssl rand -base64 32\`).`,
    );
  return checkLength(bytes, what);
}

function checkLength(bytes: Uint8Array, what: string): Uint8Array {
  if (bytes.length !== 32)
    throw new ConfigError(`${what} is ${bytes.length} bytes; AES-256 needs exactly 32.`);
  return bytes;
}

/** `encryption` of temporal.yaml, once loaded. */
export interface EncryptionSettings {
  readonly currentKey: string;
  readonly keys: readonly { readonly id: string; readonly env: string }[];
}

/** The key ring `encryption:` of temporal.yaml names, read from the environment (every variable must be set). */
export function keyRingFromConfig(
  encryption: EncryptionSettings,
  env: NodeJS.ProcessEnv = process.env,
): KeyProvider {
  const keys: Record<string, string> = {};
  const unset: string[] = [];
  for (const { id, env: variable } of encryption.keys) {
    const value = env[variable];
    if (value === undefined || value === '') unset.push(`${variable} (key "${id}")`);
    else keys[id] = value;
  }
  if (unset.length > 0)
    throw new ConfigError(
      `temporal.yaml encrypts payloads, but ${unset.join(', ')} ${unset.length === 1 ? 'is' : 'are'} not set: without the keys nothing can be written or read.`,
    );
  return staticKeyRing({
    current: encryption.currentKey,
    keys: Object.fromEntries(
      Object.entries(keys).map(([id, value]) => {
        const variable = encryption.keys.find((k) => k.id === id)!.env;
        return [id, parseKey(value, `${variable} (key "${id}")`)];
      }),
    ),
  });
}
