import type { EventEnvelope } from '@prov/contracts';
import { SignedCheckpoint, keyIdOf, payloadDigest, verifyCheckpoint, verifyEnvelopeSignature } from '@prov/integrity';
import { KeyObject, createPublicKey } from 'node:crypto';
import type { Divergence, PublicKeyRecord } from './audit-evidence';

interface KnownKey {
  service: string;
  publicKey: KeyObject;
}

/**
 * The keys a verifier trusts, by key id. A record whose id is not the id
 * of its own public key is left out: a key id names one key for good.
 */
export class AuditKeys {
  private readonly byId = new Map<string, KnownKey>();

  constructor(records: readonly PublicKeyRecord[]) {
    for (const record of records) {
      let publicKey: KeyObject;
      try {
        publicKey = createPublicKey(record.publicKey);
      } catch {
        continue;
      }
      if (publicKey.asymmetricKeyType === 'ed25519' && keyIdOf(publicKey) === record.keyId)
        this.byId.set(record.keyId, { service: record.service, publicKey });
    }
  }

  get(keyId: string): KnownKey | undefined {
    return this.byId.get(keyId);
  }
}

type Place = Pick<Divergence, 'logId' | 'index'>;

/**
 * The divergence of an envelope from its own integrity block: a payload
 * whose digest is not the claimed one, or a header whose signature does not
 * verify with a trusted key of the producing service. Undefined when it holds.
 */
export function envelopeDivergence(
  event: unknown,
  keys: AuditKeys,
  requireSignatures: boolean,
  place: Place,
): Divergence | undefined {
  const envelope = event as EventEnvelope;
  const eventId = typeof envelope?.eventId === 'string' ? envelope.eventId : undefined;
  const claimed = envelope?.integrity?.payloadDigest;
  let found: string;
  try {
    found = payloadDigest(envelope?.payload);
  } catch (error) {
    found = `no canonical JSON (${(error as Error).message})`;
  }
  if (found !== claimed) {
    return {
      kind: 'payload-digest',
      ...place,
      eventId,
      expected: String(claimed),
      found,
      message: `the payload of event ${eventId} does not match its digest`,
    };
  }
  const { signature, keyId } = envelope.integrity;
  if (signature === undefined && keyId === undefined && !requireSignatures) return undefined;
  const verification = verifyEnvelopeSignature(envelope, (id) => keys.get(id)?.publicKey);
  const signer = typeof keyId === 'string' ? keys.get(keyId) : undefined;
  const problem = !verification.ok
    ? verification.reason
    : signer && signer.service !== envelope.producer?.service
      ? `the key signs for ${signer.service}`
      : undefined;
  if (problem === undefined) return undefined;
  return {
    kind: 'event-signature',
    ...place,
    eventId,
    expected: `a signature by a trusted key of ${envelope.producer?.service}`,
    found: `${problem} (key ${keyId ?? 'none'})`,
    message: `the signature of event ${eventId} does not hold: ${problem}`,
  };
}

/** The divergence of a checkpoint whose signature is not a trusted checkpoint signer's. */
export function checkpointSignatureDivergence(
  checkpoint: SignedCheckpoint,
  keys: AuditKeys,
  signers: readonly string[],
): Divergence | undefined {
  const key = keys.get(checkpoint.keyId);
  const problem = !key
    ? 'unknown-key'
    : !signers.includes(key.service)
      ? `the key signs for ${key.service}, not a checkpoint signer`
      : verifyCheckpoint(checkpoint, key.publicKey)
        ? undefined
        : 'bad-signature';
  if (problem === undefined) return undefined;
  return {
    kind: 'checkpoint-signature',
    logId: checkpoint.logId,
    index: checkpoint.treeSize - 1,
    expected: `a signature by a trusted key of ${signers.join(' or ')}`,
    found: `${problem} (key ${checkpoint.keyId})`,
    message: `the checkpoint of ${checkpoint.logId} at tree size ${checkpoint.treeSize} is not signed by a trusted key: ${problem}`,
  };
}

export const DEFAULT_CHECKPOINT_SIGNERS = ['projector'];
