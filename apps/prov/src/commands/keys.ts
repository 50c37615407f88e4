import type { ProvenanceClient } from '@prov/sdk';
import { EXIT } from '../cli/exit-codes';
import type { Output } from '../cli/output';

/**
 * `prov keys rotate`: a new key-encryption key wraps every live data-subject
 * key, and the old ones are destroyed, so that what an erased subject's key
 * left in the store's files, logs or backups opens nothing.
 */
export async function rotateKeys(client: ProvenanceClient, out: Output, reason: string): Promise<number> {
  const rotation = await client.predictions.rotateKeyEncryptionKey({ reason });
  out.answer(
    rotation,
    () =>
      `${rotation.rewrapped} subject key(s) wrapped under ${rotation.current}; ` +
      `destroyed ${rotation.retired.length === 0 ? 'no earlier key-encryption key' : rotation.retired.join(', ')}`,
  );
  return EXIT.ok;
}
