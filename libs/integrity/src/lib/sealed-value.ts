import type { JsonValue, SealedValue } from '@prov/contracts';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { digestOf } from './digest';
import { IntegrityError } from './integrity.errors';

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed value that does not open: the key is wrong, or the value or its context was altered. */
export class SealedValueError extends IntegrityError {}

/** A fresh random data-subject key (AES-256). */
export function generateSubjectKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/**
 * Encrypts a value with its data subject's key (AES-256-GCM). The key id and
 * `context` (where the value belongs, e.g. `pred:1#output`) are authenticated
 * with it, so a sealed value moved to another place or key does not open.
 */
export function sealValue(value: JsonValue, key: Buffer, keyId: string, context: string): SealedValue {
  checkKey(key);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(keyId, context));
  const ciphertext = Buffer.concat([cipher.update(canonicalJson(value), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return {
    alg: 'A256GCM',
    keyId,
    nonce: nonce.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    digest: digestOf(value),
  };
}

/** The value a sealed value holds; throws SealedValueError when it does not open or is not the value its digest names. */
export function openSealedValue(sealed: SealedValue, key: Buffer, context: string): JsonValue {
  checkKey(key);
  const bytes = Buffer.from(sealed.ciphertext, 'base64');
  if (bytes.length <= TAG_BYTES) throw new SealedValueError(`the sealed value of ${context} is truncated`);
  let plain: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.nonce, 'base64'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(additionalData(sealed.keyId, context));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    plain = Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new SealedValueError(`the sealed value of ${context} does not open with key ${sealed.keyId}`);
  }
  const value = JSON.parse(plain) as JsonValue;
  if (digestOf(value) !== sealed.digest)
    throw new SealedValueError(`the sealed value of ${context} is not the value of digest ${sealed.digest}`);
  return value;
}

function additionalData(keyId: string, context: string): Buffer {
  return Buffer.from(`${keyId}\n${context}`, 'utf8');
}

function checkKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new SealedValueError(`a subject key has ${KEY_BYTES} bytes, not ${key.length}`);
}
