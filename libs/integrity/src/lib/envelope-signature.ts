import type { EventEnvelope } from '@prov/contracts';
import {
  KeyObject,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { payloadDigest } from './digest';

/**
 * Ed25519 signatures over an envelope's header and payload digest, not over
 * the payload itself: the payload is bound through its digest, so a payload
 * whose sensitive values are later shown only as digests keeps a verifiable
 * signature.
 */
export function signingInput(envelope: EventEnvelope): Buffer {
  const { payload: _payload, upcastFrom: _upcastFrom, integrity, ...header } = envelope;
  return Buffer.from(canonicalJson({ ...header, integrity: { payloadDigest: integrity.payloadDigest } }), 'utf8');
}

export interface SigningKeyPair {
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** `ed25519:` + the first 16 hex characters of the SHA-256 of the raw public key. */
export function keyIdOf(publicKey: KeyObject): string {
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  return `ed25519:${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;
}

export function generateSigningKeyPair(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { keyId: keyIdOf(publicKey), privateKey, publicKey };
}

/** Loads a key pair from a PKCS#8 PEM private key (as stored in a key file or secret). */
export function signingKeyPairFromPem(pem: string): SigningKeyPair {
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  return { keyId: keyIdOf(publicKey), privateKey, publicKey };
}

export function signEnvelope<E extends EventEnvelope>(envelope: E, privateKey: KeyObject, keyId: string): E {
  const unsigned = { ...envelope, integrity: { payloadDigest: envelope.integrity.payloadDigest } } as E;
  const signature = sign(null, signingInput(unsigned), privateKey).toString('base64url');
  return { ...unsigned, integrity: { ...unsigned.integrity, signature, keyId } };
}

export type EnvelopeVerification =
  | { ok: true; signed: boolean }
  | { ok: false; reason: 'payload-digest-mismatch' | 'missing-signature' | 'unknown-key' | 'bad-signature' };

/**
 * Checks that the payload digest matches the payload and, when the envelope
 * is signed or `requireSignature` is set, that a known key signed it.
 */
export function verifyEnvelope(
  envelope: EventEnvelope,
  publicKeys: (keyId: string) => KeyObject | undefined,
  options: { requireSignature?: boolean } = {},
): EnvelopeVerification {
  if (payloadDigest(envelope.payload) !== envelope.integrity.payloadDigest)
    return { ok: false, reason: 'payload-digest-mismatch' };
  const { signature, keyId } = envelope.integrity;
  if (!signature || !keyId)
    return options.requireSignature ? { ok: false, reason: 'missing-signature' } : { ok: true, signed: false };
  const key = publicKeys(keyId);
  if (!key) return { ok: false, reason: 'unknown-key' };
  const valid = verify(null, signingInput(envelope), key, Buffer.from(signature, 'base64url'));
  return valid ? { ok: true, signed: true } : { ok: false, reason: 'bad-signature' };
}
