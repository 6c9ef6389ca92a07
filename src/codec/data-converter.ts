import type { DataConverter, PayloadCodec } from '@temporalio/common';
import type { JourneysConfig } from '../config';
import { createEncryptionCodec } from './encryption-codec';
import { keyRingFromConfig, type KeyProvider } from './keys';

/**
 * The module the SDK loads (worker, client, workflow bundle) for failures whose message and stack are
 * encoded; resolved only when encryption is used, so an app bundling its client without it is unaffected.
 */
export function encodedFailuresPath(): string {
  return require.resolve('./failure-converter');
}

/** An encrypting data converter: the codec on every payload, failures' messages and stacks encoded too. */
export interface EncryptingDataConverter extends DataConverter {
  readonly payloadCodecs: PayloadCodec[];
  readonly failureConverterPath: string;
}

/**
 * The data converter that encrypts every payload with these keys (see {@link createEncryptionCodec}): give the
 * same to the client, the worker (its bundle is then built with encoded failures) and the replayer.
 */
export function encryptingDataConverter(keys: KeyProvider): EncryptingDataConverter {
  return { payloadCodecs: [createEncryptionCodec(keys)], failureConverterPath: encodedFailuresPath() };
}

const converters = new WeakMap<JourneysConfig, EncryptingDataConverter | undefined>();

/**
 * The one data converter `temporal.yaml` asks for: encrypting when it has `encryption:` (keys read from the
 * environment, once per loaded config when read from `process.env`), else `undefined` (Temporal's default, plain JSON). Every part of the
 * SDK that talks to Temporal takes it from here: clients, workers, the test kit, replay, reports, the
 * dashboard, `journeys serve` and the codec server.
 */
export function dataConverterOf(
  config: Pick<JourneysConfig, 'encryption'>,
  env: NodeJS.ProcessEnv = process.env,
): EncryptingDataConverter | undefined {
  if (!config.encryption) return undefined;
  if (env !== process.env) return encryptingDataConverter(keyRingFromConfig(config.encryption, env));
  const key = config as JourneysConfig;
  if (!converters.has(key))
    converters.set(key, encryptingDataConverter(keyRingFromConfig(config.encryption, env)));
  return converters.get(key);
}
