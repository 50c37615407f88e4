import type { WrappedKey } from '@prov/integrity';

/**
 * The keys that wrap data subjects' keys (envelope encryption), kept apart
 * from the store and the event log: a subject key is stored only wrapped,
 * so a copy of the store (its files, its oplog or write-ahead log, a backup)
 * opens nothing without them. A KMS-style port: the file keyring is one
 * implementation, a cloud KMS would be another.
 */
export interface KeyEncryptionKeys {
  /** Wraps a key under the current key-encryption key. */
  wrap(keyId: string, key: Buffer): Promise<WrappedKey>;
  /** The key a wrapped key holds; throws KeyUnwrapError when its key-encryption key was retired. */
  unwrap(keyId: string, wrapped: WrappedKey): Promise<Buffer>;
  /** The id of the key-encryption key new keys are wrapped under. */
  currentId(): Promise<string>;
  /** Makes a fresh key-encryption key current; answers its id. Earlier ones still unwrap until retired. */
  rotate(): Promise<string>;
  /** Destroys every key-encryption key but the current one; answers the ids destroyed. */
  retireAllButCurrent(): Promise<string[]>;
  /**
   * The pseudonym a data subject id is stored and logged as: a keyed hash
   * (HMAC-SHA256) under a key kept with these, never rotated, so that neither
   * the store nor the log names a person, nor can be searched by name.
   */
  pseudonym(dataSubject: string): Promise<string>;
}
