import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { JourneyError } from '../errors';
import type { KeyProvider } from './keys';

/** The `encoding` of an encrypted payload: the same as Temporal's samples use, so other languages' codecs agree. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The metadata entry naming the key a payload is encrypted with. */
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const PayloadMessage = temporal.api.common.v1.Payload;

/**
 * A payload codec that encrypts every payload with AES-256-GCM: the whole payload (its metadata too, so
 * not even the encoding shows) becomes `iv ‖ ciphertext ‖ tag`, with `encoding: binary/encrypted` and the
 * key's id in the metadata. Encrypts with the provider's current key; decrypts with whichever key a payload
 * names, so keys rotate without breaking running journeys or recorded histories. A payload it did not
 * encrypt passes through (histories from before encryption stay readable).
 */
export function createEncryptionCodec(keys: KeyProvider): PayloadCodec {
  const cache = new Map<string, Promise<Uint8Array>>();
  const keyOf = (id: string): Promise<Uint8Array> => {
    let found = cache.get(id);
    if (!found) {
      found = Promise.resolve(keys.key(id)).then((key) => {
        if (!key) {
          cache.delete(id); // a KMS may get it later
          throw new JourneyError(
            'KEY_MISSING',
            `A payload is encrypted with key "${id}", which the key ring does not have: list it (encryption.keys in temporal.yaml, or your KeyProvider) to read it.`,
          );
        }
        if (key.length !== 32)
          throw new JourneyError('KEY_MISSING', `Key "${id}" is ${key.length} bytes; AES-256 needs 32.`);
        return key;
      });
      found.catch(() => cache.delete(id)); // a KMS that failed may answer next time
      cache.set(id, found);
    }
    return found;
  };
  return {
    async encode(payloads: Payload[]): Promise<Payload[]> {
      if (payloads.length === 0) return payloads;
      const id = await keys.currentKeyId();
      const key = await keyOf(id);
      return payloads.map((payload) => {
        const iv = randomBytes(IV_BYTES);
        const cipher = createCipheriv('aes-256-gcm', key, iv);
        const sealed = Buffer.concat([
          iv,
          cipher.update(PayloadMessage.encode(payload).finish()),
          cipher.final(),
          cipher.getAuthTag(),
        ]);
        return {
          metadata: { encoding: encoder.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: encoder.encode(id) },
          data: sealed,
        };
      });
    },
    async decode(payloads: Payload[]): Promise<Payload[]> {
      return Promise.all(
        payloads.map(async (payload) => {
          const encoding = payload.metadata?.encoding;
          if (!encoding || decoder.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
          const idBytes = payload.metadata?.[KEY_ID_METADATA];
          if (!idBytes)
            throw new JourneyError(
              'PAYLOAD_UNREADABLE',
              `An encrypted payload names no key (${KEY_ID_METADATA}).`,
            );
          const id = decoder.decode(idBytes);
          if (!/^[A-Za-z0-9._:-]{1,64}$/.test(id))
            throw new JourneyError(
              'PAYLOAD_UNREADABLE',
              'An encrypted payload names a key id that is not one.',
            );
          const key = await keyOf(id);
          const data = payload.data ?? new Uint8Array();
          if (data.length < IV_BYTES + TAG_BYTES)
            throw new JourneyError('PAYLOAD_UNREADABLE', `An encrypted payload (key "${id}") is truncated.`);
          try {
            const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
            decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
            const plain = Buffer.concat([
              decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
              decipher.final(),
            ]);
            return PayloadMessage.decode(plain);
          } catch (err) {
            throw new JourneyError(
              'PAYLOAD_UNREADABLE',
              `A payload encrypted with key "${id}" does not decrypt with that key: the key changed under the same id, or the payload was altered.`,
              { cause: err },
            );
          }
        }),
      );
    },
  };
}
