import type { EventEnvelope } from '@prov/contracts';
import { KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { payloadDigest, sha256Hex } from './digest';
import { InvalidSigningKeyError, NonCanonicalizableValueError } from './integrity.errors';

/**
 * The bytes an envelope signature covers: the canonical JSON of the envelope
 * without its payload and with `integrity` reduced to `payloadDigest`. The
 * payload is bound through its digest, so a payload whose sensitive values
 * are later shown only as digests keeps a verifiable signature. `upcastFrom`
 * is left out because readers add it after publication.
 */
export function envelopeSigningInput(envelope: EventEnvelope): Buffer {
  const { payload: _payload, upcastFrom: _upcastFrom, integrity, ...header } = envelope;
  return Buffer.from(canonicalJson({ ...header, integrity: { payloadDigest: integrity.payloadDigest } }), 'utf8');
}

/**
 * What identifies an event's content: the digest of what its signature
 * covers (every header field and the payload's digest). Two copies of one
 * event id with the same event digest are the same event sent again; with
 * another, they conflict.
 */
export function eventDigest(envelope: EventEnvelope): string {
  return `sha256:${sha256Hex(envelopeSigningInput(envelope))}`;
}

/**
 * A copy of the envelope signed with Ed25519. The caller has set
 * `integrity.payloadDigest` (computing it again here would canonicalise
 * every large prediction batch twice); a wrong one fails verification.
 */
export function signEnvelope<E extends EventEnvelope>(envelope: E, privateKey: KeyObject, keyId: string): E {
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new InvalidSigningKeyError('envelopes are signed with Ed25519 keys');
  const signature = sign(null, envelopeSigningInput(envelope), privateKey).toString('base64url');
  return { ...envelope, integrity: { payloadDigest: envelope.integrity.payloadDigest, signature, keyId } };
}

export type EnvelopeRejection = 'payload-digest-mismatch' | 'missing-signature' | 'unknown-key' | 'bad-signature';

export type EnvelopeVerification = { ok: true; signed: boolean } | { ok: false; reason: EnvelopeRejection };

/** 64 signature bytes in unpadded base64url. */
const SIGNATURE = /^[A-Za-z0-9_-]{86}$/;

/**
 * Checks that the payload digest matches the payload and that a known key
 * signed the header. Unsigned envelopes pass only with
 * `requireSignature: false`. Never throws on a hostile envelope: what cannot
 * be canonicalised cannot match a digest or a signature.
 */
export function verifyEnvelope(
  envelope: EventEnvelope,
  publicKeys: (keyId: string) => KeyObject | undefined,
  options: { requireSignature?: boolean } = {},
): EnvelopeVerification {
  const { signature, keyId, payloadDigest: claimed } = integrityOf(envelope);
  if (whenCanonical(() => payloadDigest(envelope.payload)) !== claimed) {
    return { ok: false, reason: 'payload-digest-mismatch' };
  }
  if (signature === undefined && keyId === undefined && options.requireSignature === false) {
    return { ok: true, signed: false };
  }
  return verifyEnvelopeSignature(envelope, publicKeys);
}

/**
 * Checks the header signature alone, payload unseen: how a trace whose
 * sensitive payload values were redacted to digests is still verified.
 */
export function verifyEnvelopeSignature(
  envelope: EventEnvelope,
  publicKeys: (keyId: string) => KeyObject | undefined,
): EnvelopeVerification {
  const { signature, keyId } = integrityOf(envelope);
  if (signature === undefined) return { ok: false, reason: 'missing-signature' };
  const key = typeof keyId === 'string' ? publicKeys(keyId) : undefined;
  if (!key) return { ok: false, reason: 'unknown-key' };
  if (key.asymmetricKeyType !== 'ed25519')
    throw new InvalidSigningKeyError(`the key for ${keyId} is not an Ed25519 key`);
  // Only the one canonical spelling of the signature counts, so that no other string can pass for it.
  const bytes = typeof signature === 'string' && SIGNATURE.test(signature) ? Buffer.from(signature, 'base64url') : null;
  const input = whenCanonical(() => envelopeSigningInput(envelope));
  const valid =
    bytes !== null &&
    bytes.toString('base64url') === signature &&
    input !== undefined &&
    verify(null, input, key, bytes);
  return valid ? { ok: true, signed: true } : { ok: false, reason: 'bad-signature' };
}

/** The envelope's integrity block, empty when a hostile envelope has none. */
function integrityOf(envelope: EventEnvelope): Partial<EventEnvelope['integrity']> {
  return envelope.integrity ?? {};
}

/** The result, or undefined when the value it works on has no canonical JSON. */
function whenCanonical<T>(compute: () => T): T | undefined {
  try {
    return compute();
  } catch (error) {
    if (error instanceof NonCanonicalizableValueError) return undefined;
    throw error;
  }
}
