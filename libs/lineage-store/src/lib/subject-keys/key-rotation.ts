import type { KeyEncryptionKeys } from './key-encryption-keys.port';
import type { SubjectKeyStore } from './subject-key-store.port';

export interface KeyRotation {
  /** The key-encryption key every live subject key is now wrapped under. */
  current: string;
  /** Live subject keys wrapped again. */
  rewrapped: number;
  /** Key-encryption keys destroyed: whatever they wrapped (a destroyed subject key's residue included) opens no more. */
  retired: string[];
}

/**
 * Rotates the key-encryption key: a new one becomes current, every live
 * subject key is wrapped again under it, then every earlier one is
 * destroyed. After it, no copy of a destroyed subject key left in the
 * store's files, logs or backups can be unwrapped.
 */
export async function rotateKeyEncryptionKeys(keks: KeyEncryptionKeys, keys: SubjectKeyStore): Promise<KeyRotation> {
  const current = await keks.rotate();
  const rewrapped = await keys.rewrap();
  const retired = await keks.retireAllButCurrent();
  return { current, rewrapped, retired };
}
