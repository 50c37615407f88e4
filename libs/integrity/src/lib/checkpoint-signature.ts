import { KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { InvalidSigningKeyError } from './integrity.errors';
import { leafHash } from './merkle-tree';

/** What a log checkpoint commits to: the log, its size and root, and when it was signed by whom. */
export interface CheckpointBody {
  logId: string;
  treeSize: number;
  /** Lowercase hex of the RFC 9162 root of the first `treeSize` leaves. */
  rootHash: string;
  signedAt: string;
  keyId: string;
}

export interface SignedCheckpoint extends CheckpointBody {
  /** Ed25519 over the canonical JSON of the body, in unpadded base64url. */
  signature: string;
}

/** The bytes a checkpoint's signature covers: the RFC 8785 canonical JSON of its body. */
export function checkpointSigningInput(body: CheckpointBody): Buffer {
  const { logId, treeSize, rootHash, signedAt, keyId } = body;
  return Buffer.from(canonicalJson({ logId, treeSize, rootHash, signedAt, keyId }), 'utf8');
}

export function signCheckpoint(
  body: Omit<CheckpointBody, 'keyId'>,
  privateKey: KeyObject,
  keyId: string,
): SignedCheckpoint {
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new InvalidSigningKeyError('checkpoints are signed with Ed25519 keys');
  const signed = { ...body, keyId };
  return { ...signed, signature: sign(null, checkpointSigningInput(signed), privateKey).toString('base64url') };
}

/** Whether the checkpoint was signed, as it is, by the holder of this public key. */
export function verifyCheckpoint(checkpoint: SignedCheckpoint, publicKey: KeyObject): boolean {
  if (!/^[A-Za-z0-9_-]{86}$/.test(checkpoint.signature)) return false;
  try {
    return verify(null, checkpointSigningInput(checkpoint), publicKey, Buffer.from(checkpoint.signature, 'base64url'));
  } catch {
    return false;
  }
}

/**
 * The audit log's leaf for an event: the RFC 9162 leaf hash of the RFC 8785
 * canonical JSON of its envelope as it was published (before any upcasting),
 * so that anyone holding the event stream recomputes it.
 */
export function auditLeafHash(envelope: unknown): Buffer {
  return leafHash(Buffer.from(canonicalJson(envelope), 'utf8'));
}
