/**
 * Customer data encrypted before it reaches Temporal: an AES-256-GCM payload codec with a rotating key ring,
 * the data converter built from `temporal.yaml`, and a codec server for the Web UI and the Temporal CLI.
 */
export { createEncryptionCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from './encryption-codec';
export {
  keyRingFromConfig,
  parseKey,
  staticKeyRing,
  type EncryptionSettings,
  type KeyProvider,
} from './keys';
export {
  dataConverterOf,
  encryptingDataConverter,
  encodedFailuresPath,
  type EncryptingDataConverter,
} from './data-converter';
export {
  codecRoutes,
  codecServerSettings,
  payloadsFromJson,
  payloadToJson,
  startCodecServer,
  type CodecRoutesOptions,
  type CodecServer,
} from './codec-server';
