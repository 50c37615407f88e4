import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { IntegrityError } from './integrity.errors';

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A key stored only encrypted under a key-encryption key (AES-256-GCM, the wrapped key's own id authenticated). */
export interface WrappedKey {
  /** The key-encryption key it is wrapped under. */
  kekId: string;
  /** 12 bytes, base64. */
  nonce: string;
  /** The encrypted key and the 16-byte tag, base64. */
  ciphertext: string;
}

/** A wrapped key that does not unwrap: another key-encryption key, another key id, or altered bytes. */
export class KeyUnwrapError extends IntegrityError {}

/** A fresh random key-encryption key (AES-256). */
export function generateKeyEncryptionKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/**
 * Encrypts `key` under the key-encryption key `kek`. `keyId` (the wrapped
 * key's own id) is authenticated with it: a wrapped key copied onto another
 * key's record does not unwrap.
 */
export function wrapKey(key: Buffer, keyId: string, kek: Buffer, kekId: string): WrappedKey {
  checkLength(kek, 'key-encryption key');
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', kek, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(`${kekId}\n${keyId}`, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(key), cipher.final(), cipher.getAuthTag()]);
  return { kekId, nonce: nonce.toString('base64'), ciphertext: ciphertext.toString('base64') };
}

/** The key `wrapped` holds; throws KeyUnwrapError when it does not unwrap with `kek`. */
export function unwrapKey(wrapped: WrappedKey, keyId: string, kek: Buffer): Buffer {
  checkLength(kek, 'key-encryption key');
  const bytes = Buffer.from(wrapped.ciphertext, 'base64');
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(wrapped.nonce, 'base64'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(`${wrapped.kekId}\n${keyId}`, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new KeyUnwrapError(`the key ${keyId} does not unwrap with the key-encryption key ${wrapped.kekId}`);
  }
}

function checkLength(key: Buffer, what: string): void {
  if (key.length !== KEY_BYTES) throw new KeyUnwrapError(`a ${what} has ${KEY_BYTES} bytes, not ${key.length}`);
}
